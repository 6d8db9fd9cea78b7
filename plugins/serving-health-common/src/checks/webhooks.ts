import { ClusterSnapshot, SnapshotCollection } from '../snapshot';
import { Evidence, KubeObject, RemediationStep, TriageTarget } from '../types';
import { matchesLabelSelector } from '@serving-health/plugin-serving-health-policy';
import {
  SERVICE_CHAIN_COLLECTIONS,
  ServiceChain,
  analyzeServiceChain,
} from './serviceChain';
import { CheckContext, CheckOutcome } from './types';
import {
  Known,
  MatchConditionInput,
  UNKNOWN,
  evaluateMatchConditions,
  partialMap,
} from './matchConditions';
import {
  deploymentMode,
  kserveChildren,
  mayCarryControllerLabel,
  predictorLabels,
} from './kserveLayout';
import { clip, firstReadError, targetInferenceServices } from './util';

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
  /** CEL conditions (GA in 1.30), evaluated by matchConditions.ts. */
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
          ...(w.matchConditions?.length
            ? { matchConditions: w.matchConditions }
            : {}),
        });
      }
    }
  }
  return { webhooks, unreadable };
}

// As the API server matches rules: a resource, a resource with a subresource, or wildcards for either part.
function resourceMatches(entry: string, resource: string): boolean {
  const [res, sub] = entry.split('/');
  return (
    (res === '*' || res === resource) && (sub === undefined || sub === '*')
  );
}

function matchesList(list: string[], value: string) {
  return list.includes('*') || list.includes(value);
}

/**
 * Labels of an object or namespace as far as the triage knows them: `labels` it carries for certain, and, when the list
 * may be incomplete, which other keys it may also carry (set by controllers whose output the triage does not read).
 */
export interface KnownLabels {
  labels: Record<string, string>;
  mayAlsoHave?: (key: string) => boolean;
}

/** A namespaced request the API server sends to admission; what is left out is unknown, not absent. */
export interface AdmissionRequest {
  group: string;
  version?: string;
  kind?: string;
  resource: string;
  operation: string;
  namespace?: string;
  name?: string;
  namespaceLabels?: KnownLabels;
  objectLabels?: KnownLabels;
  /** The object as the cluster shows it, when the request sends one the triage has read (the InferenceService). */
  object?: KubeObject;
  /** Set when the request is sent only in some configurations the triage cannot see: why it may not be sent. */
  onlyIf?: string;
}

/** Whether a webhook intercepts a request, and why when the answer is not a plain rule match. */
export interface Interception {
  verdict: 'yes' | 'no' | 'maybe';
  why?: string;
}

const NO: Interception = { verdict: 'no' };

/**
 * A label selector judged on labels known in part: each requirement on a key the object may or may not carry is
 * unknown; the selector (an AND) is false when a known requirement fails, unknown when one is unknown, else true.
 */
function selectorVerdict(
  selector: any,
  known: KnownLabels | undefined,
  what: string,
): Interception {
  const requirements = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
      key,
      selector: { matchLabels: { [key]: value as string } },
    })),
    ...((selector?.matchExpressions ?? []) as any[]).map(e => ({
      key: String(e?.key),
      selector: { matchExpressions: [e] },
    })),
  ];
  if (requirements.length === 0) return { verdict: 'yes' };
  let unknownKey: string | undefined;
  for (const r of requirements) {
    const decided =
      known &&
      (Object.prototype.hasOwnProperty.call(known.labels, r.key) ||
        !known.mayAlsoHave?.(r.key));
    if (!decided) unknownKey ??= r.key;
    else if (!matchesLabelSelector(r.selector, known!.labels)) return NO;
  }
  return unknownKey === undefined
    ? { verdict: 'yes' }
    : {
        verdict: 'maybe',
        why: `its ${what} reads label ${unknownKey}, which this triage cannot see on the object`,
      };
}

function knownLabelsMap(known: KnownLabels | undefined): Known {
  if (!known) return partialMap({});
  return known.mayAlsoHave ? partialMap(known.labels) : known.labels;
}

