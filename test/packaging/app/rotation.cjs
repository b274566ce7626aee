/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app: require() is what this script tests */
'use strict';
// A CommonJS app: every package by require(); `import()` only to prove both loaders share one state.
const $Ecs = require('@alicloud/ecs20140526');
const { $OpenApiUtil } = require('@alicloud/openapi-core');
const OSS = require('ali-oss');
const { rotation, report } = require('./scenario.cjs');

report(
  rotation({
    loader: 'require',
    load: async (name) => require(name),
    other: (name) => import(name),
    Ecs: $Ecs.default,
    EcsClass: $Ecs.default,
    $Ecs,
    $OpenApi: $OpenApiUtil,
    OSS,
  }),
);
