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

/** What the API server would find when it resolves a webhook's Service. */
export interface ServiceChain {
  namespace: string;
  name: string;
  service?: KubeObject;
  readyEndpoints: number;
  notReadyEndpoints: number;
  /** Pods behind the Service (by EndpointSlice targetRef, else by selector). */
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

export function analyzeServiceChain(
  snapshot: ClusterSnapshot,
  namespace: string,
  name: string,
): ServiceChain {
  const services = items(snapshot, 'services');
  const slices = items(snapshot, 'endpointSlices');
  const pods = items(snapshot, 'controlPlanePods') ?? [];
  const events = items(snapshot, 'controlPlaneEvents') ?? [];
  const chain: ServiceChain = {
    namespace,
    name,
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
    chain.evidence.push({
      object: { kind: 'Service', namespace, name },
      label: 'Service',
      fields: { exists: services ? 'false' : 'unknown (services not readable)' },
    });
    return chain;
  }
  chain.evidence.push({
    object: ref(chain.service, 'Service'),
    label: 'Service',
    fields: {
      'spec.selector': JSON.stringify(chain.service.spec?.selector ?? {}),
      'spec.ports': JSON.stringify(
        (chain.service.spec?.ports ?? []).map((p: any) => ({
          port: p.port,
          targetPort: p.targetPort,
        })),
      ),
    },
  });

  const mine = (slices ?? []).filter(
    s =>
      s.metadata.namespace === namespace &&
      s.metadata.labels?.['kubernetes.io/service-name'] === name,
  );
  const podNames = new Set<string>();
  for (const slice of mine) {
    const endpoints: any[] = slice.endpoints ?? [];
    for (const ep of endpoints) {
      // EndpointSlice semantics: a nil ready condition means ready.
      const ready = ep.conditions?.ready !== false;
      if (ready) chain.readyEndpoints += 1;
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
            targetRef: ep.targetRef?.name,
          })),
        ),
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

  const selector = chain.service.spec?.selector;
  chain.pods = pods.filter(
    p =>
      p.metadata.namespace === namespace &&
      (podNames.has(p.metadata.name) ||
        (selector &&
          Object.keys(selector).length > 0 &&
          matchesLabelSelector({ matchLabels: selector }, p.metadata.labels))),
  );
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
    return `Service ${chain.namespace}/${chain.name} does not exist`;
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