/** What a webhook's matchConditions see of this request; everything the triage has not read is unknown. */
function matchConditionInput(r: AdmissionRequest): MatchConditionInput {
  const gvk = {
    group: r.group,
    ...(r.version ? { version: r.version } : {}),
    ...(r.kind ? { kind: r.kind } : {}),
  };
  const gvr = {
    group: r.group,
    ...(r.version ? { version: r.version } : {}),
    resource: r.resource,
  };
  const object: Known = r.object
    ? partialMap({
        apiVersion: String(r.object.apiVersion ?? ''),
        kind: String(r.object.kind ?? r.kind ?? ''),
        metadata: partialMap({
          name: r.object.metadata.name,
          namespace: r.object.metadata.namespace ?? r.namespace ?? '',
          labels: r.object.metadata.labels ?? {},
          annotations: r.object.metadata.annotations ?? {},
        }),
        spec: (r.object.spec as Known) ?? UNKNOWN,
      })
    : partialMap({
        ...(r.kind ? { kind: r.kind } : {}),
        ...(r.version
          ? { apiVersion: r.group ? `${r.group}/${r.version}` : r.version }
          : {}),
        metadata: partialMap({
          ...(r.namespace ? { namespace: r.namespace } : {}),
          ...(r.name ? { name: r.name } : {}),
          labels: knownLabelsMap(r.objectLabels),
        }),
      });
  return {
    object,
    // The object an UPDATE replaces is the one the cluster shows; the triage reads it only for the InferenceService.
    oldObject: r.operation === 'CREATE' ? null : object,
    request: partialMap({
      kind: partialMap(gvk),
      resource: partialMap(gvr),
      subResource: '',
      requestKind: partialMap(gvk),
      requestResource: partialMap(gvr),
      requestSubResource: '',
      operation: r.operation,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      ...(r.name ? { name: r.name } : {}),
      // The deployment's requests are real, never dry runs; who sends them (Argo CD, KServe, Knative, the ReplicaSet
      // controller) and with which options is not known.
      dryRun: false,
      userInfo: UNKNOWN,
      options: UNKNOWN,
    }),
  };
}

function describeRequest(r: AdmissionRequest): string {
  return `${r.operation} ${r.resource}${r.group ? `.${r.group}` : ''}${
    r.name ? ` ${r.name}` : ''
  }`;
}

/**
 * Does this webhook intercept the request? As the API server decides (rules, scope, namespaceSelector, objectSelector,
 * then matchConditions), with `maybe` wherever the answer depends on what the triage cannot know.
 */
