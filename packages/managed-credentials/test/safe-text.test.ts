/** What of an SDK error or a KMS message may appear in our errors (kms/safe-text.ts). */
import { describe, expect, it } from 'vitest';
import { maskId, safeText } from '../src/kms/safe-text.js';

describe('safeText', () => {
  it('drops everything from the string-to-sign on', () => {
    expect(
      safeText(
        'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tAbCdEfGh',
      ),
    ).toBe('Specified signature is not matched with our calculation. server');
  });

  it('keeps only the origin of a URL (its query carries the signature, key id and token)', () => {
    expect(
      safeText(
        'socket hang upPOST http://127.0.0.1:8080/?AccessKeyId=KAAP.1&SecurityToken=tok&Signature=abc failed.',
      ),
    ).toBe('socket hang upPOST http://127.0.0.1:8080 failed.');
  });

  it('masks known ids and removes known secrets, and anything shaped like a key id or a long token', () => {
    const text = safeText(
      'id LTAI5tQwErTy1234 secret s3cr3t-value token STS.NUxyzAbc1234567 blob ' + 'A'.repeat(40),
      {
        ids: ['LTAI5tQwErTy1234'],
        secrets: ['s3cr3t-value'],
      },
    );
    expect(text).toBe('id LTAI****1234 secret <redacted> token STS.****4567 blob <redacted>');
  });

  it('cuts long text', () => {
    expect(safeText('x '.repeat(300), {}, 20)).toHaveLength(21);
    expect(maskId('short')).toBe('****');
  });
});
