import { ClusterSnapshot } from '../snapshot';
import { KubeObject } from '../types';
import {
  deploymentBehindService,
  kyvernoAdmissionController,
} from './kyvernoControlPlane';

/** A Kyverno 1.10+ controller as the Helm chart names and labels it (`<release>-<component>`). */
function controller(name: string, component: string): KubeObject {
  const labels = {
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/instance': 'kyverno',
    'app.kubernetes.io/part-of': 'kyverno',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'kyverno', labels },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels } },
    },
  };
}

const svc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kyverno-svc', namespace: 'kyverno' },
  spec: {
    selector: {
      'app.kubernetes.io/component': 'admission-controller',
      'app.kubernetes.io/instance': 'kyverno',
    },
  },
};

function snapshot(deployments: KubeObject[]): ClusterSnapshot {
  return {
    cluster: 'test',
    readAt: '2025-11-21T10:00:00Z',
    version: { ok: true, value: { gitVersion: 'v1.31.0' } },
    namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
    requestCount: 0,
    collections: { controlPlaneDeployments: { ok: true, items: deployments } },
  };
}

const CONTROLLERS_1_10 = [
  controller('kyverno-background-controller', 'background-controller'),
  controller('kyverno-cleanup-controller', 'cleanup-controller'),
  controller('kyverno-reports-controller', 'reports-controller'),
];

describe('kyvernoAdmissionController', () => {
  it('finds the Deployment behind the Service the resource webhooks call, whatever the release named it', () => {
    const renamed = controller(
      'policy-engine-admission-controller',
      'admission-controller',
    );
    const s = snapshot([...CONTROLLERS_1_10, renamed]);
    expect(kyvernoAdmissionController(s, 'kyverno', svc)).toBe(renamed);
    expect(deploymentBehindService(s, svc)).toBe(renamed);
  });

  it('falls back to the admission-controller component label when the Service is gone', () => {
    const admission = controller(
      'kyverno-admission-controller',
      'admission-controller',
    );
    expect(
      kyvernoAdmissionController(
        snapshot([...CONTROLLERS_1_10, admission]),
        'kyverno',
      ),
    ).toBe(admission);
  });

  it('finds the single kyverno Deployment of the pre-1.10 layout by name', () => {
    const single: KubeObject = { ...controller('kyverno', 'kyverno') };
    expect(kyvernoAdmissionController(snapshot([single]), 'kyverno')).toBe(
      single,
    );
  });

  it('never takes the cleanup, background or reports controller for the admission controller', () => {
    expect(
      kyvernoAdmissionController(snapshot(CONTROLLERS_1_10), 'kyverno', svc),
    ).toBeUndefined();
  });

  it('does not match a Service without a selector to any Deployment', () => {
    const admission = controller(
      'kyverno-admission-controller',
      'admission-controller',
    );
    expect(
      deploymentBehindService(snapshot([admission]), { ...svc, spec: {} }),
    ).toBeUndefined();
  });
});
