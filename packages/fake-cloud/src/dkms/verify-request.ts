import { createHash, createVerify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ClientKeyStore } from '../types.js';
import type { InstanceErrorAnswer } from './answers.js';

export const INSTANCE_API_VERSION = 'dkms-gcs-0.2';
export const INSTANCE_SIGNATURE_METHOD = 'RSA_PKCS1_SHA_256';
/** The instance API refuses requests dated more than 15 minutes from its clock. */
export const MAX_DATE_SKEW_MS = 15 * 60 * 1000;
/** RFC 1123 as HTTP dates are written: `Mon, 23 Nov 2026 17:44:06 GMT`. */
const RFC_1123 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A request that passed every check: who signed it and which API it calls. */
export interface VerifiedRequest {
  readonly keyId: string;
  readonly apiName: string;
  /** Always `RSA_PKCS1_SHA_256`, the one method the instance API accepts. */
  readonly signatureMethod: string;
}

/**
 * Checks a KMS instance API request as the real instance does, in its order:
 * API version and name, signature method, `date` (format, then 15-minute
 * skew), ClientKey id, `content-sha256` against the body, then the RSA
 * signature over the canonical string with the ClientKey's public key. Codes
 * and HTTP statuses follow the instance API's documented common errors.
 */
export function verifyInstanceRequest(
  req: IncomingMessage,
  body: Buffer,
  context: { clientKeys: ClientKeyStore; now: number; apiNames: ReadonlySet<string> },
): VerifiedRequest | InstanceErrorAnswer {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const apiVersion = header('x-kms-apiversion');
  if (apiVersion !== INSTANCE_API_VERSION) {
    return {
      status: 400,
      code: 'InvalidApiVersion',
      message: `The ApiVersion "${apiVersion ?? ''}" is invalid.`,
    };
  }
  const apiName = header('x-kms-apiname') ?? '';
  if (!context.apiNames.has(apiName)) {
    return { status: 400, code: 'InvalidApiName', message: `The ApiName "${apiName}" is invalid.` };
  }
  const signatureMethod = header('x-kms-signaturemethod');
  if (signatureMethod === undefined) {
    return { status: 400, code: 'InvalidParam', message: 'The Param x-kms-signaturemethod is invalid.' };
  }
  if (signatureMethod !== INSTANCE_SIGNATURE_METHOD) {
    return {
      status: 400,
      code: 'InvalidParam',
      message: `The Param x-kms-signaturemethod is invalid. message:"${signatureMethod}".`,
    };
  }
  const date = header('date') ?? '';
  const sentAt = RFC_1123.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(sentAt)) {
    return { status: 400, code: 'InvalidParam', message: 'The Param Date is invalid.' };
  }
  if (Math.abs(context.now - sentAt) > MAX_DATE_SKEW_MS) {
    return {
      status: 400,
      code: 'RequestTimeTooSkewed',
      message: 'Request time exceeds server time more than 15 minutes.',
    };
  }
  const keyId = header('x-kms-acccesskeyid');
  if (!keyId) {
    return {
      status: 400,
      code: 'MissingParameter',
      message: 'Parameter x-kms-acccesskeyid does not exist in http header or body.',
    };
  }
  const clientKey = context.clientKeys.get(keyId);
  if (!clientKey) {
    return {
      status: 404,
      code: 'Unauthorized',
      message: `The AccessKey ID "${keyId}" does not exist in our records.`,
    };
  }
  const mismatch = { status: 401, code: 'SignatureNotMatch', message: 'Signature is not matched.' };
  const sentSha256 = header('content-sha256') ?? '';
  if (sentSha256.toUpperCase() !== createHash('sha256').update(body).digest('hex').toUpperCase()) {
    // The signature covers content-sha256, so a body that does not match it is not the body that was signed.
    return mismatch;
  }
  const authorization = /^Bearer\s+(\S+)$/.exec(header('authorization') ?? '');
  if (!authorization?.[1]) return mismatch;
  const verifier = createVerify('RSA-SHA256').update(canonicalString(req, header), 'utf8');
  if (!verifier.verify(clientKey.publicKeyPem, authorization[1], 'base64')) return mismatch;
  return { keyId, apiName, signatureMethod };
}

/**
 * The canonical string, rebuilt from the request as received (Node lower-cases
 * header names): `METHOD\ncontent-sha256\ncontent-type\ndate\n`, every
 * `x-kms-*` header as `name:trimmed value\n` in ascending order, then `/`.
 */
function canonicalString(req: IncomingMessage, header: (name: string) => string | undefined): string {
  const kmsHeaders = Object.keys(req.headers)
    .filter((name) => name.startsWith('x-kms-'))
    .sort()
    .map((name) => `${name}:${(header(name) ?? '').trim()}\n`)
    .join('');
  const head = [req.method ?? '', header('content-sha256'), header('content-type'), header('date')]
    .map((value) => `${value ?? ''}\n`)
    .join('');
  return `${head}${kmsHeaders}/`;
}
