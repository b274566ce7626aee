import {
  firstAttemptThen,
  type AccessKeySnapshot,
  type CallOptions,
  type ManagedCredentialsProvider,
  type Registration,
} from 'managed-credentials';
import { holdsStream, isReplayable } from './replayable.js';
import type { SecretBackedCredential } from './secret-credential.js';

/** An SDK client's method, as the managed class's method wrappers call it. */
export type ApiMethod = (...args: unknown[]) => unknown;

/**
 * Where a managed client keeps its {@link ManagedClientState}: a symbol-keyed,
 * non-enumerable own property, so `util.inspect`, `JSON.stringify` and
 * `Object.keys` of the client show what they show for a bare one.
 */
const STATE = Symbol('managed-credentials-tea-openapi.state');

/**
 * What one managed client needs besides the SDK's own fields, in one record
 * (thousands of clients on one secret are a use case, so each costs one small
 * object, not closures, maps and option copies).
 */
export class ManagedClientState {
  /** The client's credential, which hands each request the key its call chose. */
  readonly credential: SecretBackedCredential;
  readonly provider: ManagedCredentialsProvider;
  readonly secretName: string;
  readonly callOptions: CallOptions;
  readonly registration: Registration;
  released = false;
  /**
   * True while one of the client's API methods starts its request. The SDK's
   * methods call each other on the same client (`describeInstances` →
   * `this.describeInstancesWithOptions` → `this.callApi`) before their first
   * `await`; a method called in this stretch is part of the call being started,
   * so it runs as is — one user call is retried at most `maxRetries` times,
   * never once per layer.
   */
  starting = false;

  constructor(
    credential: SecretBackedCredential,
    provider: ManagedCredentialsProvider,
    secretName: string,
    callOptions: CallOptions,
    registration: Registration,
  ) {
    this.credential = credential;
    this.provider = provider;
    this.secretName = secretName;
    this.callOptions = callOptions;
    this.registration = registration;
  }

  /**
   * Runs `original` with `args` on `client` inside `provider.callWithAccessKey`, which owns the whole
   * expired-key policy (judge, single-flight refresh, retry with the same arguments). `started`: the
   * first attempt, already running (a method whose kind its first call decided).
   */
  call(client: object, original: ApiMethod, args: unknown[], started?: Promise<unknown>): Promise<unknown> {
    // The one closure of a call: the attempt, sent again with the same arguments on a retry. The request
    // signs with the key `callWithAccessKey` chose for the attempt (the credential hands it over).
    const attempt = (key: AccessKeySnapshot): Promise<unknown> =>
      this.start(client, original as (...args: never[]) => Promise<unknown>, args, key);
    return this.provider.callWithAccessKey(
      this.secretName,
      started ? firstAttemptThen(started, attempt) : attempt,
      // The options object is the client's own unless an argument holds a stream.
      holdsStream(args) ? { ...this.callOptions, replayable: () => isReplayable(args) } : this.callOptions,
    );
  }

  /** Starts `original`'s request, marked {@link starting}, signed with `key` when one is given. */
  start<T>(client: object, original: (...args: never[]) => T, args: unknown[], key?: AccessKeySnapshot): T {
    const outer = this.starting;
    this.starting = true;
    try {
      return key === undefined
        ? (Reflect.apply(original, client, args) as T)
        : this.credential.signWith(key, client, original, args);
    } finally {
      this.starting = outer;
    }
  }
}

/** Ties `state` to its client, once, right after the client was constructed. */
export function attachState(client: object, state: ManagedClientState): void {
  Object.defineProperty(client, STATE, { value: state });
}

/** The record of a client `createClient` made; undefined for any other value. */
export function managedClientState(client: unknown): ManagedClientState | undefined {
  return typeof client === 'object' && client !== null
    ? (client as Record<symbol, ManagedClientState | undefined>)[STATE]
    : undefined;
}

/** `client.close` of a client whose class has none: releases its claim on the secret (idempotent). */
export function closeManagedClient(this: unknown): Promise<void> {
  const state = managedClientState(this);
  if (state === undefined) {
    return Promise.reject(new TypeError('close: call it on the client, as client.close()'));
  }
  releaseClient(state);
  return Promise.resolve();
}

/** Releases the client's claim on its secret once; later calls do nothing. */
export function releaseClient(state: ManagedClientState): void {
  if (state.released) return;
  state.released = true;
  state.registration.release();
}
