import { Command } from 'commander';

export function registerTriageCommand(program: Command) {
  program
    .command('triage')
    .description('Run the serving triage for the entities of a catalog-info.yaml');
}
