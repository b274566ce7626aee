performance.now();
const ecs = await import('./clients/ecs.mjs');
async function PHASE_core() { return import('managed-credentials'); }
async function PHASE_tea() { return import('managed-credentials-tea-openapi'); }
function PHASE_provider(M) { return new M({ config: { credentials_type: 'ak', credentials_access_key_id: 'AKID', credentials_access_secret: 'x', cache_client_region_id: '[{"regionId":"cn-hangzhou","endpoint":"http://127.0.0.1:1"}]' } }); }
async function PHASE_client(provider) { const f = await ecs.managedFactory({ endpoint: 'http://127.0.0.1:2', region: 'cn-hangzhou', secretName: 's', provider }); return f(); }
const { ManagedCredentialsProvider } = await PHASE_core();
await PHASE_tea();
const provider = PHASE_provider(ManagedCredentialsProvider);
await PHASE_client(provider);
await provider.close();
