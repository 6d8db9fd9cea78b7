import { FleetEntry } from '@serving-health/plugin-serving-health-common';

/** The fleet entry of component:default/<name>, titled by its name; failing entries fail at the webhook stage. */
export const endpointSummary = (
  name: string,
  overall: FleetEntry['overall'],
  failureModes: FleetEntry['failureModes'] = [],
): FleetEntry => ({
  entityRef: `component:default/${name}`,
  title: name,
  overall,
  failingStage: overall === 'failing' ? 'webhooks' : undefined,
  failureModes,
});
