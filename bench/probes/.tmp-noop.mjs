const { ManagedCredentialsProvider } = await import('managed-credentials');
const { createClient } = await import('managed-credentials-tea-openapi');
class NoopClient { constructor(c) { this._credential = c.credential; } async describeThings(r) { return r; } }
const source = { async getSecretValue(secretName) { return { secretName, secretData: JSON.stringify({ AccessKeyId: 'id', AccessKeySecret: 'sec' }), secretDataType: 'text', versionId: 'v1', versionStages: ['ACSCurrent'], secretType: 'Generic' }; } };
const provider = new ManagedCredentialsProvider({ source, config: { credentials_type: 'ak', credentials_access_key_id: 'x', credentials_access_secret: 'y', cache_client_region_id: '[{"regionId":"cn-hangzhou"}]' } });
await provider.getAccessKey('s');
const bare = new NoopClient({});
const managed = createClient({}, NoopClient, 's', { provider });
const arg = {};
async function loop(c, n) { for (let i = 0; i < n; i++) await c.describeThings(arg); }
for (let r = 0; r < 6; r++) {
  for (const [name, c] of [['bare', bare], ['managed', managed]]) {
    const s = process.hrtime.bigint(); await loop(c, 1e6); console.log(name, (Number(process.hrtime.bigint() - s) / 1e6).toFixed(1), 'ns');
  }
}
await provider.close();
