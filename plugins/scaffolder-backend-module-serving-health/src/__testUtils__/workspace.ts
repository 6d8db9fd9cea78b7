import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import {
  DEFAULT_LABEL_CONVENTIONS,
  DEFAULT_SERVING_RULES,
} from '@serving-health/plugin-serving-health-policy';
import {
  ClusterConnection,
  createKubernetesClient,
  CredentialProvider,
} from '@serving-health/plugin-serving-health-kube';
import {
  DEFAULT_DRY_RUN_KINDS,
  DEFAULT_DRY_RUN_TIMEOUT_MS,
  ServingHealthActionOptions,
} from '../options';

const FIXTURES = path.join(__dirname, '../__fixtures__');
/** Built by scripts/install.sh (tools/kustomize). */
export const KUSTOMIZE = path.resolve(
  __dirname,
  '../../../../tools/kustomize/bin/kustomize',
);

/** A scaffolder workspace holding fixture directories at the given places (`{ out: 'good' }`). */
export function workspaceWith(layout: Record<string, string>) {
  const dir = createMockDirectory();
  const content: Record<string, string> = {};
  for (const [target, fixture] of Object.entries(layout)) {
    const src = path.join(FIXTURES, fixture);
    const entries = fs.statSync(src).isDirectory()
      ? fs.readdirSync(src).map(f => [path.join(src, f), `${target}/${f}`])
      : [[src, target]];
    for (const [from, to] of entries)
      content[to] = fs.readFileSync(from, 'utf8');
  }
  dir.setContent(content);
  return dir.path;
}

export function actionOptions(
  clusters: ClusterConnection[] = [],
  defaultCluster?: string,
  dryRun: {
    identities?: Record<string, CredentialProvider>;
    kinds?: string[];
  } = {},
): ServingHealthActionOptions {
  return {
    conventions: DEFAULT_LABEL_CONVENTIONS,
    servingRules: DEFAULT_SERVING_RULES,
    kustomize: KUSTOMIZE,
    getClusters: async () => clusters,
    defaultCluster,
    dryRunTimeoutMs: DEFAULT_DRY_RUN_TIMEOUT_MS,
    createClient: createKubernetesClient,
    dryRunKinds: dryRun.kinds ?? DEFAULT_DRY_RUN_KINDS,
    dryRunCredentials: cluster => dryRun.identities?.[cluster],
  };
}

/** The step inputs of an action's examples. */
export function exampleInputs(
  examples: Array<{ example: string }>,
): Array<Record<string, any>> {
  return examples.map(e => yaml.parse(e.example).steps[0].input ?? {});
}
