import {
  DEFAULT_DELAY_INTERVAL_MS,
  DEFAULT_REFRESH_SECRET_TTL_MS,
  DEFAULT_ROTATION_INTERVAL_MS,
} from '../config/keys.js';
import { isValidatedConfig, loadConfig } from '../config/load-config.js';
import type { ManagedCredentialsConfig, RawConfig } from '../config/types.js';
import { createSecretSource, type KmsSourceOptions } from '../kms/create-secret-source.js';
import type { SecretSource } from '../kms/types.js';
import { resolveRetryOptions, type RetryOptions } from './retry.js';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './scheduler.js';
import type { EntryContext } from './entry-context.js';

/** Default of `hedgeAfterMs`: 4× below the 8 s KMS request timeout, far above KMS's usual latency. */
export const DEFAULT_HEDGE_AFTER_MS = 2_000;

/** The fleet spread window per process: a fleet's first attempts after a rejection come at ≤ 500/s. */
export const FLEET_SPREAD_MS_PER_PROCESS = 2;

/** Options of a provider. Every field is optional; without `config`, the properties file is read. */
export interface ProviderOptions {
  /** A validated config, or raw key/values as in the properties file. */
  config?: ManagedCredentialsConfig | RawConfig;
  /** Path of the properties file (default: see `resolveConfigFilePath`). */
  configFile?: string;
  /** Replaces the KMS access built from the config (tests, custom transports). Without config, default timings apply. */
  source?: SecretSource;
  /** Time source: wall clock (ms since epoch) and monotonic clock (ms). */
  clock?: Clock;
  /** Random numbers in [0, 1) for jitter. */
  random?: () => number;
  /** After this long without a successful refresh, `degraded` is emitted. Default 1 h. */
  degradedAfterMs?: number;
  /** Runs the refresh timers. Default: `setTimeout` with `unref()`. */
  scheduler?: Scheduler;
  /** Backoff between KMS attempts. Default: full jitter, 2 s initial, 10 s cap, 3 attempts per fetch. */
  retry?: RetryOptions;
  /**
   * Bounds the waste of error-triggered fetches per secret: a fetch that brings back the rejected key,
   * and a permanent failure, each spend a token; a fetch that brings a new key costs none.
   * @default { capacity: 5, refillMs: 600000 }
   */
  tokenBucket?: { capacity?: number; refillMs?: number };
  /**
   * A KMS request silent this long (ms) gets a hedge: a second request starts, the first answer wins and
   * settles every waiter. Well below the 8 s request timeout, above KMS's usual latency. 0 turns it off.
   * @default 2000
   */
  hedgeAfterMs?: number;
  /**
   * How many processes share a secret (the config key `fleet_size` sets it too). After a fresh rejection,
   * the first KMS attempt starts at a random point of a window of `fleetSize × 2 ms` (so a fleet asks KMS at
   * about 500 requests/s at most); 1 means at once.
   * @default 1
   */
  fleetSize?: number;
  /** How the KMS access is built from the config (request timeout, test endpoints). */
  kms?: KmsSourceOptions;
}

/**
 * What a provider is built from, every default filled in: the validated
 * config, and what its cache entries share (the KMS access among it).
 *
 * @throws ConfigError when the configuration is missing or invalid.
 */
export function resolveProviderOptions(options: ProviderOptions): {
  config: ManagedCredentialsConfig;
  context: Omit<EntryContext, 'emit' | 'closed'>;
} {
  const config = resolveConfig(options);
  const context = {
    source: options.source ?? createSecretSource(config, options.kms),
    policy: config,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    scheduler: options.scheduler ?? systemScheduler,
    retry: resolveRetryOptions(options.retry),
    degradedAfterMs: options.degradedAfterMs ?? 3_600_000,
    tokenBucket: {
      capacity: options.tokenBucket?.capacity ?? 5,
      refillMs: options.tokenBucket?.refillMs ?? 600_000,
    },
    hedgeAfterMs: checkedCount('hedgeAfterMs', options.hedgeAfterMs ?? DEFAULT_HEDGE_AFTER_MS),
    fleetSpreadMs: fleetSpreadMs(checkedCount('fleetSize', options.fleetSize ?? config.fleetSize ?? 1)),
  };
  return { config, context };
}

function resolveConfig(options: ProviderOptions): ManagedCredentialsConfig {
  if (options.config !== undefined) {
    return isValidatedConfig(options.config)
      ? options.config
      : loadConfig({ object: options.config, file: options.configFile });
  }
  if (options.configFile !== undefined || options.source === undefined) {
    return loadConfig({ file: options.configFile });
  }
  // A custom source without a config: only the timings are needed, at their defaults.
  return {
    regions: [],
    dedicatedGateways: [],
    refreshSecretTtlMs: DEFAULT_REFRESH_SECRET_TTL_MS,
    rotationIntervalMs: DEFAULT_ROTATION_INTERVAL_MS,
    delayIntervalMs: DEFAULT_DELAY_INTERVAL_MS,
    secretNames: [],
    origin: { keys: {} },
  };
}

/** The window the first attempt after a fresh rejection is spread over: none for a single process. */
function fleetSpreadMs(fleetSize: number): number {
  return fleetSize > 1 ? Math.ceil(fleetSize * FLEET_SPREAD_MS_PER_PROCESS) : 0;
}

function checkedCount(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${option}\` to be a non-negative finite number, got ${String(value)}.`);
  }
  return value;
}
