/*
 * Kyverno's match / exclude: which rules apply to which resources. A resource filter matches only if every
 * filter it sets (kinds, names, namespaces, annotations, selector, namespaceSelector, operations) matches;
 * `any` needs one filter, `all` needs each. Filters on the requesting user (subjects, roles, clusterRoles) and
 * namespace selectors without the namespace's labels cannot be decided before admission: `unknown`.
 */
import { KubeObject } from '../types';
import { LabelSelector, matchesLabelExpressions } from '../labelSelector';
import { isQualifiedName, isValidLabelValue } from '../labels';
import { wildcardMatch } from './wildcard';

export type Decision =
  | { result: 'yes' }
  | { result: 'no' }
  | { result: 'unknown'; feature: string; reason: string };

const YES: Decision = { result: 'yes' };
const NO: Decision = { result: 'no' };

export interface MatchContext {
  /** The namespace the resource lands in ('' for cluster-scoped resources). */
  namespace: string;
  /** Labels of a namespace, when known (from the manifests or the cluster). */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /** The admission operation the check stands for. */
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
}

interface ResourceDescription {
  kinds?: string[];
  name?: string;
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

interface ResourceFilter {
  resources?: ResourceDescription;
  subjects?: unknown[];
  roles?: string[];
  clusterRoles?: string[];
}

export interface MatchBlock extends ResourceFilter {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
}

const VERSION_RE = /^(v\d+((alpha|beta)\d+)?|\*)$/;

/** Kyverno's kind selector forms: `Kind`, `version/Kind`, `group/version/Kind`, with `*` wildcards and subresources. */
export function parseKindSelector(input: string): {
  group: string;
  version: string;
  kind: string;
  subresource: string;
} {
  let parts = input.split('/');
  parts = [...parts.slice(0, -1), ...parts[parts.length - 1].split('.')];
  switch (parts.length) {
    case 1:
      return { group: '*', version: '*', kind: parts[0], subresource: '' };
    case 2:
      if (parts[0] === '*' && parts[1] === '*')
        return { group: '*', version: '*', kind: '*', subresource: '*' };
      if (parts[0] === '*' && parts[1].toLowerCase() === parts[1]) {
        return { group: '*', version: '*', kind: '*', subresource: parts[1] };
      }
      if (VERSION_RE.test(parts[0]))
        return {
          group: '*',
          version: parts[0],
          kind: parts[1],
          subresource: '',
        };
      return {
        group: '*',
        version: '*',
        kind: parts[0],
        subresource: parts[1],
      };
    case 3:
      if (VERSION_RE.test(parts[0])) {
        return {
          group: '*',
          version: parts[0],
          kind: parts[1],
          subresource: parts[2],
        };
      }
      return {
        group: parts[0],
        version: parts[1],
        kind: parts[2],
        subresource: '',
      };
    default:
      return {
        group: parts[0],
        version: parts[1],
        kind: parts[2],
        subresource: parts.slice(3).join('/'),
      };
  }
}

export function groupVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function kindMatches(
  selectors: string[],
  resource: KubeObject,
): boolean {
  const { group, version } = groupVersion(resource.apiVersion ?? '');
  return selectors.some(s => {
    const sel = parseKindSelector(s);
    // A subresource selector (`Pod/exec`) never matches the object itself; `*/*` matches everything.
    if (sel.subresource !== '' && sel.subresource !== '*') return false;
    return (
      wildcardMatch(sel.group, group) &&
      wildcardMatch(sel.version, version) &&
      wildcardMatch(sel.kind, resource.kind ?? '')
    );
  });
}

/**
 * Whether apimachinery's LabelSelectorAsSelector accepts these expressions. Kyverno takes a selector it
 * rejects as not matching, so `NotIn` with no values or `Exists` with values matches nothing.
 */
function expressionsAreValid(
  expressions: LabelSelector['matchExpressions'],
): boolean {
  return (expressions ?? []).every(e => {
    const values = e.values ?? [];
    if (isQualifiedName(e.key).length) return false;
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        return (
          values.length > 0 &&
          values.every(v => isValidLabelValue(v).length === 0)
        );
      case 'Exists':
      case 'DoesNotExist':
        return values.length === 0;
      default:
        return false;
    }
  });
}

/**
 * matchLabels (wildcards expanded against the labels, as Kyverno does) and matchExpressions. matchLabels need
 * no validation: an entry that apimachinery would reject could only match a label the API server rejected.
 */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  if (!expressionsAreValid(selector.matchExpressions)) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    const ok = Object.entries(labels).some(
      ([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(String(v), lv),
    );
    if (!ok) return false;
  }
  return matchesLabelExpressions(selector.matchExpressions, labels);
}

const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof v === 'object' && v !== null) {
    for (const [k, val] of Object.entries(v)) out[k] = String(val);
  }
  return out;
};

/**
 * Kyverno compares the filter with a zero ResourceDescription (Go's DeepEqual): a field counts once it is set,
 * even to `[]` or `{}`, but not as `null` or an empty name.
 */
