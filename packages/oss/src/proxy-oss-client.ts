import OSS from 'ali-oss';
import {
  apiMemberKind,
  callApiMember,
  ConfigError,
  firstAttemptThen,
  getDefaultProvider,
  type AccessKeySnapshot,
  type CallOptions,
  type ManagedCredentialsProvider,
  type Registration,
} from 'managed-credentials';
import { attemptView, type AttemptView } from './attempt-view.js';
import { bufferCallArguments, needsBuffering, replayCheck, type CallArguments } from './call-arguments.js';
import { isExpiredOssKeyError } from './expired-key.js';
import { multipartUploadArguments } from './multipart-resume.js';
import type { ManagedOSSOptionKeys, ProxyOSSClientOptions } from './options.js';

type Operation = (this: OSS, ...args: unknown[]) => Promise<unknown>;

// ali-oss validates that a key is present at construction; the real one is read per request.
const PLACEHOLDER_KEY = 'managed-credentials-placeholder';

const OWNED_OPTIONS: readonly ManagedOSSOptionKeys[] = [
  'accessKeyId',
  'accessKeySecret',
  'stsToken',
  'refreshSTSToken',
  'refreshSTSTokenInterval',
  'endpoint',
];

/**
 * A client dropped without `close()` still releases its claim on the secret
 * once it is garbage-collected, so a forgotten client does not keep the
 * provider refreshing a secret nobody uses. The held value is the
 * registration alone: it must not reference the client, or the client would
 * never be collected.
 */
const releaseOnCollect = new FinalizationRegistry<Registration>((registration) => registration.release());

/** Call options of a client built without options of its own: one object shared by all of them. */
const DEFAULT_CALL_OPTIONS: CallOptions = Object.freeze(callOptionsOf(undefined, undefined, undefined));

/**
 * An ali-oss client that signs every request with the current AccessKey of a
 * KMS RAM secret, and — when OSS answers `InvalidAccessKeyId` — refreshes the
 * key (one KMS fetch shared by every client of the secret) and sends the call
 * again. It is an `OSS` in every respect (`instanceof`, type, members such as
 * `useBucket`, `options`, `agent`), built without a key.
 *
 * Every async operation (`put`, `get`, `listBuckets`, `multipartUpload`,
 * `signatureUrlV4` …) waits for the first KMS fetch and is retried after a
 * refresh. Sync members that sign (`signatureUrl`, `calculatePostSignature`)
 * use the cached key and throw `NotReadyError` before the first fetch; await
 * {@link ProxyOSSClient.ready} first. A call whose stream argument was
 * consumed is not sent twice: it fails with `NonReplayableCallError` (the key
 * is refreshed nonetheless) unless `bufferStreams` is set.
 *
 * @example
 * const oss = new ProxyOSSClient('https://oss-cn-hangzhou.aliyuncs.com', 'my-ram-secret', { bucket: 'b' });
 * await oss.put('a.txt', Buffer.from('hi'));
 * await oss.close();
 */
export class ProxyOSSClient extends OSS {
  readonly #secretName: string;
  readonly #provider: ManagedCredentialsProvider;
  readonly #callOptions: CallOptions;
  readonly #bufferStreams: boolean;
  #registration: Registration | undefined;
  /** The view of the key the last attempt used (see attemptView): made once per key, not per call. */
  #view: AttemptView | undefined;

