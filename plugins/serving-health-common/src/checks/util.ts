import {
  ClusterSnapshot,
  ReadError,
  SnapshotCollection,
} from '../snapshot';
import { Evidence, KubeObject, ObjectRef } from '../types';
import { CheckContext, CheckOutcome } from './types';

export function ref(obj: KubeObject, fallbackKind?: string): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind ?? fallbackKind ?? 'Object',
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}

export function qualifiedName(obj: { metadata: { namespace?: string; name: string } }) {
  return obj.metadata.namespace
    ? `${obj.metadata.namespace}/${obj.metadata.name}`
    : obj.metadata.name;
}

/** The check could not run: say exactly which permission or timeout stopped it. */
export function readErrorOutcome(error: ReadError): CheckOutcome {
  let summary: string;
  const steps = [];
  if (error.reason === 'forbidden' && error.missingRule) {
    const { apiGroup, resource, verb } = error.missingRule;
    const res = apiGroup ? `${resource}.${apiGroup}` : resource;
    summary = `Not allowed to ${verb} ${res}: the cluster identity lacks the RBAC rule {apiGroups: ["${apiGroup}"], resources: ["${resource}"], verbs: ["${verb}"]}.`;
    steps.push(
      {
        text: 'Install the read-only ClusterRole shipped with Serving Health.',
        command: 'kubectl apply -f deploy/rbac.yaml',
      },
      {
        text: 'Bind it to the identity whose token the backend uses (here a ServiceAccount).',
        command:
          'kubectl create clusterrolebinding serving-health-reader --clusterrole=serving-health-reader --serviceaccount=<namespace>:<serviceaccount>',
      },
    );
  } else if (error.reason === 'timeout') {
    summary = `The API server did not answer '${error.request}' in time (${error.message}).`;
  } else if (error.reason === 'throttled') {
    summary = `The API server is throttling '${error.request}'${detailSuffix(
      error.httpStatus ? String(error.httpStatus) : undefined,
      ' (HTTP ',
      ')',
    )}, so it was not read: ${error.message}. The next refresh reads it again.`;
    steps.push({
      text: "If this persists, the identity's requests are queued behind others: look at the API server's priority and fairness configuration for its flow.",
      command: 'kubectl get flowschemas,prioritylevelconfigurations',
    });
  } else if (error.reason === 'unauthorized') {
    summary = `The API server rejected the credentials (401) for '${error.request}'.`;
  } else {
    summary = `Could not read '${error.request}': ${error.message}`;
  }
  return {
    status: 'error',
    summary,
    evidence: [
      {
        label: 'Failed read',
        fields: {
          request: error.request,
          reason: error.reason,
          ...(error.httpStatus ? { httpStatus: String(error.httpStatus) } : {}),
          message: error.message,
        },
      },
    ],
    remediation: steps.length
      ? { why: 'The check needs this read to decide.', steps }
      : undefined,
  };
}

/** The outcome for the first of these collections that could not be read, if any. */
export function firstReadError(
  snapshot: ClusterSnapshot,
  names: SnapshotCollection[],
): CheckOutcome | undefined {
  for (const name of names) {
    const r = snapshot.collections[name];
    if (r && !r.ok) return readErrorOutcome(r.error);
  }
  return undefined;
}

export type CollectionRead =
  | { ok: true; items: KubeObject[] }
  | { ok: false; outcome: CheckOutcome; error: ReadError };

export function readCollection(
  snapshot: ClusterSnapshot,
  name: SnapshotCollection,
): CollectionRead {
  const r = snapshot.collections[name];
  if (!r) {
    const error: ReadError = {
      reason: 'failed',
      request: name,
      message: `${name} was not read`,
    };
    return { ok: false, error, outcome: readErrorOutcome(error) };
  }
  if (!r.ok) return { ok: false, error: r.error, outcome: readErrorOutcome(r.error) };
  return { ok: true, items: r.items };
}

export function findCondition(obj: KubeObject | undefined, type: string) {
  const conditions: any[] = obj?.status?.conditions ?? [];
  return conditions.find(c => c?.type === type);
}

/** Shorten anything read from the cluster before it is shown as evidence. */
export function clip(text: unknown, max = 500): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}

export function conditionEvidence(
  obj: KubeObject,
  types: string[],
  label: string,
): Evidence {
  const fields: Record<string, string> = {};
  for (const t of types) {
    const c = findCondition(obj, t);
    if (!c) continue;
    fields[`status.conditions[${t}].status`] = String(c.status);
    if (c.reason) fields[`status.conditions[${t}].reason`] = String(c.reason);
    if (c.message) fields[`status.conditions[${t}].message`] = clip(c.message);
  }
  return { object: ref(obj), label, fields };
}

/** The InferenceServices this entity points at, by name or by kubernetes-id label. */
export function targetInferenceServices(
  ctx: CheckContext,
  items: KubeObject[],
): KubeObject[] {
  const { inferenceService, kubernetesId } = ctx.target;
  if (inferenceService) {
    return items.filter(
      i =>
        i.metadata.name === inferenceService.name &&
        (i.metadata.namespace ?? 'default') === inferenceService.namespace,
    );
  }
  if (kubernetesId) {
    return items.filter(
      i => i.metadata.labels?.['backstage.io/kubernetes-id'] === kubernetesId,
    );
  }
  return [];
}

export function describeTargetIsvc(ctx: CheckContext): string {
  const { inferenceService, kubernetesId } = ctx.target;
  if (inferenceService) return `${inferenceService.namespace}/${inferenceService.name}`;
  return `labelled backstage.io/kubernetes-id=${kubernetesId}`;
}

/** `<prefix><detail><suffix>` when there is a detail, else nothing. */
export function detailSuffix(detail: string | undefined, prefix: string, suffix = ''): string {
  return detail ? `${prefix}${detail}${suffix}` : '';
}
