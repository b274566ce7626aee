import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeGetSecretValueResponse,
  decodeInstanceError,
  encodeGetSecretValueRequest,
  type GetSecretValueRequestMessage,
} from '../src/dkms/messages.js';
import { startFakeCloud, type FakeCloud } from '../src/index.js';

const EXTENDED_CONFIG = { SecretSubType: 'RamUserAccessKey', UserName: 'app' };
const NEXT_ROTATION = '2026-11-24T17:00:00Z';

/** What a caller signs with: a ClientKey id and its private key. */
interface SigningKey {
  keyId: string;
  privateKeyPem: string;
}

/** A key pair the fake cloud has never registered. */
function strangerKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyId: 'KAAP.00000000-0000-0000-0000-000000000000', privateKeyPem: privateKey };
}

interface SendOptions {
  key?: SigningKey;
  /** Signs with this private key instead of the key's own. */
  signingKeyPem?: string;
  date?: Date;
  /** Sent instead of the signed body, after signing; `recomputeSha256` also rewrites content-sha256 to match it. */
  tamper?: { body: Buffer; recomputeSha256?: boolean };
  headers?: Record<string, string | undefined>;
  body?: Buffer;
}

/**
 * Builds and signs a request by hand, independently of the plug-in's client:
 * string-to-sign as in the official instance SDKs (alibabacloud-dkms-gcs-*).
 */
