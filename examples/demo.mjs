// @ts-check
/**
 * The managed-credentials demo (`pnpm demo`): a fake Alibaba Cloud on
 * 127.0.0.1, an ECS client and an OSS client that know only the NAME of a KMS
 * secret, a steady stream of calls, and — in the middle of it — the secret is
 * rotated and the old AccessKey revoked. Prints what happened and exits 0 when
 * no call failed for the user.
 */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { closeDefaultProvider, getDefaultProvider } from 'managed-credentials';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { createClient } from 'managed-credentials-tea-openapi';
import { REGION, hostOf, maskKeyId, startLocalCloud } from './support/local-cloud.mjs';
import { Timeline } from './support/timeline.mjs';

const Ecs = EcsModule.default;
const SECRET_NAME = 'demo-ram-secret';
const BUCKET = 'demo-bucket';
/** How long the stream of calls runs, and when the secret is rotated and the old key revoked. */
const STREAM_MS = 2_400;
const ROTATE_AT_MS = 800;
const REVOKE_AT_MS = 1_400;
const PAUSE_BETWEEN_CALLS_MS = 40;

// Should anything hang (it should not), fail instead of waiting forever.
setTimeout(() => {
  console.error('demo: timed out after 60 s');
  process.exit(1);
}, 60_000).unref();

const local = await startLocalCloud(SECRET_NAME);
const { cloud } = local;
const configFile = local.writeConfigFile();
// The default plug-in instance reads this file (default: ./managed_credentials_providers.properties).
process.env['MANAGED_CREDENTIALS_CONFIG_FILE'] = configFile;

console.log('managed-credentials demo — a fake Alibaba Cloud (KMS, ECS, OSS) runs on 127.0.0.1\n');
console.log(`config file ${configFile}:`);
for (const [key, value] of Object.entries(local.config)) {
  const shown =
    key === 'credentials_access_secret'
      ? '<redacted>'
      : key === 'credentials_access_key_id'
        ? maskKeyId(value)
        : value;
  console.log(`  ${key}=${shown}`);
}
console.log('');

const timeline = new Timeline();
const provider = getDefaultProvider();
provider.on('refreshed', (event) => {
  const key = provider.currentAccessKey(event.secretName);
  timeline.add(
    'KMS',
    `fetched secret ${event.secretName}: key ${maskKeyId(key.accessKeyId)}, generation ${event.generation} (reason: ${event.reason})`,
  );
});
provider.on('call-retried', (event) => {
  timeline.add(
    'retry',
    `call retried with the new key (generation ${event.fromGeneration} → ${event.toGeneration})`,
  );
});
provider.on('refresh-failed', (event) =>
  timeline.add('KMS', `refresh failed: ${event.error.code} ${event.error.message}`),
);
provider.on('rate-limited', (event) => timeline.add('KMS', `refresh of ${event.secretName} rate-limited`));

// The one line that changes in an application: the client is built from a secret name, not a key.
const ecs = createClient(
  new $OpenApiUtil.Config({ endpoint: hostOf(cloud.ecs.endpoint), protocol: 'http', regionId: REGION }),
  Ecs,
  SECRET_NAME,
);
const oss = new ProxyOSSClient(cloud.oss.endpoint, SECRET_NAME, { bucket: BUCKET });

/** @type {{ service: 'ECS' | 'OSS', failed: boolean }[]} */
const calls = [];
/**
 * One user call, recorded on the timeline. A call the cloud rejected first
 * (and the plug-in retried) shows as rejection → KMS fetch → retry → ok.
 * @param {'ECS' | 'OSS'} service
 * @param {string} action
 * @param {() => Promise<unknown>} call
 */
