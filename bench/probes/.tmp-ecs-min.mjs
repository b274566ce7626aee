import '../lib/stub-transport.mjs';
const stub = await import('../lib/stub-transport.mjs');
const { startFakeCloud } = await import('managed-credentials-fake-cloud');
const { ManagedCredentialsProvider } = await import('managed-credentials');
const { createClient } = await import('managed-credentials-tea-openapi');
const { default: EcsModule, ...$Ecs } = await import('@alicloud/ecs20140526');
const { $OpenApiUtil } = await import('@alicloud/openapi-core');
const Ecs = EcsModule.default ?? EcsModule;
const SECRET = 'probe-secret';
const cloud = await startFakeCloud();
cloud.createRamSecret(SECRET);
const provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig({ regionId: 'cn-hangzhou' }) });
await provider.getAccessKey(SECRET);
const key = cloud.currentAccessKey(SECRET);
const ecsConfig = (host, extra = {}) => new $OpenApiUtil.Config({ endpoint: host, protocol: 'http', regionId: 'cn-hangzhou', ...extra });
const request = new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 10 });
const real = new Ecs(ecsConfig(new URL(cloud.ecs.endpoint).host, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }));
const answer = await stub.recordAnswer(Number(new URL(cloud.ecs.endpoint).port), () => real.describeInstances(request));
stub.serveFromMemory(1001, answer);
const bare = new Ecs(ecsConfig('127.0.0.1:1001', { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }));
const managed = createClient(ecsConfig('127.0.0.1:1001'), Ecs, SECRET, { provider });
const credentialOnly = new Ecs(ecsConfig('127.0.0.1:1001', { credential: managed._credential }));

const cfg = ecsConfig('127.0.0.1:1001');
const copy = Object.assign(Object.create(Object.getPrototypeOf(cfg)), cfg);
for (const f of ['accessKeyId', 'accessKeySecret', 'securityToken', 'bearerToken', 'type']) delete copy[f];
copy.credential = managed._credential;
const copied = new Ecs(copy);
const proxied = new Proxy(credentialOnly, {});
const orig = Ecs.prototype.describeInstances;
const thinProxy = new Proxy(copied, { get(t, k, r) { const v = Reflect.get(t, k, r); return k === 'describeInstances' ? (...a) => orig.apply(copied, a) : v; } });
const OPTS = { trackCallContext: false };


const sides = {
  bare: () => bare.describeInstances(request),
  managed: () => managed.describeInstances(request),
  credential: () => credentialOnly.describeInstances(request),
  copiedCfg: () => copied.describeInstances(request),
  emptyProxy: () => proxied.describeInstances(request),
  thinProxy: () => thinProxy.describeInstances(request),
  coreOnly: () => provider.callWithAccessKey(SECRET, () => copied.describeInstances(request), OPTS),
};
const N = 100, R = Number(process.env.R ?? 80);
for (const f of Object.values(sides)) for (let i = 0; i < 500; i++) await f();
const t = {};
for (let r = 0; r < R; r++) {
  const names = r % 2 ? Object.keys(sides) : Object.keys(sides).reverse();
  for (const n of names) {
    globalThis.gc?.({ type: 'minor' });
    const s = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await sides[n]();
    (t[n] ??= []).push(Number(process.hrtime.bigint() - s) / N / 1e3);
  }
}
for (const [n, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(n.padEnd(11), 'min', v[0].toFixed(2), 'p10', v[Math.floor(v.length * 0.1)].toFixed(2), 'p50', v[Math.floor(v.length / 2)].toFixed(2)); }
await provider.close(); await cloud.close();
