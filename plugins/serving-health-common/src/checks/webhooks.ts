import { ClusterSnapshot, SnapshotCollection } from '../snapshot';
import { KubeObject } from '../types';
import { matchesLabelSelector } from '@serving-health/plugin-serving-health-policy';

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

/** Does this webhook intercept `operation` on `group/resource` in a namespace with these labels? */
export function webhookIntercepts(
  webhook: WebhookEntry,
  request: {
    group: string;
    resource: string;
    operation: string;
    namespaceLabels?: Record<string, string>;
    objectLabels?: Record<string, string>;
  },
): boolean {
  const ruleMatch = webhook.rules.some(
    r =>
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
