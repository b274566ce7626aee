import { constants, privateEncrypt } from 'node:crypto';
import forge from 'node-forge';

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs a forge certificate with SHA-256/RSA using node:crypto for the RSA
 * operation: forge's pure-JS private-key operation takes most of a second on
 * a busy machine, node's native one a millisecond.
 */
export function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const nativeSigner = {
    sign(md: forge.md.MessageDigest): string {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
      // privateEncrypt with PKCS#1 padding is the v1.5 signature primitive (block type 1).
      return privateEncrypt(
        { key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING },
        digestInfo,
      ).toString('binary');
    },
  };
  cert.sign(nativeSigner as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}
