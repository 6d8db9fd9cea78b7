import { KubeClient, ClusterAccess } from './kube';

const SLICES = '/apis/discovery.k8s.io/v1/namespaces/kserve/endpointslices';
const KSERVE_WEBHOOK_SLICE = 'kserve-webhook-server-service-7hx4k';

/**
 * A change applied to a running scenario (the `healthy` one, or any built on it): KServe's webhook Service loses
 * its only ready endpoint, as when the controller's pod goes unready. No controller runs in the testenv to bring it
 * back; `restore()` writes the same EndpointSlice again.
 */
export async function takeKserveWebhookOffline(
  access: ClusterAccess,
): Promise<{ restore(): Promise<void> }> {
  const client = new KubeClient(access);
  const slice = await client.get(`${SLICES}/${KSERVE_WEBHOOK_SLICE}`);
  await client.delete(`${SLICES}/${KSERVE_WEBHOOK_SLICE}`);
  const { metadata, ...rest } = slice;
  return {
    async restore() {
      await client.post(SLICES, {
        ...rest,
        metadata: {
          name: metadata.name,
          namespace: metadata.namespace,
          labels: metadata.labels,
        },
      });
    },
  };
}
