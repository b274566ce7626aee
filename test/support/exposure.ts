/**
 * Collects everything the plug-in lets a user (or a log pipeline) see —
 * event payloads, thrown errors with their cause chains, `util.inspect` /
 * `JSON.stringify` / `String()` of clients, providers and key snapshots — and
 * finds any secret material in it.
 */
import { inspect } from 'node:util';

/** Shortest private-key fragment searched for: shorter runs of base64 could match by chance. */
const FRAGMENT_LENGTH = 40;

/** One rendering of something observable, labelled by where it came from. */
interface Rendering {
  where: string;
  text: string;
}

export class Exposure {
  readonly #sensitive = new Map<string, string>();
  readonly #renderings: Rendering[] = [];

  /** A value that must never be seen (an AccessKeySecret, a password …). */
  secret(label: string, value: string | undefined): void {
    if (value === undefined || value.length < 8)
      throw new Error(`Exposure: "${label}" is too short to search for`);
    this.#sensitive.set(value, label);
  }

  /** Key material (PEM text or base64 PKCS#12): every run of {@link FRAGMENT_LENGTH} characters of its body. */
  keyMaterial(label: string, text: string): void {
    const body = text
      .split('\n')
      .filter((line) => !line.startsWith('-----'))
      .join('');
    for (let start = 0; start + FRAGMENT_LENGTH <= body.length; start += FRAGMENT_LENGTH) {
      this.#sensitive.set(body.slice(start, start + FRAGMENT_LENGTH), `${label} [${start}]`);
    }
  }

  /** Everything of `error` a user could print: message, stack, inspect, JSON, and the same for its causes. */
  error(where: string, error: unknown, depth = 0): void {
    if (depth > 8 || error === null || error === undefined) return;
    this.value(`${where} (error)`, error);
    if (error instanceof Error) {
      this.#add(`${where}.message`, error.message);
      this.#add(`${where}.stack`, error.stack ?? '');
      this.error(`${where}.cause`, error.cause, depth + 1);
      if (error instanceof AggregateError) {
        error.errors.forEach((inner: unknown, index) =>
          this.error(`${where}.errors[${index}]`, inner, depth + 1),
        );
      }
    }
  }

  /** `util.inspect` (plain and with hidden members), `JSON.stringify` and `String()` of `value`. */
  value(where: string, value: unknown): void {
    this.#add(`${where} inspect`, inspect(value, { depth: 12 }));
    this.#add(`${where} inspect(showHidden)`, inspect(value, { depth: 6, showHidden: true }));
    this.#add(`${where} JSON`, safeJson(value));
    this.#add(`${where} String`, safeString(value));
  }

  /** The error a promise rejects with (recorded), or a failure if it resolves. */
  async rejection(where: string, promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      this.error(where, error);
      return error;
    }
    throw new Error(`${where}: expected a rejection`);
  }

  /** The error `run` throws (recorded), or a failure if it does not throw. */
  thrown(where: string, run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      this.error(where, error);
      return error;
    }
    throw new Error(`${where}: expected an error`);
  }

  /** How many renderings were collected (a scan of nothing proves nothing). */
  get size(): number {
    return this.#renderings.length;
  }

  /** `"<secret label> in <where>"` for every secret found in a rendering. */
  leaks(): string[] {
    const found: string[] = [];
    for (const { where, text } of this.#renderings) {
      for (const [value, label] of this.#sensitive)
        if (text.includes(value)) found.push(`${label} in ${where}`);
    }
    return found;
  }

  /** Whether `text` would be reported as a leak (to prove the scanner can fail). */
  detects(text: string): boolean {
    return [...this.#sensitive.keys()].some((value) => text.includes(value));
  }

  #add(where: string, text: string): void {
    this.#renderings.push({ where, text });
  }
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, inner: unknown) => {
        if (typeof inner === 'bigint') return inner.toString();
        if (inner !== null && typeof inner === 'object') {
          if (seen.has(inner)) return '[Circular]';
          seen.add(inner);
        }
        return inner;
      }) ?? ''
    );
  } catch (error) {
    return `JSON.stringify threw: ${String(error)}`;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch (error) {
    return `String() threw: ${String(error)}`;
  }
}

/** The message V8 gives for `text` (which must be malformed JSON): it may quote part of the input. */
export function jsonParseErrorMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected malformed JSON');
}
