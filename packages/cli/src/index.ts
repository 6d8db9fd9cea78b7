import { toError } from '@backstage/errors';
import { Command, CommanderError } from 'commander';
import { registerTriageCommand } from './commands/triage';
import { registerTestCommand } from './commands/test';
import { registerValidateCommand } from './commands/validate';

import { EXIT_CLEAN, EXIT_ERROR } from './exitCodes';

export * from './exitCodes';

export function createProgram(): Command {
  const program = new Command('serving-health')
    .description(
      'Triage KServe model endpoints deployed through Argo CD, and validate manifests before they merge.',
    )
    .exitOverride()
    .showHelpAfterError();
  registerTriageCommand(program);
  registerValidateCommand(program);
  registerTestCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; everything else commander rejects is usage.
      process.exitCode = e.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
      return;
    }
    process.stderr.write(`serving-health: ${toError(e).message}\n`);
    process.exitCode = EXIT_ERROR;
  }
}
