import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { useTestEnv } from '@internal/testenv';
import {
  createKubernetesClient,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';
import fs from 'node:fs';
import path from 'node:path';
import {
  actionOptions,
  exampleInputs,
  workspaceWith,
} from '../__testUtils__/workspace';
import { createAdmissionDryRunAction } from './admissionDryRun';
import { examples } from './admissionDryRun.examples';

jest.setTimeout(120_000);

const outputs = (ctx: any) => Object.fromEntries(ctx.output.mock.calls);
const KSERVE_DENIAL =
  'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": no endpoints available for service "kserve-webhook-server-service"';

describe('serving-health:admission-dry-run against the webhook-no-endpoints testenv', () => {
  const env = useTestEnv({ scenario: 'webhook-no-endpoints' });
  const connection = (identity: 'admin' | 'reader' | 'nobody' = 'admin') => {
    const { url, caData, tokens } = env();
    return {
      name: 'demo',
      url,
      caData,
      credentials: staticCredentials({ token: tokens[identity] }),
    };
  };
  const readBack = (apiPath: string) =>
    createKubernetesClient(connection('admin')).request({ path: apiPath });
  /** The cluster as the portal knows it (the reader), with a separate dry-run identity. */
  const options = (
    identity: 'admin' | 'reader' | 'nobody' = 'admin',
    kinds?: string[],
  ) =>
    actionOptions([connection('reader')], undefined, {
      identities: { demo: connection(identity).credentials },
      kinds,
    });

  it("returns the API server's denial verbatim, creates nothing, and fails the step", async () => {
    const action = createAdmissionDryRunAction(options());
    const ws = workspaceWith({ out: 'good' });
    const ctx = createMockActionContext({
      input: { files: ['out'] },
      workspacePath: ws,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      `The API server of demo denied 1 of 2 object(s) (dry run, nothing was created):\nout/inferenceservice.yaml: InferenceService models/churn-predictor: HTTP 500: ${KSERVE_DENIAL}`,
    );
    const { allowed, results } = outputs(ctx);
    expect(allowed).toBe(false);
    const isvc = results.find(
      (r: any) => r.resource.kind === 'InferenceService',
    );
    expect(isvc).toMatchObject({
      operation: 'create',
      allowed: false,
      status: 500,
    });
    expect(isvc.response).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: KSERVE_DENIAL,
      reason: 'InternalError',
      details: {
        causes: [
          { message: KSERVE_DENIAL.replace('Internal error occurred: ', '') },
        ],
      },
      code: 500,
    });
    // The Application passes admission: the answer is the object the server would have stored...
    const app = results.find((r: any) => r.resource.kind === 'Application');
    expect(app).toMatchObject({
      operation: 'create',
      allowed: true,
      status: 201,
    });
    expect(app.response.metadata.uid).toBeDefined();
    // ...and nothing was stored, neither the denied object nor the admitted one.
    const isvcRead = await readBack(
      '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-predictor',
    );
    expect(isvcRead).toMatchObject({ ok: false, status: 404 });
    const appRead = await readBack(
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/churn-predictor',
    );
    expect(appRead).toMatchObject({ ok: false, status: 404 });
  });

  it('dry-runs an update of an existing object and leaves it as it was', async () => {
    const itemPath =
      '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/fraud-detector';
    const before = await readBack(itemPath);
    expect(before.ok).toBe(true);
    const live = (before as any).body;
    const ws = workspaceWith({ out: 'good' });
    const manifest = {
      apiVersion: live.apiVersion,
      kind: live.kind,
      metadata: {
        name: 'fraud-detector',
        namespace: 'models',
        labels: { ...live.metadata.labels, owner: 'someone-else' },
      },
      spec: live.spec,
    };
    fs.rmSync(path.join(ws, 'out'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'out'));
    fs.writeFileSync(
      path.join(ws, 'out/fraud-detector.json'),
      JSON.stringify(manifest),
    );
    const action = createAdmissionDryRunAction(options());
    const ctx = createMockActionContext({
      input: { files: ['out'], failOnDenied: false },
      workspacePath: ws,
      isDryRun: true,
    });
    await action.handler(ctx as any);
    const [result] = outputs(ctx).results;
    expect(result).toMatchObject({
      operation: 'update',
      allowed: false,
      status: 500,
      message: KSERVE_DENIAL,
    });
    const after = await readBack(itemPath);
    expect((after as any).body.metadata.resourceVersion).toBe(
      live.metadata.resourceVersion,
    );
    expect((after as any).body.metadata.labels.owner).toBe(
      live.metadata.labels.owner,
    );
  });

  it('passes on the answer of an identity that may not create: 403, verbatim', async () => {
    const action = createAdmissionDryRunAction(options('nobody'));
    const ws = workspaceWith({ out: 'good' });
    const ctx = createMockActionContext({
      input: { files: ['out/application.yaml'], failOnDenied: false },
      workspacePath: ws,
    });
    await action.handler(ctx as any);
    const [result] = outputs(ctx).results;
    expect(result).toMatchObject({ allowed: false, status: 403 });
    expect(result.response.reason).toBe('Forbidden');
    expect(result.message).toMatch(
      /^applications\.argoproj\.io is forbidden: User "testenv-nobody" cannot create resource "applications"/,
    );
  });

  it('reports a kind the cluster does not serve as kubectl would', async () => {
    const action = createAdmissionDryRunAction(
      options('admin', ['InferenceService', 'ModelMesh']),
    );
    const ws = workspaceWith({ out: 'good' });
    fs.writeFileSync(
      path.join(ws, 'out/unknown.yaml'),
      'apiVersion: serving.kserve.io/v1beta1\nkind: ModelMesh\nmetadata: { name: x, namespace: models }\n',
    );
    const ctx = createMockActionContext({
      input: { files: ['out/unknown.yaml'], failOnDenied: false },
      workspacePath: ws,
    });
    await action.handler(ctx as any);
    expect(outputs(ctx).results[0]).toMatchObject({
      operation: 'discover',
      allowed: false,
      status: 404,
      message:
        'no matches for kind "ModelMesh" in version "serving.kserve.io/v1beta1"',
    });
  });

  it('sends nothing without a dry-run identity: the reader never writes', async () => {
    const sent: string[] = [];
    const reader = connection('reader');
    const action = createAdmissionDryRunAction({
      ...actionOptions([reader]),
      createClient: c => {
        sent.push(c.name);
        return createKubernetesClient(c);
      },
    });
    const ws = workspaceWith({ out: 'good' });
    await expect(
      action.handler(
        createMockActionContext({ input: { files: ['out'] }, workspacePath: ws }) as any,
      ),
    ).rejects.toThrow(
      "No dry-run identity for cluster 'demo': add it to servingHealth.scaffolder.dryRunIdentities",
    );
    expect(sent).toEqual([]);
  });

  it('refuses kinds outside the allowlist and malformed apiVersion or kind before any request', async () => {
    const sent: string[] = [];
    const action = createAdmissionDryRunAction({
      ...options(),
      createClient: c => {
        sent.push(c.name);
        return createKubernetesClient(c);
      },
    });
    const ws = workspaceWith({ out: 'good' });
    const run = async (file: string, text: string) => {
      fs.writeFileSync(path.join(ws, 'out', file), text);
      return action
        .handler(
          createMockActionContext({ input: { files: [`out/${file}`] }, workspacePath: ws }) as any,
        )
        .then(() => 'completed', (e: Error) => e.message);
    };
    expect(
      await run('role.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: x }\n'),
    ).toBe(
      'files: kind(s) ClusterRoleBinding are not sent to a cluster; allowed: InferenceService, ServingRuntime, InferenceGraph, TrainedModel, Application (servingHealth.scaffolder.dryRunKinds)',
    );
    expect(
      await run('bad-version.yaml', 'apiVersion: "../../api/v1"\nkind: InferenceService\nmetadata: { name: x }\n'),
    ).toBe("out/bad-version.yaml: apiVersion '../../api/v1' is not group/version or version");
    expect(
      await run('bad-kind.yaml', 'apiVersion: serving.kserve.io/v1beta1\nkind: "inferenceservices/../x"\nmetadata: { name: x }\n'),
    ).toBe("out/bad-kind.yaml: kind 'inferenceservices/../x' is not a Kubernetes kind");
    expect(sent).toEqual([]);
  });

  it('rejects paths outside the workspace and unknown clusters', async () => {
    const action = createAdmissionDryRunAction(options());
    const ws = workspaceWith({ out: 'good' });
    await expect(
      action.handler(
        createMockActionContext({
          input: { files: ['../x'] },
          workspacePath: ws,
        }) as any,
      ),
    ).rejects.toThrow(/outside the workspace/);
    await expect(
      action.handler(
        createMockActionContext({
          input: { files: ['out'], cluster: 'prod' },
          workspacePath: ws,
        }) as any,
      ),
    ).rejects.toThrow("Unknown cluster 'prod'; configured: demo");
  });

  it.each(
    exampleInputs(examples).map(
      (input, i) => [examples[i].description, input] as const,
    ),
  )('example: %s', async (_d, input) => {
    const action = createAdmissionDryRunAction(options());
    const ws = workspaceWith({ out: 'good' });
    const ctx = createMockActionContext({ input, workspacePath: ws });
    const result = await action.handler(ctx as any).then(
      () => 'completed',
      e => e.message,
    );
    expect(result === 'completed' ? 'completed' : 'step failed').toBe(
      input.failOnDenied === false ? 'completed' : 'step failed',
    );
    expect(outputs(ctx).results).toHaveLength(2);
    const isvc = outputs(ctx).results.find(
      (r: any) => r.resource.kind === 'InferenceService',
    );
    expect(isvc.message).toBe(KSERVE_DENIAL);
  });
});
