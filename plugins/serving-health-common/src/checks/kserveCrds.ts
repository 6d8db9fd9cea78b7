import { ClusterSnapshot } from '../snapshot';
import { Evidence, KubeObject } from '../types';
import { KSERVE_CONTROLLER } from './kserveController';
import { CheckOutcome, TriageCheck } from './types';
import { argoRefreshStep } from './webhooks';
import { findCondition, readCollection, ref } from './util';

const ISVC_CRD = 'inferenceservices.serving.kserve.io';
/** CRDs KServe cannot serve without; newer extra CRDs are fine either way. */
const SUPPORTING_CRDS = [
  'servingruntimes.serving.kserve.io',
  'clusterservingruntimes.serving.kserve.io',
];

/**
 * A CRD being deleted still reads Established, but the API server refuses creates ("create not allowed while
 * custom resource definition is terminating") until every custom resource is gone; each one waits for its own
 * finalizers, and only a running controller removes them.
 */
function terminatingOutcome(
  crd: KubeObject,
  snapshot: ClusterSnapshot,
  crdEvidence: Evidence[],
): CheckOutcome {
  const isvcs = snapshot.collections.inferenceServices;
  const finalizersOf = (i: KubeObject): string[] =>
    Array.isArray(i.metadata.finalizers) ? i.metadata.finalizers : [];
  const held = isvcs?.ok
    ? isvcs.items.filter(i => finalizersOf(i).length > 0)
    : [];
  const cond = findCondition(crd, 'Terminating');
  const evidence: Evidence[] = [
    {
      object: ref(crd, 'CustomResourceDefinition'),
      label: 'CRD being deleted',
      fields: {
        ...(crd.metadata.deletionTimestamp
          ? {
              'metadata.deletionTimestamp': String(
                crd.metadata.deletionTimestamp,
              ),
            }
          : {}),
        'metadata.finalizers': JSON.stringify(crd.metadata.finalizers ?? []),
        ...(cond
          ? {
              'status.conditions[Terminating].status': String(cond.status),
              ...(cond.reason
                ? {
                    'status.conditions[Terminating].reason': String(
                      cond.reason,
                    ),
                  }
                : {}),
              ...(cond.message
                ? {
                    'status.conditions[Terminating].message': String(
                      cond.message,
                    ),
                  }
                : {}),
            }
          : {}),
      },
    },
    ...crdEvidence.slice(1),
    ...held.slice(0, 20).map(i => ({
      object: ref(i, 'InferenceService'),
      label: 'Custom resource holding the deletion',
      fields: {
        'metadata.finalizers': JSON.stringify(i.metadata.finalizers),
        ...(i.metadata.deletionTimestamp
          ? {
              'metadata.deletionTimestamp': String(
                i.metadata.deletionTimestamp,
              ),
            }
          : {}),
      },
    })),
  ];
  const finalizers = [...new Set(held.flatMap(finalizersOf))];
  const kserveNs = snapshot.namespaces.kserve;
  const deployments = snapshot.collections.controlPlaneDeployments;
  // Unknown (unreadable) counts as running: the advice then covers both cases.
  const controllerRuns =
    !deployments?.ok ||
    deployments.items.some(
      d =>
        d.metadata.namespace === kserveNs &&
        d.metadata.name === KSERVE_CONTROLLER,
    );
  return {
    status: 'fail',
    failureMode: 'crd-missing',
    summary: `CRD ${ISVC_CRD} is being deleted${
      crd.metadata.deletionTimestamp
        ? ` (since ${crd.metadata.deletionTimestamp})`
        : ''
    } and stuck: ${
      held.length
        ? `${
            held.length
          } InferenceService(s) still carry finalizers (${finalizers.join(
            ', ',
          )}) that no controller removes`
        : 'it waits for its custom resources to be deleted'
    }. Every create is refused ("create not allowed while custom resource definition is terminating"), and the deletion cannot be undone.`,
    evidence,
    remediation: {
      why: "Deleting a CRD deletes every custom resource of that type; each InferenceService waits for KServe's controller to remove its finalizer, and the CRD waits for all of them (its own finalizer customresourcecleanup.apiextensions.k8s.io). A CRD deletion is never cancelled: let it finish, then reinstall.",
      steps: [
        controllerRuns
          ? {
              text: `KServe's controller removes the finalizers once it reconciles the deletion: make sure ${kserveNs}/${KSERVE_CONTROLLER} rolls out and reconciles.`,
              command: `kubectl -n ${kserveNs} rollout status deployment/${KSERVE_CONTROLLER}`,
            }
          : {
              text: `No KServe controller is left to remove the finalizers (Deployment ${kserveNs}/${KSERVE_CONTROLLER} does not exist): remove them by hand, knowing KServe then cleans nothing up for these objects.`,
            },
        ...(held.length
          ? held.slice(0, 10).map(i => ({
              text: `Release ${i.metadata.namespace}/${i.metadata.name}${
                controllerRuns ? ' if the controller does not' : ''
              }.`,
              command: `kubectl -n ${i.metadata.namespace} patch inferenceservice ${i.metadata.name} --type=merge -p '{"metadata":{"finalizers":null}}'`,
            }))
          : [
              {
                text: 'List the InferenceServices that still carry finalizers.',
                command: `kubectl get inferenceservices -A -o jsonpath='{range .items[?(@.metadata.finalizers)]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}'`,
              },
            ]),
        {
          text: 'Once the CRD is gone, re-install the KServe CRDs and let Argo CD recreate the InferenceServices.',
          command:
            'kubectl apply --server-side -f https://github.com/kserve/kserve/releases/download/<version>/kserve.yaml',
        },
      ],
    },
  };
}

export const kserveCrds: TriageCheck = {
  id: 'kserve.crds',
  stage: 'control-plane',
  title: 'KServe CRDs',
  requires: ['cluster.reachable'],
  run({ snapshot, target }): CheckOutcome {
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
    const terminating =
      isvc &&
      (isvc.metadata.deletionTimestamp ||
        findCondition(isvc, 'Terminating')?.status === 'True');
    if (isvc && terminating)
      return terminatingOutcome(isvc, snapshot, evidence);
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
                target.argoApp
                  ? argoRefreshStep(
                      target,
                      "Let Argo CD recreate the InferenceServices: hard-refresh and sync this entity's application, then the others that ship InferenceServices.",
                    )
                  : {
                      // Applications may live in any namespace Argo CD allows (application.namespaces).
                      text: 'Let Argo CD recreate the InferenceServices: hard-refresh and sync the affected applications.',
                      command:
                        'kubectl annotate applications.argoproj.io --all -A argocd.argoproj.io/refresh=hard --overwrite',
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
        summary: `InferenceService CRD is established; missing or not established: ${missingSupporting.join(
          ', ',
        )}.`,
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
