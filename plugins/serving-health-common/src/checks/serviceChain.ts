import { ClusterSnapshot, SnapshotCollection } from '../snapshot';
import { Evidence, KubeObject } from '../types';
import { matchesLabelSelector } from '@serving-health/plugin-serving-health-policy';
import { detailSuffix, findCondition, ref } from './util';

/** What resolving a webhook's Service reads; when one is unreadable the chain cannot be judged. */
export const SERVICE_CHAIN_COLLECTIONS: SnapshotCollection[] = ['services', 'endpointSlices'];

export interface ContainerProblem {
  pod: string;
  container: string;
  reason: string;
  message?: string;
  image?: string;
  /** The newest matching Event message (the registry's answer lives there). */
  event?: string;
}

/**
 * What the API server makes of a webhook's Service (`ResolveCluster` / `ResolveEndpoint` in
 * k8s.io/apiserver/pkg/util/proxy): `gone` when the Service or its namespace does not exist, `not-served` when it
 * exists but cannot be called (headless, no such port, no ready endpoint), `not-checkable` when it is called
 * through DNS (ExternalName), whose target no cluster object describes.
 */
export type ChainVerdict = 'served' | 'not-served' | 'gone' | 'not-checkable';

export type ChainProblem =
  | 'namespace-gone'
  | 'service-gone'
  | 'external-name'
  | 'headless'
  | 'no-port'
  | 'no-ready-endpoints';

const VERDICT: Record<ChainProblem, ChainVerdict> = {
  'namespace-gone': 'gone',
  'service-gone': 'gone',
  'external-name': 'not-checkable',
  headless: 'not-served',
  'no-port': 'not-served',
  'no-ready-endpoints': 'not-served',
};

function stop(chain: ServiceChain, problem: ChainProblem, cause: string) {
  chain.problem = problem;
  chain.verdict = VERDICT[problem];
  chain.cause = cause;
}

/** What the API server would find when it resolves a webhook's Service. */
export interface ServiceChain {
  namespace: string;
  name: string;
  /** The port the webhook calls (`clientConfig.service.port`, default 443). */
  port: number;
  service?: KubeObject;
  verdict: ChainVerdict;
  /** What stops the call, when the verdict is not `served`. */
  problem?: ChainProblem;
  /** The same, in the API server's words where it has them. */
  cause?: string;
  readyEndpoints: number;
  notReadyEndpoints: number;
  /** Pods behind the Service (by EndpointSlice targetRef, else by selector), without the ones that no longer count. */
  pods: KubeObject[];
  containerProblems: ContainerProblem[];
  evidence: Evidence[];
}

function items(snapshot: ClusterSnapshot, name: keyof ClusterSnapshot['collections']) {
  const r = snapshot.collections[name];
  return r && r.ok ? r.items : undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return findCondition(pod, 'Ready')?.status === 'True';
}

/** The ReplicaSet a Deployment rolled out last, as its Progressing condition names it: `ReplicaSet "<name>-<hash>" ...`. */
function currentTemplateHash(deployment: KubeObject | undefined): string | undefined {
  const name = deployment?.metadata.name;
  const message = String(findCondition(deployment, 'Progressing')?.message ?? '');
  const rs = /ReplicaSet "([^"]+)"/.exec(message)?.[1];
  return name && rs?.startsWith(`${name}-`) ? rs.slice(name.length + 1) : undefined;
}

/**
 * Why a pod says nothing about the component's health now, if it does not: it has finished (Succeeded/Failed),
 * it is being deleted, or it belongs to a ReplicaSet the Deployment has replaced (by the Deployment's current
 * pod-template-hash when its Progressing condition names it, else because a newer Ready pod of another
 * template runs next to it).
 */
export function supersededReason(
  pod: KubeObject,
  siblings: KubeObject[],
  deployment?: KubeObject,
): string | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return `phase ${phase}`;
  if (pod.metadata.deletionTimestamp) return `terminating since ${pod.metadata.deletionTimestamp}`;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (!hash) return undefined;
  const current = currentTemplateHash(deployment);
  if (current) return hash === current ? undefined : `old ReplicaSet (pod-template-hash ${hash}, current ${current})`;
  if (isPodReady(pod)) return undefined;
  const created = String(pod.metadata.creationTimestamp ?? '');
  const newer = siblings.find(
    o =>
      o !== pod &&
      isPodReady(o) &&
      !o.metadata.deletionTimestamp &&
      o.metadata.labels?.['pod-template-hash'] !== undefined &&
      o.metadata.labels['pod-template-hash'] !== hash &&
      created !== '' &&
      String(o.metadata.creationTimestamp ?? '') > created,
  );
  return newer ? `old ReplicaSet (a newer Ready pod ${newer.metadata.name} replaced it)` : undefined;
}

