import { Command } from 'commander';

export function registerValidateCommand(program: Command) {
  program
    .command('validate')
    .description('Validate manifests against label conventions, Kyverno policies and kustomize rules');
}
