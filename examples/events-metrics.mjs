// @ts-check
/**
 * Provider events → metrics and structured logs. Every event payload is flat
 * and secret-free, so it maps 1:1 onto OpenTelemetry instruments, e.g.
 *
 *   const refreshes = meter.createCounter('managed_credentials.refreshes');
 *   provider.on('refreshed', (e) => refreshes.add(1, { secret: e.secretName, reason: e.reason }));
 *
 * This example uses a tiny in-memory counter table instead of an OTel SDK, and
 * one JSON log line per event. It provokes each interesting event: the first
 * fetch, a key rotated and revoked under a live client (→ expired-key refresh
 * and a retried call), a KMS outage (→ refresh-failed, then recovery), close.
 *
 *   node examples/events-metrics.mjs
 */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { ManagedCredentialsProvider } from 'managed-credentials';
import { createClient } from 'managed-credentials-tea-openapi';
import { REGION, hostOf, startLocalCloud } from './support/local-cloud.mjs';

const Ecs = EcsModule.default;
const SECRET = 'my-ram-secret';

/** Counters keyed by name and attributes, like an OTel meter would export them. */
class Counters {
  /** @type {Map<string, number>} */
  #values = new Map();
  /**
   * @param {string} name
   * @param {Record<string, string | number | boolean>} attributes
   */
  add(name, attributes) {
    const labels = Object.entries(attributes)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const id = `${name}{${labels}}`;
    this.#values.set(id, (this.#values.get(id) ?? 0) + 1);
  }
  print() {
    for (const [id, value] of [...this.#values].sort()) console.log(`  ${id} ${value}`);
  }
}

/**
 * One JSON line per event; errors are reduced to their class, code and message (never secret-bearing).
 * @param {string} event
 * @param {Record<string, unknown>} fields
 */
function log(event, fields) {
  const { error, ...rest } = fields;
  const { code, kmsCode } = /** @type {{ code?: string, kmsCode?: string }} */ (error ?? {});
  const errorFields = error instanceof Error ? { error: { name: error.name, code, kmsCode } } : {};
  console.log(JSON.stringify({ level: error ? 'warn' : 'info', event, ...rest, ...errorFields }));
}

const local = await startLocalCloud(SECRET);
const { cloud } = local;
const provider = new ManagedCredentialsProvider({
  config: local.config,
  // Short backoff so the outage below resolves in milliseconds (defaults: 2 s initial, 10 s cap, 4 attempts).
  retry: { initialDelayMs: 20, maxDelayMs: 100, attempts: 2 },
});
const metrics = new Counters();

provider
  .on('refreshed', (e) => {
    metrics.add('managed_credentials.refreshes', {
      secret: e.secretName,
      reason: e.reason,
      key_changed: e.keyChanged,
    });
    log('refreshed', e);
  })
  .on('refresh-failed', (e) => {
    metrics.add('managed_credentials.refresh_failures', { secret: e.secretName, code: e.error.code });
    log('refresh-failed', e);
  })
  .on('call-retried', (e) => {
    metrics.add('managed_credentials.calls_retried', { secret: e.secretName });
    log('call-retried', e);
  })
  .on('rate-limited', (e) => {
    metrics.add('managed_credentials.rate_limited', { secret: e.secretName });
    log('rate-limited', e);
  })
  .on('stale-served', (e) => {
    metrics.add('managed_credentials.stale_served', { secret: e.secretName });
    log('stale-served', e);
  })
  .on('degraded', (e) => {
    metrics.add('managed_credentials.degraded', { secret: e.secretName });
    log('degraded', e);
  })
  .on('closed', () => log('closed', {}));

try {
  const ecs = createClient(
    new $OpenApiUtil.Config({ endpoint: hostOf(cloud.ecs.endpoint), protocol: 'http', regionId: REGION }),
    Ecs,
    SECRET,
    { provider },
  );
  const describe = () => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
  await describe();

  // The key is rotated and the old one revoked at once: the next call is rejected, refreshed and retried.
  cloud.rotate(SECRET, { revokeOld: 'now' });
  await describe();

  // KMS fails twice: the forced refresh fails (the old key is still served), then a background retry recovers.
  cloud.faults.kms.failNext(2, 'unavailable');
  const recovered = new Promise((resolve) => {
    /** @type {import('managed-credentials').ProviderEventListener<'refreshed'>} */
    const onRefreshed = (e) => {
      if (e.reason !== 'scheduled') return;
      provider.off('refreshed', onRefreshed);
      resolve(undefined);
    };
    provider.on('refreshed', onRefreshed);
  });
  await provider.refreshSecret(SECRET).catch(() => undefined);
  await describe();
  await recovered;
  await ecs.close();
} finally {
  await provider.close();
  await local.close();
}

console.log('metrics:');
metrics.print();