export function webhookIntercepts(
  webhook: WebhookEntry,
  request: AdmissionRequest,
): Interception {
  const ruleMatch = webhook.rules.some(
    r =>
      // Every request judged here is for a namespaced object.
      (r.scope === undefined || r.scope === '*' || r.scope === 'Namespaced') &&
      matchesList(r.apiGroups, request.group) &&
      r.resources.some(entry => resourceMatches(entry, request.resource)) &&
      matchesList(r.operations, request.operation),
  );
  if (!ruleMatch) return NO;
  const maybes: string[] = [];
  for (const v of [
    selectorVerdict(
      webhook.namespaceSelector,
      request.namespaceLabels,
      'namespaceSelector',
    ),
    selectorVerdict(
      webhook.objectSelector,
      request.objectLabels,
      'objectSelector',
    ),
  ]) {
    if (v.verdict === 'no') return NO;
    if (v.why) maybes.push(v.why);
  }
  let why: string | undefined;
  if (webhook.matchConditions) {
    const m = evaluateMatchConditions(
      webhook.matchConditions,
      matchConditionInput(request),
    );
    if (m.verdict === 'no-match') {
      return {
        verdict: 'no',
        why: `its matchCondition "${
          m.condition
        }" is false for ${describeRequest(request)}`,
      };
    }
    if (m.verdict === 'error') {
      // The API server applies failurePolicy to a condition it cannot evaluate: Fail rejects the request outright.
      if (webhook.failurePolicy === 'Ignore') return NO;
      why = `its matchCondition "${
        m.condition
      }" fails to evaluate for ${describeRequest(request)} (${
        m.message
      }), and failurePolicy Fail rejects the request`;
    }
    if (m.verdict === 'undecidable') {
      maybes.push(
        `its matchCondition "${
          m.condition
        }" cannot be decided for ${describeRequest(request)}: ${m.why}`,
      );
    }
  }
  if (request.onlyIf)
    maybes.push(
      `${describeRequest(request)} is sent only if ${request.onlyIf}`,
    );
  if (maybes.length)
    return {
      verdict: 'maybe',
      why: [why, ...maybes].filter(Boolean).join('; '),
    };
  return { verdict: 'yes', ...(why ? { why } : {}) };
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
export function webhookServiceChain(
  snapshot: ClusterSnapshot,
  webhook: WebhookEntry,
): ServiceChain | undefined {
  const svc = webhook.service;
  return svc
    ? analyzeServiceChain(snapshot, svc.namespace, svc.name, svc.port ?? 443)
    : undefined;
}

// Argo CD names kinds; admission rules name resources. Kubernetes' own plural rule covers the kinds an app ships.
function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/**
 * What this entity's deployment sends to admission: the InferenceService, what is created for it in its deployment mode
 * (kserveLayout: Standard/RawDeployment: Deployment, Service, HPA, Ingress or HTTPRoute; Knative/Serverless: a Knative
 * Service, whose revisions Knative Serving turns into a Deployment and Services; the predictor Pods), and the objects of
 * its Argo CD Application's status.resources. Labels are given as far as the cluster shows them.
 */
export function entityAdmissionRequests(ctx: CheckContext): AdmissionRequest[] {
  const { snapshot, target } = ctx;
  const namespaces = snapshot.collections.namespaces;
  // A namespace that exists shows all its labels; one that does not (yet), or an unreadable list, only its name label.
  const labelsOf = (ns: string): KnownLabels => {
    const found = namespaces?.ok
      ? namespaces.items.find(n => n.metadata.name === ns)
      : undefined;
    return found
      ? { labels: found.metadata.labels ?? {} }
      : {
          labels: { 'kubernetes.io/metadata.name': ns },
          mayAlsoHave: () => true,
        };
  };
  const isvcs = snapshot.collections.inferenceServices;
  const isvc = isvcs?.ok
    ? targetInferenceServices(ctx, isvcs.items)[0]
    : undefined;
  const name = isvc?.metadata.name ?? target.inferenceService?.name;
  const namespace =
    isvc?.metadata.namespace ?? target.inferenceService?.namespace;
  // Without an InferenceService (one selected by kubernetes-id that does not exist yet) its namespace is unknown.
  const where = namespace
    ? { namespace, namespaceLabels: labelsOf(namespace) }
    : {};
  const requests: AdmissionRequest[] = [
    {
      group: 'serving.kserve.io',
      version: 'v1beta1',
      kind: 'InferenceService',
      resource: 'inferenceservices',
      operation: '',
      ...where,
      ...(name ? { name } : {}),
      ...(isvc
        ? { object: isvc, objectLabels: { labels: isvc.metadata.labels ?? {} } }
        : {}),
    },
  ];
  // The InferenceService's labels are unknown until it exists: then only KServe's own are certain on what it creates.
  const objectLabels: KnownLabels = {
    labels: predictorLabels(isvc, name),
    mayAlsoHave: isvc ? mayCarryControllerLabel : () => true,
  };
  for (const c of kserveChildren(isvc, deploymentMode(isvc))) {
    requests.push({
      group: c.group,
      version: c.version,
      kind: c.kind,
      resource: c.resource,
      operation: '',
      ...where,
      objectLabels,
      ...(c.onlyIf ? { onlyIf: c.onlyIf } : {}),
    });
  }
  const apps = snapshot.collections.applications;
  const app =
    target.argoApp && apps?.ok
      ? apps.items.find(
          a =>
            a.metadata.name === target.argoApp!.name &&
            a.metadata.namespace === target.argoApp!.namespace,
        )
      : undefined;
  for (const r of (app?.status?.resources ?? []) as any[]) {
    if (!r?.kind || !r.namespace) continue;
    // The InferenceService itself is judged above, with its labels.
    if (
      r.kind === 'InferenceService' &&
      r.name === name &&
      r.namespace === namespace
    )
      continue;
    requests.push({
      group: r.group ?? '',
      ...(r.version ? { version: String(r.version) } : {}),
      kind: String(r.kind),
      resource: resourceOfKind(r.kind),
      operation: '',
      namespace: r.namespace,
      ...(r.name ? { name: String(r.name) } : {}),
      namespaceLabels: labelsOf(r.namespace),
    });
  }
  return requests.flatMap(r =>
    (r.resource === 'pods' ? ['CREATE'] : ['CREATE', 'UPDATE']).map(
      operation => ({ ...r, operation }),
    ),
  );
}

/** Does the webhook intercept anything this entity's deployment sends? `yes` wins over `maybe`, `maybe` over `no`. */
export function interception(
  webhook: WebhookEntry,
  requests: AdmissionRequest[],
): Interception {
  let maybe: Interception | undefined;
  let no: Interception | undefined;
  for (const r of requests) {
    const i = webhookIntercepts(webhook, r);
    if (i.verdict === 'yes') return i;
    if (i.verdict === 'maybe') maybe ??= i;
    else if (i.why) no ??= i;
  }
  return maybe ?? no ?? NO;
}

/** Whether the webhook certainly intercepts something this entity's deployment sends. */
export function interceptsAny(
  webhook: WebhookEntry,
  requests: AdmissionRequest[],
): boolean {
  return interception(webhook, requests).verdict === 'yes';
}

export function webhookKindResource(w: WebhookEntry): string {
  return w.configKind === 'MutatingWebhookConfiguration'
    ? 'mutatingwebhookconfiguration'
    : 'validatingwebhookconfiguration';
}

/** Whether a dead webhook blocks this entity, in words. */
export function blockingVerdict(w: WebhookEntry, i: Interception): string {
  if (i.verdict === 'no') {
    return `no (${
      i.why ??
      "its rules and selectors match nothing this entity's deployment creates"
    })`;
  }
  const effect =
    w.failurePolicy === 'Fail'
      ? 'failurePolicy Fail: requests are denied'
      : 'failurePolicy Ignore: requests pass after the call fails';
  if (i.verdict === 'maybe')
    return `may intercept (${i.why}); if it does, ${effect}`;
  const because = i.why ? `; ${i.why}` : '';
  return w.failurePolicy === 'Fail'
    ? `yes (${effect}${because})`
    : `slows it (${effect}${because})`;
}

/** The evidence for one webhook whose Service cannot serve it: where it points, why not, what it intercepts. */
export function deadWebhookEvidence(
  label: string,
  w: WebhookEntry,
  chain: ServiceChain,
  intercepts: Interception,
): Evidence {
  return {
    object: {
      kind: w.configKind,
      name: w.configName,
      apiVersion: 'admissionregistration.k8s.io/v1',
    },
    label: `${label} ${w.webhookName}`,
    fields: {
      'clientConfig.service': `${w.service!.namespace}/${w.service!.name}`,
      ...(w.service!.port !== undefined && w.service!.port !== 443
        ? { 'clientConfig.service.port': String(w.service!.port) }
        : {}),
      cause: chain.cause ?? 'unknown',
      failurePolicy: w.failurePolicy,
      intercepts: describeRules(w) || 'nothing',
      namespaceSelector: JSON.stringify(w.namespaceSelector ?? {}),
      objectSelector: JSON.stringify(w.objectSelector ?? {}),
      ...(w.matchConditions
        ? {
            matchConditions: clip(
              w.matchConditions
                .map(c => `${c.name}: ${c.expression}`)
                .join('; '),
              1000,
            ),
          }
        : {}),
      'blocks this entity': blockingVerdict(w, intercepts),
    },
  };
}

/** The last step of a webhook fix: make Argo CD retry now instead of at its next backoff. */
export function argoRefreshStep(
  target: TriageTarget,
  text: string,
): RemediationStep {
  return {
    text,
    command: `kubectl -n ${
      target.argoApp?.namespace ?? 'argocd'
    } annotate applications.argoproj.io ${
      target.argoApp?.name ?? '<app>'
    } argocd.argoproj.io/refresh=hard --overwrite`,
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
