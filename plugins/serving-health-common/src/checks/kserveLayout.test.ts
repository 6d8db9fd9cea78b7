import { KubeObject } from '../types';
import {
  deploymentMode,
  isStopped,
  kserveChildren,
  mayCarryControllerLabel,
  predictorLabels,
} from './kserveLayout';

function isvc(
  o: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    status?: any;
    spec?: any;
  } = {},
): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'churn',
      namespace: 'models',
      annotations: o.annotations,
      labels: o.labels,
    },
    spec: o.spec ?? {
      predictor: { model: { modelFormat: { name: 'sklearn' } } },
    },
    status: o.status,
  };
}

const kinds = (children: ReturnType<typeof kserveChildren>) =>
  children.map(c => `${c.kind}${c.onlyIf ? '?' : ''}`).sort();

describe('deploymentMode', () => {
  it.each([
    ['RawDeployment', 'raw'],
    ['Standard', 'raw'],
    ['Serverless', 'knative'],
    ['Knative', 'knative'],
    ['ModelMesh', 'modelmesh'],
  ])(
    'reads the annotation %s (0.13-0.15 names and their 0.16 renames) as %s',
    (name, mode) => {
      expect(
        deploymentMode(
          isvc({ annotations: { 'serving.kserve.io/deploymentMode': name } }),
        ).mode,
      ).toBe(mode);
    },
  );

  it('prefers status.deploymentMode, which KServe records and keeps, over the annotation', () => {
    const out = deploymentMode(
      isvc({
        annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' },
        status: { deploymentMode: 'Standard' },
      }),
    );
    expect(out).toEqual({
      mode: 'raw',
      source: 'status.deploymentMode: Standard',
    });
  });

  it('recognises the Knative mode by the revision fields Knative puts in the status', () => {
    const out = deploymentMode(
      isvc({
        status: {
          components: {
            predictor: { latestCreatedRevision: 'churn-predictor-00001' },
          },
        },
      }),
    );
    expect(out.mode).toBe('knative');
  });

  it('leaves the mode unknown when nothing records it (the cluster default applies)', () => {
    expect(deploymentMode(isvc())).toEqual({
      source: 'not recorded on the InferenceService',
    });
    expect(deploymentMode(undefined)).toEqual({
      source: 'the InferenceService does not exist',
    });
  });

  it('ignores a value KServe does not know', () => {
    expect(
      deploymentMode(
        isvc({ annotations: { 'serving.kserve.io/deploymentMode': 'Raw' } }),
      ).mode,
    ).toBeUndefined();
  });
});

describe('kserveChildren', () => {
  const raw = (o: Parameters<typeof isvc>[0] = {}) =>
    isvc({
      ...o,
      annotations: {
        'serving.kserve.io/deploymentMode': 'Standard',
        ...o.annotations,
      },
    });

  it('creates Deployment, Service, Pods and an HPA in Standard/RawDeployment mode, Ingress or HTTPRoute as configured', () => {
    const i = raw();
    expect(kinds(kserveChildren(i, deploymentMode(i)))).toEqual([
      'Deployment',
      'HTTPRoute?',
      'HorizontalPodAutoscaler',
      'Ingress?',
      'Pod',
      'Service',
    ]);
  });

  it.each([
    ['keda', ['Deployment', 'Pod', 'ScaledObject', 'Service']],
    ['external', ['Deployment', 'Pod', 'Service']],
    ['none', ['Deployment', 'Pod', 'Service']],
  ])('follows serving.kserve.io/autoscalerClass: %s', (cls, expected) => {
    const i = raw({
      annotations: { 'serving.kserve.io/autoscalerClass': cls },
      labels: { 'networking.kserve.io/visibility': 'cluster-local' },
    });
    expect(kinds(kserveChildren(i, deploymentMode(i)))).toEqual(expected);
  });

  it('creates a Knative Service in Knative/Serverless mode, which Knative Serving turns into Deployment, Services and Pods', () => {
    const i = isvc({
      annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' },
    });
    const children = kserveChildren(i, deploymentMode(i));
    expect(
      children.map(c => `${c.group || 'core'}/${c.kind} by ${c.createdBy}`),
    ).toEqual([
      'serving.knative.dev/Service by KServe',
      'apps/Deployment by Knative Serving',
      'core/Service by Knative Serving',
      'core/Pod by the ReplicaSet controller',
    ]);
  });

  it('creates nothing per InferenceService in ModelMesh mode', () => {
    const i = isvc({
      annotations: { 'serving.kserve.io/deploymentMode': 'ModelMesh' },
    });
    expect(kserveChildren(i, deploymentMode(i))).toEqual([]);
  });

  it('makes what only one mode creates conditional when the mode is unknown', () => {
    const i = isvc();
    expect(kinds(kserveChildren(i, deploymentMode(i)))).toEqual([
      'Deployment',
      'HTTPRoute?',
      'HorizontalPodAutoscaler?',
      'Ingress?',
      'Pod',
      'Service',
      'Service?',
    ]);
  });
});

describe('labels', () => {
  it("gives the predictor's objects the InferenceService's labels, the predictor's, and KServe's own", () => {
    const i = isvc({
      labels: { team: 'ml' },
      spec: { predictor: { labels: { tier: 'gold' } } },
    });
    expect(predictorLabels(i, 'churn')).toEqual({
      team: 'ml',
      tier: 'gold',
      'serving.kserve.io/inferenceservice': 'churn',
      component: 'predictor',
    });
  });

  it('knows which label keys controllers may add', () => {
    expect(
      [
        'app',
        'pod-template-hash',
        'serving.knative.dev/revision',
        'app.kubernetes.io/name',
      ].every(mayCarryControllerLabel),
    ).toBe(true);
    expect(
      ['sidecar.istio.io/inject', 'team'].some(mayCarryControllerLabel),
    ).toBe(false);
  });
});

describe('isStopped', () => {
  it('reads the 0.15+ stop annotation or the Stopped condition', () => {
    expect(
      isStopped(isvc({ annotations: { 'serving.kserve.io/stop': 'true' } })),
    ).toBe(true);
    expect(
      isStopped(
        isvc({ status: { conditions: [{ type: 'Stopped', status: 'True' }] } }),
      ),
    ).toBe(true);
    expect(
      isStopped(isvc({ annotations: { 'serving.kserve.io/stop': 'false' } })),
    ).toBe(false);
  });
});
