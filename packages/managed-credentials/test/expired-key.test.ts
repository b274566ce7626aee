import { describe, expect, it } from 'vitest';
import { createExpiredKeyJudge, isExpiredKeyError } from '../src/index.js';

describe('default expired-key judge (SPEC §6)', () => {
  const expired: Array<[string, unknown]> = [
    ['tea err.code', { code: 'InvalidAccessKeyId.NotFound' }],
    ['tea err.code, plain InvalidAccessKeyId', { code: 'InvalidAccessKeyId' }],
    ['tea err.data.Code only', { code: 'SomethingElse', data: { Code: 'InvalidAccessKeyId.NotFound' } }],
    [
      'ali-oss code (from the XML body, HTTP 403)',
      Object.assign(new Error('x'), {
        name: 'InvalidAccessKeyIdError',
        code: 'InvalidAccessKeyId',
        status: 403,
      }),
    ],
    ['case-insensitive', { code: 'invalidaccesskeyid.notfound' }],
    ['legacy RPC client suffix', { code: 'InvalidAccessKeyId.NotFoundError' }],
  ];
  it.each(expired)('matches %s', (_label, error) => {
    expect(isExpiredKeyError(error)).toBe(true);
  });

  const notExpired: Array<[string, unknown]> = [
    ['a permission error', { code: 'Forbidden.RAM' }],
    ['a signature mismatch', { code: 'SignatureDoesNotMatch' }],
    ['Unauthorized without the option', { code: 'Unauthorized' }],
    ['a plain Error', new Error('InvalidAccessKeyId.NotFound')],
    ['a string', 'InvalidAccessKeyId'],
    ['null', null],
    ['undefined', undefined],
    ['a non-string code', { code: 403 }],
  ];
  it.each(notExpired)('does not match %s', (_label, error) => {
    expect(isExpiredKeyError(error)).toBe(false);
  });

  it('treats Unauthorized as expired only with the option', () => {
    const judge = createExpiredKeyJudge({ treatUnauthorizedAsExpired: true });
    expect(judge({ code: 'Unauthorized' })).toBe(true);
    expect(judge({ data: { Code: 'unauthorized' } })).toBe(true);
    expect(judge({ code: 'InvalidAccessKeyId' })).toBe(true);
    expect(createExpiredKeyJudge()({ code: 'Unauthorized' })).toBe(false);
  });

  it('accepts extra codes', () => {
    const judge = createExpiredKeyJudge({ extraCodes: ['InvalidSecurityToken.Expired'] });
    expect(judge({ code: 'InvalidSecurityToken.Expired' })).toBe(true);
    expect(isExpiredKeyError({ code: 'InvalidSecurityToken.Expired' })).toBe(false);
  });
});
