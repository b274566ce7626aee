/**
 * Which client members the adapters route through callWithAccessKey (SPEC §6),
 * decided without reading function source text: native async methods at
 * once, down-levelled or minified ones (plain functions returning a promise)
 * on their first call, sync helpers never. The esbuild bundle test
 * (test/bundle.e2e.test.ts) checks the same on real SDK clients.
 */
import { describe, expect, it } from 'vitest';
import { apiMemberKind, callApiMember, firstAttemptThen } from '../src/index.js';

/** What TypeScript's __awaiter (or a minifier's rename of it) leaves: a plain function returning a promise. */
function downlevelled(this: { base: number }, n: number): Promise<number> {
  return new Promise((resolve) => resolve(this.base + n));
}

describe('apiMemberKind', () => {
  it('routes native async methods, decides plain functions on first call, never routes the rest', () => {
    expect(apiMemberKind('describeInstances', async () => 1)).toBe('async');
    expect(apiMemberKind('x', function x() {})).toBe('undecided');
    expect(apiMemberKind('stream', async function* stream() {})).toBe('plain');
    expect(apiMemberKind('gen', function* gen() {})).toBe('plain');
    expect(apiMemberKind('_request', async () => 1)).toBe('plain');
    expect(apiMemberKind('getAccessKeyId', async () => 'id')).toBe('plain');
    expect(apiMemberKind('request', async () => 1)).toBe('plain');
    expect(apiMemberKind('toString', Object.prototype.toString)).toBe('plain');
    expect(apiMemberKind('options', {})).toBe('plain');
  });
});

describe('callApiMember', () => {
  it('a plain function returning a thenable becomes an API method; its first call is the first attempt', async () => {
    const client = { base: 40 };
    const method = function a(this: { base: number }, n: number) {
      return downlevelled.call(this, n);
    };
    expect(apiMemberKind('describeRegions', method)).toBe('undecided');
    const starts: (Promise<unknown> | undefined)[] = [];
    const managed = (started: Promise<unknown> | undefined) => {
      starts.push(started);
      const attempt = firstAttemptThen(started ?? Promise.resolve('fresh'), () => Promise.resolve('retry'));
      return attempt();
    };
    await expect(callApiMember(method, client, [2], managed)).resolves.toBe(42);
    expect(apiMemberKind('describeRegions', method)).toBe('async');
    // From then on it is routed before it runs: no attempt is started outside the managed call.
    await expect(callApiMember(method, client, [2], managed)).resolves.toBe('fresh');
    expect(starts.map((started) => started !== undefined)).toEqual([true, false]);
  });

  it('a plain function returning anything else stays a plain member and is called directly', () => {
    const getEndpoint = (product: string) => `${product}.aliyuncs.com`;
    const managed = () => Promise.reject(new Error('must not be routed'));
    expect(callApiMember(getEndpoint, undefined, ['ecs'], managed)).toBe('ecs.aliyuncs.com');
    expect(apiMemberKind('getEndpoint', getEndpoint)).toBe('plain');
    expect(callApiMember(getEndpoint, undefined, ['kms'], managed)).toBe('kms.aliyuncs.com');
  });

  it('firstAttemptThen adopts the started attempt once, then makes new ones', async () => {
    let made = 0;
    const attempt = firstAttemptThen(Promise.resolve('first'), async () => `again ${++made}`);
    await expect(attempt()).resolves.toBe('first');
    await expect(attempt()).resolves.toBe('again 1');
  });
});
