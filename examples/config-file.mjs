// @ts-check
/**
 * Configuration from a properties file — the same keys as the Java, Python and
 * Go plug-ins. Where the file is looked up, in order:
 *   1. the `configFile` option of a provider you build yourself,
 *   2. `setConfigFilePath(path)` in code (read by the default provider, which
 *      `createClient` and `ProxyOSSClient` use unless given a `provider`),
 *   3. the MANAGED_CREDENTIALS_CONFIG_FILE environment variable,
 *   4. `managed_credentials_providers.properties` in the working directory.
 * Environment variables named like a key (e.g. `secret_names`) override the
 * file; `npx managed-credentials doctor` shows each key and where it came from.
 *
 *   node examples/config-file.mjs
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ManagedCredentialsProvider, setConfigFilePath } from 'managed-credentials';
import { toProperties } from 'managed-credentials-fake-cloud';
import { maskKeyId, startLocalCloud } from './support/local-cloud.mjs';

const local = await startLocalCloud('my-ram-secret');
const workDir = mkdtempSync(join(tmpdir(), 'managed-credentials-config-'));
const originalCwd = process.cwd();

try {
  // 4. The default: the file in the working directory.
  const defaultFile = local.writeConfigFile(workDir);
  process.chdir(workDir);
  await useProvider('file in the working directory', new ManagedCredentialsProvider());
  process.chdir(originalCwd);

  // 3. Another file named by MANAGED_CREDENTIALS_CONFIG_FILE (here: the same file, from elsewhere).
  process.env['MANAGED_CREDENTIALS_CONFIG_FILE'] = defaultFile;
  await useProvider('MANAGED_CREDENTIALS_CONFIG_FILE', new ManagedCredentialsProvider());
  delete process.env['MANAGED_CREDENTIALS_CONFIG_FILE'];

  // 2. A file set in code; `undefined` goes back to the lookup above.
  setConfigFilePath(defaultFile);
  await useProvider('setConfigFilePath()', new ManagedCredentialsProvider());
  setConfigFilePath(undefined);

  // 1. An explicit file.
  await useProvider('configFile option', new ManagedCredentialsProvider({ configFile: defaultFile }));

  // A broken file fails at once, with a typed error that names the key and the file.
  const broken = join(workDir, 'broken.properties');
  const { cache_client_region_id: _valid, ...rest } = local.config;
  writeFileSync(broken, toProperties({ ...rest, cache_client_region_id: '[{"regionId": cn-hangzhou}]' }));
  try {
    new ManagedCredentialsProvider({ configFile: broken });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.log(`broken file rejected: ${error.name} ${error.code} key=${error.key}`);
    console.log(`  ${error.message}`);
  }
} finally {
  process.chdir(originalCwd);
  rmSync(workDir, { recursive: true, force: true });
  await local.close();
}

/**
 * Fetches the secret once through `provider` and prints what was fetched (never the secret).
 * @param {string} how
 * @param {ManagedCredentialsProvider} provider
 */
async function useProvider(how, provider) {
  try {
    const key = await provider.getAccessKey('my-ram-secret');
    // Snapshots redact themselves: JSON.stringify / util.inspect never show the AccessKeySecret.
    const { accessKeySecret } = /** @type {{ accessKeySecret: string }} */ (JSON.parse(JSON.stringify(key)));
    console.log(
      `${how}: fetched my-ram-secret, key ${maskKeyId(key.accessKeyId)} (secret in JSON: ${accessKeySecret})`,
    );
  } finally {
    await provider.close();
  }
}
