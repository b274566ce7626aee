/**
 * Which members of an SDK client are API methods an adapter routes through
 * `callWithAccessKey`, decided without reading function source text so that it
 * holds for native `async` methods, TypeScript's down-levelled `__awaiter`
 * methods and code minified by a bundler (names of locals and helpers change;
 * property names, the intrinsic function kinds and return values do not).
 *
 * - A native `async function` is an API method.
 * - Generators, async generators (streams that cannot be replayed), the base
 *   clients' credential getters and plumbing, `_private` members and members
 *   inherited from `Object.prototype` are not.
 * - Any other function may be either (`describeInstances() { return __awaiter(…) }`
 *   and `getEndpoint()` look alike): its first call decides. It is called as
 *   is; a thenable result makes it an API method from then on (and that first
 *   call becomes the managed call's first attempt), anything else a plain
 *   member that is never routed again.
 */

/** How an adapter treats a client member: route it, decide on its first call, or pass it through. */
export type ApiMemberKind = 'async' | 'undecided' | 'plain';

const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

/**
 * Members of the SDK base classes that are not calls the cloud can reject with an expired key: the credential
 * getters (reading the credential needs no retry) and ali-oss's request plumbing under every operation.
 */
const NOT_API_METHODS: ReadonlySet<string> = new Set([
  'constructor',
  'getAccessKeyId',
  'getAccessKeySecret',
  'getSecurityToken',
  'getBearerToken',
  'getCredential',
  'getType',
  'request',
  'requestError',
]);

const kinds = new WeakMap<object, ApiMemberKind>();

/**
 * How an adapter treats `value`, read as member `key` of a client. For adapter packages
 * (managed-credentials-tea-openapi, managed-credentials-oss); see the module comment for the rules.
 */
export function apiMemberKind(key: PropertyKey, value: unknown): ApiMemberKind {
  if (typeof value !== 'function' || typeof key !== 'string') return 'plain';
  let kind = kinds.get(value);
  if (kind === undefined) {
    kind = classify(key, value);
    kinds.set(value, kind);
  }
  return kind;
}

function classify(key: string, value: object): ApiMemberKind {
  if (key.startsWith('_') || NOT_API_METHODS.has(key)) return 'plain';
  if (Object.prototype.hasOwnProperty.call(Object.prototype, key)) return 'plain';
  if (value instanceof AsyncFunction) return 'async';
  if (value instanceof GeneratorFunction || value instanceof AsyncGeneratorFunction) return 'plain';
  return 'undecided';
}

/**
 * Calls API member `method` of a client: an API method through `managed`, a plain member directly. An
 * undecided one is called directly first; if it returns a thenable, that promise is handed to `managed`
 * as the call's first attempt (see {@link firstAttemptThen}). For adapter packages.
 */
export function callApiMember(
  method: (...args: never[]) => unknown,
  thisArg: unknown,
  args: unknown[],
  managed: (startedAttempt: Promise<unknown> | undefined) => Promise<unknown>,
): unknown {
  const kind = kinds.get(method) ?? 'undecided';
  if (kind === 'async') return managed(undefined);
  const result: unknown = Reflect.apply(method, thisArg, args);
  if (kind === 'plain' || !isThenable(result)) {
    kinds.set(method, 'plain');
    return result;
  }
  kinds.set(method, 'async');
  return managed(Promise.resolve(result));
}

/**
 * The attempt function of a managed call whose first attempt is already running: the first invocation
 * adopts `started`, later ones (retries) call `again`. For adapter packages.
 */
export function firstAttemptThen<A extends unknown[], T>(
  started: Promise<T>,
  again: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  let first: Promise<T> | undefined = started;
  // The call may end (its budget ran out waiting for the first key) before it adopts this attempt.
  started.catch(() => undefined);
  return (...args) => {
    const attempt = first ?? again(...args);
    first = undefined;
    return attempt;
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
