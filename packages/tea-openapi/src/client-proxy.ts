import type { CallOptions, ManagedCredentialsProvider } from 'managed-credentials';
import { isApiMethod } from './api-method.js';
import { isReplayable } from './replayable.js';

/** What the Proxy needs to route a client's API calls through the provider. */
export interface ClientBinding {
  readonly provider: ManagedCredentialsProvider;
  readonly secretName: string;
  readonly callOptions: CallOptions;
  /** Serves `client.close` when the client class has none of its own. */
  readonly close: () => Promise<void>;
}

type ApiMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Wraps a client so each async API method runs inside
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
      // A named function expression keeps the method's name in stack traces and `fn.name`.
      const name = original.name;
      wrapper = {
        [name](...args: unknown[]): Promise<unknown> {
          return provider.callWithAccessKey(secretName, () => original.apply(client, args), {
            ...callOptions,
            replayable: () => isReplayable(args),
          });
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
      return isApiMethod(key, value) ? wrap(value) : value;
    },
    has(target, key) {
      return (key === 'close' && !ownClose) || Reflect.has(target, key);
    },
  });
}
