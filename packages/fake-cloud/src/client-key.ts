import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { signCertificate } from './forge-sign.js';

/**
 * A KMS ClientKey as Alibaba Cloud hands it out: the `clientKey_****.json`
 * file (KeyId + base64 PKCS#12) and the password that opens it. The PEM halves
 * are here so tests can sign by hand and the emulator can verify.
 */
export interface ClientKeyMaterial {
  /** `KAAP.<uuid>`, the id KMS signs requests with. */
  readonly keyId: string;
  /** Opens the PKCS#12. Generated at test time; never log it. */
  readonly password: string;
  /** Base64 PKCS#12 (private key + self-signed certificate), encrypted with `password`. */
  readonly privateKeyData: string;
  readonly publicKeyPem: string;
  /** PKCS#8 PEM of the private key (unencrypted). */
  readonly privateKeyPem: string;
  /** The text of `clientKey_<id>.json`: `{"KeyId": …, "PrivateKeyData": …}`. */
  readonly json: string;
}

export interface GenerateClientKeyOptions {
  /** Default: 32 random hex characters. */
  password?: string;
  /** Default: `KAAP.<random uuid>`. */
  keyId?: string;
}

/**
 * Makes a fresh RSA-2048 ClientKey. The PKCS#12 uses PBE-SHA1-3DES (the
 * widely readable choice), so node-forge's `pkcs12FromAsn1` opens it with the
 * password.
 */
export function generateClientKey(options: GenerateClientKeyOptions = {}): ClientKeyMaterial {
  const keyId = options.keyId ?? `KAAP.${randomUUID()}`;
  const password = options.password ?? randomBytes(16).toString('hex');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  const forgePublic = forge.pki.publicKeyFromPem(publicKey);
  const cert = selfSignedCertificate(forgePublic, privateKey, keyId);
  const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], password, { algorithm: '3des' });
  const privateKeyData = forge.util.encode64(forge.asn1.toDer(p12).getBytes());
  const json = JSON.stringify({ KeyId: keyId, PrivateKeyData: privateKeyData });
  const material: ClientKeyMaterial = {
    keyId,
    password,
    privateKeyData,
    publicKeyPem: publicKey,
    privateKeyPem: privateKey,
    json,
  };
  return redact(material);
}

function selfSignedCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  privateKeyPem: string,
  keyId: string,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: keyId }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  signCertificate(cert, privateKeyPem);
  return cert;
}

/** Keeps the password and private key out of `JSON.stringify` and `util.inspect`. */
function redact<T extends { keyId: string }>(material: T): T {
  const view = (): string => `ClientKeyMaterial(${material.keyId})`;
  return Object.defineProperties(material, {
    toJSON: { value: () => ({ keyId: material.keyId }), enumerable: false },
    toString: { value: view, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: view, enumerable: false },
  });
}
