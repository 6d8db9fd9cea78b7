import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isKubeObject,
  isKustomizationDocument,
  expandLists,
  findPatchDeletes,
  KubeObject,
  patchFiles,
} from '@serving-health/plugin-serving-health-policy';
import {
  createApiDiscovery,
  dryRunObject,
  DryRunAnswer,
  redactDeep,
} from '@serving-health/plugin-serving-health-kube';
import { connectionAs, resolveCluster, ServingHealthActionOptions } from '../options';
import {
  DEFAULT_MANIFEST_GLOBS,
  readWorkspaceFiles,
  parseWorkspaceManifests,
} from '../workspace';
import { examples } from './admissionDryRun.examples';

/**
 * The API server's answer to one server-side dry run of one file's object.
 *
 * @public
 */
export interface DryRunResult extends Omit<DryRunAnswer, 'error'> {
  file: string;
}

// Bounded, anchored and without nested repetition: linear on any input.
const API_VERSION =
  /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?v[0-9]{1,4}(?:(?:alpha|beta)[0-9]{1,4})?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;

const NOT_CLUSTER_OBJECTS = [
  /^backstage\.io\//,
  /^kustomize\.config\.k8s\.io\//,
  /^config\.kubernetes\.io\//,
];

/** @public */
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
      // Everything is checked before the first request: a rejected step sends nothing.
      for (const { file, object } of objects) {
        if (!API_VERSION.test(object.apiVersion ?? '')) {
          throw new InputError(
            `${file}: apiVersion '${object.apiVersion ?? ''}' is not group/version or version`,
          );
        }
        if (!KIND.test(object.kind ?? '')) {
          throw new InputError(`${file}: kind '${object.kind ?? ''}' is not a Kubernetes kind`);
        }
      }
      const refused = [
        ...new Set(
          objects
            .map(o => o.object.kind!)
            .filter(kind => !options.dryRunKinds.includes(kind)),
        ),
      ];
      if (refused.length) {
        throw new InputError(
          `files: kind(s) ${refused.join(', ')} are not sent to a cluster; allowed: ${options.dryRunKinds.join(
            ', ',
          )} (servingHealth.scaffolder.dryRunKinds)`,
        );
      }

      const connection = await resolveCluster(options, input.cluster);
      const credentials = options.dryRunCredentials(connection.name);
      if (!credentials) {
        throw new InputError(
          `No dry-run identity for cluster '${connection.name}': add it to servingHealth.scaffolder.dryRunIdentities (a ServiceAccount bound to serving-health-dry-run). The reader's token is never used to send a write, even a dry run.`,
        );
      }
      const client = options.createClient(connectionAs(connection, credentials));
      const discover = createApiDiscovery(client);
      const results: DryRunResult[] = [];
      for (const { file, object } of objects) {
        const { error: _classified, ...answer } = await dryRunObject(client, object, {
          mode: 'apply',
          discover,
          defaultNamespace: input.namespace ?? 'default',
          timeoutMs: options.dryRunTimeoutMs,
        });
        // The API server's answer is shown in the task log and outputs: redact what it echoes back.
        const result: DryRunResult = redactDeep({ file, ...answer });
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
