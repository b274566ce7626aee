const { ManagedCredentialsProvider } = await import('managed-credentials');
const { createClient } = await import('managed-credentials-tea-openapi');
class NoopClient { constructor(c) { this._credential = c.credential; } async describeThings(r) { return r; } }
const source = { async getSecretValue(secretName) { return { secretName, secretData: JSON.stringify({ AccessKeyId: 'id', AccessKeySecret: 'sec' }), secretDataType: 'text', versionId: 'v1', versionStages: ['ACSCurrent'], secretType: 'Generic' }; } };
const provider = new ManagedCredentialsProvider({ source, config: { credentials_type: 'ak', credentials_access_key_id: 'x', credentials_access_secret: 'y', cache_client_region_id: '[{"regionId":"cn-hangzhou"}]' } });
await provider.getAccessKey('s');
const bare = new NoopClient({});
const managed = createClient({}, NoopClient, 's', { provider });
const arg = {};
const opts = { trackCallContext: false };
const proxied = new Proxy(bare, { get(t, k, r) { return Reflect.get(t, k, r); } });
const cases = {
  bare: () => bare.describeThings(arg),
  managed: () => managed.describeThings(arg),
  proxyOnly: () => proxied.describeThings(arg),
  getOnly: () => { managed.describeThings; return bare.describeThings(arg); },
  cwak: () => provider.callWithAccessKey('s', () => bare.describeThings(arg), opts),
  currentKey: () => { provider.currentAccessKey('s'); return bare.describeThings(arg); },
  thenOnly: () => bare.describeThings(arg).then(undefined, () => 0),
};
async function loop(f, n) { for (let i = 0; i < n; i++) await f(); }
const res = {};
for (let r = 0; r < 5; r++) for (const [name, f] of Object.entries(cases)) {
  const s = process.hrtime.bigint(); await loop(f, 5e5); (res[name] ??= []).push(Number(process.hrtime.bigint() - s) / 5e5);
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), v.sort((a, b) => a - b)[2].toFixed(1), 'ns');
await provider.close();
