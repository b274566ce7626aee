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
 * The state ali-oss writes while an operation runs goes to the client, not to
 * the view: `options.cancelFlag` (`resetCancelFlag`, `cancel`, `_stop`) and
 * `multipartUploadStreams`, so `client.cancel()` stops an upload running on a
 * view, as it does on a bare client.
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
  return { key, client: view };
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
