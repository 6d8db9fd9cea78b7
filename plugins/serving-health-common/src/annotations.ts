/** `<namespace>/<name>` or `<name>` of the entity's InferenceService. */
export const ANNOTATION_INFERENCESERVICE = 'serving.kserve.io/inferenceservice';
/** The Argo CD Application, as the existing Argo CD plugins name it. */
export const ANNOTATION_ARGOCD_APP = 'argocd/app-name';
export const ANNOTATION_ARGOCD_APP_NAMESPACE = 'argocd/app-namespace';
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
export const ANNOTATION_KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
