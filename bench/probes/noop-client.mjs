// @ts-check
/** What the probes share: a tea-style client whose API method does nothing, and a provider on fake-cloud. */
import { startFakeCloud } from 'managed-credentials-fake-cloud';
import { ManagedCredentialsProvider } from 'managed-credentials';

/** A tea-style client: a config with a credential, an API method that is a native `async` function. */
export class NoopClient {
  /** @param {{ credential?: unknown }} config */
  constructor(config) {
    this._credential = config.credential;
  }
  /** @param {unknown} request */
  async describeThings(request) {
    return request;
  }
}

/**
 * fake-cloud in this process with one RAM secret, and a provider that has fetched it once (so no
 * request reaches the cloud while a probe measures).
 * @param {string} secretName
 */
export async function providerOnFakeCloud(secretName) {
  const cloud = await startFakeCloud();
  cloud.createRamSecret(secretName);
  const provider = new ManagedCredentialsProvider({
    config: cloud.pluginConfig({ regionId: 'cn-hangzhou' }),
  });
  await provider.getAccessKey(secretName);
  return { cloud, provider };
}
