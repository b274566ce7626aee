import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

/**
 * The arguments of one SDK call, as each attempt of the call gets them, and
 * whether another attempt may still be sent.
 *
 * The rule: a call is replayable unless one of its arguments is a stream that
 * has been touched. A `Readable` body that was (partly) read cannot be sent
 * again, and a `Writable` destination (`get(name, writable)`) that already
 * received data or was ended cannot take a second response. With
 * `bufferStreams`, `Readable` arguments are read into memory before the first
 * attempt and every attempt gets a fresh stream over the same bytes.
 */
export interface CallArguments {
  /** Arguments for the next attempt (fresh streams when buffered). */
  forAttempt(): unknown[];
  /**
   * False once an argument stream was consumed, so the call must not be sent again. Absent when
   * every attempt can be sent (no argument is a stream), which is most calls.
   */
  readonly replayable?: () => boolean;
}

const isReadable = (value: unknown): value is Readable => value instanceof Readable;
// A Duplex is both; as an argument of an upload it is a body, so it counts as Readable.
const isSink = (value: unknown): value is Writable => value instanceof Writable && !isReadable(value);
// Most arguments are names, Buffers and option objects: they are ruled out before the `instanceof` tests
// (Writable's goes through its own Symbol.hasInstance), which only objects with a `pipe` method reach.
const isStream = (value: unknown): value is Readable | Writable =>
  typeof value === 'object' &&
  value !== null &&
  !ArrayBuffer.isView(value) &&
  typeof (value as { pipe?: unknown }).pipe === 'function' &&
  (isReadable(value) || isSink(value));

function untouched(stream: Readable | Writable): boolean {
  if (stream.destroyed) return false;
  if (isReadable(stream)) return !stream.readableDidRead && !stream.readableEnded;
  return !stream.writableEnded && stream.writableLength === 0;
}

/** Whether a call must go through {@link bufferCallArguments} before its first attempt. */
export function needsBuffering(args: readonly unknown[], bufferStreams: boolean): boolean {
  return bufferStreams && args.some(isReadable);
}

/**
 * For arguments used as given: whether the call may still be sent again (false once an argument stream
 * was touched), or undefined when no argument is a stream — most calls, which then allocate nothing here.
 */
export function replayCheck(args: readonly unknown[]): (() => boolean) | undefined {
  let streams: (Readable | Writable)[] | undefined;
  for (const arg of args) if (isStream(arg)) (streams ??= []).push(arg);
  if (streams === undefined) return undefined;
  const touchable = streams;
  return () => touchable.every(untouched);
}

/** Reads every `Readable` argument into memory; each attempt then gets fresh streams over those bytes. */
export async function bufferCallArguments(args: unknown[]): Promise<CallArguments> {
  const buffered = await Promise.all(args.map(async (arg) => (isReadable(arg) ? await buffer(arg) : arg)));
  const sinks = args.filter(isSink);
  // One chunk per stream: Readable.from does not iterate a Buffer byte by byte.
  const forAttempt = (): unknown[] =>
    buffered.map((arg, i) => (isReadable(args[i]) ? Readable.from([arg as Buffer]) : arg));
  if (sinks.length === 0) return { forAttempt };
  return { forAttempt, replayable: () => sinks.every(untouched) };
}
