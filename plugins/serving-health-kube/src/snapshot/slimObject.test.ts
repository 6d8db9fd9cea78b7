import { slimObject } from './slimObject';

describe('slimObject', () => {
  it('drops managedFields and the last-applied copy, keeps labels, other annotations, spec and status', () => {
    const item = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'sklearn',
        namespace: 'models',
        labels: { owner: 'team-a' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"big":"copy"}',
          'serving.kserve.io/deploymentMode': 'RawDeployment',
        },
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn' } } } },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    };
    const slim = slimObject(item as any) as any;
    expect(slim.metadata).toEqual({
      name: 'sklearn',
      namespace: 'models',
      labels: { owner: 'team-a' },
      annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' },
    });
    expect(slim.spec).toEqual(item.spec);
    expect(slim.status).toEqual(item.status);
    expect(item.metadata.managedFields).toHaveLength(1);
  });

  it("drops a CRD's version schemas, keeps names, served and storage", () => {
    const crd = {
      kind: 'CustomResourceDefinition',
      metadata: { name: 'inferenceservices.serving.kserve.io' },
      spec: {
        group: 'serving.kserve.io',
        versions: [
          {
            name: 'v1beta1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
      status: { conditions: [{ type: 'Established', status: 'True' }] },
    };
    expect((slimObject(crd as any) as any).spec.versions).toEqual([
      { name: 'v1beta1', served: true, storage: true },
    ]);
  });
});
