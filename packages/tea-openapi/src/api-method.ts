/**
 * Which members of a generated client are "API methods" the adapter wraps:
 * async functions (native, or TypeScript's down-levelled `__awaiter` form).
 * Sync helpers (`getEndpoint`, `checkConfig` …), async generators (SSE
 * streams, which cannot be replayed) and properties pass through untouched.
 */

// `async function` has its own constructor; comparing against it also rejects async generators.
const AsyncFunction = (async () => {}).constructor;

/**
 * The base clients' credential getters: reading the credential is not a call
 * the cloud can reject, so it needs no retry.
 */
const CREDENTIAL_GETTERS: ReadonlySet<PropertyKey> = new Set([
  'getAccessKeyId',
  'getAccessKeySecret',
  'getSecurityToken',
  'getBearerToken',
  'getType',
]);

const verdicts = new WeakMap<object, boolean>();

/** Whether `value`, read as `client[key]`, is an async API method the adapter must wrap. */
export function isApiMethod(
  key: PropertyKey,
  value: unknown,
): value is (...args: unknown[]) => Promise<unknown> {
  if (typeof value !== 'function' || key === 'constructor' || CREDENTIAL_GETTERS.has(key)) return false;
  let verdict = verdicts.get(value);
  if (verdict === undefined) {
    verdict = value instanceof AsyncFunction || isDownlevelAsync(value);
    verdicts.set(value, verdict);
  }
  return verdict;
}

/** TypeScript compiled for ES5/ES2015 turns `async m() {…}` into `m() { return __awaiter(this, …) }`. */
function isDownlevelAsync(fn: object): boolean {
  const source = Function.prototype.toString.call(fn);
  return /^[^{]*\{\s*return\s+__awaiter\(/.test(source);
}
