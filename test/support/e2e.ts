/**
 * What every end-to-end test needs: the real SDK client classes pointed at
 * fake-cloud, temporary folders for properties/ClientKey/CA files and
 * environment variables set for one test. The plug-in's keys for the fake KMS
 * come from `cloud.pluginConfig()`, properties text from fake-cloud's
 * `toProperties()`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { ManagedCredentialsProvider } from 'managed-credentials';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { createClient, type ManagedClient } from 'managed-credentials-tea-openapi';

export { $Ecs };

/**
 * `@alicloud/ecs20140526` (latest, on `@alicloud/openapi-core`) is CommonJS:
 * Node's ESM loader gives `module.exports` as the default import (the class is
 * `.default`); vitest's loader already unwraps it.
 */
export const Ecs: typeof EcsModule.default =
  (EcsModule as unknown as { default?: typeof EcsModule.default }).default ??
  (EcsModule as unknown as typeof EcsModule.default);

export const REGION = 'cn-hangzhou';

/** `http://127.0.0.1:1234` → `127.0.0.1:1234`: tea clients take a host plus `protocol`. */
export function hostOf(endpoint: string): string {
  return new URL(endpoint).host;
}

/** An ECS client config for the fake cloud's ECS over plain HTTP (no key: the plug-in supplies it). */
function ecsConfig(cloud: FakeCloud): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    endpoint: hostOf(cloud.ecs.endpoint),
    protocol: 'http',
    regionId: REGION,
  });
}

/** The real ECS client, made by `createClient`, on the fake cloud's ECS with the key `provider` holds for `secretName`. */
export function managedEcs(
  cloud: FakeCloud,
  secretName: string,
  provider: ManagedCredentialsProvider,
): ManagedClient<typeof Ecs> {
  return createClient(ecsConfig(cloud), Ecs, secretName, { provider });
}

/** A DescribeInstances request the fake ECS answers with one instance. */
export function describeRequest(pageSize = 10): $Ecs.DescribeInstancesRequest {
  return new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize });
}

/** A temporary folder for one test file's configuration files; `remove()` deletes it. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'managed-credentials-e2e-'));

  /** Writes `content` to `name` in this folder (owner-only, as key material should be) and returns the path. */
  write(name: string, content: string): string {
    const file = join(this.path, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Sets environment variables for one test and restores the previous values. */
export class EnvPatch {
  readonly #saved = new Map<string, string | undefined>();

  set(name: string, value: string): this {
    if (!this.#saved.has(name)) this.#saved.set(name, process.env[name]);
    process.env[name] = value;
    return this;
  }

  restore(): void {
    for (const [name, value] of this.#saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.#saved.clear();
  }
}

/** Successful GetSecretValue answers of the shared gateway (`kms`) or a KMS instance (`dkms`) for one secret. */
export function kmsFetches(cloud: FakeCloud, secretName: string, service: 'kms' | 'dkms' = 'kms'): number {
  return cloud.counters.count({ service, action: 'GetSecretValue', secretName, outcome: 'ok' });
}
