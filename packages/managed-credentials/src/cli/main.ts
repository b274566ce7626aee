/**
 * Entry of the `managed-credentials` bin (bin/managed-credentials.mjs imports
 * the compiled file). Runs the command and exits with its status.
 */
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// Everything is closed by now; should a credential provider still hold a timer, do not hang the shell.
setTimeout(() => process.exit(code), 2_000).unref();
