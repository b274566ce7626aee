import { Readable } from 'node:stream';

/**
 * Whether an API call can be sent again with the same arguments. Generated
 * `…Advance` methods take request models holding a `Readable` (a file to
 * upload); once the first attempt consumed it, a retry would send an empty or
 * truncated body, so the core refreshes the key but does not retry.
 */
export function isReplayable(args: readonly unknown[]): boolean {
  return !args.some((arg) => isConsumedStream(arg) || fieldsOf(arg).some(isConsumedStream));
}

function isConsumedStream(value: unknown): boolean {
  return value instanceof Readable && (value.readableDidRead || value.readableEnded || value.destroyed);
}

function fieldsOf(value: unknown): unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Readable)
    ? Object.values(value)
    : [];
}

/** Whether an argument is, or directly holds, a stream: only then can a call become non-replayable. */
export function holdsStream(args: readonly unknown[]): boolean {
  for (const arg of args) {
    if (typeof arg !== 'object' || arg === null) continue;
    if (arg instanceof Readable) return true;
    if (declaresNoStream(arg)) continue;
    // for…in allocates nothing, unlike Object.values: this runs on every call.
    for (const field in arg) {
      if ((arg as Record<string, unknown>)[field] instanceof Readable) return true;
    }
  }
  return false;
}

/** Model classes by whether their declared fields can hold a stream. */
const modelClasses = new WeakMap<object, boolean>();

/**
 * Whether `arg` is a tea model whose class declares no field that can hold a stream (`'Readable'` or
 * `'any'` in its static `types()`): the SDK sends only declared fields, so nothing else in it can be a
 * consumed body. Checked once per class; walking the fields of every request costs more than the rest
 * of the wrapper.
 */
function declaresNoStream(arg: object): boolean {
  const model: unknown = arg.constructor;
  // A client usually sends one request class after another: that one is known without a map lookup.
  if (model === lastModelWithoutStream) return true;
  if (typeof model !== 'function') return false;
  let noStream = modelClasses.get(model);
  if (noStream === undefined) {
    noStream = fieldTypesOf(model)?.every((type) => type !== 'Readable' && type !== 'any') ?? false;
    modelClasses.set(model, noStream);
  }
  if (noStream) lastModelWithoutStream = model;
  return noStream;
}

/** The model class {@link declaresNoStream} last found to declare no stream field. */
let lastModelWithoutStream: unknown;

function fieldTypesOf(model: object): unknown[] | undefined {
  const types: unknown = Reflect.get(model, 'types');
  if (typeof types !== 'function') return undefined;
  try {
    const declared: unknown = Reflect.apply(types, model, []);
    return typeof declared === 'object' && declared !== null ? Object.values(declared) : undefined;
  } catch {
    // Not a tea model after all: its fields are walked on every call.
    return undefined;
  }
}
