import {
  apiMemberKind,
  callApiMember,
  firstAttemptThen,
  type CallOptions,
  type ManagedCredentialsProvider,
} from 'managed-credentials';
import { holdsStream, isReplayable } from './replayable.js';

/** What the Proxy needs to route a client's API calls through the provider. */
export interface ClientBinding {
  readonly provider: ManagedCredentialsProvider;
  readonly secretName: string;
  readonly callOptions: CallOptions;
  /** Serves `client.close` when the client class has none of its own. */
  readonly close: () => Promise<void>;
}

type ApiMethod = (...args: unknown[]) => unknown;

/**
 * Wraps a client so each API method runs inside
 * `provider.callWithAccessKey`, which owns the whole expired-key policy
 * (judge, single-flight refresh, retry with the same arguments).
 *
 * The original method runs with `this` = the unwrapped client. Its internal
 * calls (`describeInstances` → `this.describeInstancesWithOptions` →
 * `this.callApi`) therefore skip the wrapper and stay inside the outer call,
 * so one user call is retried at most `maxRetries` times, never once per
 * layer. It also keeps classes with `#private` fields working.
 */
export function proxyClient<T extends object>(client: T, binding: ClientBinding): T {
  const { provider, secretName, callOptions } = binding;
  const ownClose = 'close' in client;
  // Keyed by the original function, so `client.m === client.m` and a method
  // replaced on the instance gets a fresh wrapper.
  const wrappers = new WeakMap<ApiMethod, ApiMethod>();

  const wrap = (original: ApiMethod): ApiMethod => {
    let wrapper = wrappers.get(original);
    if (wrapper === undefined) {
      // One closure per call (the attempt); the options object is shared unless an argument holds a stream.
      const call = (args: unknown[], started?: Promise<unknown>): Promise<unknown> => {
        const attempt = () => original.apply(client, args) as Promise<unknown>;
        return provider.callWithAccessKey(
          secretName,
          started ? firstAttemptThen(started, attempt) : attempt,
          holdsStream(args) ? { ...callOptions, replayable: () => isReplayable(args) } : callOptions,
        );
      };
      // A named function expression keeps the method's name in stack traces and `fn.name`.
      const name = original.name;
      wrapper = {
        [name](...args: unknown[]): unknown {
          // Native async methods are routed at once; a down-levelled or minified one is told apart from a sync
          // helper (`getEndpoint`) by what its first call returns (see apiMemberKind in the core).
          return apiMemberKind(name, original) === 'async'
            ? call(args)
            : callApiMember(original, client, args, (started) => call(args, started));
        },
      }[name] as ApiMethod;
      wrappers.set(original, wrapper);
    }
    return wrapper;
  };

  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'close' && !ownClose) return binding.close;
      const value: unknown = Reflect.get(target, key, receiver);
      return apiMemberKind(key, value) === 'plain' ? value : wrap(value as ApiMethod);
    },
    has(target, key) {
      return (key === 'close' && !ownClose) || Reflect.has(target, key);
    },
  });
}
