import { ClusterSnapshot, SnapshotCollection } from '../snapshot';
import { Evidence, KubeObject, RemediationStep, TriageTarget } from '../types';
import { matchesLabelSelector } from '@serving-health/plugin-serving-health-policy';
import {
  SERVICE_CHAIN_COLLECTIONS,
  ServiceChain,
  analyzeServiceChain,
} from './serviceChain';
import { CheckContext, CheckOutcome } from './types';
import { firstReadError, targetInferenceServices } from './util';

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope?: string;
}

/** One webhook of a Validating/MutatingWebhookConfiguration, flattened. */
export interface WebhookEntry {
  configKind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
  configName: string;
  webhookName: string;
  service?: { namespace: string; name: string; port?: number; path?: string };
  url?: string;
  failurePolicy: 'Fail' | 'Ignore';
  rules: WebhookRule[];
  namespaceSelector?: any;
  objectSelector?: any;
  /** CEL conditions (GA in 1.30); not evaluated here, so a webhook with them is taken to intercept. */
  matchConditions?: Array<{ name: string; expression: string }>;
}

export function listWebhooks(snapshot: ClusterSnapshot): {
  webhooks: WebhookEntry[];
  unreadable: SnapshotCollection[];
} {
  const webhooks: WebhookEntry[] = [];
  const unreadable: SnapshotCollection[] = [];
  const sources: Array<
    [
      'validatingWebhookConfigurations' | 'mutatingWebhookConfigurations',
      WebhookEntry['configKind'],
    ]
  > = [
    ['mutatingWebhookConfigurations', 'MutatingWebhookConfiguration'],
    ['validatingWebhookConfigurations', 'ValidatingWebhookConfiguration'],
  ];
  for (const [collection, configKind] of sources) {
    const r = snapshot.collections[collection];
    if (!r || !r.ok) {
      unreadable.push(collection);
      continue;
    }
    for (const cfg of r.items) {
      for (const w of (cfg as KubeObject).webhooks ?? []) {
        const svc = w.clientConfig?.service;
        webhooks.push({
          configKind,
          configName: cfg.metadata.name,
          webhookName: w.name,
          service: svc
            ? {
                namespace: svc.namespace,
                name: svc.name,
                port: svc.port,
                path: svc.path,
              }
            : undefined,
          url: w.clientConfig?.url,
          // The API defaults failurePolicy to Fail for admissionregistration/v1.
          failurePolicy: w.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
          rules: (w.rules ?? []).map((rule: any) => ({
            apiGroups: rule.apiGroups ?? [],
            apiVersions: rule.apiVersions ?? [],
            resources: rule.resources ?? [],
            operations: rule.operations ?? [],
            scope: rule.scope,
          })),
          namespaceSelector: w.namespaceSelector,
          objectSelector: w.objectSelector,
          ...(w.matchConditions?.length ? { matchConditions: w.matchConditions } : {}),
        });
      }
    }
  }
  return { webhooks, unreadable };
}

// As the API server matches rules: a resource, a resource with a subresource, or wildcards for either part.
function resourceMatches(entry: string, resource: string): boolean {
  const [res, sub] = entry.split('/');
  return (res === '*' || res === resource) && (sub === undefined || sub === '*');
}

function matchesList(list: string[], value: string) {
  return list.includes('*') || list.includes(value);
}

/** A namespaced request the API server sends to admission; labels left out are not judged. */
export interface AdmissionRequest {
  group: string;
  resource: string;
  operation: string;
  namespaceLabels?: Record<string, string>;
  objectLabels?: Record<string, string>;
}

