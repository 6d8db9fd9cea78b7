import { Evidence } from '../types';
import { CheckOutcome, TriageCheck } from './types';
import { findCondition, readCollection, ref } from './util';

const ISVC_CRD = 'inferenceservices.serving.kserve.io';
/** CRDs KServe cannot serve without; newer extra CRDs are fine either way. */
const SUPPORTING_CRDS = [
  'servingruntimes.serving.kserve.io',
  'clusterservingruntimes.serving.kserve.io',
];

export const kserveCrds: TriageCheck = {
  id: 'kserve.crds',
  stage: 'control-plane',
  title: 'KServe CRDs established',
  requires: ['cluster.reachable'],
  run({ snapshot }): CheckOutcome {
    const crds = readCollection(snapshot, 'customResourceDefinitions');
    if (!crds.ok) return crds.outcome;
    const byName = new Map(crds.items.map(c => [c.metadata.name, c]));
    const isvc = byName.get(ISVC_CRD);
    const usable = (name: string) => {
      const crd = byName.get(name);
      return (
        !!crd &&
        findCondition(crd, 'Established')?.status === 'True' &&
        findCondition(crd, 'NamesAccepted')?.status !== 'False'
      );
    };
    const evidence = [ISVC_CRD, ...SUPPORTING_CRDS].map((name): Evidence => {
      const crd = byName.get(name);
      return crd
        ? {
            object: ref(crd, 'CustomResourceDefinition'),
            label: 'CRD',
            fields: {
              'status.conditions[Established].status': String(
                findCondition(crd, 'Established')?.status ?? 'missing',
              ),
              'status.conditions[NamesAccepted].status': String(
                findCondition(crd, 'NamesAccepted')?.status ?? 'missing',
              ),
            },
          }
        : {
            object: { kind: 'CustomResourceDefinition', name },
            label: 'CRD',
            fields: { exists: 'false' },
          };
    });
    if (!usable(ISVC_CRD)) {
      const missing = !isvc;
      return {
        status: 'fail',
        failureMode: 'crd-missing',
        summary: missing
          ? `CRD ${ISVC_CRD} does not exist: every InferenceService was deleted with it.`
          : `CRD ${ISVC_CRD} exists but is not Established.`,
        evidence,
        remediation: {
          why: missing
            ? 'Deleting a CRD garbage-collects every custom resource of that type. This usually follows `kubectl apply -f` of a kustomize patch containing `$patch: delete`, which deletes the live object instead of patching the build.'
            : 'The API server does not serve a CRD until it is Established (its names are accepted and storage is ready).',
          steps: missing
            ? [
                {
                  text: 'Re-install the KServe CRDs from the release you run (server-side apply, they are large).',
                  command:
                    'kubectl apply --server-side -f https://github.com/kserve/kserve/releases/download/<version>/kserve.yaml',
                },
                {
                  text: 'Let Argo CD recreate the InferenceServices: hard-refresh and sync the affected applications.',
                  command:
                    'kubectl -n argocd annotate applications.argoproj.io --all argocd.argoproj.io/refresh=hard --overwrite',
                },
                {
                  text: 'Find the file that deleted it: a `$patch: delete` applied directly. Reference it from a kustomization `patches:` entry instead, and lint before merge.',
                  command: 'yarn serving-health validate <manifests-dir>',
                },
              ]
            : [
                {
                  text: 'Read the CRD conditions for the reason.',
                  command: `kubectl get crd ${ISVC_CRD} -o jsonpath='{.status.conditions}'`,
                },
              ],
        },
      };
    }
    const missingSupporting = SUPPORTING_CRDS.filter(n => !usable(n));
    if (missingSupporting.length) {
      return {
        status: 'warn',
        summary: `InferenceService CRD is established; missing or not established: ${missingSupporting.join(', ')}.`,
        evidence,
      };
    }
    return {
      status: 'pass',
      summary: 'KServe CRDs exist and are Established.',
      evidence,
    };
  },
};
