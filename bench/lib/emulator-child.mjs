// @ts-check
/**
 * The fake cloud in its own process, so its event loop and CPU time are not
 * the measured code's. Steered over IPC by the coordinator (`emulator.mjs`).
 */
import { subscribe } from 'node:diagnostics_channel';
import { startFakeCloud, whenRequestsArrive } from 'managed-credentials-fake-cloud';
import { connect } from './ipc.mjs';

// Idle keep-alive connections stay open 65 s instead of Node's 5 s: on a busy machine a burst of
// 1 000 calls takes longer than 5 s, and a client reusing a connection the server is closing gets
// ECONNRESET — a race of the HTTP stack that has nothing to do with what is measured.
subscribe('http.server.request.start', (message) => {
  /** @type {{ server: import('node:http').Server }} */ (message).server.keepAliveTimeout = 65_000;
});

const REGION = 'cn-hangzhou';
const BUCKET = 'bench-bucket';
const SECRET = 'bench-ram-secret';

const cloud = await startFakeCloud();
cloud.createRamSecret(SECRET);
cloud.oss.store.createBucket(BUCKET);

/** The keys as plain strings: pluginConfig() hides the secret when serialised, and IPC serialises. */
const plain = (/** @type {Record<string, string>} */ config) => Object.fromEntries(Object.entries(config));

connect(/** @type {any} */ (process), {
  world() {
    const ak = plain(cloud.pluginConfig({ regionId: REGION }));
    const key = cloud.currentAccessKey(SECRET);
    return {
      region: REGION,
      bucket: BUCKET,
      secretName: SECRET,
      endpoints: { ecs: cloud.ecs.endpoint, oss: cloud.oss.endpoint, kms: cloud.kms.endpoint },
      pluginConfig: ak,
      ecsRamRoleConfig: {
        credentials_type: 'ecs_ram_role',
        credentials_metadata_endpoint: cloud.metadata.endpoint,
        cache_client_region_id: ak['cache_client_region_id'],
      },
      staticKey: { accessKeyId: key?.accessKeyId, accessKeySecret: key?.accessKeySecret },
    };
  },
  /** @param {import('managed-credentials-fake-cloud').RevokeOld} revokeOld */
  rotate: (revokeOld) => void cloud.rotate(SECRET, { revokeOld }),
  /**
   * Arms a rotation (old key revoked at once) for the moment the next ECS request reaches the server:
   * every call already started was signed with the old key, whatever the machine's speed.
   */
  rotateOnNextEcsRequest() {
    void whenRequestsArrive(cloud.ecs.endpoint, 1, () => cloud.rotate(SECRET, { revokeOld: 'now' }));
  },
  /** @param {'ecs' | 'oss' | 'kms'} service @param {number} ms */
  setLatency: (service, ms) => cloud.faults[service].setLatency(ms),
  /** @param {Parameters<typeof cloud.counters.count>[0]} filter */
  count: (filter) => cloud.counters.count(filter),
  kmsFetches: () => cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName: SECRET }),
  async close() {
    await cloud.close();
    setImmediate(() => process.disconnect());
  },
});
process.send?.({ kind: 'ready' });
