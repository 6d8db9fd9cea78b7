import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { TriageCheck } from '@serving-health/plugin-serving-health-common';

/** Lets a backend module add checks to the triage. */
export interface ServingHealthChecksExtensionPoint {
  /** Adds a check; it runs in the stage it names, after the built-in checks of that stage. */
  addCheck(check: TriageCheck): void;
}

export const servingHealthChecksExtensionPoint =
  createExtensionPoint<ServingHealthChecksExtensionPoint>({
    id: 'serving-health.checks',
  });
