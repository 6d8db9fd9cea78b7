import { TriageCheck } from './types';
import { readCollection } from './util';

export const argocdApplications: TriageCheck = {
  id: 'argocd.applications',
  stage: 'environment',
  title: 'Argo CD installation',
  requires: ['cluster.reachable'],
  run({ snapshot }) {
    const r = snapshot.collections.applications;
    if (r && !r.ok && r.error.reason === 'not-installed') {
      return {
        status: 'skipped',
        summary:
          'Argo CD is not installed (no applications.argoproj.io): Argo CD checks are skipped.',
        evidence: [{ label: r.error.request, fields: { result: r.error.message } }],
      };
    }
    const apps = readCollection(snapshot, 'applications');
    if (!apps.ok) return apps.outcome;
    return {
      status: 'pass',
      summary: `Argo CD is installed: ${apps.items.length} Application(s) visible.`,
      evidence: [
        {
          label: 'kubectl get applications.argoproj.io -A',
          fields: { count: String(apps.items.length) },
        },
      ],
    };
  },
};
