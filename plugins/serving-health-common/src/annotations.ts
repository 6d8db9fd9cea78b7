/**
 * `<namespace>/<name>` or `<name>` of the entity's InferenceService.
 *
 * @public
 */
export const ANNOTATION_INFERENCESERVICE = 'serving.kserve.io/inferenceservice';
/**
 * The Argo CD Application, as the existing Argo CD plugins name it.
 *
 * @public
 */
export const ANNOTATION_ARGOCD_APP = 'argocd/app-name';
/** @public */
export const ANNOTATION_ARGOCD_APP_NAMESPACE = 'argocd/app-namespace';
/**
 * The Argo CD instance that deploys the entity, as the community Argo CD plugin names it; Serving Health maps it
 * to the cluster that runs that instance (`servingHealth.argocdInstances`).
 *
 * @public
 */
export const ANNOTATION_ARGOCD_INSTANCE = 'argocd/instance-name';
/** @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
