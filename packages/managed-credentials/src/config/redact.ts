import { inspect } from 'node:util';

/**
 * Hides secret fields of a plain config object from every printout: the
 * fields become non-enumerable (so `JSON.stringify`, `util.inspect` and object
 * spread skip them) while plain reads (`auth.accessKeySecret`) still work, and
 * `toJSON`/`toString`/`util.inspect` hooks show `<redacted>` in their place.
 * Code that copies such an object must copy the secret field explicitly.
 */
export function redactFields<T extends object>(target: T, fields: readonly string[], label: string): T {
  const record = target as Record<string, unknown>;
  for (const field of fields) {
    if (record[field] === undefined) continue;
    Object.defineProperty(target, field, { value: record[field], enumerable: false, writable: false });
  }
  const view = (): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...record };
    for (const field of fields) if (record[field] !== undefined) copy[field] = '<redacted>';
    return copy;
  };
  Object.defineProperties(target, {
    toJSON: { value: view, enumerable: false },
    toString: { value: () => `${label}(${fields.join(', ')} redacted)`, enumerable: false },
    [inspect.custom]: {
      value: (depth: number, options: object, nodeInspect: typeof inspect = inspect) =>
        `${label} ${nodeInspect(view(), { ...options, depth })}`,
      enumerable: false,
    },
  });
  return target;
}
