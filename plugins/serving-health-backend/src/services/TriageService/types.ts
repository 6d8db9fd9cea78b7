import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { FleetSummary, TriageReport } from '@serving-health/plugin-serving-health-common';

export interface TriageService {
  /** Throws NotFoundError (unknown entity), NotAllowedError (no permission), InputError (malformed annotation). */
  report(
    entityRef: string,
    options: { credentials: BackstageCredentials; refresh?: boolean },
  ): Promise<TriageReport>;
  /** Every serving entity the caller may read, with its overall status. */
  fleet(options: { credentials: BackstageCredentials; refresh?: boolean }): Promise<FleetSummary>;
}
