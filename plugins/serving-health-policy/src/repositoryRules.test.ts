import { parseManifests } from './manifests';
import {
  LocatedObject,
  lintHelmValues,
  lintSyncOrder,
} from './repositoryRules';
import { dirname } from './paths';
import { KubeObject } from './types';

const located = (files: Record<string, string>): LocatedObject[] =>
  Object.entries(files).flatMap(([file, text]) =>
    parseManifests(text, file).documents.map(doc => ({
      doc,
      object: doc.data as KubeObject,
      prefix: [],
      dir: dirname(file),
    })),
  );

const kserveApp = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: kserve
  annotations: { argocd.argoproj.io/sync-wave: "0" }
spec:
  source: { repoURL: https://github.com/kserve/kserve, path: charts/kserve-crd }
`;

const modelsAppSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: models
  annotations: { argocd.argoproj.io/sync-wave: "0" }
spec:
  generators:
    - git:
        repoURL: https://git.example.com/platform/gitops.git
        revision: HEAD
        directories:
          - path: models/*/overlays/prod
  template:
    metadata: { name: '{{path[1]}}' }
    spec:
      source: { repoURL: https://git.example.com/platform/gitops.git, path: '{{path}}' }
`;

const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: fraud-detector }
`;

describe('lintSyncOrder', () => {
  it('knows what an ApplicationSet deploys from its git directory generator, and places the finding on the wave', () => {
    const { violations } = lintSyncOrder(
      located({
        'apps/kserve.yaml': kserveApp,
        'apps/models.yaml': modelsAppSet,
        'models/fraud-detector/overlays/prod/isvc.yaml': isvc,
      }),
    );
    expect(violations).toEqual([
      expect.objectContaining({
        file: 'apps/kserve.yaml',
        line: 5,
        rule: 'argocd-sync-order',
        message:
          "Application `kserve` installs KServe's CRDs and controller, which define their InferenceServices, but syncs in wave 0, not before ApplicationSet `models` (wave 0)",
      }),
    ]);
  });

  it('is silent when the ApplicationSet selects directories without KServe resources', () => {
    expect(
      lintSyncOrder(
        located({
          'apps/kserve.yaml': kserveApp,
          'apps/models.yaml': modelsAppSet,
          'dashboards/grafana/deployment.yaml':
            'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: grafana }\n',
        }),
      ),
    ).toEqual({ violations: [], notEvaluated: [] });
  });

  it("lists an Application that renders a Helm chart in KServe's wave as not evaluated, never as passed", () => {
    const chartApp = (
      name: string,
      source: string,
    ) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  annotations: { argocd.argoproj.io/sync-wave: "0" }
spec:
  source:
${source}
`;
    const result = lintSyncOrder(
      located({
        'apps/kserve.yaml': kserveApp,
        'apps/recommender.yaml': chartApp(
          'recommender',
          '    repoURL: https://git.example/platform\n    path: charts/recommender',
        ),
        'apps/ranker.yaml': chartApp(
          'ranker',
          '    repoURL: https://charts.example\n    chart: ranker',
        ),
      }),
      ['charts/recommender'],
    );
    expect(result.violations).toEqual([]);
    expect(result.notEvaluated.map(n => n.reason)).toEqual([
      'Application `recommender` (wave 0) renders chart directory `charts/recommender`, which is not rendered here: whether it deploys InferenceServices, and so must sync after KServe (wave 0), was not checked',
      'Application `ranker` (wave 0) renders chart `ranker` of https://charts.example, which is not rendered here: whether it deploys InferenceServices, and so must sync after KServe (wave 0), was not checked',
    ]);
  });
});

describe('lintHelmValues', () => {
  it('lists the values of a chart it cannot see as not evaluated, never as checked', () => {
    const objects = located({
      'apps/kyverno.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: kyverno }
spec:
  source:
    repoURL: https://kyverno.github.io/kyverno/
    chart: kyverno
    helm:
      valuesObject: { admissionController: { replicas: 3 } }
`,
    });
    const result = lintHelmValues(
      objects.map(o => o.doc),
      objects,
    );
    expect(result.violations).toEqual([]);
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        feature: 'helm-chart-not-in-repository',
        file: 'apps/kyverno.yaml',
        reason: expect.stringContaining(
          'gives Helm values to chart `kyverno` of https://kyverno.github.io/kyverno/',
        ),
      }),
    ]);
  });
  it("judges an ApplicationSet's template values like an Application's, and lists what it cannot read", () => {
    const objects = located({
      'charts/recommender/Chart.yaml':
        'apiVersion: v2\nname: recommender\nversion: 0.1.0\n',
      'charts/recommender/values.yaml': 'replicas: 1\n',
      'apps/models.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: models }
spec:
  generators: [{ list: { elements: [{ env: prod }] } }]
  template:
    metadata: { name: 'recommender' }
    spec:
      sources:
        - repoURL: https://git.example/platform
          path: charts/recommender
          helm:
            valuesObject: { replica: 2 }
            valueFiles: [$values/env/prod.yaml]
        - repoURL: https://git.example/values
          ref: values
`,
      'apps/templated.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: per-env }
spec:
  generators: [{ list: { elements: [{ env: prod }] } }]
  template:
    metadata: { name: 'recommender-{{env}}' }
    spec:
      source:
        repoURL: https://git.example/platform
        path: charts/recommender
        helm: { valuesObject: { replicas: '{{replicas}}' } }
`,
    });
    const result = lintHelmValues(
      objects.map(o => o.doc),
      objects.filter(o => o.doc.file.startsWith('apps/')),
    );
    expect(result.violations).toEqual([
      expect.objectContaining({
        rule: 'helm-values-path',
        file: 'apps/models.yaml',
        message: expect.stringContaining(
          'ApplicationSet `models` helm.valuesObject sets `replica`',
        ),
        hint: 'did you mean `replicas`?',
        path: '/spec/template/spec/sources/0/helm/valuesObject/replica/',
      }),
    ]);
    expect(result.notEvaluated.map(n => [n.feature, n.file])).toEqual([
      ['helm-value-file', 'apps/models.yaml'],
      ['helm-values-templated', 'apps/templated.yaml'],
    ]);
  });
});
