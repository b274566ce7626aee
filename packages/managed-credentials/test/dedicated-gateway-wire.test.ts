import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeGetSecretValueResponse,
  decodeInstanceError,
  encodeGetSecretValueRequest,
} from '../src/kms/dedicated/messages.js';
import {
  contentSha256,
  instanceAuthorization,
  instanceStringToSign,
} from '../src/kms/dedicated/request-signature.js';
import { instanceOrigin } from '../src/kms/dedicated/instance-endpoint.js';

/** A protobuf length-delimited field (wire type 2) with a one-byte length, built by hand. */
const text = (field: number, value: string) =>
  Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(value)]), Buffer.from(value)]);

describe('KMS instance API wire format', () => {
  it('encodes GetSecretValueRequest with the field numbers of the official api.proto', () => {
    const body = encodeGetSecretValueRequest({
      SecretName: 'a',
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: true,
    });
    // 1: SecretName, 2: VersionStage, 4: FetchExtendedConfig (varint 1)
    expect(body.toString('hex')).toBe(
      Buffer.concat([text(1, 'a'), text(2, 'ACSCurrent'), Buffer.from([0x20, 0x01])]).toString('hex'),
    );
  });

  it('decodes GetSecretValueResponse fields by number, dropping proto3 defaults', () => {
    const body = Buffer.concat([
      text(1, 'ram-secret'),
      text(2, 'RamCredentials'),
      text(3, '{"AccessKeyId":"id"}'),
      text(4, 'text'),
      text(5, 'ACSCurrent'),
      text(5, 'ACSPrevious'),
      text(6, 'v-2'),
      text(7, '2026-11-23T17:00:00Z'),
      text(8, 'req-1'),
      text(10, '2026-11-24T17:00:00Z'),
      text(11, '{"SecretSubType":"RamUserAccessKey"}'),
      text(12, 'Enabled'),
      text(13, '86400s'),
    ]);
    expect(decodeGetSecretValueResponse(body)).toEqual({
      SecretName: 'ram-secret',
      SecretType: 'RamCredentials',
      SecretData: '{"AccessKeyId":"id"}',
      SecretDataType: 'text',
      VersionStages: ['ACSCurrent', 'ACSPrevious'],
      VersionId: 'v-2',
      CreateTime: '2026-11-23T17:00:00Z',
      RequestId: 'req-1',
      NextRotationDate: '2026-11-24T17:00:00Z',
      ExtendedConfig: '{"SecretSubType":"RamUserAccessKey"}',
      AutomaticRotation: 'Enabled',
      RotationInterval: '86400s',
    });
  });

  it('decodes the Error message and refuses bytes that are not one', () => {
    const body = Buffer.concat([
      Buffer.from([0x08, 0x91, 0x03]),
      text(2, 'Unauthorized'),
      text(3, 'no such key'),
      text(4, 'r-9'),
    ]);
    expect(decodeInstanceError(body)).toEqual({
      StatusCode: 401,
      ErrorCode: 'Unauthorized',
      ErrorMessage: 'no such key',
      RequestId: 'r-9',
    });
    expect(decodeInstanceError(Buffer.from('<html>bad gateway</html>'))).toBeUndefined();
    expect(decodeInstanceError(Buffer.alloc(0))).toBeUndefined();
  });

  it('computes content-sha256 as upper-case hex', () => {
    // SHA-256 of "test", a well-known value.
    expect(contentSha256(Buffer.from('test'))).toBe(
      '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
    );
  });

  it('builds the canonical string: method, hash, type, date, sorted x-kms-* headers, then /', () => {
    const headers = {
      accept: 'application/x-protobuf',
      date: 'Mon, 23 Nov 2026 17:44:06 GMT',
      'user-agent': 'ua',
      'x-kms-signaturemethod': 'RSA_PKCS1_SHA_256',
      'x-kms-apiversion': 'dkms-gcs-0.2',
      'x-kms-apiname': 'GetSecretValue',
      'x-kms-acccesskeyid': '  KAAP.1234  ',
      'content-type': 'application/x-protobuf',
      'content-length': '4',
      'content-sha256': 'ABC',
    };
    expect(instanceStringToSign('POST', headers)).toBe(
      'POST\nABC\napplication/x-protobuf\nMon, 23 Nov 2026 17:44:06 GMT\n' +
        'x-kms-acccesskeyid:KAAP.1234\nx-kms-apiname:GetSecretValue\nx-kms-apiversion:dkms-gcs-0.2\n' +
        'x-kms-signaturemethod:RSA_PKCS1_SHA_256\n/',
    );
  });

  it('signs with SHA256withRSA as a Bearer token', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const authorization = instanceAuthorization('string to sign', privateKey);
    expect(authorization).toMatch(/^Bearer /);
    const signature = authorization.slice('Bearer '.length);
    expect(
      createVerify('RSA-SHA256')
        .update('string to sign')
        .verify(createPublicKey(privateKey), signature, 'base64'),
    ).toBe(true);
  });

  it('uses an endpoint with a scheme as given and implies HTTPS otherwise', () => {
    expect(instanceOrigin('https://127.0.0.1:8443')).toBe('https://127.0.0.1:8443');
    expect(instanceOrigin('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(instanceOrigin('kst-hzz1.cryptoservice.kms.aliyuncs.com')).toBe(
      'https://kst-hzz1.cryptoservice.kms.aliyuncs.com',
    );
    expect(instanceOrigin(' kst-hzz1.cryptoservice.kms.aliyuncs.com:8443 ')).toBe(
      'https://kst-hzz1.cryptoservice.kms.aliyuncs.com:8443',
    );
  });
});
