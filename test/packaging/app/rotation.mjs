// An ESM app: every package by import (the SPEC §1 lines verbatim); createRequire only to prove both loaders share one state.
import { createRequire } from 'node:module';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import OSS from 'ali-oss';
import scenario from './scenario.cjs';

const require = createRequire(import.meta.url);

scenario.report(
  scenario.rotation({
    loader: 'import',
    load: (name) => import(name),
    other: async (name) => require(name),
    // Node's default import of a CommonJS SDK is its module object; createClient accepts it.
    Ecs,
    EcsClass: Ecs.default,
    $Ecs,
    $OpenApi: $OpenApiUtil,
    OSS,
  }),
);
