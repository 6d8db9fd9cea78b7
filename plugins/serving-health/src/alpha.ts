export { default } from './alpha/plugin';
export { catalogModuleServingHealth } from './alpha/catalogModule';
export { servingHealthTranslationRef } from './translation';
