/**
 * Entry of the `managed-credentials` bin: bin/managed-credentials.mjs loads
 * the package's CommonJS build of this file (dist/cli.cjs) and calls `main()`,
 * so the CLI runs on every Node in `engines`.
 */
import { runCli } from './run-cli.js';

/** Runs the command line of this process and sets its exit code. */
export function main(options: { version?: string; argv?: readonly string[] } = {}): void {
  void runCli(options.argv ?? process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    ...(options.version === undefined ? {} : { version: options.version }),
  }).then((code) => {
    process.exitCode = code;
    // Everything is closed by now; should a credential provider still hold a timer, do not hang the shell.
    setTimeout(() => process.exit(code), 2_000).unref();
  });
}
