import {
  apiMemberKind,
  callApiMember,
  firstAttemptThen,
  type AccessKeySnapshot,
  type CallOptions,
  type ManagedCredentialsProvider,
  type Registration,
} from 'managed-credentials';
import { holdsStream, isReplayable } from './replayable.js';
import type { SecretBackedCredential } from './secret-credential.js';

type ApiMethod = (...args: unknown[]) => unknown;

/**
 * One managed client: its Proxy's handler and everything else the client
 * needs, in one record (thousands of clients on one secret are a use case, so
 * each costs one small object, not closures, maps and option copies). The
 * traps and the API method wrappers are shared by every client: a wrapper
 * finds its client's record from `this`, as the original method finds its
 * client. Detached from its client (`const { describeInstances } = ecs`), a
 * method therefore runs as the bare SDK's would: with `this` undefined.
 *
 * Being the handler, no member of this class may bear a trap's name (`set`,
 * `apply`, `ownKeys` …): the Proxy would take it for a trap.
 */
export class ManagedClientState implements ProxyHandler<object> {
  readonly client: object;
  /** The client's credential, which hands each request the key its call chose. */
  readonly credential: SecretBackedCredential;
  readonly provider: ManagedCredentialsProvider;
  readonly secretName: string;
  readonly callOptions: CallOptions;
  readonly registration: Registration;
  /** Whether the client class has a `close` of its own (then `closeClient` is the way to release). */
  readonly ownClose: boolean;
  released = false;

  constructor(
    client: object,
    credential: SecretBackedCredential,
    provider: ManagedCredentialsProvider,
    secretName: string,
    callOptions: CallOptions,
    registration: Registration,
  ) {
    this.client = client;
    this.credential = credential;
    this.provider = provider;
    this.secretName = secretName;
    this.callOptions = callOptions;
    this.registration = registration;
    this.ownClose = 'close' in client;
  }

  get(target: object, key: PropertyKey, receiver: unknown): unknown {
    if (key === 'close' && !this.ownClose) return closeManagedClient;
    const value: unknown = Reflect.get(target, key, receiver);
    if (typeof value !== 'function') return value;
    return wrappers.get(value as ApiMethod) ?? wrapperOrValue(key, value as ApiMethod);
  }

  has(target: object, key: PropertyKey): boolean {
    return (key === 'close' && !this.ownClose) || Reflect.has(target, key);
  }

  /**
   * Runs `original` with `args` on the unwrapped client inside `provider.callWithAccessKey`, which owns
   * the whole expired-key policy (judge, single-flight refresh, retry with the same arguments).
   */
  call(original: ApiMethod, args: unknown[], started?: Promise<unknown>): Promise<unknown> {
    const { client, credential } = this;
    // The one closure of a call: the attempt, sent again with the same arguments on a retry. The request
    // signs with the key `callWithAccessKey` chose for the attempt (the credential hands it over).
    const attempt = (key: AccessKeySnapshot): Promise<unknown> =>
      credential.signWith(key, client, original as (...args: never[]) => Promise<unknown>, args);
    return this.provider.callWithAccessKey(
      this.secretName,
      started ? firstAttemptThen(started, attempt) : attempt,
      // The options object is the client's own unless an argument holds a stream.
      holdsStream(args) ? { ...this.callOptions, replayable: () => isReplayable(args) } : this.callOptions,
    );
  }
}

/** Every client {@link proxyClient} made, by its Proxy. */
const states = new WeakMap<object, ManagedClientState>();

/** The record of a client {@link proxyClient} made; undefined for any other object. */
export function managedClientState(client: unknown): ManagedClientState | undefined {
  return typeof client === 'object' && client !== null ? states.get(client) : undefined;
}

/**
 * Wraps a client so each API method runs inside `provider.callWithAccessKey`.
 *
 * The original method runs with `this` = the unwrapped client. Its internal
 * calls (`describeInstances` → `this.describeInstancesWithOptions` →
 * `this.callApi`) therefore skip the wrapper and stay inside the outer call,
 * so one user call is retried at most `maxRetries` times, never once per
 * layer. It also keeps classes with `#private` fields working.
 */
export function proxyClient(state: ManagedClientState): object {
  const managed = new Proxy(state.client, state);
  states.set(managed, state);
  return managed;
}

/**
 * Wrappers by original function, shared by all clients, so `client.m === client.m` and a method replaced on
 * an instance gets a fresh wrapper. A function that turns out to be a plain member leaves the map.
 */
const wrappers = new WeakMap<ApiMethod, ApiMethod>();

/** First read of a function member: its wrapper when it is (or may be) an API method, else itself. */
function wrapperOrValue(key: PropertyKey, value: ApiMethod): ApiMethod {
  if (apiMemberKind(key, value) === 'plain') return value;
  const wrapper = wrapperOf(value);
  wrappers.set(value, wrapper);
  return wrapper;
}

function wrapperOf(original: ApiMethod): ApiMethod {
  const name = original.name;
  // Native async methods are routed at once; a down-levelled or minified one is told apart from a sync
  // helper (`getEndpoint`) by what its first call returns (see apiMemberKind in the core).
  let isAsync = apiMemberKind(name, original) === 'async';
  // A named function expression keeps the method's name in stack traces and `fn.name`.
  return {
    [name](this: unknown, ...args: unknown[]): unknown {
      const state = managedClientState(this);
      // Not called on a managed client (detached, or `call`ed on something else): as the bare method.
      if (state === undefined) return Reflect.apply(original, this, args);
      if (isAsync) return state.call(original, args);
      const result = callApiMember(original, state.client, args, (started) =>
        state.call(original, args, started),
      );
      const kind = apiMemberKind(name, original);
      isAsync = kind === 'async';
      if (kind === 'plain') wrappers.delete(original);
      return result;
    },
  }[name] as ApiMethod;
}

/** `client.close` of a client whose class has none: releases its claim on the secret (idempotent). */
function closeManagedClient(this: unknown): Promise<void> {
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
