/** The doctor's two layers against leaks, each on its own (cli.test.ts covers them together). */
import { describe, expect, it } from 'vitest';
import { RedactingWriter, displayValue, maskKeyId } from '../src/cli/redact.js';

describe('displayValue', () => {
  it('shows a secret key as <redacted> and an AccessKey id masked', () => {
    expect(displayValue('credentials_access_secret', 'abcdefghijklmnop')).toBe('<redacted>');
    expect(displayValue('credentials_access_key_id', 'LTAI5tAbCdEfGhIjKlMnOpQr')).toBe('LTAI****OpQr');
    expect(displayValue('credentials_type', 'ak')).toBe('ak');
  });

  it('redacts secret-looking fields inside JSON values but shows where passwords are', () => {
    const shown = displayValue(
      'cache_client_dkms_config_info',
      JSON.stringify([
        {
          regionId: 'r',
          password: 'hunter2-hunter2',
          passwordFromEnvVariable: 'PW_VAR',
          clientKeyFile: 'k.json',
        },
      ]),
    );
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('"password":"<redacted>"');
    expect(shown).toContain('"passwordFromEnvVariable":"PW_VAR"');
  });

  it('masks short key ids completely', () => {
    expect(maskKeyId('short')).toBe('****');
  });
});

describe('RedactingWriter', () => {
  it('replaces every forgotten secret, longest first, and ignores very short values', () => {
    const lines: string[] = [];
    const writer = new RedactingWriter((text) => lines.push(text));
    writer.forget('s3cr3t-value');
    writer.forget('s3cr3t-value-longer');
    writer.forget('ab');
    writer.line('a s3cr3t-value-longer and a s3cr3t-value in ab');
    expect(lines).toEqual(['a <redacted> and a <redacted> in ab\n']);
  });
});

describe('Redactor: AccessKey ids in any text', () => {
  it('masks ids in a KMS string-to-sign, by shape and by field, and redacts an STS token', async () => {
    const { Redactor } = await import('../src/cli/redact.js');
    const redactor = new Redactor();
    const message =
      'Specified signature is not matched with our calculation. server string to sign is:' +
      'POST&%2F&AccessKeyId%3DLTAI5tAbCdEfGhIjKlMnOpQr%26Action%3DGetSecretValue%26SecurityToken%3DCAIS.tok%2Ben' +
      ' and STS.NTabcdefghijklmnopqrstuvwxyz plus AccessKeyId=custom-id-123456 and "AccessKeyId":"odd-id-9876543"';
    const safe = redactor.apply(message);

    expect(safe).toContain('AccessKeyId%3DLTAI****OpQr%26');
    expect(safe).toContain('SecurityToken%3D<redacted>');
    expect(safe).toContain('STS.****wxyz');
    expect(safe).not.toMatch(/LTAI5t|NTabcdef|custom-id-123456|odd-id-9876543|CAIS/);
  });

  it('masks a known id exactly, and leaves masked ids alone', async () => {
    const { Redactor } = await import('../src/cli/redact.js');
    const redactor = new Redactor();
    redactor.maskKeyId('my-own-key-id-000111');
    expect(redactor.apply('key my-own-key-id-000111 and LTAI****wXyZ')).toBe(
      'key my-o****0111 and LTAI****wXyZ',
    );
  });
});
