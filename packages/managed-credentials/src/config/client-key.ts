import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type forgeModule from 'node-forge';
import { ClientKeyError } from '../errors.js';
import type { ClientKey } from './types.js';

/** Says which configuration entry a ClientKey belongs to, for messages. */
export interface ClientKeyContext {
  /** The configuration key, e.g. `client_key_private_key_path` or `cache_client_dkms_config_info`. */
  key: string;
  /** Extra words placed after the key, e.g. `entry #1`. */
  detail?: string;
}

/**
 * A ClientKey whose private key stays out of every printout: it lives in a
 * private field behind a getter, so `JSON.stringify`, `util.inspect`,
 * `toString` and object spread show only the key id and file.
 */
export class LoadedClientKey implements ClientKey {
  readonly keyId: string;
  readonly file: string;
  readonly #privateKeyPem: string;

  constructor(fields: { keyId: string; privateKeyPem: string; file: string }) {
    this.keyId = fields.keyId;
    this.file = fields.file;
    this.#privateKeyPem = fields.privateKeyPem;
    Object.freeze(this);
  }

  /** PKCS#8 PEM of the RSA private key. */
  get privateKeyPem(): string {
    return this.#privateKeyPem;
  }

  toJSON(): Record<string, string> {
    return { keyId: this.keyId, file: this.file, privateKeyPem: '<redacted>' };
  }

  toString(): string {
    return `ClientKey(${this.keyId}, ${this.file})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Loads a `clientKey_****.json` file (`KeyId`, `PrivateKeyData` = base64
 * PKCS#12) and decrypts its private key with `password`.
 *
 * @throws ClientKeyError naming the file and the configuration key: file
 *   missing or unreadable, not JSON, no `KeyId`/`PrivateKeyData`, data not a
 *   base64 PKCS#12, wrong password, no RSA key inside. Never quotes the file
 *   content or the password.
 */
export function loadClientKey(file: string, password: string, context: ClientKeyContext): LoadedClientKey {
  const where = `${context.key}${context.detail === undefined ? '' : ` ${context.detail}`}`;
  const fail = (problem: string, cause?: unknown): ClientKeyError =>
    new ClientKeyError(`ClientKey file ${file} (${where}): ${problem}`, { key: context.key, file, cause });

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? 'error'}).`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause: JSON.parse messages quote the input, which holds the private key.
    throw fail('is not valid JSON; expected {"KeyId": "KAAP.…", "PrivateKeyData": "<base64 PKCS#12>"}.');
  }
  const record = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const keyId = record['KeyId'];
  const data = record['PrivateKeyData'];
  if (typeof keyId !== 'string' || keyId.trim() === '') throw fail('has no "KeyId".');
  if (typeof data !== 'string' || data.trim() === '') throw fail('has no "PrivateKeyData".');
  return new LoadedClientKey({
    keyId: keyId.trim(),
    privateKeyPem: decryptPkcs12(data, password, fail),
    file,
  });
}

/**
 * node-forge, loaded when a ClientKey is first read: an app that
 * authenticates otherwise never loads it. Synchronous (`require`), because
 * configuration loading is; node-forge is a CommonJS package.
 */
let forgeInstance: typeof forgeModule | undefined;
function loadForge(): typeof forgeModule {
  forgeInstance ??= createRequire(import.meta.url)('node-forge') as typeof forgeModule;
  return forgeInstance;
}

function decryptPkcs12(data: string, password: string, fail: (problem: string) => ClientKeyError): string {
  const forge = loadForge();
  const base64 = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw fail('"PrivateKeyData" is not base64.');
  }
  let asn1: forgeModule.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.decode64(base64));
  } catch {
    throw fail('"PrivateKeyData" is not a PKCS#12 (DER) structure.');
  }
  let p12: forgeModule.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    // node-forge says "PKCS#12 MAC could not be verified. Invalid password?" for a wrong password.
    const wrongPassword = /password|mac/i.test((error as Error).message ?? '');
    throw fail(
      wrongPassword
        ? 'the password does not open "PrivateKeyData" (wrong ClientKey password?).'
        : '"PrivateKeyData" is not a readable PKCS#12.',
    );
  }
  const bags = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag].flatMap((bagType) =>
    bagType === undefined ? [] : (p12.getBags({ bagType })[bagType] ?? []),
  );
  const key = bags.find((bag) => bag.key !== undefined)?.key;
  if (key === undefined)
    throw fail('"PrivateKeyData" holds no RSA private key (wrong password or not a ClientKey?).');
  const forgePem = forge.pki.privateKeyInfoToPem(
    forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)),
  );
  try {
    // Re-encode through node:crypto: proves Node can sign with it and gives the usual `\n` line endings.
    return createPrivateKey(forgePem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw fail('"PrivateKeyData" holds a private key that Node.js cannot use.');
  }
}
