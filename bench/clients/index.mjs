// @ts-check
/**
 * The client kinds every benchmark runs: one entry per SDK client the
 * plug-in wraps. An entry names the fake-cloud service it talks to and a
 * module (next to this file) that exports:
 *
 * - `bareFactory({ endpoint, region, bucket, key })` → a sync `() => client`
 *   for the SDK client with a static AccessKey;
 * - `managedFactory({ endpoint, region, bucket, secretName, provider })` →
 *   a sync `() => client` for the plug-in's client (import the adapter inside
 *   it, so processes that measure the bare client never load the plug-in);
 * - `operations`: `{ [id]: { label, call(client), prepare?(client) } }`.
 *
 * Adding a kind (as `pop-core.mjs` for `@alicloud/pop-core`'s RPC client) is one entry here
 * plus its module; CPU, loopback, memory and import figures then cover it.
 */

/**
 * @typedef {{ endpoint: string, region: string, bucket: string, timeoutMs?: number }} Where
 * @typedef {{ label: string, call: (client: any) => Promise<unknown>, prepare?: (client: any) => Promise<unknown> }} Operation
 * @typedef {{ bareFactory(where: Where & { key: { accessKeyId: string, accessKeySecret: string } }): Promise<() => object>,
 *   managedFactory(where: Where & { secretName: string, provider: import('managed-credentials').ManagedCredentialsProvider }): Promise<() => object>,
 *   operations: Record<string, Operation> }} KindModule
 * @typedef {{ id: string, label: string, service: 'ecs' | 'oss', module: URL }} ClientKind
 */

/** @type {ClientKind[]} */
const ALL_KINDS = [
  { id: 'ecs', label: 'ECS (tea-openapi)', service: 'ecs', module: new URL('./ecs.mjs', import.meta.url) },
  { id: 'oss', label: 'OSS (ali-oss)', service: 'oss', module: new URL('./oss.mjs', import.meta.url) },
  {
    id: 'popCore',
    label: 'ECS (pop-core RPC)',
    service: 'ecs',
    module: new URL('./pop-core.mjs', import.meta.url),
  },
];

/** `BENCH_KINDS=ecs,oss` limits a run to some kinds (while working on one adapter); all by default. */
const only = process.env['BENCH_KINDS']?.split(',').map((id) => id.trim());
export const CLIENT_KINDS = only ? ALL_KINDS.filter((kind) => only.includes(kind.id)) : ALL_KINDS;

/**
 * @param {ClientKind} kind
 * @returns {Promise<KindModule>}
 */
export function loadKind(kind) {
  return import(kind.module.href);
}
