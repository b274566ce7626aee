/**
 * An OSS error answer: HTTP status, the `<Code>` ali-oss turns into
 * `err.code`, the `<Message>`, and extra elements real OSS adds for some
 * codes (`<OSSAccessKeyId>`, `<StringToSign>`, `<Key>` …), in order.
 */
export class OssError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ReadonlyArray<readonly [string, string]>;

  constructor(status: number, code: string, message: string, details: Array<readonly [string, string]> = []) {
    super(message);
    this.name = 'OssError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The error answers the emulator gives, worded as real OSS words them. */
export const ossErrors = {
  noSuchBucket: (bucket: string) =>
    new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', [['BucketName', bucket]]),
  noSuchKey: (key: string) =>
    new OssError(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]),
  noSuchUpload: (uploadId: string) =>
    new OssError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      [['UploadId', uploadId]],
    ),
  bucketAlreadyExists: (bucket: string) =>
    new OssError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.', [
      ['BucketName', bucket],
    ]),
  bucketNotEmpty: (bucket: string) =>
    new OssError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', [
      ['BucketName', bucket],
    ]),
  invalidBucketName: (bucket: string) =>
    new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.', [['BucketName', bucket]]),
  tooManyBuckets: (limit: number) =>
    new OssError(400, 'TooManyBuckets', `You have attempted to create more buckets than allowed (${limit}).`),
  invalidAccessKeyId: (
    accessKeyId: string,
    message = 'The OSS Access Key Id you provided does not exist in our records.',
  ) => new OssError(403, 'InvalidAccessKeyId', message, [['OSSAccessKeyId', accessKeyId]]),
  signatureDoesNotMatch: (details: Array<readonly [string, string]>) =>
    new OssError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      details,
    ),
  requestExpired: (expires: string, serverTime: string) =>
    new OssError(403, 'AccessDenied', 'Request has expired.', [
      ['Expires', expires],
      ['ServerTime', serverTime],
    ]),
  anonymous: () => new OssError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.'),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new OssError(
      400,
      'InvalidArgument',
      message,
      name === undefined
        ? []
        : [
            ['ArgumentName', name],
            ['ArgumentValue', value ?? ''],
          ],
    ),
  invalidDigest: () => new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.'),
  invalidPart: () =>
    new OssError(
      400,
      'InvalidPart',
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    ),
  invalidPartOrder: () =>
    new OssError(
      400,
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts list must specified in order by part number.',
    ),
  entityTooSmall: () =>
    new OssError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.'),
  malformedXml: () =>
    new OssError(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.',
    ),
  /** Not an OSS limit: the emulator keeps everything in memory and refuses to grow past its budget. */
  memoryBudget: (maxBytes: number) =>
    new OssError(
      400,
      'EntityTooLarge',
      `fake-cloud OSS keeps at most ${maxBytes} bytes in memory; delete objects or raise maxBytes.`,
    ),
  notImplemented: (what: string) =>
    new OssError(501, 'NotImplemented', `fake-cloud OSS does not implement ${what}.`),
  invalidUri: () => new OssError(400, 'InvalidURI', "Couldn't parse the specified URI."),
} as const;
