/** SPEC §6: the default judge of the pop-core clients, on the error shapes pop-core 1.7–1.8 throws. */
import { describe, expect, it } from 'vitest';
import { isExpiredPopCoreKeyError } from 'managed-credentials-pop-core';

const popError = (fields: Record<string, unknown>): Error => Object.assign(new Error('pop-core'), fields);

describe('isExpiredPopCoreKeyError (default judge of ProxyRPCClient / ProxyROAClient)', () => {
  it('accepts the InvalidAccessKeyId codes in `code` (RPC, and ROA since 1.7.13), any case', () => {
    expect(
      isExpiredPopCoreKeyError(
        popError({
          name: 'InvalidAccessKeyId.NotFoundError',
          code: 'InvalidAccessKeyId.NotFound',
          data: { Code: 'InvalidAccessKeyId.NotFound' },
        }),
      ),
    ).toBe(true);
    expect(isExpiredPopCoreKeyError(popError({ code: 'invalidaccesskeyid', statusCode: 400 }))).toBe(true);
  });

  it('accepts the ROA error of pop-core before 1.7.13, whose code is only in its name', () => {
    expect(isExpiredPopCoreKeyError(popError({ name: 'InvalidAccessKeyId.NotFoundError' }))).toBe(true);
    expect(isExpiredPopCoreKeyError(popError({ name: 'InvalidAccessKeyIdError' }))).toBe(true);
  });

  it('rejects other errors', () => {
    expect(
      isExpiredPopCoreKeyError(
        popError({ name: 'SignatureDoesNotMatchError', code: 'SignatureDoesNotMatch' }),
      ),
    ).toBe(false);
    expect(isExpiredPopCoreKeyError(popError({ name: 'Error', statusCode: 404, code: '' }))).toBe(false);
    expect(isExpiredPopCoreKeyError(popError({ name: 'UnauthorizedError', code: 'Unauthorized' }))).toBe(
      false,
    );
    expect(isExpiredPopCoreKeyError(new Error('InvalidAccessKeyId'))).toBe(false);
    expect(isExpiredPopCoreKeyError({ name: 'InvalidAccessKeyIdError' })).toBe(false);
    expect(isExpiredPopCoreKeyError(undefined)).toBe(false);
  });
});
