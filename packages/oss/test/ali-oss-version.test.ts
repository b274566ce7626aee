/**
 * The OSS adapter's tests run on two ali-oss versions (vitest.config.ts): the
 * latest, and the floor of the `ali-oss` peerDependencies range. This file
 * checks that each run really loads the version it claims.
 */
import { createRequire } from 'node:module';
import OSS from 'ali-oss';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
const peerFloor = (
  require('../package.json') as { peerDependencies: Record<string, string> }
).peerDependencies['ali-oss']!.replace(/^\^/, '');

describe('the ali-oss under test', () => {
  it('is the peer range floor in the ali-oss-floor run, the latest otherwise', () => {
    const underTest = process.env['ALI_OSS_UNDER_TEST'] === 'floor' ? 'ali-oss-floor' : 'ali-oss';
    const expected = version(underTest);
    if (underTest === 'ali-oss-floor') expect(expected).toBe(peerFloor);
    // The class the adapter extends comes from the package under test.
    expect(OSS).toBe(require(underTest));
  });
});