function isEmptyDescription(rd: ResourceDescription | undefined): boolean {
  if (!rd) return true;
  return (
    (
      [
        'kinds',
        'names',
        'namespaces',
        'annotations',
        'selector',
        'namespaceSelector',
        'operations',
      ] as const
    ).every(k => rd[k] === undefined || rd[k] === null) && !rd.name
  );
}

function describeResource(
  rd: ResourceDescription,
  resource: KubeObject,
  ctx: MatchContext,
): Decision {
  // Kyverno matches a resource still to be named by its generateName.
  const name =
    resource.metadata?.name ||
    (typeof resource.metadata?.generateName === 'string'
      ? resource.metadata.generateName
      : '');
  if (rd.kinds && rd.kinds.length && !kindMatches(rd.kinds, resource))
    return NO;
  if (rd.name && !wildcardMatch(rd.name, name)) return NO;
  if (
    rd.names &&
    rd.names.length &&
    !rd.names.some(n => wildcardMatch(n, name))
  )
    return NO;
  if (rd.namespaces && rd.namespaces.length) {
    const ns = resource.kind === 'Namespace' ? name : ctx.namespace;
    if (!rd.namespaces.some(n => wildcardMatch(n, ns))) return NO;
  }
  if (rd.annotations && Object.keys(rd.annotations).length) {
    const annotations = stringMap(resource.metadata?.annotations);
    for (const [k, v] of Object.entries(rd.annotations)) {
      const ok = Object.entries(annotations).some(
        ([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(String(v), av),
      );
      if (!ok) return NO;
    }
  }
  if (
    rd.selector &&
    !selectorMatches(rd.selector, stringMap(resource.metadata?.labels))
  )
    return NO;
  if (
    rd.operations &&
    rd.operations.length &&
    !rd.operations.includes(ctx.operation)
  )
    return NO;
  if (rd.namespaceSelector) {
    // Kyverno: "namespace selector is not applicable for namespace resource".
    if (resource.kind === 'Namespace') return NO;
    let labels: Record<string, string> | undefined;
    if (ctx.namespace === '') labels = {};
    else labels = ctx.namespaceLabels?.(ctx.namespace);
    if (!labels) {
      return {
        result: 'unknown',
        feature: 'match.namespaceSelector',
        reason: `the labels of namespace \`${ctx.namespace}\` are not known (include its Namespace manifest or read policies from the cluster)`,
      };
    }
    if (!selectorMatches(rd.namespaceSelector, labels)) return NO;
  }
  return YES;
}

function filterMatches(
  filter: ResourceFilter,
  resource: KubeObject,
  ctx: MatchContext,
): Decision {
  const userFilters = (['subjects', 'roles', 'clusterRoles'] as const).filter(
    k => (filter[k] ?? []).length > 0,
  );
  // An empty filter matches nothing (Kyverno: "match cannot be empty"), and so excludes nothing.
  if (isEmptyDescription(filter.resources) && !userFilters.length) return NO;
  const byResource = filter.resources
    ? describeResource(filter.resources, resource, ctx)
    : YES;
  if (byResource.result === 'no') return NO;
  if (userFilters.length) {
    return {
      result: 'unknown',
      feature: `match.${userFilters[0]}`,
      reason: `the rule depends on who sends the request (${userFilters.join(
        ', ',
      )}), which is only known at admission`,
    };
  }
  return byResource;
}

/** Combines filter decisions: `any` (one yes is enough) or `all` (one no is enough). */
function combine(decisions: Decision[], mode: 'any' | 'all'): Decision {
  const unknown = decisions.find(d => d.result === 'unknown');
  if (mode === 'any') {
    if (decisions.some(d => d.result === 'yes')) return YES;
    return unknown ?? NO;
  }
  if (decisions.some(d => d.result === 'no')) return NO;
  return unknown ?? YES;
}

export function blockMatches(
  block: MatchBlock | undefined,
  resource: KubeObject,
  ctx: MatchContext,
): Decision {
  if (!block) return NO;
  if (block.any && block.any.length)
    return combine(
      block.any.map(f => filterMatches(f, resource, ctx)),
      'any',
    );
  if (block.all && block.all.length)
    return combine(
      block.all.map(f => filterMatches(f, resource, ctx)),
      'all',
    );
  if (block.resources || block.subjects || block.roles || block.clusterRoles) {
    return filterMatches(block, resource, ctx);
  }
  return NO;
}

/**
 * Whether a rule applies: `match` must hold and `exclude` must not. An exclude that depends on the requester
 * (e.g. `clusterRoles: [cluster-admin]`) is taken as not excluding: the check stands for an ordinary
 * deployment, and a false alarm is better than a silent pass.
 */
export function ruleMatches(
  match: MatchBlock | undefined,
  exclude: MatchBlock | undefined,
  resource: KubeObject,
  ctx: MatchContext,
): Decision {
  const m = blockMatches(match, resource, ctx);
  if (m.result === 'no') return NO;
  if (exclude) {
    const e = blockMatches(exclude, resource, ctx);
    if (e.result === 'yes') return NO;
  }
  return m;
}
