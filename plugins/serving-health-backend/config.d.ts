import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Serving Health: triage of KServe model endpoints deployed through Argo CD. */
  servingHealth?: {
    /**
     * Clusters to add to (or override by name) those of `kubernetes.clusterLocatorMethods` of type `config`.
     */
    /**
     * Read the clusters of the Backstage Kubernetes plugin (every locator and auth provider it has) through its
     * proxy, `/api/kubernetes/proxy`. Default: true when `kubernetes.clusterLocatorMethods` is configured.
     */
    kubernetesPluginClusters?: boolean;
    /**
     * Argo CD instances on other clusters than the models (hub and spoke): an entity's `argocd/instance-name`
     * names one, its Application is read on that instance's cluster, and the Application's destination names
     * the workload cluster unless the entity sets `backstage.io/kubernetes-cluster`.
     */
    argocdInstances?: Array<{
      /** The `argocd/instance-name` value, as the community Argo CD plugin uses it. */
      name: string;
      /** The cluster (by name) that runs this Argo CD. */
      cluster: string;
      /**
       * Application destinations (`spec.destination.server` or `.name`) to cluster names, where they differ.
       * Without an entry, a destination name equal to a cluster name, or Argo CD's `in-cluster`, is used.
       */
      destinations?: Array<{ destination: string; cluster: string }>;
    }>;
    /**
     * Clusters read directly, with their own credentials; a name here replaces the Kubernetes plugin's cluster
     * of that name.
     */
    clusters?: Array<{
      name: string;
      /** API server URL. */
      url?: string;
      /** Only `serviceAccount` is supported. */
      authProvider?: 'serviceAccount';
      /**
       * Token of a ServiceAccount bound to the `serving-health-reader` ClusterRole (deploy/rbac.yaml).
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64-encoded PEM CA bundle.
       * @visibility secret
       */
      caData?: string;
      /**
       * Path of a PEM CA bundle.
       * @visibility secret
       */
      caFile?: string;
      skipTLSVerify?: boolean;
      /**
       * Read the connection from a kubeconfig file instead (tokens, client certificates, exec plugins).
       * @visibility secret
       */
      kubeconfig?: string;
      context?: string;
    }>;
    /**
     * How long a cluster snapshot (and the reports made from it) is reused. Default 30. With watched snapshots:
     * how often a collection whose watch is refused is listed, and how long per-target reads are reused.
     */
    snapshotTtlSeconds?: number;
    snapshots?: {
      /**
       * `watch` (default): each collection is listed once and then watched (bookmarks, re-list on 410 Gone), so
       * a change reaches the next report within about a second with no new LIST; a collection whose watch is
       * forbidden falls back to a LIST every snapshotTtlSeconds. `poll`: every collection is listed every
       * snapshotTtlSeconds. Clusters read with each user's own credentials are always polled.
       */
      mode?: 'watch' | 'poll';
    };
    reportCache?: {
      /**
       * The most finished reports kept; the least recently used are evicted first. Bounds memory with the
       * in-memory cache store (and the keys in a shared one). Default 10000.
       */
      maxEntries?: number;
      /**
       * The most megabytes of reports (as JSON) this backend keeps; the least recently used are evicted first.
       * Default 64: a failing report with its evidence is tens of kilobytes.
       */
      maxMegabytes?: number;
      /**
       * The most fleet summaries kept (status and failure modes per entity and snapshot version, a few hundred
       * bytes each): fleet scans read these, not whole reports. Default 100000.
       */
      maxSummaries?: number;
    };
    /** The least time between two `?refresh=true` snapshot reads of one cluster. Default 5. */
    refreshMinIntervalSeconds?: number;
    /** Timeout of every Kubernetes API request. Default 5000. */
    requestTimeoutMs?: number;
    /** Lines of the KServe controller log read when something is wrong. Default 200. */
    logTailLines?: number;
    /**
     * Opt-in check `admission.dry-run`: a server-side dry-run create of each entity's live InferenceService
     * (nothing is persisted). Needs create on inferenceservices: bind `serving-health-dry-run` (deploy/rbac.yaml).
     */
    admissionDryRun?: boolean;
    /**
     * Which namespaces an entity may be shown, beyond InferenceServices that carry
     * `backstage.io/kubernetes-id=<entity>`: an annotation is written by whoever can edit the entity, so a target
     * neither names it back nor lies in a namespace given here to the entity's owner is reported as unbound, with
     * nothing read from it shown.
     */
    namespaceOwners?: Array<{
      /** Cluster name; every cluster when absent. */
      cluster?: string;
      /** Namespace; `*` and `?` are wildcards. */
      namespace: string;
      /** Entity refs of the owners, e.g. group:default/team-ml. */
      owners: string[];
    }>;
    /**
     * The scheduled fleet triage that records each entity's state and transitions (one runner across
     * replicas). Default: every 5 minutes, timeout 4 minutes, first run 30 seconds after start.
     */
    schedule?: Partial<SchedulerServiceTaskScheduleDefinitionConfig> & {
      /** Set false to turn the fleet triage (and so the history, notifications and live tab updates) off. */
      enabled?: boolean;
    };
    /** Days transitions are kept (and states of entities not seen for as long). Default 30. */
    historyRetentionDays?: number;
    /** Backstage notifications to an entity's owner when its endpoint starts failing and when it recovers. */
    notifications?: {
      /** Opt-in. Default false. Needs the notifications backend in the portal. */
      enabled?: boolean;
    };
    /** Where the control planes run. */
    namespaces?: {
      /** Default `kserve`. */
      kserve?: string;
      /** Default `kyverno`. */
      kyverno?: string;
    };
  };
}
