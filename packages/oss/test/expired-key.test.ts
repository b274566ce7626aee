import { describe, expect, it } from 'vitest';
import { isExpiredOssKeyError } from 'managed-credentials-oss';

const ossError = (fields: Record<string, unknown>): Error => Object.assign(new Error('oss'), fields);

describe('isExpiredOssKeyError (default judge of ProxyOSSClient)', () => {
  it('accepts the InvalidAccessKeyId codes in any case', () => {
    expect(
      isExpiredOssKeyError(
        ossError({ name: 'InvalidAccessKeyIdError', status: 403, code: 'InvalidAccessKeyId' }),
      ),
    ).toBe(true);
    expect(isExpiredOssKeyError(ossError({ status: 403, code: 'invalidaccesskeyid' }))).toBe(true);
  });

  it('accepts the 403 without a code that ali-oss produces when it does not read the error body', () => {
    expect(isExpiredOssKeyError(ossError({ name: 'UnknownError', status: 403 }))).toBe(true);
  });

  it('accepts the same 403 as ali-oss below 6.18 names it (UnknowError, sic)', () => {
    expect(isExpiredOssKeyError(ossError({ name: 'UnknowError', status: 403 }))).toBe(true);
    expect(isExpiredOssKeyError(ossError({ name: 'UnknowError', status: 500 }))).toBe(false);
  });

  it('rejects other errors, including other 403s with a code', () => {
    expect(
      isExpiredOssKeyError(ossError({ name: 'AccessDeniedError', status: 403, code: 'AccessDenied' })),
    ).toBe(false);
    expect(
      isExpiredOssKeyError(
        ossError({ name: 'SignatureDoesNotMatchError', status: 403, code: 'SignatureDoesNotMatch' }),
      ),
    ).toBe(false);
    expect(isExpiredOssKeyError(ossError({ name: 'UnknownError', status: 500 }))).toBe(false);
    expect(isExpiredOssKeyError(ossError({ name: 'NoSuchKeyError', status: 404, code: 'NoSuchKey' }))).toBe(
      false,
    );
    expect(isExpiredOssKeyError(undefined)).toBe(false);
    expect(isExpiredOssKeyError('InvalidAccessKeyId')).toBe(false);
  });
});
