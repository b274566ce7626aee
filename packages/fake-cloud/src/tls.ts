import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { signCertificate } from './forge-sign.js';

/** A throw-away CA and a server certificate it signed for `127.0.0.1` and `localhost`. */
export interface TlsMaterial {
  /** Trust this (e.g. runtime option `ca`) to reach the HTTPS endpoints. */
  readonly caPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

const DAY_MS = 24 * 3600_000;

let shared: TlsMaterial | undefined;

/**
 * One CA + server certificate per process, made on first use: RSA key
 * generation dominates start-up time, and the material is immutable.
 */
export function sharedTlsMaterial(): TlsMaterial {
  shared ??= generateTlsMaterial();
  return shared;
}

/** Generates a fresh CA and server certificate; nothing is written to disk. */
export function generateTlsMaterial(): TlsMaterial {
  const ca = rsaKeyPair();
  const caCert = certificate({
    publicKey: ca.publicKey,
    subject: [
      { name: 'commonName', value: 'managed-credentials fake-cloud CA' },
      { name: 'organizationName', value: 'fake-cloud' },
    ],
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  caCert.setIssuer(caCert.subject.attributes);
  signCertificate(caCert, ca.privateKeyPem);

  const server = rsaKeyPair();
  const serverCert = certificate({
    publicKey: server.publicKey,
    subject: [{ name: 'commonName', value: '127.0.0.1' }],
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  serverCert.setIssuer(caCert.subject.attributes);
  signCertificate(serverCert, ca.privateKeyPem);

  return {
    caPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(serverCert),
    serverKeyPem: server.privateKeyPem,
  };
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  // node:crypto generates the key and signs (fast, native); forge only builds the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKeyPem: privateKey,
  };
}

function certificate(spec: {
  publicKey: forge.pki.rsa.PublicKey;
  subject: forge.pki.CertificateField[];
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject(spec.subject);
  cert.setExtensions(spec.extensions);
  return cert;
}
