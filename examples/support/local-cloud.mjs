// @ts-check
/**
 * The part of every example you do NOT need in production: a fake Alibaba
 * Cloud (KMS, ECS, OSS) on 127.0.0.1, a KMS caller key, a RAM secret, and a
 * properties file pointing the plug-in at that KMS. In production the file
 * names your region(s) and the secret already exists in KMS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeCloud, toProperties } from 'managed-credentials-fake-cloud';

export const REGION = 'cn-hangzhou';

/**
 * @typedef {object} LocalCloud
 * @property {import('managed-credentials-fake-cloud').FakeCloud} cloud
 * @property {string} secretName the KMS RAM secret holding the AccessKey the examples use
 * @property {Record<string, string>} config managed-credentials keys (as in the properties file) for this cloud
 * @property {(dir?: string) => string} writeConfigFile writes the keys as `managed_credentials_providers.properties` into `dir` (default: a new temporary folder) and returns its path
 * @property {() => Promise<void>} close stops the cloud and removes the temporary folders
 */

/**
 * Starts fake-cloud with one RAM secret and a KMS caller key.
 * @param {string} secretName
 * @param {{ ramSecret?: boolean }} [options] `ramSecret: false`: create no secret (the caller makes one of
 *   another type under `secretName`)
 * @returns {Promise<LocalCloud>}
 */
export async function startLocalCloud(secretName, options = {}) {
  const cloud = await startFakeCloud({ tls: reusedTlsMaterial() });
  if (options.ramSecret !== false) cloud.createRamSecret(secretName);
  // A fresh KMS caller key; the fake KMS endpoint (with scheme and port, used as given) under REGION.
  const config = cloud.pluginConfig({ regionId: REGION, secretNames: [secretName] });
  /** @type {string[]} */
  const folders = [];
  return {
    cloud,
    secretName,
    config,
    writeConfigFile(dir) {
      const folder = dir ?? mkdtempSync(join(tmpdir(), 'managed-credentials-example-'));
      if (dir === undefined) folders.push(folder);
      const file = join(folder, 'managed_credentials_providers.properties');
      writeFileSync(file, toProperties(config), { mode: 0o600 });
      return file;
    },
    async close() {
      await cloud.close();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The test suite runs every example; it generates fake-cloud's throw-away TLS
 * material (an RSA key generation, ~1 s) once and hands it over in this
 * variable. Standalone runs generate their own.
 * @returns {import('managed-credentials-fake-cloud').TlsMaterial | undefined}
 */
function reusedTlsMaterial() {
  const json = process.env['MANAGED_CREDENTIALS_EXAMPLES_TLS'];
  return json ? JSON.parse(json) : undefined;
}

/**
 * `http://127.0.0.1:1234` → `127.0.0.1:1234`: tea-openapi clients take a host
 * as `endpoint` and the scheme from `protocol`.
 * @param {string} endpoint
 */
export function hostOf(endpoint) {
  return new URL(endpoint).host;
}

/**
 * `LTAI5tAbCd…wXyZ` → `LTAI****wXyZ`: enough to tell keys apart, not the whole id.
 * @param {string} accessKeyId
 */
export function maskKeyId(accessKeyId) {
  return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}
