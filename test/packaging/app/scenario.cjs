'use strict';
/**
 * The rotation every JavaScript consumer goes through, with the modules its
 * own loader (require or import) gave it: an ECS call and an OSS round trip
 * and a V1 (pop-core) RPC call on the default provider, a rotation that
 * revokes the old key at once, and the same calls again (the first one after
 * the rotation is rejected once, refreshed, retried). `other` loads a
 * package with the other loader: both must see one state.
 */
const SECRET = 'packaging-secret';
const BUCKET = 'packaging-bucket';
/** Every published package (run.mjs passes the names from build/published-packages.mjs). */
const PACKAGES = JSON.parse(process.env.PACKAGING_PACKAGES);

/** Keys of a module object that are interop artefacts, not exports (Node >= 23 adds 'module.exports'). */
const NOT_EXPORTS = new Set(['default', '__esModule', 'module.exports']);

async function rotation({ loader, load, other, Ecs, EcsClass, $Ecs, $OpenApi, OSS }) {
  const core = await load('managed-credentials');
  const { createClient } = await load('managed-credentials-tea-openapi');
  const { ProxyOSSClient } = await load('managed-credentials-oss');
  const { ProxyRPCClient } = await load('managed-credentials-pop-core');
  const popCore = await load('@alicloud/pop-core');
  const RPCClient = popCore.default ?? popCore;
  const { startFakeCloud } = await load('managed-credentials-fake-cloud');
  const cloud = await startFakeCloud({ tls: JSON.parse(process.env.PACKAGING_TLS) });
  try {
    cloud.createRamSecret(SECRET);
    const provider = new core.ManagedCredentialsProvider({ config: { ...cloud.pluginConfig() } });
    const reasons = [];
    provider.on('refreshed', (event) => reasons.push(event.reason));
    core.setDefaultProvider(provider);

    const sameState = await oneState(load, other, provider);
    // No `provider` option: the adapters use the default provider of the core instance they resolve.
    const ecs = createClient(
      new $OpenApi.Config({
        endpoint: new URL(cloud.ecs.endpoint).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
      Ecs,
      SECRET,
    );
    const oss = new ProxyOSSClient(cloud.oss.endpoint, SECRET, { bucket: BUCKET });
    const rpc = new ProxyRPCClient({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' }, SECRET);
    const describeV1 = async () =>
      (await rpc.request('DescribeInstances', { RegionId: 'cn-hangzhou' })).Instances.Instance[0].InstanceId;
    const describe = async () =>
      (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }))).body
        .instances.instance[0].instanceId;

    const before = await describe();
    const beforeV1 = await describeV1();
    await oss.putBucket(BUCKET);
    await oss.put('hello.txt', Buffer.from(loader));
    const oldKey = cloud.currentAccessKey(SECRET).accessKeyId;
    cloud.rotate(SECRET, { revokeOld: 'now' });
    // The V1 client meets the revoked key first: rejected, refreshed from KMS, retried.
    const afterV1 = await describeV1();
    const after = await describe();
    const { content } = await oss.get('hello.txt');
    await ecs.close();
    await oss.close();
    await rpc.close();
    await provider.close();
    core.setDefaultProvider(undefined);
    return {
      loader,
      sameState,
      instanceOfEcs: ecs instanceof EcsClass,
      instanceOfOss: oss instanceof OSS,
      instanceIds: [before, after],
      popCoreInstanceIds: [beforeV1, afterV1],
      instanceOfRpc: rpc instanceof RPCClient,
      body: content.toString(),
      oldKeyRevoked: cloud.accessKeyStatus(oldKey) === 'revoked',
      refreshReasons: reasons,
    };
  } finally {
    await cloud.close();
  }
}

/** Every export of every package is the same object through both loaders, and so is the default provider. */
async function oneState(load, other, provider) {
  const differences = [];
  for (const name of PACKAGES) {
    const mine = await load(name);
    const theirs = await other(name);
    for (const key of Object.keys(mine)) {
      if (!NOT_EXPORTS.has(key) && mine[key] !== theirs[key]) differences.push(`${name}.${key}`);
    }
  }
  if ((await other('managed-credentials')).getDefaultProvider() !== provider)
    differences.push('default provider');
  return differences.length === 0 ? true : differences;
}

function report(promise) {
  promise.then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error) => {
      process.stderr.write(`${(error && error.stack) || error}\n`);
      process.exitCode = 1;
    },
  );
}

module.exports = { rotation, report };
