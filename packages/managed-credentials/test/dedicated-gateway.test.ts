import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { inspect } from 'node:util';
import {
  generateTlsMaterial,
  startFakeCloud,
  type ClientKeyMaterial,
  type FakeCloud,
} from 'managed-credentials-fake-cloud';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DedicatedGatewayConfig } from '../src/config/types.js';
import { ClientKeyError, SecretFetchError, SecretNotFoundError } from '../src/errors.js';
import { createDedicatedGatewaySource } from '../src/kms/dedicated/index.js';
import type { SecretSource } from '../src/kms/types.js';

const EXTENDED_CONFIG = { SecretSubType: 'RamUserAccessKey', UserName: 'app' };
const NEXT_ROTATION = '2026-11-24T17:00:00Z';

/** A ClientKey id + private key the fake cloud has never seen (no PKCS#12 needed here). */
function unregisteredKey(): { keyId: string; privateKeyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyId: 'KAAP.00000000-0000-0000-0000-000000000000', privateKeyPem: privateKey };
}

/** An https://127.0.0.1 origin where nothing listens. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `https://127.0.0.1:${port}`;
}

describe('dedicated gateway (KMS instance API) source', () => {
  // A second CA (with its own server certificate) that did not issue the fake cloud's certificate.
  const otherTls = generateTlsMaterial();
  const otherCaPem = otherTls.caPem;
  let cloud: FakeCloud;
  let key: ClientKeyMaterial;
  let nowhere: string;
  const sources: SecretSource[] = [];

  beforeAll(async () => {
    cloud = await startFakeCloud();
    key = cloud.createClientKey();
    cloud.createRamSecret('ram-secret', {
      extendedConfig: EXTENDED_CONFIG,
      rotationInterval: '86400s',
      nextRotationDate: NEXT_ROTATION,
    });
    nowhere = await closedPort();
  });
  afterEach(() => {
    for (const source of sources.splice(0)) source.close?.();
    cloud.faults.dkms.clear();
  });
  afterAll(() => cloud.close());

  const gateway = (overrides: Partial<DedicatedGatewayConfig> = {}): DedicatedGatewayConfig => ({
    regionId: 'cn-hangzhou',
    endpoint: cloud.dkms.endpoint,
    clientKey: { keyId: key.keyId, privateKeyPem: key.privateKeyPem, file: '/keys/clientKey_test.json' },
    ignoreSslCerts: false,
    caPem: cloud.caPem,
    ...overrides,
  });
  const open = (...args: Parameters<typeof createDedicatedGatewaySource>): SecretSource => {
    const source = createDedicatedGatewaySource(...args);
    sources.push(source);
    return source;
  };
  const failure = async (promise: Promise<unknown>): Promise<SecretFetchError> => {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SecretFetchError);
    return error as SecretFetchError;
  };
  const dkmsCount = (outcome?: string) => cloud.counters.count({ service: 'dkms', outcome });

  describe('fetching through one instance', () => {
    it('returns every field the refresh policy needs', async () => {
      const info = await open([gateway()]).getSecretValue('ram-secret');
      const stored = cloud.getSecret('ram-secret');
      expect(info).toMatchObject({
        secretName: 'ram-secret',
        secretData: stored?.secretData,
        secretDataType: 'text',
        versionId: stored?.versionId,
        versionStages: ['ACSCurrent'],
        secretType: 'RamCredentials',
        extendedConfig: EXTENDED_CONFIG,
        rotationInterval: '86400s',
        nextRotationDate: NEXT_ROTATION,
        createTime: stored?.createTime,
      });
      expect(info.requestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(JSON.parse(info.secretData)).toMatchObject({
        AccessKeyId: cloud.currentAccessKey('ram-secret')?.accessKeyId,
      });
      expect(cloud.counters.list().at(-1)).toMatchObject({
        service: 'dkms',
        action: 'GetSecretValue',
        accessKeyId: key.keyId,
        secretName: 'ram-secret',
        signatureMethod: 'RSA_PKCS1_SHA_256',
        outcome: 'ok',
      });
    });

    it('accepts an endpoint given as host:port without a scheme (HTTPS is implied)', async () => {
      const source = open([gateway({ endpoint: cloud.dkms.endpoint.replace('https://', '') })]);
      expect((await source.getSecretValue('ram-secret')).secretName).toBe('ram-secret');
    });

    it('throws SecretNotFoundError for an unknown secret', async () => {
      const error = await failure(open([gateway()]).getSecretValue('missing'));
      expect(error).toBeInstanceOf(SecretNotFoundError);
      expect(error).toMatchObject({
        kmsCode: 'Forbidden.ResourceNotFound',
        httpStatus: 404,
        retryable: false,
      });
    });
  });

  describe('several instances', () => {
    it('uses the second instance when the first is down (closed port)', async () => {
      const before = dkmsCount('ok');
      const info = await open([gateway({ endpoint: nowhere }), gateway()]).getSecretValue('ram-secret');
      expect(info.secretName).toBe('ram-secret');
      expect(dkmsCount('ok')).toBe(before + 1);
    });

    it('moves on when the first instance answers 503', async () => {
      cloud.faults.dkms.failNext(1, 'unavailable');
      const before = dkmsCount();
      const info = await open([gateway(), gateway()]).getSecretValue('ram-secret');
      expect(info.secretName).toBe('ram-secret');
      expect(dkmsCount()).toBe(before + 2);
    });

    it('fails with a retryable error naming every instance when all are down', async () => {
      cloud.faults.dkms.failNext(1, 'unavailable');
      const error = await failure(
        open([gateway({ endpoint: nowhere }), gateway()]).getSecretValue('ram-secret'),
      );
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(nowhere);
      expect(error.message).toContain(cloud.dkms.endpoint);
    });

    it('stops at a definite answer (unknown secret) without asking the next instance', async () => {
      const before = dkmsCount();
      await failure(open([gateway(), gateway()]).getSecretValue('missing'));
      expect(dkmsCount()).toBe(before + 1);
    });
  });

  describe('TLS', () => {
    it('rejects an instance whose certificate the configured CA did not issue, naming the endpoint', async () => {
      const before = dkmsCount();
      const error = await failure(open([gateway({ caPem: otherCaPem })]).getSecretValue('ram-secret'));
      expect(error.code).toBe('MC_TLS_VERIFICATION_FAILED');
      expect(error.endpoint).toBe(cloud.dkms.endpoint);
      expect(error.message).toContain(cloud.dkms.endpoint);
      expect(error.message).toContain('TLS');
      expect(dkmsCount()).toBe(before);
    });

    it('rejects the self-signed instance CA when no CA is configured (system store only)', async () => {
      const error = await failure(open([gateway({ caPem: undefined })]).getSecretValue('ram-secret'));
      expect(error.code).toBe('MC_TLS_VERIFICATION_FAILED');
      expect(error.message).toContain('caFilePath');
    });

    it('skips verification with ignoreSslCerts and warns once per instance', async () => {
      const warnings: string[] = [];
      const source = open(
        [
          gateway({ endpoint: nowhere, ignoreSslCerts: true, caPem: undefined }),
          gateway({ ignoreSslCerts: true, caPem: otherCaPem }),
        ],
        { onWarning: (message) => warnings.push(message) },
      );
      await source.getSecretValue('ram-secret');
      await source.getSecretValue('ram-secret');
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain(nowhere);
      expect(warnings[1]).toContain(cloud.dkms.endpoint);
      expect(warnings[1]).toContain('ignoreSslCerts');
    });

    it('warns through process.emitWarning by default', async () => {
      const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const source = open([gateway({ ignoreSslCerts: true })]);
        await source.getSecretValue('ram-secret');
        await source.getSecretValue('ram-secret');
        expect(emitWarning).toHaveBeenCalledTimes(1);
        expect(emitWarning.mock.calls[0]?.[1]).toMatchObject({ code: 'MC_TLS_VERIFICATION_DISABLED' });
      } finally {
        emitWarning.mockRestore();
      }
    });
  });

  describe('authentication', () => {
    it('surfaces an unknown ClientKey as the instance answers it (404 Unauthorized), not retryable', async () => {
      const unknown = unregisteredKey();
      const config = gateway({
        clientKey: {
          keyId: unknown.keyId,
          privateKeyPem: unknown.privateKeyPem,
          file: 'clientKey_unknown.json',
        },
      });
      const error = await failure(open([config]).getSecretValue('ram-secret'));
      expect(error).toMatchObject({ kmsCode: 'Unauthorized', httpStatus: 404, retryable: false });
      expect(error.message).toContain(cloud.dkms.endpoint);
    });

    it('surfaces a private key that does not belong to the ClientKey as SignatureNotMatch', async () => {
      const wrong = unregisteredKey();
      const config = gateway({
        clientKey: { keyId: key.keyId, privateKeyPem: wrong.privateKeyPem, file: 'clientKey_wrong.json' },
      });
      const error = await failure(open([config]).getSecretValue('ram-secret'));
      expect(error).toMatchObject({ kmsCode: 'SignatureNotMatch', httpStatus: 401, retryable: false });
    });

    it('surfaces a clock more than 15 minutes off as RequestTimeTooSkewed', async () => {
      const source = open([gateway()], { now: () => Date.now() - 20 * 60_000 });
      const error = await failure(source.getSecretValue('ram-secret'));
      expect(error).toMatchObject({ kmsCode: 'RequestTimeTooSkewed', httpStatus: 400 });
    });

    it('refuses a private key that cannot be loaded with a ClientKeyError naming the file', () => {
      const broken = gateway({
        clientKey: { keyId: key.keyId, privateKeyPem: 'not a pem', file: '/keys/clientKey_broken.json' },
      });
      expect(() => createDedicatedGatewaySource([broken])).toThrow(ClientKeyError);
      expect(() => createDedicatedGatewaySource([broken])).toThrow('/keys/clientKey_broken.json');
    });

    it('keeps the private key out of errors and inspect output', async () => {
      const source = open([gateway({ caPem: otherCaPem })]);
      const error = await failure(source.getSecretValue('ram-secret'));
      const shown = [inspect(source, { depth: 10 }), inspect(error, { depth: 10 }), error.message].join('\n');
      expect(shown).not.toContain('PRIVATE KEY');
      expect(shown).not.toContain(key.privateKeyPem.split('\n')[1]);
    });
  });

  it('sends the headers of the official instance SDKs', async () => {
    // A bare HTTPS listener that records what arrives; the fake's verification is covered above.
    const tls = otherTls;
    const seen: IncomingHttpHeaders[] = [];
    const server = https.createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(503).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const source = open([gateway({ endpoint: `https://127.0.0.1:${port}`, caPem: tls.caPem })]);
      const error = await failure(source.getSecretValue('ram-secret'));
      expect(error).toMatchObject({ httpStatus: 503, retryable: true });
      expect(seen[0]).toMatchObject({
        accept: 'application/x-protobuf',
        'content-type': 'application/x-protobuf',
        'x-kms-apiversion': 'dkms-gcs-0.2',
        'x-kms-apiname': 'GetSecretValue',
        'x-kms-signaturemethod': 'RSA_PKCS1_SHA_256',
        'x-kms-acccesskeyid': key.keyId,
      });
      expect(seen[0]?.['content-sha256']).toMatch(/^[0-9A-F]{64}$/);
      expect(seen[0]?.['authorization']).toMatch(/^Bearer [A-Za-z0-9+/]+=*$/);
      expect(seen[0]?.['date']).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(seen[0]?.['user-agent']).toContain('managed-credentials');
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(open([gateway()]).getSecretValue('ram-secret', { signal: controller.signal })).rejects.toBe(
      reason,
    );
  });
});
