import { createHash } from 'node:crypto';
import { isValidBucketName } from './addressing.js';
import { ossErrors } from './errors.js';
import { MultipartUploads } from './multipart.js';

/** Default bound on object and part bytes held in memory: 64 MiB. */
export const DEFAULT_OSS_MAX_BYTES = 64 * 1024 * 1024;
/** Real OSS allows 100 buckets per account by default; so does the emulator. */
export const MAX_BUCKETS = 100;

/** One stored object, as GetObject answers it. */
export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted upper-case hex, as OSS sends it: `"5B3C…"` or `"…-3"` for multipart objects. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly type: 'Normal' | 'Multipart';
  /** Content-Type, Content-Disposition, Cache-Control … (lower-case names) kept from the upload. */
  readonly contentHeaders: Readonly<Record<string, string>>;
  /** `x-oss-meta-*` headers, full lower-case names. */
  readonly meta: Readonly<Record<string, string>>;
}

export interface StoredBucket {
  readonly name: string;
  readonly creationDate: Date;
  readonly objects: Map<string, StoredObject>;
}

/** Counts bytes held by objects and pending parts against one cap. */
export class ByteBudget {
  #used = 0;
  constructor(readonly maxBytes: number) {}

  get usedBytes(): number {
    return this.#used;
  }

  /** Takes `bytes` after giving back `released`; throws `EntityTooLarge` past the cap. */
  replace(released: number, bytes: number): void {
    if (this.#used - released + bytes > this.maxBytes) throw ossErrors.memoryBudget(this.maxBytes);
    this.#used += bytes - released;
  }
}

export interface OssStoreOptions {
  /** Cap on bytes of objects and uploaded parts held in memory. Default {@link DEFAULT_OSS_MAX_BYTES}. */
  maxBytes?: number;
  /** Buckets that exist from the start. Default none. */
  buckets?: readonly string[];
  /** Clock for creation and modification dates. Default `Date.now`. */
  now?: () => number;
}

/** Quoted upper-case hex MD5, the ETag OSS gives a simply uploaded object. */
export function md5ETag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`;
}

/**
 * The emulator's buckets, objects and multipart uploads, all in memory and
 * bounded by {@link ByteBudget}. Buckets exist only when created (here or with
 * PutBucket), as on real OSS: writing to a missing bucket is `NoSuchBucket`.
 */
export class OssStore {
  readonly #buckets = new Map<string, StoredBucket>();
  readonly #budget: ByteBudget;
  readonly #now: () => number;
  /** Pending multipart uploads of every bucket. */
  readonly uploads: MultipartUploads;

  constructor(options: OssStoreOptions = {}) {
    this.#budget = new ByteBudget(options.maxBytes ?? DEFAULT_OSS_MAX_BYTES);
    this.#now = options.now ?? Date.now;
    this.uploads = new MultipartUploads(this.#budget, this.#now);
    for (const name of options.buckets ?? []) this.createBucket(name);
  }

  /** Bytes held now by objects and pending parts. */
  get usedBytes(): number {
    return this.#budget.usedBytes;
  }

  get maxBytes(): number {
    return this.#budget.maxBytes;
  }

  /** Creates a bucket; `BucketAlreadyExists` if it exists, `InvalidBucketName` if OSS would refuse the name. */
  createBucket(name: string): StoredBucket {
    if (!isValidBucketName(name)) throw ossErrors.invalidBucketName(name);
    if (this.#buckets.has(name)) throw ossErrors.bucketAlreadyExists(name);
    if (this.#buckets.size >= MAX_BUCKETS) throw ossErrors.tooManyBuckets(MAX_BUCKETS);
    const bucket: StoredBucket = { name, creationDate: new Date(this.#now()), objects: new Map() };
    this.#buckets.set(name, bucket);
    return bucket;
  }

  /** Removes an empty bucket; `BucketNotEmpty` while it holds objects or pending uploads. */
  deleteBucket(name: string): void {
    const bucket = this.requireBucket(name);
    if (bucket.objects.size > 0 || this.uploads.countIn(name) > 0) throw ossErrors.bucketNotEmpty(name);
    this.#buckets.delete(name);
  }

  getBucket(name: string): StoredBucket | undefined {
    return this.#buckets.get(name);
  }

  /** The bucket, or `NoSuchBucket`. */
  requireBucket(name: string): StoredBucket {
    const bucket = this.#buckets.get(name);
    if (!bucket) throw ossErrors.noSuchBucket(name);
    return bucket;
  }

  /** Bucket names in byte order. */
  bucketNames(): string[] {
    return [...this.#buckets.keys()].sort();
  }

  /** Stores (or replaces) an object. */
  putObject(
    bucketName: string,
    key: string,
    body: Buffer,
    attributes: {
      contentHeaders?: Record<string, string>;
      meta?: Record<string, string>;
      etag?: string;
      type?: 'Normal' | 'Multipart';
    } = {},
  ): StoredObject {
    const bucket = this.requireBucket(bucketName);
    this.#budget.replace(bucket.objects.get(key)?.body.length ?? 0, body.length);
    const object: StoredObject = {
      key,
      body,
      etag: attributes.etag ?? md5ETag(body),
      lastModified: new Date(Math.floor(this.#now() / 1000) * 1000),
      type: attributes.type ?? 'Normal',
      contentHeaders: { 'content-type': 'application/octet-stream', ...attributes.contentHeaders },
      meta: { ...attributes.meta },
    };
    bucket.objects.set(key, object);
    return object;
  }

  getObject(bucketName: string, key: string): StoredObject | undefined {
    return this.#buckets.get(bucketName)?.objects.get(key);
  }

  /** Deletes an object; true when it existed. A missing bucket is `NoSuchBucket`. */
  deleteObject(bucketName: string, key: string): boolean {
    const bucket = this.requireBucket(bucketName);
    const object = bucket.objects.get(key);
    if (!object) return false;
    bucket.objects.delete(key);
    this.#budget.replace(object.body.length, 0);
    return true;
  }

  /** Drops every bucket, object and upload. */
  clear(): void {
    this.uploads.clear();
    for (const bucket of this.#buckets.values()) {
      for (const object of bucket.objects.values()) this.#budget.replace(object.body.length, 0);
    }
    this.#buckets.clear();
  }
}
