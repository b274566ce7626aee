import { createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientKeyError } from '../src/errors.js';
import { loadClientKey } from '../src/config/index.js';
import { makeClientKey, TempDir, type TestClientKey } from './helpers/config-fixtures.js';

let dir: TempDir;
let key: TestClientKey;
let file: string;

beforeAll(() => {
  dir = new TempDir();
  key = makeClientKey();
  file = dir.write('clientKey_KAAP.json', key.json);
});
afterAll(() => dir.remove());

describe('SPEC §2/§3 ClientKey loading', () => {
  it('decrypts the PKCS#12 into a private key that signs verifiably with the certificate key', () => {
    const clientKey = loadClientKey(file, key.password, { key: 'client_key_private_key_path' });
    expect(clientKey.keyId).toBe(key.keyId);
    expect(clientKey.file).toBe(file);
    const signature = createSign('RSA-SHA256')
      .update('payload')
      .sign(createPrivateKey(clientKey.privateKeyPem));
    const publicKey = createPublicKey(key.certificatePem);
    expect(createVerify('RSA-SHA256').update('payload').verify(publicKey, signature)).toBe(true);
  });

  it('redacts itself in JSON, inspect, toString and spreads', () => {
    const clientKey = loadClientKey(file, key.password, { key: 'client_key_private_key_path' });
    const printed = [
      JSON.stringify(clientKey),
      inspect(clientKey, { depth: 5, showHidden: true }),
      String(clientKey),
      JSON.stringify({ ...clientKey }),
      inspect({ ...clientKey }),
    ].join('\n');
    expect(printed).toContain(key.keyId);
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toContain(clientKey.privateKeyPem.split('\n')[1]);
    expect(Object.keys(clientKey)).toEqual(['keyId', 'file']);
    expect(JSON.parse(JSON.stringify(clientKey))).toEqual({
      keyId: key.keyId,
      file,
      privateKeyPem: '<redacted>',
    });
  });

  it('rejects a wrong password with a ClientKeyError naming the file and the context, not the password', () => {
    let caught: unknown;
    try {
      loadClientKey(file, 'definitely-not-it', { key: 'cache_client_dkms_config_info', detail: 'entry #3' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClientKeyError);
    const error = caught as ClientKeyError;
    expect(error.code).toBe('MC_CLIENT_KEY_INVALID');
    expect(error.file).toBe(file);
    expect(error.key).toBe('cache_client_dkms_config_info');
    expect(error.message).toContain(file);
    expect(error.message).toContain('entry #3');
    expect(error.message).toMatch(/password/);
    expect(`${error.message}${inspect(error)}`).not.toContain('definitely-not-it');
  });
});
