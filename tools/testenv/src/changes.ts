import { KubeClient, ClusterAccess } from './kube';

const SLICES = '/apis/discovery.k8s.io/v1/namespaces/kserve/endpointslices';
const KSERVE_WEBHOOK_SLICE = 'kserve-webhook-server-service-7hx4k';

/** Writes an EndpointSlice read earlier back, as new (no uid or resourceVersion). */
export async function restoreEndpointSlice(
  access: ClusterAccess,
  slice: any,
): Promise<void> {
  const { metadata, ...rest } = slice;
  await new KubeClient(access).post(SLICES, {
    ...rest,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: metadata.labels,
    },
  });
}

/**
 * A change applied to a running scenario (the `healthy` one, or any built on it): KServe's webhook Service loses
 * its only ready endpoint, as when the controller's pod goes unready. No controller runs in the testenv to bring it
 * back; `restore()` (or `restoreEndpointSlice` with `slice`) writes the same EndpointSlice again.
 */
export async function takeKserveWebhookOffline(
  access: ClusterAccess,
): Promise<{ slice: any; restore(): Promise<void> }> {
  const client = new KubeClient(access);
  const slice = await client.get(`${SLICES}/${KSERVE_WEBHOOK_SLICE}`);
  await client.delete(`${SLICES}/${KSERVE_WEBHOOK_SLICE}`);
  return { slice, restore: () => restoreEndpointSlice(access, slice) };
}
