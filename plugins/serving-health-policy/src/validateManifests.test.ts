import { parse } from 'yaml';
import { KubeObject } from './types';
import { loadPolicies, validateManifests } from './validateManifests';
import { fixtureFiles } from './__testUtils__/fixtures';

const policies = loadPolicies(
  fixtureFiles('policies/require-labels.yaml'),
).policies;

describe('validateManifests', () => {
  it('passes the conventional model endpoint', () => {
    const report = validateManifests({
      files: fixtureFiles('manifests/model-endpoint.yaml'),
      policies,
    });
    expect(report.violations).toEqual([]);
    expect(report.notEvaluated).toEqual([]);
    expect(report.stats).toEqual({ files: 1, resources: 1, policies: 1 });
  });

  it('reports the costCenter bug as a near miss and as the Kyverno denial, with lines', () => {
    const report = validateManifests({
      files: fixtureFiles('manifests/model-endpoint-costCenter.yaml'),
      policies,
    });
    const resource = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      namespace: 'models',
      name: 'credit-scoring',
    };
    expect(report.violations).toEqual([
      {
        file: 'manifests/model-endpoint-costCenter.yaml',
        line: 9,
        resource,
        rule: 'label-near-miss',
        severity: 'error',
        message: expect.stringMatching(/^`costCenter` should be `cost-center`/),
        path: '/metadata/labels/costCenter/',
        hint: 'rename the key to `cost-center`',
      },
      {
        file: 'manifests/model-endpoint-costCenter.yaml',
        line: 7,
        resource,
        rule: 'kyverno:require-labels/check-for-labels',
        severity: 'error',
        message:
          'validation error: The labels `owner` and `cost-center` are required. rule check-for-labels failed at path /metadata/labels/cost-center/',
        path: '/metadata/labels/cost-center/',
        hint: 'the resource has `costCenter`: label keys are case-sensitive, rename it to `cost-center`',
      },
    ]);
  });

  it('reports malformed YAML as errors, not as a clean result', () => {
    const report = validateManifests({
      files: fixtureFiles('manifests/malformed.yaml.txt'),
      policies,
    });
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toMatchObject({
      file: 'manifests/malformed.yaml.txt',
      line: 6,
    });
  });

  it('lints kustomize $patch: delete files and does not label-check patches or kustomizations', () => {
    const report = validateManifests({
      files: fixtureFiles('kustomize'),
      conventions: false,
    });
    expect(report.violations.map(v => [v.rule, v.file])).toEqual([
      [
        'kustomize-patch-delete',
        'kustomize/overlays/prod/remove-trainedmodels.yaml',
      ],
      ['kustomize-patch-delete', 'kustomize/stray/delete-isvc-crd.yaml'],
    ]);
  });

  it('lists what it could not evaluate', () => {
    const loaded = loadPolicies(fixtureFiles('policies/unsupported.yaml'));
    expect(loaded.notEvaluated).toEqual([
      expect.objectContaining({
        policy: 'vap-only',
        feature: 'ValidatingAdmissionPolicy (CEL)',
      }),
    ]);
    const report = validateManifests({
      files: fixtureFiles('manifests/model-endpoint.yaml'),
      policies: loaded.policies,
    });
    expect(
      report.notEvaluated.map(n => `${n.policy}/${n.rule}:${n.feature}`),
    ).toEqual([
      'mixed-features/quota-from-api:context.apiCall',
      'mixed-features/cel-check:validate.cel.paramKind',
      'mixed-features/jmespath-variable:userInfo',
      'mixed-features/admins-only:match.subjects',
    ]);
    expect(report.notEvaluated[0]).toMatchObject({
      file: 'manifests/model-endpoint.yaml',
      resource: { name: 'credit-scoring' },
    });
  });

  it('lists an InferenceService in a Helm template as not evaluated: templates are not rendered', () => {
    const report = validateManifests({
      files: [
        {
          path: 'charts/recommender/Chart.yaml',
          content: 'apiVersion: v2\nname: recommender\nversion: 0.1.0\n',
        },
        {
          path: 'charts/recommender/templates/isvc.yaml',
          content:
            'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: {{ .Release.Name }}\n',
        },
        {
          path: 'charts/recommender/templates/service.yaml',
          content:
            'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
        },
      ],
    });
    expect(report.violations).toEqual([]);
    expect(report.notEvaluated).toEqual([
      expect.objectContaining({
        feature: 'helm-template',
        file: 'charts/recommender/templates/isvc.yaml',
      }),
    ]);
  });

  it('evaluates Kyverno ValidatingPolicies (CEL) on the manifests, as creates', () => {
    const loaded = loadPolicies(
      fixtureFiles('policies/validating-policy.yaml'),
    );
    expect(loaded.notEvaluated).toEqual([]);
    const report = validateManifests({
      files: fixtureFiles('manifests/model-endpoint-costCenter.yaml'),
      policies: loaded.policies,
      namespaceLabels: { models: {} },
    });
    expect(report.violations).toContainEqual(
      expect.objectContaining({
        rule: 'kyverno:require-cost-center/validations[0]',
        severity: 'error',
      }),
    );
  });

  it('uses the labels of Namespaces among the files for namespaceSelector', () => {
    const policy = parse(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: ns-scoped }
spec:
  validationFailureAction: Enforce
  rules:
    - name: team-label
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaceSelector: { matchLabels: { tier: prod } }
      validate:
        pattern: { metadata: { labels: { team: "?*" } } }
`) as KubeObject;
    const files = [
      {
        path: 'ns.yaml',
        content:
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { tier: prod, owner: a, cost-center: b }\n',
      },
      {
        path: 'cm.yaml',
        content:
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n  labels: { owner: a, cost-center: b }\n',
      },
    ];
    const report = validateManifests({
      files,
      policies: [{ source: 'inline', policy }],
    });
    expect(report.violations.map(v => v.rule)).toEqual([
      'kyverno:ns-scoped/team-label',
    ]);
  });

  it('skips Backstage entities and documents that are not Kubernetes objects, saying so for the latter', () => {
    const files = [
      {
        path: 'catalog-info.yaml',
        content:
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x }\n',
      },
      { path: 'values.yaml', content: 'replicas: 2\n' },
    ];
    const report = validateManifests({ files });
    expect(report.violations).toEqual([]);
    expect(report.notEvaluated).toEqual([
      expect.objectContaining({
        file: 'values.yaml',
        feature: 'not-a-kubernetes-object',
      }),
    ]);
  });

  it('expands List objects', () => {
    const files = [
      {
        path: 'list.yaml',
        content:
          'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n      labels: { owner: x }\n',
      },
    ];
    const report = validateManifests({ files });
    expect(report.violations).toEqual([
      expect.objectContaining({
        rule: 'label-required',
        line: 8,
        resource: expect.objectContaining({ name: 'a' }),
      }),
    ]);
  });
});