function newestEvent(events: KubeObject[], pod: KubeObject, needle?: string) {
  const matching = events
    .filter(
      e =>
        e.involvedObject?.kind === 'Pod' &&
        e.involvedObject?.name === pod.metadata.name &&
        (e.metadata.namespace ?? e.involvedObject?.namespace) ===
          pod.metadata.namespace &&
        e.type !== 'Normal' &&
        (!needle || String(e.message ?? '').includes(needle)),
    )
    .sort((a, b) =>
      String(b.lastTimestamp ?? b.eventTime ?? '').localeCompare(
        String(a.lastTimestamp ?? a.eventTime ?? ''),
      ),
    );
  return matching[0];
}

/** Waiting or crashing containers of a pod, each with the event that explains it. */
export function containerProblems(
  pod: KubeObject,
  events: KubeObject[],
): ContainerProblem[] {
  const problems: ContainerProblem[] = [];
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (cs.ready) continue;
    const waiting = cs.state?.waiting;
    const terminated = cs.state?.terminated ?? cs.lastState?.terminated;
    const reason = waiting?.reason ?? terminated?.reason ?? 'NotReady';
    // Pull failures name the image in their Event; prefer that event's text.
    const event =
      newestEvent(events, pod, cs.image) ?? newestEvent(events, pod, cs.name);
    problems.push({
      pod: pod.metadata.name,
      container: cs.name,
      reason,
      message: waiting?.message ?? terminated?.message,
      image: cs.image,
      event: event?.message,
    });
  }
  return problems;
}

/**
 * Does this EndpointSlice port carry the Service port? The EndpointSlice controller names each slice port after
 * the Service port (`getEndpointPorts`), and gives it the container port the targetPort resolves to: a number is
 * that number, a name is resolved per pod, so only the name can be compared.
 */
function slicePortMatches(slicePort: any, servicePort: any): boolean {
  if ((slicePort?.name ?? '') !== (servicePort.name ?? '')) return false;
  const target = servicePort.targetPort ?? servicePort.port;
  return typeof target !== 'number' || slicePort?.port === undefined || slicePort.port === target;
}

/** EndpointSlice semantics: a nil ready condition means ready; a terminating endpoint is not. */
function endpointReady(ep: any): boolean {
  return ep.conditions?.ready !== false && ep.conditions?.terminating !== true;
}