/** Does this webhook intercept `operation` on `group/resource` in a namespace with these labels? */
export function webhookIntercepts(webhook: WebhookEntry, request: AdmissionRequest): boolean {
  const ruleMatch = webhook.rules.some(
    r =>
      // Every request judged here is for a namespaced object.
      (r.scope === undefined || r.scope === '*' || r.scope === 'Namespaced') &&
      matchesList(r.apiGroups, request.group) &&
      r.resources.some(entry => resourceMatches(entry, request.resource)) &&
      matchesList(r.operations, request.operation),
  );
  if (!ruleMatch) return false;
  if (
    request.namespaceLabels &&
    !matchesLabelSelector(webhook.namespaceSelector, request.namespaceLabels)
  ) {
    return false;
  }
  if (
    request.objectLabels &&
    !matchesLabelSelector(webhook.objectSelector, request.objectLabels)
  ) {
    return false;
  }
  return true;
}

export function describeRules(webhook: WebhookEntry): string {
  return webhook.rules
    .map(
      r =>
        `${r.operations.join(',')} ${r.resources.join(',')} in ${r.apiGroups
          .map(g => (g === '' ? 'core' : g))
          .join(',')}`,
    )
    .join('; ');
}

/** The Service a webhook is called through, resolved as the API server does (port defaults to 443). */
export function webhookServiceChain(snapshot: ClusterSnapshot, webhook: WebhookEntry): ServiceChain | undefined {
  const svc = webhook.service;
  return svc ? analyzeServiceChain(snapshot, svc.namespace, svc.name, svc.port ?? 443) : undefined;
}

const KSERVE_RAW_MODES = new Set(['RawDeployment', 'Standard']);

// Argo CD names kinds; admission rules name resources. Kubernetes' own plural rule covers the kinds an app ships.
function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/**
 * What this entity's deployment sends to admission: the InferenceService, what KServe creates for it in its
 * deployment mode (RawDeployment/Standard: Deployment, Service, Ingress or HTTPRoute, HPA; Serverless, KServe's
 * default: a Knative Service, whose revisions are Deployments), the predictor Pods, and the objects of its Argo CD
 * Application's status.resources. Labels are given where the cluster shows them, so selectors are judged on them.
 */
export function entityAdmissionRequests(ctx: CheckContext): AdmissionRequest[] {
  const { snapshot, target } = ctx;
  const namespaces = snapshot.collections.namespaces;
  const labelsOf = (ns: string | undefined) =>
    ns
      ? (namespaces?.ok ? namespaces.items.find(n => n.metadata.name === ns)?.metadata.labels : undefined) ?? {
          'kubernetes.io/metadata.name': ns,
        }
      : undefined;
  const isvcs = snapshot.collections.inferenceServices;
  const isvc = isvcs?.ok ? targetInferenceServices(ctx, isvcs.items)[0] : undefined;
  const mode = isvc?.metadata.annotations?.['serving.kserve.io/deploymentMode'] ?? isvc?.status?.deploymentMode;
  const created: Array<[string, string]> = [
    ['serving.kserve.io', 'inferenceservices'],
    ['', 'pods'],
    ['apps', 'deployments'],
    ...(KSERVE_RAW_MODES.has(mode)
      ? ([
          ['', 'services'],
          ['networking.k8s.io', 'ingresses'],
          ['gateway.networking.k8s.io', 'httproutes'],
          ['autoscaling', 'horizontalpodautoscalers'],
        ] as Array<[string, string]>)
      : ([['serving.knative.dev', 'services']] as Array<[string, string]>)),
  ];
  const isvcNamespaceLabels = labelsOf(target.inferenceService?.namespace ?? isvc?.metadata.namespace);
  // KServe gives what it creates the InferenceService's labels plus its own (predictor reconciler).
  const componentLabels = isvc && {
    ...(isvc.metadata.labels ?? {}),
    'serving.kserve.io/inferenceservice': isvc.metadata.name,
    component: 'predictor',
  };
  const requests: AdmissionRequest[] = created.map(([group, resource]) => ({
    group,
    resource,
    operation: '',
    namespaceLabels: isvcNamespaceLabels,
    objectLabels: resource === 'inferenceservices' ? isvc?.metadata.labels ?? (isvc && {}) : componentLabels,
  }));
  const apps = snapshot.collections.applications;
  const app =
    target.argoApp && apps?.ok
      ? apps.items.find(a => a.metadata.name === target.argoApp!.name && a.metadata.namespace === target.argoApp!.namespace)
      : undefined;
  for (const r of (app?.status?.resources ?? []) as any[]) {
    if (!r?.kind || !r.namespace) continue;
    // The InferenceService itself is judged above, with its labels.
    if (r.kind === 'InferenceService' && isvc && r.name === isvc.metadata.name && r.namespace === isvc.metadata.namespace) continue;
    requests.push({
      group: r.group ?? '',
      resource: resourceOfKind(r.kind),
      operation: '',
      namespaceLabels: labelsOf(r.namespace),
    });
  }
  return requests.flatMap(r =>
    (r.resource === 'pods' ? ['CREATE'] : ['CREATE', 'UPDATE']).map(operation => ({ ...r, operation })),
  );
}

