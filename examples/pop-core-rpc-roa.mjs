// @ts-check
/**
 * The V1 core SDK `@alicloud/pop-core` (`RPCClient`, `ROAClient`) through
 * `managed-credentials-pop-core`: the clients are built from the NAME of a KMS
 * secret instead of an AccessKey. The key is then rotated and the old one
 * revoked; the next calls are rejected by the cloud, the plug-in fetches the
 * new key once for both clients and sends them again.
 *
 *   node examples/pop-core-rpc-roa.mjs
 *
 * Runs against a local fake cloud. In production, drop the `local` part: the
 * properties file in the working directory names your KMS region, and the
 * endpoints are `https://ecs.aliyuncs.com`, `https://cs.<region>.aliyuncs.com`.
 */
// The package's export is RPCClient (ROAClient hangs off it, untyped).
import RPCClient from '@alicloud/pop-core';
import { closeDefaultProvider, getDefaultProvider } from 'managed-credentials';
import { ProxyROAClient, ProxyRPCClient } from 'managed-credentials-pop-core';
import { REGION, startLocalCloud } from './support/local-cloud.mjs';

const local = await startLocalCloud('my-ram-secret');
process.env['MANAGED_CREDENTIALS_CONFIG_FILE'] = local.writeConfigFile();
const kmsFetches = () =>
  local.cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName: 'my-ram-secret' });

try {
  getDefaultProvider().on('call-retried', ({ fromGeneration, toGeneration }) =>
    console.log(`  (rejected with key generation ${fromGeneration}, retried with ${toGeneration})`),
  );

  // Before: new RPCClient({ accessKeyId, accessKeySecret, endpoint, apiVersion })
  const ecs = new ProxyRPCClient(
    { endpoint: local.cloud.ecs.endpoint, apiVersion: '2014-05-26' },
    'my-ram-secret',
  );
  // Before: new ROAClient({ accessKeyId, accessKeySecret, endpoint, apiVersion })
  const cs = new ProxyROAClient(
    { endpoint: local.cloud.cs.endpoint, apiVersion: '2015-12-15' },
    'my-ram-secret',
  );
  console.log(`ecs is an RPCClient: ${ecs instanceof RPCClient}`);

  /** @type {{ Instances: { Instance: { InstanceId: string }[] } }} */
  const described = await ecs.request(
    'DescribeInstances',
    { RegionId: REGION, PageSize: 5 },
    { method: 'POST' },
  );
  console.log(`RPC DescribeInstances: ${described.Instances.Instance.map((i) => i.InstanceId).join(', ')}`);
  /** @type {{ cluster_id: string }[]} */
  const clusters = await cs.request('GET', '/clusters', {}, '', {}, {});
  console.log(`ROA GET /clusters: ${clusters.map((c) => c.cluster_id).join(', ')}`);

  local.cloud.rotate('my-ram-secret', { revokeOld: 'now' });
  console.log('secret rotated, old key revoked');
  // Both calls are rejected (old key), one KMS fetch brings the new key, both are sent again.
  await Promise.all([ecs.request('DescribeInstances', { RegionId: REGION }), cs.get('/clusters')]);
  console.log('after rotation: RPC DescribeInstances ok, ROA GET /clusters ok');
  console.log(`KMS fetches: ${kmsFetches()}`);

  await Promise.all([ecs.close(), cs.close()]);
} finally {
  // Stops the plug-in's timers; a program that skips this still exits (they are unref()ed).
  await closeDefaultProvider();
  await local.close();
}
