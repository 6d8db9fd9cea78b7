import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  conventionsFromObject,
  ConventionsFormatError,
  DEFAULT_LABEL_CONVENTIONS,
  LabelConventions,
} from '@serving-health/plugin-serving-health-policy';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  createConfigClusterSupplier,
  createKubernetesPluginClusterSupplier,
  mergeClusterSuppliers,
} from '@serving-health/plugin-serving-health-node';
import {
  ClusterConnection,
  createKubernetesClient,
  CredentialProvider,
  KubernetesClient,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';

/**
 * What the actions share, built once by the module from `servingHealth.scaffolder.*`.
 *
 * @public
 */
export interface ServingHealthActionOptions {
  /** Label conventions for `serving-health:validate` unless a step overrides them. */
  conventions: LabelConventions;
  /** The Kubernetes plugin's clusters (read through its proxy) and `servingHealth.clusters`. */
  getClusters(): Promise<ClusterConnection[]>;
  /** Cluster used when a step names none. */
  defaultCluster?: string;
  /** Timeout of each admission dry-run request (webhooks may take up to 30 s). */
  dryRunTimeoutMs: number;
  createClient(connection: ClusterConnection): KubernetesClient;
  /** Kinds `serving-health:admission-dry-run` sends; anything else is refused before a request. */
  dryRunKinds: string[];
  /**
   * The identity admission dry-runs use on a cluster (`servingHealth.scaffolder.dryRunIdentities`), never
   * the reader's: undefined when none is configured, and then nothing is sent.
   */
  dryRunCredentials(cluster: string): CredentialProvider | undefined;
}

/** The workload kinds the model-endpoint templates render. */
export const DEFAULT_DRY_RUN_KINDS = [
  'InferenceService',
  'ServingRuntime',
  'InferenceGraph',
  'TrainedModel',
  'Application',
];

export const DEFAULT_DRY_RUN_TIMEOUT_MS = 30_000;

/** @public */
export function readActionOptions(
  config: Config,
  services: { discovery: DiscoveryService; auth: AuthService },
): ServingHealthActionOptions {
  const raw = config.getOptional('servingHealth.scaffolder.conventions');
  let conventions = DEFAULT_LABEL_CONVENTIONS;
  if (raw !== undefined) {
    try {
      conventions = conventionsFromObject(raw);
    } catch (e) {
      if (e instanceof ConventionsFormatError) {
        throw new InputError(
          `servingHealth.scaffolder.conventions: ${e.message}`,
        );
      }
      throw e;
    }
  }
  const readKubernetesPlugin =
    config.getOptionalBoolean('servingHealth.kubernetesPluginClusters') ??
    config.has('kubernetes.clusterLocatorMethods');
  const supplier = mergeClusterSuppliers([
    ...(readKubernetesPlugin ? [createKubernetesPluginClusterSupplier(services)] : []),
    createConfigClusterSupplier(config),
  ]);
  const dryRunIdentities = new Map<string, CredentialProvider>(
    (
      config.getOptionalConfigArray('servingHealth.scaffolder.dryRunIdentities') ??
      []
    ).map(c => [
      c.getString('cluster'),
      staticCredentials({ token: c.getString('serviceAccountToken') }),
    ]),
  );
  return {
    conventions,
    // Read on each use (located clusters come and go); a task runs as no cluster user, so clusters of user
    // sign-in (oidc, google, aks) are not offered.
    getClusters: async () =>
      (await supplier.getClusters()).filter(c => c.authScope === 'server').map(c => c.connection()),
    defaultCluster: config.getOptionalString(
      'servingHealth.scaffolder.cluster',
    ),
    dryRunTimeoutMs:
      config.getOptionalNumber('servingHealth.scaffolder.dryRunTimeoutMs') ??
      DEFAULT_DRY_RUN_TIMEOUT_MS,
    createClient: createKubernetesClient,
    dryRunKinds:
      config.getOptionalStringArray('servingHealth.scaffolder.dryRunKinds') ??
      DEFAULT_DRY_RUN_KINDS,
    dryRunCredentials: cluster => dryRunIdentities.get(cluster),
  };
}

/** The cluster a step means: the one it names, else the configured default, else the only one. */
export async function resolveCluster(
  options: ServingHealthActionOptions,
  name?: string,
): Promise<ClusterConnection> {
  const clusters = await options.getClusters();
  const wanted = name ?? options.defaultCluster;
  if (clusters.length === 0) {
    throw new InputError(
      'No cluster is configured: add one under kubernetes.clusterLocatorMethods (the Kubernetes plugin) or servingHealth.clusters',
    );
  }
  if (wanted) {
    const found = clusters.find(c => c.name === wanted);
    if (!found) {
      throw new InputError(
        `Unknown cluster '${wanted}'; configured: ${clusters
          .map(c => c.name)
          .join(', ')}`,
      );
    }
    return found;
  }
  if (clusters.length > 1) {
    throw new InputError(
      `Several clusters are configured (${clusters
        .map(c => c.name)
        .join(
          ', ',
        )}): set the input \`cluster\` or servingHealth.scaffolder.cluster`,
    );
  }
  return clusters[0];
}

/** The cluster reached as another identity (a dry-run identity), through whatever reaches it. */
export function connectionAs(connection: ClusterConnection, identity: CredentialProvider): ClusterConnection {
  return connection.actAs ? connection.actAs(identity) : { ...connection, credentials: identity };
}
