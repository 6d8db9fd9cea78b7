/**
 * Scaffolder actions of Serving Health: `serving-health:validate`, `serving-health:kustomize-lint` and
 * `serving-health:admission-dry-run`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleServingHealth as default } from './module';
export { createValidateAction } from './actions/validate';
export { createKustomizeLintAction } from './actions/kustomizeLint';
export { createAdmissionDryRunAction } from './actions/admissionDryRun';
export type { DryRunResult } from './actions/admissionDryRun';
export { readActionOptions } from './options';
export type { ServingHealthActionOptions } from './options';
