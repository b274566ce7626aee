#!/usr/bin/env node
// Thin launcher: the CLI is part of the package's CommonJS build, so it runs on every Node in `engines`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../dist/cli.cjs').main({ version: require('../package.json').version });
