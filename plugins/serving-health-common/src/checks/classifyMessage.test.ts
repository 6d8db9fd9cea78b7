import { classifyMessage } from './classifyMessage';

describe('classifyMessage', () => {
  it.each([
    [
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": no endpoints available for service "kserve-webhook-server-service"',
      'webhook-no-endpoints',
    ],
    [
      'Internal error occurred: failed calling webhook "validate.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s": no endpoints available for service "kyverno-svc"',
      'policy-engine-not-ready',
    ],
    [
      'Internal error occurred: failed calling webhook "vpol.validate.kyverno.svc-fail-finegrained-require-team": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/vpol/fail/finegrained/require-team?timeout=10s": no endpoints available for service "kyverno-svc"',
      'policy-engine-not-ready',
    ],
    [
      'Internal error occurred: failed calling webhook "mpol.mutate.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/mpol/fail?timeout=10s": no endpoints available for service "kyverno-svc"',
      'policy-engine-not-ready',
    ],
    [
      'Internal error occurred: failed calling webhook "validate-policy.kyverno.svc": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/policyvalidate?timeout=10s": no endpoints available for service "kyverno-svc"',
      'webhook-unavailable',
    ],
    [
      'Internal error occurred: failed calling webhook "validate.modelmesh.example.io": failed to call webhook: Post "https://modelmesh-webhook.modelmesh.svc:443/validate?timeout=10s": service "modelmesh-webhook" not found',
      'stale-webhook',
    ],
    [
      'admission webhook "validate.kyverno.svc-fail" denied the request: \n\nresource InferenceService/models/fraud was blocked due to the following policies \n\nrequire-labels:\n  check-cost-center: \'validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/\'',
      'label-policy-mismatch',
    ],
    [
      'The Kubernetes API could not find serving.kserve.io/InferenceService for requested resource models/fraud. Make sure the "InferenceService" CRD is installed on the destination cluster.',
      'crd-missing',
    ],
    [
      'resource mapping not found for name: "fraud" namespace: "models" from "": no matches for kind "InferenceService" in version "serving.kserve.io/v1beta1"',
      'crd-missing',
    ],
    [
      'dial tcp 10.96.0.10:443: connect: connection refused kyverno-svc',
      'policy-engine-not-ready',
    ],
    ['successfully synced (all tasks run)', undefined],
    [
      'one or more objects failed to apply, reason: create not allowed while custom resource definition is terminating',
      'crd-missing',
    ],
    [
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      undefined,
    ],
    [
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.validator": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/validate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": context deadline exceeded',
      undefined,
    ],
    [
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": dial tcp 10.96.120.4:443: connect: connection refused',
      'webhook-no-endpoints',
    ],
    [
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": service "kserve-webhook-server-service" not found',
      'stale-webhook',
    ],
    [
      'Internal error occurred: failed calling webhook "validate.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s": service "kyverno-svc" not found',
      'stale-webhook',
    ],
    [
      'Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": no endpoints available for service "cert-manager-webhook"',
      'webhook-unavailable',
    ],
    [
      'Internal error occurred: failed calling webhook "kyverno-cleanup-controller.kyverno.svc": failed to call webhook: Post "https://kyverno-cleanup-controller.kyverno.svc:443/validate?timeout=10s": no endpoints available for service "kyverno-cleanup-controller"',
      'webhook-unavailable',
    ],
    [
      'Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      undefined,
    ],
  ])('classifies %#', (message, mode) => {
    expect(classifyMessage(message)).toBe(mode);
  });
});

describe('classifyMessage on hostile input', () => {
  it('classifies a 2 MB message of repeated prefixes quickly (no regex re-scans from each one)', () => {
    const message = 'validation error: '.repeat(110_000);
    const started = Date.now();
    expect(classifyMessage(message)).toBeUndefined();
    expect(
      classifyMessage(
        `could not find the requested resource ${'x'.repeat(2_000_000)}`,
      ),
    ).toBeUndefined();
    // Linear scans take milliseconds; the former `.*` patterns took minutes on this input.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
