import { matchesLabelSelector } from '@serving-health/plugin-serving-health-policy';
import { ClusterSnapshot } from '../snapshot';
import { KubeObject } from '../types';

/**
 * Kyverno's control plane across 1.10-1.15 (Helm chart 3.x). 1.10 split the single `kyverno` Deployment of 1.9 into
 * four controllers (admission, background, cleanup, reports), each labelled `app.kubernetes.io/component: <name>-controller`;
 * only the admission controller serves the resource webhooks (kyverno-svc) that model deployments reach. The cleanup
 * controller serves the cleanup-policy (and, from 1.11, TTL-label) webhooks; the background and reports controllers none.
 */

// The names the chart gives the admission controller: 1.10+, then the single Deployment of 1.9 and before.
const ADMISSION_CONTROLLER_NAMES = ['kyverno-admission-controller', 'kyverno'];

function deployments(
  snapshot: ClusterSnapshot,
  namespace: string,
): KubeObject[] {
  const r = snapshot.collections.controlPlaneDeployments;
  return r?.ok ? r.items.filter(d => d.metadata.namespace === namespace) : [];
}

/** The Deployment whose pods a Service selects: its pod template carries every label of the Service's selector. */
export function deploymentBehindService(
  snapshot: ClusterSnapshot,
  service: KubeObject,
): KubeObject | undefined {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  return deployments(snapshot, service.metadata.namespace!).find(d =>
    matchesLabelSelector(
      { matchLabels: selector },
      d.spec?.template?.metadata?.labels,
    ),
  );
}

/**
 * Kyverno's admission controller: the Deployment behind the Service its resource webhooks call, whatever the
 * release named it (nameOverride, fullnameOverride); without that Service, the Deployment labelled
 * `app.kubernetes.io/component: admission-controller`, else the chart's names.
 */
export function kyvernoAdmissionController(
  snapshot: ClusterSnapshot,
  namespace: string,
  webhookService?: KubeObject,
): KubeObject | undefined {
  const behind =
    webhookService && deploymentBehindService(snapshot, webhookService);
  if (behind) return behind;
  const inNs = deployments(snapshot, namespace);
  return (
    inNs.find(
      d =>
        d.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] ===
        'admission-controller',
    ) ??
    ADMISSION_CONTROLLER_NAMES.map(n =>
      inNs.find(d => d.metadata.name === n),
    ).find(Boolean)
  );
}
