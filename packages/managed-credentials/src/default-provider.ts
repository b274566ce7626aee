// SKELETON: filled in by the core implementation.
import type { ManagedCredentialsProvider } from './provider.js';

/** The process-wide provider, created lazily from the config file on first use. */
export function getDefaultProvider(): ManagedCredentialsProvider {
  throw new Error('not implemented');
}

/** Replaces the default provider (the previous one is not closed). Pass undefined to reset. */
export function setDefaultProvider(_provider: ManagedCredentialsProvider | undefined): void {
  throw new Error('not implemented');
}

/** Closes and forgets the default provider; the next use creates a new one. */
export async function closeDefaultProvider(): Promise<void> {
  throw new Error('not implemented');
}