  /**
   * @param endpoint OSS endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com` (ali-oss's `endpoint` option).
   * @param secretName Name of the KMS RAM secret that holds the AccessKey.
   * @param options ali-oss options without the key, plus the plug-in's own (see {@link ProxyOSSClientOptions}).
   * @throws ConfigError when a key option (`accessKeyId`, `stsToken` …) is passed, or the default provider's config is invalid.
   */
  constructor(endpoint: string, secretName: string, options: ProxyOSSClientOptions = {}) {
    const { provider, isExpiredKeyError, maxRetries, timeoutMs, bufferStreams, ...ossOptions } = options;
    for (const key of OWNED_OPTIONS) {
      if (key in ossOptions) {
        throw new ConfigError(
          `ProxyOSSClient takes its AccessKey from the secret "${secretName}" and its endpoint from the first argument; remove the option "${key}".`,
          { key },
        );
      }
    }
    const resolvedProvider = provider ?? getDefaultProvider();
    super({ ...ossOptions, endpoint, accessKeyId: PLACEHOLDER_KEY, accessKeySecret: PLACEHOLDER_KEY });

    this.#secretName = secretName;
    this.#provider = resolvedProvider;
    this.#callOptions =
      isExpiredKeyError === undefined && maxRetries === undefined && timeoutMs === undefined
        ? DEFAULT_CALL_OPTIONS
        : callOptionsOf(isExpiredKeyError, maxRetries, timeoutMs);
    this.#bufferStreams = bufferStreams ?? false;
    readKeyFromProvider(this, resolvedProvider, secretName);
    this.#registration = resolvedProvider.register(secretName);
    releaseOnCollect.register(this, this.#registration, this.#registration);
  }

  /** Resolves once the secret's AccessKey has been fetched, so sync members like `signatureUrl` can be used. */
  async ready(): Promise<void> {
    await this.#provider.getAccessKey(this.#secretName);
  }

  /**
   * Releases this client's claim on the secret (its refresh timer stops with the last claim). Idempotent.
   * A client dropped without `close()` releases its claim when it is garbage-collected.
   */
  async close(): Promise<void> {
    const registration = this.#registration;
    if (registration === undefined) return;
    this.#registration = undefined;
    releaseOnCollect.unregister(registration);
    registration.release();
  }

  #invoke(name: string, operation: Operation, args: unknown[]): unknown {
    // Native async operations are routed at once; any other member is told apart from a sync one by what
    // its first call returns (see apiMemberKind in the core).
    return callApiMember(operation, this, args, (started) => this.#call(name, operation, args, started));
  }

  /**
   * One managed call. Synchronous up to `callWithAccessKey` (no async layer of its own) unless its
   * arguments have to be prepared first: a `multipartUpload` that resumes, streams to buffer.
   */
  #call(
    name: string,
    operation: Operation,
    args: unknown[],
    started: Promise<unknown> | undefined,
  ): Promise<unknown> {
    // An async operation reports every failure through its promise, never by throwing where it is called.
    try {
      if (started === undefined) {
        if (name === 'multipartUpload') return this.#callPrepared(operation, multipartUploadArguments(args));
        if (needsBuffering(args, this.#bufferStreams)) {
          return bufferCallArguments(args).then((prepared) => this.#callPrepared(operation, prepared));
        }
      }
      const attempt = (key: AccessKeySnapshot): Promise<unknown> => operation.apply(this.#viewFor(key), args);
      const replayable = replayCheck(args);
      return this.#provider.callWithAccessKey(
        this.#secretName,
        started ? firstAttemptThen(started, attempt) : attempt,
        replayable ? { ...this.#callOptions, replayable } : this.#callOptions,
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A call whose attempts each get their arguments from `prepared`. */
  #callPrepared(operation: Operation, prepared: CallArguments): Promise<unknown> {
    const { replayable } = prepared;
    return this.#provider.callWithAccessKey(
      this.#secretName,
      (key) => operation.apply(this.#viewFor(key), prepared.forAttempt()),
      replayable ? { ...this.#callOptions, replayable } : this.#callOptions,
    );
  }

  /**
   * The view that signs with `key`, made when the key differs from the last one's. Attempts with an older
   * key (in flight across a rotation) keep the view they started on; it is garbage once they are done.
   */
  #viewFor(key: AccessKeySnapshot): OSS {
    let view = this.#view;
    if (view?.key !== key) {
      view = attemptView(this, key);
      this.#view = view;
    }
    return view.client;
  }

  static {
    const prototype = OSS.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      const operation: unknown = descriptor?.value;
      const kind = apiMemberKind(name, operation);
      if (!descriptor || kind === 'plain') continue;
      // A named function, so stack traces and `client.put.name` read as in ali-oss.
      const wrapped = {
        [name](this: ProxyOSSClient, ...args: unknown[]): unknown {
          // Not a client but an attempt's view of one (see attemptView): an operation calling another one
          // (put → putStream, multipartUpload → initMultipartUpload/uploadPart/complete…) runs inside the
          // outer call — same key, one retry policy, arguments prepared once. (Also inside super(): ali-oss's
          // constructor may call members before this class's fields exist.)
          if (!(#provider in this)) return (operation as Operation).apply(this, args);
          // A native async operation (nearly all of ali-oss's) is a managed call, known without asking.
          if (kind === 'async') return this.#call(name, operation as Operation, args, undefined);
          return this.#invoke(name, operation as Operation, args);
        },
      }[name];
      Object.defineProperty(ProxyOSSClient.prototype, name, { ...descriptor, value: wrapped });
    }
  }
}

/** The call options of a client; unset ones are left out, so the core's defaults apply however it merges them. */
function callOptionsOf(
  isExpiredKeyError: CallOptions['isExpiredKeyError'],
  maxRetries: number | undefined,
  timeoutMs: number | undefined,
): CallOptions {
  const options: CallOptions = {
    isExpiredKeyError: isExpiredKeyError ?? isExpiredOssKeyError,
    // Each attempt signs with its own key through a view of the client (attemptView), not a call frame.
    trackCallContext: false,
  };
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return options;
}

/**
 * ali-oss signs with `this.options.accessKeyId/accessKeySecret`. Its options are replaced by a copy whose
 * key fields are accessors of its class, reading the provider's key of the moment — inside an operation
 * the key that call uses, so id and secret always come from one snapshot — without rebuilding the client.
 * On the prototype, they are neither own nor enumerable, so logging or spreading `client.options` shows no
 * key; and unlike accessors added to ali-oss's own object (which turn it into a slow dictionary-mode
 * object, ~0.8 KB per client), the copy keeps a regular shape.
 */
class ProviderKeyedOptions {
  readonly #provider: ManagedCredentialsProvider;
  readonly #secretName: string;

  constructor(provider: ManagedCredentialsProvider, secretName: string) {
    this.#provider = provider;
    this.#secretName = secretName;
  }

  get accessKeyId(): string {
    return this.#provider.currentAccessKey(this.#secretName).accessKeyId;
  }

  get accessKeySecret(): string {
    return this.#provider.currentAccessKey(this.#secretName).accessKeySecret;
  }
}

function readKeyFromProvider(client: OSS, provider: ManagedCredentialsProvider, secretName: string): void {
  const holder = client as unknown as { options: Record<string, unknown> };
  const keyed = new ProviderKeyedOptions(provider, secretName) as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(holder.options)) {
    if (name !== 'accessKeyId' && name !== 'accessKeySecret') keyed[name] = value;
  }
  holder.options = keyed;
}
