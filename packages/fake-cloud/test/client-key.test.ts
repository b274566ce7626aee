import { createSign, createVerify } from 'node:crypto';
import { inspect } from 'node:util';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { generateClientKey } from '../src/client-key.js';

describe('generateClientKey', () => {
  const key = generateClientKey();

  it('produces a clientKey_****.json whose PKCS#12 opens with the password', () => {
    expect(key.keyId).toMatch(/^KAAP\.[0-9a-f-]{36}$/);
    const file = JSON.parse(key.json) as { KeyId: string; PrivateKeyData: string };
    expect(file).toEqual({ KeyId: key.keyId, PrivateKeyData: key.privateKeyData });
    const der = forge.util.decode64(file.PrivateKeyData);
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), key.password);
    const bagType = forge.pki.oids['pkcs8ShroudedKeyBag']!;
    const bag = p12.getBags({ bagType })[bagType]?.[0];
    expect(bag?.key).toBeDefined();
    const pem = forge.pki.privateKeyToPem(bag!.key as forge.pki.rsa.PrivateKey);
    const signature = createSign('RSA-SHA256').update('hello').sign(pem);
    expect(createVerify('RSA-SHA256').update('hello').verify(key.publicKeyPem, signature)).toBe(true);
  });

  it('rejects a wrong password', () => {
    const der = forge.util.decode64(key.privateKeyData);
    expect(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), 'wrong')).toThrow();
  });

  it('keeps the password and private key out of inspect, JSON and toString', () => {
    const shown = [inspect(key), JSON.stringify(key), String(key)].join('\n');
    expect(shown).toContain(key.keyId);
    expect(shown).not.toContain(key.password);
    expect(shown).not.toContain('PRIVATE KEY');
  });

  it('honours a given password and key id', () => {
    const custom = generateClientKey({ password: 'pw-1', keyId: 'KAAP.fixed' });
    expect(custom.keyId).toBe('KAAP.fixed');
    expect(custom.password).toBe('pw-1');
  });
});
