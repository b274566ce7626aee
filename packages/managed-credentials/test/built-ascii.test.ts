/**
 * Issue 14 (import time): the published chunks are ASCII (build/minify-chunks.mjs
 * escapes every other character), and the texts that held such characters read
 * the same from the build as from the sources.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider as SourceProvider } from '../src/index.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const REGIONS = '[{"regionId":"cn-hangzhou","endpoint":"http://127.0.0.1:9"}]';
// A typo in credentials_type: its message quotes the value cut short with a '…'.
const TYPO_CONFIG = { credentials_type: 'ecs_ram_rol', cache_client_region_id: REGIONS };

function messageOf(construct: () => unknown): string {
  try {
    construct();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a ConfigError');
}

describe('the built core (dist/)', () => {
  it('holds only ASCII, and a message with a non-ASCII character reads as from the sources', () => {
    expect(existsSync(join(dist, 'index.cjs')), 'run pnpm build').toBe(true);
    for (const file of readdirSync(dist).filter((name) => name.endsWith('.cjs'))) {
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toMatch(/[\u0080-\uffff]/);
    }
    const built = createRequire(import.meta.url)(join(dist, 'index.cjs')) as {
      ManagedCredentialsProvider: typeof SourceProvider;
    };
    const fromBuild = messageOf(() => new built.ManagedCredentialsProvider({ config: TYPO_CONFIG }));
    expect(fromBuild).toContain('"ecs…" (11 characters)');
    expect(fromBuild).toBe(messageOf(() => new SourceProvider({ config: TYPO_CONFIG })));
  });
});
