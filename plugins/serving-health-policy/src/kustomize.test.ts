import { kustomizationRoots, lintKustomize } from './kustomize';
import { parseManifests } from './manifests';
import { fixtureFiles } from './__testUtils__/fixtures';

const docsOf = (...paths: string[]) =>
  fixtureFiles(...paths).flatMap(
    f => parseManifests(f.content, f.path).documents,
  );

describe('lintKustomize', () => {
  it('accepts a $patch: delete file referenced under patches', () => {
    const violations = lintKustomize(
      docsOf('kustomize/base', 'kustomize/overlays'),
    );
    expect(violations.map(v => v.file)).not.toContain(
      'kustomize/overlays/prod/remove-inferencegraphs.yaml',
    );
  });

  it('flags a $patch: delete file listed under resources', () => {
    const violations = lintKustomize(
      docsOf('kustomize/base', 'kustomize/overlays'),
    );
    expect(violations).toEqual([
      expect.objectContaining({
        file: 'kustomize/overlays/prod/remove-trainedmodels.yaml',
        rule: 'kustomize-patch-delete',
        severity: 'error',
        path: '/$patch/',
        line: 6,
        resource: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: 'trainedmodels.serving.kserve.io',
        },
      }),
    ]);
    expect(violations[0].message).toMatch(/lists it under `resources`/);
  });

  it('flags a $patch: delete file no kustomization references, naming what applying it deletes', () => {
    const violations = lintKustomize(docsOf('kustomize'));
    const stray = violations.find(
      v => v.file === 'kustomize/stray/delete-isvc-crd.yaml',
    );
    expect(stray?.message).toMatch(
      /no kustomization references it under `patches:`/,
    );
    expect(stray?.message).toMatch(
      /every inferenceservices object in the cluster/,
    );
  });

  it('accepts patchesStrategicMerge references and resolves ../ paths', () => {
    const files = [
      {
        path: 'app/overlay/kustomization.yaml',
        content: 'patchesStrategicMerge:\n  - ../patches/del.yaml\n',
      },
      {
        path: 'app/patches/del.yaml',
        content:
          'apiVersion: v1\nkind: Service\nmetadata: { name: s }\n$patch: delete\n',
      },
    ];
    const docs = files.flatMap(
      f => parseManifests(f.content, f.path).documents,
    );
    expect(lintKustomize(docs)).toEqual([]);
  });

  it('finds a nested $patch: delete as well', () => {
    const files = [
      {
        path: 'deploy.yaml',
        content:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          $patch: delete\n',
      },
    ];
    const docs = files.flatMap(
      f => parseManifests(f.content, f.path).documents,
    );
    expect(lintKustomize(docs)).toEqual([
      expect.objectContaining({
        path: '/spec/template/spec/containers/0/$patch/',
        line: 9,
      }),
    ]);
  });

  it('ignores inline patches and remote resources', () => {
    const files = [
      {
        path: 'k/kustomization.yaml',
        content:
          'resources:\n  - https://example.com/x.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata: { name: s }\n      $patch: delete\n',
      },
    ];
    const docs = files.flatMap(
      f => parseManifests(f.content, f.path).documents,
    );
    expect(lintKustomize(docs)).toEqual([]);
  });
});

describe('kustomizationRoots', () => {
  it('renders the overlay, not the base it includes, covering the files of both', () => {
    expect(kustomizationRoots(docsOf('kustomize'))).toEqual([
      {
        dir: 'kustomize/overlays/prod',
        sources: [
          'kustomize/base/crds.yaml',
          'kustomize/base/kustomization.yaml',
          'kustomize/overlays/prod/kustomization.yaml',
          'kustomize/overlays/prod/remove-inferencegraphs.yaml',
          'kustomize/overlays/prod/remove-trainedmodels.yaml',
        ],
      },
    ]);
  });
});