/** Does the webhook intercept anything this entity's deployment sends? */
export function interceptsAny(webhook: WebhookEntry, requests: AdmissionRequest[]): boolean {
  return requests.some(r => webhookIntercepts(webhook, r));
}

export function webhookKindResource(w: WebhookEntry): string {
  return w.configKind === 'MutatingWebhookConfiguration'
    ? 'mutatingwebhookconfiguration'
    : 'validatingwebhookconfiguration';
}

/** Whether a dead webhook blocks this entity, in words. */
export function blockingVerdict(w: WebhookEntry, intercepts: boolean): string {
  if (!intercepts) return "no (its rules and selectors match nothing this entity's deployment creates)";
  const cel = w.matchConditions ? '; its matchConditions are not evaluated here' : '';
  return w.failurePolicy === 'Fail'
    ? `yes (failurePolicy Fail: requests are denied${cel})`
    : `slows it (failurePolicy Ignore: requests pass after the call fails${cel})`;
}

/** The evidence for one webhook whose Service cannot serve it: where it points, why not, what it intercepts. */
export function deadWebhookEvidence(label: string, w: WebhookEntry, chain: ServiceChain, intercepts: boolean): Evidence {
  return {
    object: { kind: w.configKind, name: w.configName, apiVersion: 'admissionregistration.k8s.io/v1' },
    label: `${label} ${w.webhookName}`,
    fields: {
      'clientConfig.service': `${w.service!.namespace}/${w.service!.name}`,
      ...(w.service!.port !== undefined && w.service!.port !== 443 ? { 'clientConfig.service.port': String(w.service!.port) } : {}),
      cause: chain.cause ?? 'unknown',
      failurePolicy: w.failurePolicy,
      intercepts: describeRules(w) || 'nothing',
      namespaceSelector: JSON.stringify(w.namespaceSelector ?? {}),
      objectSelector: JSON.stringify(w.objectSelector ?? {}),
      'blocks this entity': blockingVerdict(w, intercepts),
    },
  };
}

/** The last step of a webhook fix: make Argo CD retry now instead of at its next backoff. */
export function argoRefreshStep(target: TriageTarget, text: string): RemediationStep {
  return {
    text,
    command: `kubectl -n ${target.argoApp?.namespace ?? 'argocd'} annotate applications.argoproj.io ${target.argoApp?.name ?? '<app>'} argocd.argoproj.io/refresh=hard --overwrite`,
  };
}

/**
 * Every webhook of the cluster, when the webhook configurations and the Services and EndpointSlices behind them
 * could all be read; otherwise the outcome that names the first read that failed.
 */
export function readWebhooksWithChains(
  snapshot: ClusterSnapshot,
): { webhooks: WebhookEntry[] } | { unread: CheckOutcome } {
  const { webhooks, unreadable } = listWebhooks(snapshot);
  const unread =
    firstReadError(snapshot, unreadable) ??
    firstReadError(snapshot, SERVICE_CHAIN_COLLECTIONS);
  return unread ? { unread } : { webhooks };
}

