import { createHash, randomBytes } from 'node:crypto';
import { ossErrors } from './errors.js';
import type { ByteBudget } from './store.js';
import type { CompletedPart } from './xml.js';

/** OSS refuses parts smaller than 100 KiB, except the last one. */
export const MIN_PART_SIZE = 100 * 1024;
export const MAX_PART_NUMBER = 10_000;

export interface UploadedPart {
  readonly partNumber: number;
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
}

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly contentHeaders: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
  readonly parts: Map<number, UploadedPart>;
}

/** What CompleteMultipartUpload assembled; the caller stores it as the object. */
export interface AssembledObject {
  readonly upload: MultipartUpload;
  readonly body: Buffer;
  /** `"<MD5 of the parts' binary MD5s>-<count>"`, upper-case hex, as OSS computes it. */
  readonly etag: string;
}

/** Pending multipart uploads; their parts count against the store's byte budget. */
export class MultipartUploads {
  readonly #uploads = new Map<string, MultipartUpload>();

  constructor(
    private readonly budget: ByteBudget,
    private readonly now: () => number,
  ) {}

  initiate(
    bucket: string,
    key: string,
    contentHeaders: Record<string, string>,
    meta: Record<string, string>,
  ): MultipartUpload {
    const upload: MultipartUpload = {
      uploadId: randomBytes(16).toString('hex').toUpperCase(),
      bucket,
      key,
      initiated: new Date(this.now()),
      contentHeaders,
      meta,
      parts: new Map(),
    };
    this.#uploads.set(upload.uploadId, upload);
    return upload;
  }

  /** The upload, if it belongs to this bucket and key; `NoSuchUpload` otherwise. */
  require(uploadId: string, bucket: string, key: string): MultipartUpload {
    const upload = this.#uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw ossErrors.noSuchUpload(uploadId);
    return upload;
  }

  uploadPart(upload: MultipartUpload, partNumber: number, body: Buffer): UploadedPart {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw ossErrors.invalidArgument(
        `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`,
        'partNumber',
        String(partNumber),
      );
    }
    this.budget.replace(upload.parts.get(partNumber)?.body.length ?? 0, body.length);
    const part: UploadedPart = {
      partNumber,
      body,
      etag: `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`,
      lastModified: new Date(this.now()),
    };
    upload.parts.set(partNumber, part);
    return part;
  }

  /**
   * Joins the listed parts in order. Real OSS rules: ascending part numbers,
   * each named part uploaded with that ETag, every part but the last at least
   * {@link MIN_PART_SIZE}. The upload is gone afterwards; the caller stores the object.
   */
  complete(upload: MultipartUpload, listed: readonly CompletedPart[]): AssembledObject {
    if (listed.length === 0) throw ossErrors.malformedXml();
    const chosen: UploadedPart[] = [];
    listed.forEach((entry, index) => {
      const previous = listed[index - 1];
      if (previous && entry.partNumber <= previous.partNumber) throw ossErrors.invalidPartOrder();
      const part = upload.parts.get(entry.partNumber);
      if (!part || normalizeETag(part.etag) !== normalizeETag(entry.etag)) throw ossErrors.invalidPart();
      chosen.push(part);
    });
    chosen.slice(0, -1).forEach((part) => {
      if (part.body.length < MIN_PART_SIZE) throw ossErrors.entityTooSmall();
    });
    const digests = chosen.map((part) => createHash('md5').update(part.body).digest());
    const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex').toUpperCase()}-${chosen.length}"`;
    const body = Buffer.concat(chosen.map((part) => part.body));
    this.abort(upload);
    return { upload, body, etag };
  }

  /** Forgets the upload and gives its parts' bytes back. */
  abort(upload: MultipartUpload): void {
    if (!this.#uploads.delete(upload.uploadId)) return;
    for (const part of upload.parts.values()) this.budget.replace(part.body.length, 0);
  }

  /** Pending uploads of a bucket, by key then initiation. */
  listIn(bucket: string): MultipartUpload[] {
    return [...this.#uploads.values()]
      .filter((upload) => upload.bucket === bucket)
      .sort((a, b) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated.getTime() - b.initiated.getTime(),
      );
  }

  countIn(bucket: string): number {
    return this.listIn(bucket).length;
  }

  clear(): void {
    for (const upload of [...this.#uploads.values()]) this.abort(upload);
  }
}

function normalizeETag(etag: string): string {
  return etag.replace(/"/g, '').trim().toUpperCase();
}