function send(cloud: FakeCloud, message: Partial<GetSecretValueRequestMessage>, options: SendOptions) {
  const key = options.key as SigningKey;
  const body = options.body ?? encodeGetSecretValueRequest(message);
  const headers: Record<string, string> = {
    accept: 'application/x-protobuf',
    date: (options.date ?? new Date()).toUTCString(),
    'x-kms-apiversion': 'dkms-gcs-0.2',
    'x-kms-apiname': 'GetSecretValue',
    'x-kms-signaturemethod': 'RSA_PKCS1_SHA_256',
    'x-kms-acccesskeyid': key.keyId,
    'content-type': 'application/x-protobuf',
    'content-sha256': createHash('sha256').update(body).digest('hex').toUpperCase(),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const kmsHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-kms-'))
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const stringToSign = `POST\n${headers['content-sha256']}\n${headers['content-type']}\n${headers['date']}\n${kmsHeaders}/`;
  const signature = createSign('RSA-SHA256')
    .update(stringToSign)
    .sign(options.signingKeyPem ?? key.privateKeyPem, 'base64');
  headers['authorization'] = `Bearer ${signature}`;
  const sent = options.tamper?.body ?? body;
  if (options.tamper?.recomputeSha256) {
    headers['content-sha256'] = createHash('sha256').update(sent).digest('hex').toUpperCase();
  }
  headers['content-length'] = String(sent.length);
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const request = https.request(
      `${cloud.dkms.endpoint}/`,
      { method: 'POST', ca: cloud.caPem, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    request.on('error', reject);
    request.end(sent);
  });
}

describe('KMS instance API emulator (dkms)', () => {
  const stranger = strangerKey();
  let cloud: FakeCloud;
  let key: SigningKey;
  let secretData: string;

  beforeAll(async () => {
    cloud = await startFakeCloud();
    key = cloud.createClientKey();
    const created = cloud.createRamSecret('ram-secret', {
      extendedConfig: EXTENDED_CONFIG,
      rotationInterval: '86400s',
      nextRotationDate: NEXT_ROTATION,
    });
    secretData = created.view.secretData;
  });
  afterAll(() => cloud.close());

  /** The counters' record of the last KMS instance request. */
  const last = () =>
    cloud.counters
      .list()
      .filter((record) => record.service === 'dkms')
      .at(-1);

  const request = { SecretName: 'ram-secret', VersionStage: 'ACSCurrent', FetchExtendedConfig: true };
  const errorOf = (answer: { body: Buffer }) => decodeInstanceError(answer.body);

  it('answers GetSecretValue in protobuf with the fields the refresh policy needs', async () => {
    const answer = await send(cloud, request, { key });
    expect(answer.status).toBe(200);
    const body = decodeGetSecretValueResponse(answer.body);
    expect(body).toMatchObject({
      SecretName: 'ram-secret',
      SecretData: secretData,
      SecretDataType: 'text',
      SecretType: 'RamCredentials',
      VersionId: cloud.getSecret('ram-secret')?.versionId,
      VersionStages: ['ACSCurrent'],
      RotationInterval: '86400s',
      NextRotationDate: NEXT_ROTATION,
      AutomaticRotation: 'Enabled',
    });
    expect(JSON.parse(body.ExtendedConfig ?? '')).toEqual(EXTENDED_CONFIG);
    expect(body.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(last()).toMatchObject({
      action: 'GetSecretValue',
      accessKeyId: key.keyId,
      secretName: 'ram-secret',
      signatureMethod: 'RSA_PKCS1_SHA_256',
      status: 200,
      outcome: 'ok',
    });
  });

  it('leaves the extended config out unless FetchExtendedConfig is set', async () => {
    const answer = await send(cloud, { SecretName: 'ram-secret' }, { key });
    const body = decodeGetSecretValueResponse(answer.body);
    expect(body.SecretData).toBe(secretData);
    expect(body.ExtendedConfig).toBeUndefined();
    expect(body.RotationInterval).toBeUndefined();
  });

  it('rejects a body that is not the signed one (tampered in transit) with 401 SignatureNotMatch', async () => {
    const other = encodeGetSecretValueRequest({ ...request, SecretName: 'other-secret' });
    const answer = await send(cloud, request, { key, tamper: { body: other } });
    expect(answer.status).toBe(401);
    expect(errorOf(answer)).toMatchObject({ StatusCode: 401, ErrorCode: 'SignatureNotMatch' });
    expect(last()).toMatchObject({ status: 401, outcome: 'SignatureNotMatch' });
  });

  it('rejects a tampered body whose content-sha256 was rewritten to match (the signature covers it)', async () => {
    const other = encodeGetSecretValueRequest({ ...request, SecretName: 'other-secret' });
    const answer = await send(cloud, request, {
      key,
      tamper: { body: other, recomputeSha256: true },
    });
    expect(answer.status).toBe(401);
    expect(errorOf(answer).ErrorCode).toBe('SignatureNotMatch');
  });

  it('rejects a signature made with another private key with 401 SignatureNotMatch', async () => {
    const answer = await send(cloud, request, { key, signingKeyPem: stranger.privateKeyPem });
    expect(answer.status).toBe(401);
    expect(errorOf(answer)).toMatchObject({
      ErrorCode: 'SignatureNotMatch',
      ErrorMessage: 'Signature is not matched.',
    });
  });

  it('answers an unknown ClientKey id with 404 Unauthorized', async () => {
    const answer = await send(cloud, request, { key: stranger });
    expect(answer.status).toBe(404);
    expect(errorOf(answer)).toMatchObject({ StatusCode: 404, ErrorCode: 'Unauthorized' });
    expect(errorOf(answer).ErrorMessage).toContain(stranger.keyId);
  });

  it('refuses a date more than 15 minutes away with RequestTimeTooSkewed, accepts one within', async () => {
    const late = await send(cloud, request, { key, date: new Date(Date.now() - 16 * 60_000) });
    expect(late.status).toBe(400);
    expect(errorOf(late).ErrorCode).toBe('RequestTimeTooSkewed');
    const early = await send(cloud, request, { key, date: new Date(Date.now() + 16 * 60_000) });
    expect(errorOf(early).ErrorCode).toBe('RequestTimeTooSkewed');
    const within = await send(cloud, request, { key, date: new Date(Date.now() - 14 * 60_000) });
    expect(within.status).toBe(200);
  });

  it('refuses a date that is not RFC 1123 with InvalidParam', async () => {
    const answer = await send(cloud, request, {
      key,
      headers: { date: new Date().toISOString() },
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({
      ErrorCode: 'InvalidParam',
      ErrorMessage: 'The Param Date is invalid.',
    });
  });

  it('answers a malformed protobuf body with InvalidParam', async () => {
    const answer = await send(cloud, request, {
      key,
      body: Buffer.from('{"SecretName":"ram-secret"}'),
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).ErrorCode).toBe('InvalidParam');
  });

  it('answers an unknown secret with 404 Forbidden.ResourceNotFound', async () => {
    const answer = await send(cloud, { ...request, SecretName: 'nope' }, { key });
    expect(answer.status).toBe(404);
    expect(errorOf(answer).ErrorCode).toBe('Forbidden.ResourceNotFound');
    expect(last()).toMatchObject({ secretName: 'nope', outcome: 'Forbidden.ResourceNotFound' });
  });

  it('checks API version, API name, signature method and key id headers', async () => {
    const cases: [Record<string, string | undefined>, number, string][] = [
      [{ 'x-kms-apiversion': '2016-01-20' }, 400, 'InvalidApiVersion'],
      [{ 'x-kms-apiname': 'Encrypt' }, 400, 'InvalidApiName'],
      [{ 'x-kms-signaturemethod': undefined }, 400, 'InvalidParam'],
      [{ 'x-kms-signaturemethod': 'HMAC-SHA1' }, 400, 'InvalidParam'],
      [{ 'x-kms-acccesskeyid': undefined }, 400, 'MissingParameter'],
    ];
    for (const [headers, status, code] of cases) {
      const answer = await send(cloud, request, { key, headers });
      expect({ status: answer.status, code: errorOf(answer).ErrorCode }).toEqual({ status, code });
    }
  });
});
