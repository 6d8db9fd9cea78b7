/**
 * Pure logic of Serving Health, shared by the browser, the backend and the CLI.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './snapshot';
export * from './failureModes';
export * from './annotations';
export * from './permissions';
export * from './redact';
export * from './labelSelector';
export * from './checks';
export * from './engine';
export * from './validation';
