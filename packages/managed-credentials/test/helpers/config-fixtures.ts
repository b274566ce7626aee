import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import forge from 'node-forge';
import { toProperties } from 'managed-credentials-fake-cloud';

/** A ClientKey made at test time: never committed, never reused across runs. */
export interface TestClientKey {
  keyId: string;
  password: string;
  /** Base64 PKCS#12, as in `PrivateKeyData`. */
  privateKeyData: string;
  /** PKCS#8 PEM of the private key, to compare with what the loader decrypts. */
  privateKeyPem: string;
  /** PEM of the self-signed certificate in the PKCS#12 (also usable as a "CA" file). */
  certificatePem: string;
  /** The `clientKey_<id>.json` text. */
  json: string;
}

/** RSA-1024 keeps key generation fast; the loader does not care about the size. */
export function makeClientKey(options: { password?: string; keyId?: string } = {}): TestClientKey {
  const keyId = options.keyId ?? `KAAP.${randomUUID()}`;
  const password = options.password ?? `pw-${randomBytes(12).toString('hex')}`;
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  cert.setSubject([{ name: 'commonName', value: keyId }]);
  cert.setIssuer([{ name: 'commonName', value: keyId }]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des' });
  const privateKeyData = forge.util.encode64(forge.asn1.toDer(p12).getBytes());
  return {
    keyId,
    password,
    privateKeyData,
    privateKeyPem: privateKey,
    certificatePem: forge.pki.certificateToPem(cert),
    json: JSON.stringify({ KeyId: keyId, PrivateKeyData: privateKeyData }),
  };
}

/** A scratch folder with helpers to write files into it; `remove()` in afterAll/afterEach. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'mc-config-'));

  /** Writes `content` at `relative` (folders created) and returns the absolute path. */
  write(relative: string, content: string): string {
    const path = join(this.path, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  /** Writes a `.properties` file; backslashes are escaped as `java.util.Properties` wants. */
  writeProperties(relative: string, values: Record<string, string>): string {
    return this.write(relative, toProperties(values, 'written by a test'));
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
