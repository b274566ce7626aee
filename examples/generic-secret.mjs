// @ts-check
/**
 * A database password kept in KMS (an RDS secret; a generic JSON secret works
 * the same way) — what the Secrets Manager Client is for, on the same cache as
 * the RAM AccessKeys. The program reads the password, opens a "pool" with it,
 * and re-creates the pool when the secret rotates.
 *
 *   node examples/generic-secret.mjs
 *
 * In production the properties file names your KMS region and the secret
 * exists; the provider's refresh timer (after `refresh_secret_ttl`, or just
 * after the secret's NextRotationDate) brings the rotated password. Here the
 * rotation happens in a local fake KMS and the refresh is forced so the
 * program does not wait hours.
 */
import {
  closeDefaultProvider,
  getDefaultProvider,
  getSecretValue,
  setConfigFilePath,
} from 'managed-credentials';
import { startLocalCloud } from './support/local-cloud.mjs';

const SECRET = 'my-db-secret';

/**
 * Stands in for a database driver's connection pool: it only remembers the account it was opened with.
 * @typedef {{ AccountName: string, AccountPassword: string }} DbAccount
 */
class Pool {
  static opened = 0;
  /** @param {DbAccount} account */
  constructor(account) {
    this.id = ++Pool.opened;
    this.account = account;
    this.open = true;
  }
  end() {
    this.open = false;
  }
}

/** @param {DbAccount} account the password's length only: never print a password */
const describe = (account) =>
  `${account.AccountName}, password of ${account.AccountPassword.length} characters`;

const local = await startLocalCloud(SECRET, { ramSecret: false });
const { cloud } = local;
cloud.createRdsSecret(SECRET, { accountName: 'app' });
try {
  // The package-level reads use the default provider, built from the properties file (here: a temporary one).
  setConfigFilePath(local.writeConfigFile());
  /** @type {DbAccount} */
  const account = JSON.parse(await getSecretValue(SECRET));
  let pool = new Pool(account);
  console.log(`pool #${pool.id} opened as ${describe(account)}`);

  const provider = getDefaultProvider();
  const info = await provider.getSecretInfo(SECRET);
  console.log(
    `secret ${info.secretName}: type ${info.secretType}, rotation ${info.automaticRotation} every ${info.rotationInterval}`,
  );
  console.log(
    `printed, the info object hides the value: ${JSON.stringify(info).includes(account.AccountPassword) ? 'NO' : 'yes'}`,
  );

  // Re-create the pool when the password changes. The listener also keeps the secret fresh while subscribed.
  let changes = 0;
  /** @type {Promise<void>} */
  const reopened = new Promise((resolve) => {
    provider.onSecretChange(SECRET, (changed) => {
      changes += 1;
      const old = pool;
      pool = new Pool(JSON.parse(changed.secretValue));
      old.end();
      console.log(
        `password rotated (version ${info.versionId.slice(0, 8)} -> ${changed.versionId.slice(0, 8)}): pool #${old.id} closed, pool #${pool.id} opened as ${describe(pool.account)}`,
      );
      resolve();
    });
  });

  cloud.rotateSecret(SECRET); // KMS rotates the database password
  await provider.refreshSecretInfo(SECRET); // what the refresh timer does after the rotation date
  await reopened;
  await provider.refreshSecretInfo(SECRET); // nothing changed: the listener is not called
  console.log(`change listener calls: ${changes}`);

  const current = JSON.parse(cloud.getSecret(SECRET)?.secretData ?? '{}');
  console.log(
    `the open pool uses the current password: ${pool.open && pool.account.AccountPassword === current.AccountPassword}`,
  );
  const fetches = cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName: SECRET });
  console.log(`KMS fetches: ${fetches} (first read, refresh after the rotation, unchanged refresh)`);
} finally {
  await closeDefaultProvider();
  setConfigFilePath(undefined);
  await local.close();
}
