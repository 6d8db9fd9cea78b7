export { default } from './alpha/plugin';
export { servingHealthTranslationRef } from './translation';
