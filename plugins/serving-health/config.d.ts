export interface Config {
  servingHealth?: {
    /**
     * Base URL of the Argo CD UI (e.g. https://argocd.example.com): the tab links each entity's Application there.
     * @visibility frontend
     */
    argocdBaseUrl?: string;
  };
}