async function userCall(service, action, call) {
  const number = calls.length + 1;
  const entry = { service, failed: false };
  calls.push(entry);
  const rejectedBefore = rejectedCount(service);
  try {
    await call();
    const rejected = rejectedCount(service) - rejectedBefore;
    const keyId = maskKeyId(provider.currentAccessKey(SECRET_NAME).accessKeyId);
    if (rejected > 0) timeline.add(service, `#${number} ${action} ok after retry (key ${keyId})`);
    else timeline.ok(service, number, keyId);
  } catch (error) {
    entry.failed = true;
    const code = /** @type {{ code?: string }} */ (error).code;
    timeline.add(service, `#${number} ${action} FAILED for the user: ${code ?? ''} ${String(error)}`);
  }
}

/** Requests the fake ECS/OSS refused so far (any outcome but `ok`). */
function rejectedCount(/** @type {'ECS' | 'OSS'} */ service) {
  const name = service === 'ECS' ? 'ecs' : 'oss';
  return cloud.counters.count({ service: name }) - cloud.counters.count({ service: name, outcome: 'ok' });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await userCall('OSS', 'PutBucket', () => oss.putBucket(BUCKET));
await userCall('OSS', 'PutObject', () => oss.put('hello.txt', Buffer.from('hello from managed-credentials')));

const started = Date.now();
const streaming = () => Date.now() - started < STREAM_MS;
const ecsStream = (async () => {
  while (streaming()) {
    await userCall('ECS', 'DescribeInstances', () =>
      ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 10 })),
    );
    await sleep(PAUSE_BETWEEN_CALLS_MS);
  }
})();
const ossStream = (async () => {
  while (streaming()) {
    await userCall('OSS', 'GetObject', () => oss.get('hello.txt'));
    await sleep(PAUSE_BETWEEN_CALLS_MS);
  }
})();
const rotation = (async () => {
  await sleep(ROTATE_AT_MS);
  const rotated = cloud.rotate(SECRET_NAME, { revokeOld: false });
  timeline.add(
    'cloud',
    `secret rotated in KMS: new key ${maskKeyId(rotated.accessKey.accessKeyId)}; the old one still works for now`,
  );
  await sleep(REVOKE_AT_MS - ROTATE_AT_MS);
  cloud.revokeAccessKey(rotated.previousAccessKeyId ?? '');
  timeline.add('cloud', `old key ${maskKeyId(rotated.previousAccessKeyId ?? '')} revoked`);
})();
// Rejections as the cloud saw them, placed on the timeline at the moment they were answered.
const rejections = () =>
  cloud.counters
    .list()
    .filter((record) => (record.service === 'ecs' || record.service === 'oss') && record.outcome !== 'ok')
    .map((record) => ({
      at: record.at,
      source: record.service.toUpperCase(),
      text: `request rejected by the cloud: ${record.outcome} (key ${maskKeyId(record.accessKeyId ?? '')})`,
    }));

await Promise.all([ecsStream, ossStream, rotation]);
timeline.merge(rejections());

await ecs.close();
await oss.close();
await closeDefaultProvider();
const kmsFetches = cloud.counters.count({
  service: 'kms',
  action: 'GetSecretValue',
  secretName: SECRET_NAME,
});
const failed = calls.filter((call) => call.failed).length;
const retried = rejections().length;
await local.close();

console.log('timeline (seconds since start):');
timeline.print();
console.log('\nsummary:');
const ecsCalls = calls.filter((call) => call.service === 'ECS').length;
console.log(
  `  calls made                      ${calls.length} (ECS ${ecsCalls}, OSS ${calls.length - ecsCalls})`,
);
console.log(`  calls failed for the user       ${failed}`);
console.log(`  calls rejected, then retried ok ${retried}`);
console.log(
  `  KMS fetches                     ${kmsFetches} (one at start, one after the revocation, shared by both clients)`,
);
console.log(
  failed === 0
    ? '\nOK: the key was rotated and revoked under live traffic; no call failed.'
    : '\nFAILED: some calls failed.',
);
process.exitCode = failed === 0 ? 0 : 1;
