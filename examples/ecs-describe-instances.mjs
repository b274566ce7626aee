// @ts-check
/**
 * ECS DescribeInstances through `createClient`: the client is built from the
 * NAME of a KMS secret; the plug-in fetches the AccessKey it holds, signs every
 * request with it, and keeps it fresh.
 *
 *   node examples/ecs-describe-instances.mjs
 *
 * Runs against a local fake cloud. In production, drop the `local` part: the
 * properties file in the working directory names your KMS region, and the
 * endpoint is `ecs.<region>.aliyuncs.com` over HTTPS.
 */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { closeDefaultProvider } from 'managed-credentials';
import { createClient } from 'managed-credentials-tea-openapi';
import { REGION, hostOf, startLocalCloud } from './support/local-cloud.mjs';

// `@alicloud/ecs20140526` is CommonJS: under ESM its class is the `default` of the default import.
const Ecs = EcsModule.default;

const local = await startLocalCloud('my-ram-secret');
process.env['MANAGED_CREDENTIALS_CONFIG_FILE'] = local.writeConfigFile();

try {
  // Before: new Ecs(new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint }))
  const ecs = createClient(
    new $OpenApiUtil.Config({
      endpoint: hostOf(local.cloud.ecs.endpoint),
      protocol: 'http',
      regionId: REGION,
    }),
    Ecs,
    'my-ram-secret',
  );
  console.log(`client is an Ecs: ${ecs instanceof Ecs}`);

  const response = await ecs.describeInstances(
    new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 5 }),
  );
  const instances = response.body?.instances?.instance ?? [];
  console.log(`DescribeInstances: ${response.body?.totalCount} instances in ${REGION}, first page:`);
  for (const instance of instances) {
    console.log(`  ${instance.instanceId}  ${instance.instanceType}  ${instance.status}`);
  }
  await ecs.close();
} finally {
  // Stops the plug-in's timers; a program that skips this still exits (they are unref()ed).
  await closeDefaultProvider();
  await local.close();
}
