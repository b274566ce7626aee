import { connect } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startFakeCloud, toProperties, type FakeCloud } from '../src/index.js';
import { callGetSecretValue, openApiKmsClient } from './helpers.js';

describe('cloud.pluginConfig()', () => {
  let cloud: FakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud();
  });
  afterAll(() => cloud.close());

  it('names a fresh KMS caller key and this cloud’s KMS under cn-hangzhou, without secret_names', () => {
    const config = cloud.pluginConfig();
    expect(Object.keys(config)).toEqual([
      'credentials_type',
      'credentials_access_key_id',
      'credentials_access_secret',
      'cache_client_region_id',
    ]);
    expect(config['credentials_type']).toBe('ak');
    expect(JSON.parse(config['cache_client_region_id']!)).toEqual([
      { regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint },
    ]);
    expect(cloud.accessKeyStatus(config['credentials_access_key_id']!)).toBe('active');
    expect(cloud.pluginConfig()['credentials_access_key_id']).not.toBe(config['credentials_access_key_id']);
  });

  it('uses the given key, region and secret names', () => {
    const kmsKey = cloud.createKmsAccessKey();
    const config = cloud.pluginConfig({ kmsKey, regionId: 'cn-shanghai', secretNames: ['a', 'b'] });
    expect(config).toMatchObject({
      credentials_access_key_id: kmsKey.accessKeyId,
      credentials_access_secret: kmsKey.accessKeySecret,
      secret_names: 'a,b',
    });
    expect(JSON.parse(config['cache_client_region_id']!)).toEqual([
      { regionId: 'cn-shanghai', endpoint: cloud.kms.endpoint },
    ]);
  });

  it('holds a key KMS accepts', async () => {
    cloud.createRamSecret('plugin-config-secret');
    const config = cloud.pluginConfig();
    const [{ endpoint }] = JSON.parse(config['cache_client_region_id']!) as [{ endpoint: string }];
    const caller = {
      accessKeyId: config['credentials_access_key_id']!,
      accessKeySecret: config['credentials_access_secret']!,
    };
    const body = await callGetSecretValue(openApiKmsClient(endpoint, caller), {
      SecretName: 'plugin-config-secret',
    });
    expect(body['SecretName']).toBe('plugin-config-secret');
  });

  it('never prints the AccessKeySecret', () => {
    const config = cloud.pluginConfig();
    const secret = config['credentials_access_secret']!;
    for (const printed of [JSON.stringify(config), String(config), inspect(config)]) {
      expect(printed).not.toContain(secret);
      expect(printed).toContain(config['credentials_access_key_id']);
    }
  });
});

describe('toProperties()', () => {
  it('writes key=value lines after a comment, doubling backslashes and leaving out undefined values', () => {
    expect(toProperties({ a: '1', path: 'C:\\keys\\k.json', gone: undefined }, 'hello')).toBe(
      '# hello\na=1\npath=C:\\\\keys\\\\k.json\n',
    );
  });
});

describe('closedPort()', () => {
  it('names a 127.0.0.1 port that refuses connections', async () => {
    const port = await closedPort();
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
