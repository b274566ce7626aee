#!/usr/bin/env node
// Thin launcher: the CLI is part of the package's CommonJS build, so it runs on every Node in `engines`.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../dist/cli.cjs').main();
