const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Makes `JSON.stringify`, `String()` and `util.inspect` of a credential show
 * only `visible` — so a test log that prints one never leaks the secret half.
 * The secret stays readable as a normal property.
 */
export function redactCredential<T extends object>(
  value: T,
  label: string,
  visible: Record<string, unknown>,
): T {
  const view = (): string => `${label}(${Object.values(visible).join(', ')})`;
  return Object.defineProperties(value, {
    toJSON: { value: () => ({ ...visible }), enumerable: false },
    toString: { value: view, enumerable: false },
    [INSPECT]: { value: view, enumerable: false },
  });
}
