import { DOCTOR_HELP, EXIT, runDoctor, type CliIo } from './doctor.js';

export const CLI_HELP = `Usage: managed-credentials <command> [options]
       managed-credentials --version

Commands:
  doctor   check the configuration, KMS authentication and each secret (see: managed-credentials doctor --help)

${DOCTOR_HELP}`;

/** The `managed-credentials` command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'doctor') return runDoctor(rest, io);
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout(`managed-credentials ${io.version ?? 'unknown'}\n`);
    return EXIT.ok;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(CLI_HELP);
    return EXIT.ok;
  }
  io.stderr(
    `${command === undefined ? 'managed-credentials: a command is required' : `managed-credentials: unknown command "${command}"`}\n\n${CLI_HELP}`,
  );
  return EXIT.usage;
}

export { runDoctor, type CliIo } from './doctor.js';
