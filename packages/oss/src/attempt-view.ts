import type OSS from 'ali-oss';
import type { AccessKeySnapshot } from 'managed-credentials';

/**
 * A view of a client that signs with one key snapshot: an object whose
 * prototype is the client (all its state and members) with its own
 * `options`, whose prototype is the client's options and whose key fields are
 * that key. An operation run on the view — and every operation it calls in
 * turn (put → putStream, multipartUpload → initMultipartUpload/uploadPart/
 * complete…) — signs every request with that one key, without an
 * AsyncLocalStorage (each active one slows every promise of the process).
 *
 * A view is made once per client and key snapshot and reused by every call
 * while that key is current (a view per call cost ~2 KB and two
 * `Object.create` with descriptors, V8's slow path, on every call). So no
 * state may stay behind on it: what ali-oss writes while an operation runs
 * goes to the client — `options.cancelFlag` (`resetCancelFlag`, `cancel`,
 * `_stop`) and `multipartUploadStreams` — so `client.cancel()` stops an
 * upload running on a view, as it does on a bare client. An operation that a
 * callback left behind by a finished call starts on the view signs with the
 * view's key; one started on the client is a call of its own.
 */
export interface AttemptView {
  readonly key: AccessKeySnapshot;
  readonly client: OSS;
}

interface ClientState {
  options: Record<string, unknown>;
  multipartUploadStreams?: unknown;
}

/** Makes the view of `client` for `key`. Made once per key snapshot and client, then reused. */
export function attemptView(client: OSS, key: AccessKeySnapshot): AttemptView {
  const state = client as unknown as ClientState;
  const clientOptions = state.options;
  const options: object = Object.create(clientOptions, {
    accessKeyId: { value: key.accessKeyId },
    accessKeySecret: { value: key.accessKeySecret },
    cancelFlag: forwardedTo(clientOptions, 'cancelFlag'),
  });
  const view = Object.create(client, {
    options: { value: options },
    multipartUploadStreams: forwardedTo(state, 'multipartUploadStreams'),
  }) as OSS;
  makePrototypesFast(options);
  makePrototypesFast(view);
  return { key, client: view };
}

/**
 * An object that becomes a prototype (the client, its options) is turned by V8 into a slow
 * dictionary-mode object until property loads through it have missed their inline caches a few times;
 * until then loads ali-oss makes through a view, and the client's own members, take a slow path. A
 * `for…in` over an object makes its prototypes fast at once, so the client is fast again from the view's
 * first call (`bench/probes/oss-fast-props.mjs` shows both).
 */
function makePrototypesFast(object: object): void {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the loop's side effect is the point
  for (const name in object) continue;
}

function forwardedTo(target: object, name: string): PropertyDescriptor {
  const holder = target as Record<string, unknown>;
  return {
    get: () => holder[name],
    set: (value: unknown) => {
      holder[name] = value;
    },
  };
}