export function analyzeServiceChain(
  snapshot: ClusterSnapshot,
  namespace: string,
  name: string,
  port = 443,
): ServiceChain {
  const services = items(snapshot, 'services');
  const slices = items(snapshot, 'endpointSlices');
  const namespaces = items(snapshot, 'namespaces');
  const pods = items(snapshot, 'controlPlanePods') ?? [];
  const events = items(snapshot, 'controlPlaneEvents') ?? [];
  const chain: ServiceChain = {
    namespace,
    name,
    port,
    verdict: 'served',
    readyEndpoints: 0,
    notReadyEndpoints: 0,
    pods: [],
    containerProblems: [],
    evidence: [],
  };
  chain.service = services?.find(
    s => s.metadata.name === name && s.metadata.namespace === namespace,
  );
  if (!chain.service) {
    const namespaceGone = namespaces !== undefined && !namespaces.some(n => n.metadata.name === namespace);
    stop(chain, namespaceGone ? 'namespace-gone' : 'service-gone', `service "${name}" not found`);
    chain.evidence.push({
      object: { kind: 'Service', namespace, name },
      label: 'Service',
      fields: {
        exists: services ? 'false' : 'unknown (services not readable)',
        ...(namespaceGone ? { [`namespace ${namespace}`]: 'does not exist' } : {}),
      },
    });
    return chain;
  }
  const spec = chain.service.spec ?? {};
  const ports: any[] = spec.ports ?? [];
  chain.evidence.push({
    object: ref(chain.service, 'Service'),
    label: 'Service',
    fields: {
      ...(spec.type && spec.type !== 'ClusterIP' ? { 'spec.type': String(spec.type) } : {}),
      ...(spec.clusterIP ? { 'spec.clusterIP': String(spec.clusterIP) } : {}),
      ...(spec.externalName ? { 'spec.externalName': String(spec.externalName) } : {}),
      'spec.selector': JSON.stringify(spec.selector ?? {}),
      'spec.ports': JSON.stringify(
        ports.map(p => ({ ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort })),
      ),
      'webhook port': String(port),
    },
  });
  if (spec.type === 'ExternalName') {
    stop(chain, 'external-name', `ExternalName Service: the API server calls ${spec.externalName}:${port} through DNS, which no EndpointSlice describes`);
    return chain;
  }
  if (spec.clusterIP === 'None') {
    stop(chain, 'headless', 'cannot route to service with ClusterIP "None" (a headless Service cannot be called)');
    return chain;
  }
  const servicePort = ports.find(p => p.port === port);
  if (!servicePort) {
    stop(chain, 'no-port', `no service port ${port} found for service "${name}" (ports: ${ports.map(p => p.port).join(', ') || 'none'})`);
    return chain;
  }

  const mine = (slices ?? []).filter(
    s =>
      s.metadata.namespace === namespace &&
      s.metadata.labels?.['kubernetes.io/service-name'] === name,
  );
  const podNames = new Set<string>();
  for (const slice of mine) {
    const endpoints: any[] = slice.endpoints ?? [];
    const carriesPort = ((slice.ports ?? []) as any[]).some(p => slicePortMatches(p, servicePort));
    for (const ep of endpoints) {
      if (carriesPort && endpointReady(ep)) chain.readyEndpoints += 1;
      else chain.notReadyEndpoints += 1;
      if (ep.targetRef?.kind === 'Pod') podNames.add(ep.targetRef.name);
    }
    chain.evidence.push({
      object: ref(slice, 'EndpointSlice'),
      label: 'EndpointSlice',
      fields: {
        endpoints: JSON.stringify(
          endpoints.map(ep => ({
            addresses: ep.addresses,
            ready: ep.conditions?.ready ?? null,
            ...(ep.conditions?.terminating ? { terminating: true } : {}),
            targetRef: ep.targetRef?.name,
          })),
        ),
        ...(carriesPort
          ? {}
          : {
              ports: `${JSON.stringify(slice.ports ?? [])}: none carries service port ${servicePort.name ? `"${servicePort.name}" ` : ''}${port}`,
            }),
      },
    });
  }
  if (mine.length === 0) {
    chain.evidence.push({
      label: 'EndpointSlices',
      fields: {
        [`kubernetes.io/service-name=${name}`]: slices
          ? 'none found'
          : 'unknown (endpointslices not readable)',
      },
    });
  }
  if (chain.readyEndpoints === 0) {
    stop(chain, 'no-ready-endpoints', `no endpoints available for service "${name}"`);
  }

  const selector = spec.selector;
  const behind = pods.filter(
    p =>
      p.metadata.namespace === namespace &&
      (podNames.has(p.metadata.name) ||
        (selector &&
          Object.keys(selector).length > 0 &&
          matchesLabelSelector({ matchLabels: selector }, p.metadata.labels))),
  );
  chain.pods = behind.filter(p => !supersededReason(p, behind));
  for (const pod of chain.pods) {
    const statuses: any[] = pod.status?.containerStatuses ?? [];
    chain.evidence.push({
      object: ref(pod, 'Pod'),
      label: 'Pod behind the Service',
      fields: {
        'status.conditions[Ready].status': String(
          findCondition(pod, 'Ready')?.status ?? 'unknown',
        ),
        ready: `${statuses.filter(s => s.ready).length}/${statuses.length}`,
        ...Object.fromEntries(
          statuses
            .filter(s => !s.ready)
            .map(s => [
              `containerStatuses[${s.name}].state`,
              JSON.stringify(s.state ?? {}),
            ]),
        ),
      },
    });
    chain.containerProblems.push(...containerProblems(pod, events));
  }
  for (const p of chain.containerProblems) {
    if (p.event) {
      chain.evidence.push({
        object: { kind: 'Pod', namespace, name: p.pod },
        label: `Event for container ${p.container}`,
        lines: [p.event],
      });
    }
  }
  return chain;
}

/** One line that says why the chain is broken, down to the container. */
export function describeChainCause(chain: ServiceChain): string {
  if (!chain.service) {
    return `Service ${chain.namespace}/${chain.name} does not exist${chain.problem === 'namespace-gone' ? ` (namespace ${chain.namespace} is gone)` : ''}`;
  }
  if (chain.problem && chain.problem !== 'no-ready-endpoints') {
    return `Service ${chain.namespace}/${chain.name}: ${chain.cause}`;
  }
  const parts = [
    `Service ${chain.namespace}/${chain.name} has ${chain.readyEndpoints} ready endpoint(s)`,
  ];
  if (chain.notReadyEndpoints) parts.push(`${chain.notReadyEndpoints} not ready`);
  const p = chain.containerProblems[0];
  if (p) {
    parts.push(
      `pod ${p.pod}: container ${p.container} is ${p.reason}${detailSuffix(p.event ?? p.message, ' (', ')')}`,
    );
  } else if (chain.pods.length === 0) {
    parts.push('no pod backs it');
  }
  return parts.join('; ');
}
