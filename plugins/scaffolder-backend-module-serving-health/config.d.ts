export interface Config {
  servingHealth?: {
    /** Settings of the Serving Health scaffolder actions. */
    scaffolder?: {
      /**
       * Cluster the actions use when a step names none: a cluster of `kubernetes.clusterLocatorMethods`
       * (type config) or `servingHealth.clusters`. Optional when exactly one cluster is configured.
       * `serving-health:admission-dry-run` needs an identity that may create the rendered kinds (a dry run
       * is authorized like the real request); `clusterPolicies` needs list on clusterpolicies.kyverno.io.
       */
      cluster?: string;
      /**
       * The identity `serving-health:admission-dry-run` uses per cluster: a ServiceAccount bound to
       * `serving-health-dry-run` (deploy/rbac.yaml). Without one for a cluster the action sends nothing: the
       * reader's token is never used to send a write, even a dry run.
       */
      dryRunIdentities?: Array<{
        cluster: string;
        /** @visibility secret */
        serviceAccountToken: string;
      }>;
      /**
       * Kinds the admission dry-run sends to a cluster; any other kind fails the step before a request.
       * Default: InferenceService, ServingRuntime, InferenceGraph, TrainedModel, Application.
       */
      dryRunKinds?: string[];
      /** Timeout of each admission dry-run request in milliseconds (default 30000). */
      dryRunTimeoutMs?: number;
      /**
       * The kustomize executable `serving-health:validate` renders kustomizations with (scripts/install.sh
       * builds one at tools/kustomize/bin/kustomize). Default: `kustomize` on PATH. When it cannot run, a step
       * whose workspace holds a kustomization fails; it never passes unrendered overlays.
       */
      kustomize?: string;
      /** Serving rules of `serving-health:validate` (a step may name a rules file instead). */
      servingRules?: {
        inferenceServices?: {
          /** Components whose containers are checked. Default: predictor, transformer. */
          components?: Array<'predictor' | 'transformer'>;
          /** Resource names every container must request. Default: cpu, memory. */
          requests?: string[];
          /** Resource names every container must limit. Default: cpu, memory. */
          limits?: string[];
          /** Probes every container must set. Default: none. */
          probes?: Array<'readinessProbe' | 'livenessProbe'>;
        };
      };
      /** Label conventions of `serving-health:validate` (a step may override them). */
      conventions?: {
        /** Keys every resource must carry with a non-empty value. Default: owner, cost-center. */
        requiredLabels?: string[];
        /** Style of the name part of every key. Default: kebab-case. */
        keyStyle?: 'kebab-case' | 'snake_case' | 'camelCase' | 'any';
        /** Key prefixes exempt from the style rule (third-party labels). */
        exemptPrefixes?: string[];
        /** Kinds the required labels apply to. Default: every kind. */
        kinds?: string[];
      };
    };
  };
}
