import { ManagedCredentialsProvider } from './provider.js';

let defaultProvider: ManagedCredentialsProvider | undefined;

/**
 * The process-wide provider, created lazily from the config file on first use
 * (see `resolveConfigFilePath`). After {@link closeDefaultProvider}, or once
 * the current one was closed, the next call creates a new one.
 *
 * @throws ConfigError when the configuration file is missing or invalid.
 */
export function getDefaultProvider(): ManagedCredentialsProvider {
  if (!defaultProvider || defaultProvider.closed) defaultProvider = new ManagedCredentialsProvider();
  return defaultProvider;
}

/** Replaces the default provider (the previous one is not closed). Pass undefined to reset. */
export function setDefaultProvider(provider: ManagedCredentialsProvider | undefined): void {
  defaultProvider = provider;
}

/** Closes and forgets the default provider; the next use creates a new one. */
export async function closeDefaultProvider(): Promise<void> {
  const provider = defaultProvider;
  defaultProvider = undefined;
  await provider?.close();
}
