import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isKubeObject,
  isKustomizationDocument,
  expandLists,
  findPatchDeletes,
  KubeObject,
  patchFiles,
  resourceRef,
  ResourceRef,
} from '@serving-health/plugin-serving-health-common';
import {
  KubernetesClient,
  KubeRequest,
  KubeResponse,
} from '@serving-health/plugin-serving-health-node';
import { resolveCluster, ServingHealthActionOptions } from '../options';
import {
  DEFAULT_MANIFEST_GLOBS,
  readWorkspaceFiles,
  parseWorkspaceManifests,
} from '../workspace';
import { examples } from './admissionDryRun.examples';

/** The API server's answer to one server-side dry-run, as it gave it. */
export interface DryRunResult {
  file: string;
  resource: ResourceRef;
  /** create, or update when the object already exists. */
  operation: 'create' | 'update' | 'discover';
  allowed: boolean;
  /** HTTP status of the answer (0 when the server was not reached). */
  status: number;
  /** The response body verbatim: the would-be object, or the API server's Status. */
  response: unknown;
  /** The Status message of a denial, for logs. */
  message?: string;
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

const NOT_CLUSTER_OBJECTS = [
  /^backstage\.io\//,
  /^kustomize\.config\.k8s\.io\//,
  /^config\.kubernetes\.io\//,
];

/**
 * Every mutating request goes through here, and here it always carries `dryRun=All`: the API server runs
 * authentication, authorization, defaulting, every admission webhook and validation, and persists nothing.
 */
function dryRun(
  client: KubernetesClient,
  req: KubeRequest,
  timeoutMs: number,
): Promise<KubeResponse> {
  return client.request({
    ...req,
    timeoutMs,
    query: {
      ...req.query,
      dryRun: 'All',
      fieldManager: 'serving-health-dry-run',
    },
  });
}

/** Kind -> REST resource via discovery, one request per group/version. */
function createDiscovery(client: KubernetesClient) {
  const cache = new Map<string, Promise<KubeResponse>>();
  return async (apiVersion: string, kind: string) => {
    const apiPath = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    if (!cache.has(apiPath))
      cache.set(apiPath, client.request({ path: apiPath }));
    const r = await cache.get(apiPath)!;
    if (!r.ok) return { apiPath, response: r };
    const resource = ((r.body?.resources ?? []) as ApiResource[]).find(
      x => x.kind === kind && !x.name.includes('/'),
    );
    return { apiPath, response: r, resource };
  };
}

const statusOf = (r: KubeResponse) => r.status ?? 0;
const bodyOf = (r: KubeResponse) =>
  r.ok ? r.body : r.body ?? { error: r.error };
const messageOf = (r: KubeResponse) =>
  r.ok ? undefined : (r.body?.message as string | undefined) ?? r.error.message;

export async function dryRunObject(
  client: KubernetesClient,
  discover: ReturnType<typeof createDiscovery>,
  object: KubeObject,
  file: string,
  defaultNamespace: string,
  timeoutMs: number,
): Promise<DryRunResult> {
  const resource = resourceRef(object);
  const {
    apiPath,
    response: discovery,
    resource: api,
  } = await discover(object.apiVersion!, object.kind!);
  if (!api) {
    // What kubectl reports as "no matches for kind": the cluster does not serve this kind (CRD missing?).
    return {
      file,
      resource,
      operation: 'discover',
      allowed: false,
      status: discovery.ok ? 404 : statusOf(discovery),
      response: discovery.ok
        ? {
            kind: 'Status',
            status: 'Failure',
            reason: 'NotFound',
            code: 404,
            message: `no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
          }
        : bodyOf(discovery),
      message: discovery.ok
        ? `no matches for kind "${object.kind}" in version "${object.apiVersion}"`
        : messageOf(discovery),
    };
  }
  const namespace = api.namespaced
    ? object.metadata?.namespace || defaultNamespace
    : undefined;
  const body = api.namespaced
    ? { ...object, metadata: { ...object.metadata, namespace } }
    : object;
  if (api.namespaced) resource.namespace = namespace;
  const collection = `${apiPath}${
    namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  }/${api.name}`;

  // Create or update, as `kubectl apply` would: admission runs before the storage layer could answer
  // "already exists", so whether the object exists is asked first.
  const name = object.metadata?.name;
  const itemPath = name
    ? `${collection}/${encodeURIComponent(name)}`
    : undefined;
  const live = itemPath
    ? await client.request({ path: itemPath, timeoutMs })
    : undefined;
  if (itemPath && live?.ok) {
    const resourceVersion = live.body?.metadata?.resourceVersion;
    const updated = await dryRun(
      client,
      {
        method: 'PUT',
        path: itemPath,
        body: { ...body, metadata: { ...body.metadata, resourceVersion } },
      },
      timeoutMs,
    );
    return {
      file,
      resource,
      operation: 'update',
      allowed: updated.ok,
      status: statusOf(updated),
      response: bodyOf(updated),
      message: messageOf(updated),
    };
  }
  const created = await dryRun(
    client,
    { method: 'POST', path: collection, body },
    timeoutMs,
  );
  return {
    file,
    resource,
    operation: 'create',
    allowed: created.ok,
    status: statusOf(created),
    response: bodyOf(created),
    message: messageOf(created),
  };
}

export function createAdmissionDryRunAction(
  options: ServingHealthActionOptions,
) {
  return createTemplateAction({
    id: 'serving-health:admission-dry-run',
    description:
      "Sends each rendered manifest to the target cluster's API server as a server-side dry run (`dryRun=All`, create or update): every admission webhook and policy runs, nothing is persisted. Outputs the API server's answer per object verbatim and fails the step on a denial.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        files: z =>
          z
            .array(z.string(), {
              description: `Files, directories or globs inside the workspace (default ${DEFAULT_MANIFEST_GLOBS.join(
                ', ',
              )})`,
            })
            .optional(),
        cluster: z =>
          z
            .string({
              description:
                'Configured cluster to ask (default servingHealth.scaffolder.cluster)',
            })
            .optional(),
        namespace: z =>
          z
            .string({
              description:
                'Namespace of namespaced objects that name none (default `default`)',
            })
            .optional(),
        failOnDenied: z =>
          z
            .boolean({
              description:
                'Fail the step when the API server denies an object (default true)',
            })
            .optional(),
      },
      output: {
        allowed: z =>
          z.boolean({
            description: 'True when the API server admitted every object',
          }),
        results: z =>
          z.array(
            z.object({
              file: z.string(),
              resource: z.record(z.string()),
              operation: z.enum(['create', 'update', 'discover']),
              allowed: z.boolean(),
              status: z.number(),
              response: z.any(),
              message: z.string().optional(),
            }),
            { description: "The API server's answer per object, verbatim" },
          ),
      },
    },
    async handler(ctx) {
      const { input, logger } = ctx;
      const files = await readWorkspaceFiles(
        ctx.workspacePath,
        input.files ?? DEFAULT_MANIFEST_GLOBS,
        'files',
      );
      const documents = parseWorkspaceManifests(files);
      const patches = patchFiles(documents);
      const objects: Array<{ file: string; object: KubeObject }> = [];
      for (const doc of documents) {
        if (
          isKustomizationDocument(doc) ||
          patches.has(doc.file) ||
          findPatchDeletes(doc.data).length
        )
          continue;
        if (!isKubeObject(doc.data)) continue;
        for (const object of expandLists(doc.data)) {
          if (NOT_CLUSTER_OBJECTS.some(re => re.test(object.apiVersion ?? '')))
            continue;
          objects.push({ file: doc.file, object });
        }
      }
      if (objects.length === 0)
        throw new InputError(
          'files: no Kubernetes objects to dry-run in the workspace',
        );

      const connection = resolveCluster(options, input.cluster);
      const client = options.createClient(connection);
      const discover = createDiscovery(client);
      const results: DryRunResult[] = [];
      for (const { file, object } of objects) {
        const result = await dryRunObject(
          client,
          discover,
          object,
          file,
          input.namespace ?? 'default',
          options.dryRunTimeoutMs,
        );
        results.push(result);
        const what = `${result.operation} ${object.kind} ${
          result.resource.namespace ? `${result.resource.namespace}/` : ''
        }${result.resource.name}`;
        if (result.allowed)
          logger.info(
            `dry-run ${what} on ${connection.name}: admitted (HTTP ${result.status})`,
          );
        else
          logger.error(
            `dry-run ${what} on ${connection.name}: HTTP ${result.status}: ${result.message}`,
          );
      }
      const denied = results.filter(r => !r.allowed);
      ctx.output('allowed', denied.length === 0);
      ctx.output('results', results as any);
      if (denied.length && input.failOnDenied !== false) {
        throw new Error(
          `The API server of ${connection.name} denied ${denied.length} of ${
            results.length
          } object(s) (dry run, nothing was created):\n${denied
            .map(
              r =>
                `${r.file}: ${r.resource.kind} ${
                  r.resource.namespace ? `${r.resource.namespace}/` : ''
                }${r.resource.name}: HTTP ${r.status}: ${r.message}`,
            )
            .join('\n')}`,
        );
      }
    },
  });
}
