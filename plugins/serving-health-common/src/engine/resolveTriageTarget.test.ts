import { resolveTriageTarget } from './resolveTriageTarget';

const ONE = { clusters: ['ml-prod'] };
const TWO = { clusters: ['ml-prod', 'ml-staging'] };

function entity(annotations: Record<string, string>) {
  return { metadata: { annotations } };
}

function resolved(annotations: Record<string, string>, options = ONE) {
  const r = resolveTriageTarget(entity(annotations), options);
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.target;
}

function rejected(annotations: Record<string, string>, options = ONE) {
  const r = resolveTriageTarget(entity(annotations), options);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.target)}`);
  return r;
}

describe('resolveTriageTarget', () => {
  describe('serving.kserve.io/inferenceservice', () => {
    it('reads <namespace>/<name>', () => {
      expect(resolved({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector' }).inferenceService).toEqual({
        namespace: 'models',
        name: 'fraud-detector',
      });
    });

    it('takes the namespace of a bare name from backstage.io/kubernetes-namespace', () => {
      const t = resolved({
        'serving.kserve.io/inferenceservice': 'fraud-detector',
        'backstage.io/kubernetes-namespace': 'models',
      });
      expect(t.inferenceService).toEqual({ namespace: 'models', name: 'fraud-detector' });
    });

    it('defaults the namespace of a bare name to "default"', () => {
      expect(resolved({ 'serving.kserve.io/inferenceservice': 'fraud-detector' }).inferenceService).toEqual({
        namespace: 'default',
        name: 'fraud-detector',
      });
    });

    it('lets an explicit namespace win over backstage.io/kubernetes-namespace', () => {
      const t = resolved({
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'backstage.io/kubernetes-namespace': 'other',
      });
      expect(t.inferenceService?.namespace).toBe('models');
    });

    it('trims surrounding whitespace', () => {
      expect(resolved({ 'serving.kserve.io/inferenceservice': '  models/fraud-detector \n' }).inferenceService?.name).toBe('fraud-detector');
    });

    it.each([
      ['three segments', 'models/fraud/detector'],
      ['an empty namespace', '/fraud-detector'],
      ['an empty name', 'models/'],
      ['upper case', 'Models/FraudDetector'],
      ['an underscore', 'models/fraud_detector'],
      ['a leading dash', 'models/-fraud'],
    ])('rejects a value with %s, naming the annotation and the value', (_, value) => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': value });
      expect(r.annotation).toBe('serving.kserve.io/inferenceservice');
      expect(r.message).toContain(`got '${value}'`);
    });

    it('rejects a namespace longer than 63 characters', () => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': `${'a'.repeat(64)}/fraud-detector` });
      expect(r.annotation).toBe('serving.kserve.io/inferenceservice');
    });

    // BUG (see report): the namespace comes from backstage.io/kubernetes-namespace, but the
    // error blames serving.kserve.io/inferenceservice and quotes its (valid) value.
    it('names backstage.io/kubernetes-namespace when that is the malformed annotation', () => {
      const r = rejected({
        'serving.kserve.io/inferenceservice': 'fraud-detector',
        'backstage.io/kubernetes-namespace': 'ML_Models',
      });
      expect(r.annotation).toBe('backstage.io/kubernetes-namespace');
      expect(r.message).toContain("'ML_Models'");
    });
  });

  describe('backstage.io/kubernetes-id', () => {
    it('targets the InferenceServices labelled with the id', () => {
      const t = resolved({ 'backstage.io/kubernetes-id': 'fraud-detector' });
      expect(t.kubernetesId).toBe('fraud-detector');
      expect(t.inferenceService).toBeUndefined();
    });

    it('is ignored when the inferenceservice annotation names the object', () => {
      const t = resolved({
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'backstage.io/kubernetes-id': 'fraud-detector',
      });
      expect(t.kubernetesId).toBeUndefined();
      expect(t.inferenceService).toEqual({ namespace: 'models', name: 'fraud-detector' });
    });

    it.each([['a space', 'fraud detector'], ['a slash', 'ml/fraud'], ['64 characters', 'a'.repeat(64)], ['a trailing dot', 'fraud.']])(
      'rejects a value that is not a valid label value (%s)',
      (_, value) => {
        expect(rejected({ 'backstage.io/kubernetes-id': value }).annotation).toBe('backstage.io/kubernetes-id');
      },
    );
  });

  it('rejects an entity with neither annotation', () => {
    const r = rejected({ 'argocd/app-name': 'fraud-detector' });
    expect(r.message).toContain('neither a serving.kserve.io/inferenceservice nor a backstage.io/kubernetes-id annotation');
  });

  it('rejects an entity with no annotations at all', () => {
    expect(resolveTriageTarget({ metadata: {} }, ONE).ok).toBe(false);
  });

  describe('argocd/app-name', () => {
    it('defaults the Application namespace to argocd', () => {
      const t = resolved({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector', 'argocd/app-name': 'fraud-detector' });
      expect(t.argoApp).toEqual({ namespace: 'argocd', name: 'fraud-detector' });
    });

    it('reads argocd/app-namespace', () => {
      const t = resolved({
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'argocd/app-name': 'fraud-detector',
        'argocd/app-namespace': 'team-apps',
      });
      expect(t.argoApp).toEqual({ namespace: 'team-apps', name: 'fraud-detector' });
    });

    it('leaves argoApp unset without the annotation', () => {
      expect(resolved({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector' }).argoApp).toBeUndefined();
    });

    it('rejects a malformed app name, naming the annotation', () => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector', 'argocd/app-name': 'Fraud Detector' });
      expect(r.annotation).toBe('argocd/app-name');
      expect(r.message).toContain("'argocd/Fraud Detector'");
    });

    it('rejects a malformed app namespace', () => {
      const r = rejected({
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'argocd/app-name': 'fraud-detector',
        'argocd/app-namespace': 'argo.cd',
      });
      expect(r.annotation).toBe('argocd/app-name');
    });
  });

  describe('backstage.io/kubernetes-cluster', () => {
    it('uses the single configured cluster when the annotation is absent', () => {
      expect(resolved({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector' }).cluster).toBe('ml-prod');
    });

    it('uses the annotated cluster when it is configured', () => {
      const t = resolved({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector', 'backstage.io/kubernetes-cluster': 'ml-staging' }, TWO);
      expect(t.cluster).toBe('ml-staging');
    });

    it('rejects an unknown cluster, listing the known ones', () => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector', 'backstage.io/kubernetes-cluster': 'ml-dev' }, TWO);
      expect(r.annotation).toBe('backstage.io/kubernetes-cluster');
      expect(r.message).toContain("names cluster 'ml-dev', which is not configured (known: ml-prod, ml-staging)");
    });

    it('requires the annotation when several clusters are configured', () => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector' }, TWO);
      expect(r.annotation).toBe('backstage.io/kubernetes-cluster');
      expect(r.message).toContain('required when 2 clusters are configured');
    });

    it('rejects every entity when no cluster is configured', () => {
      const r = rejected({ 'serving.kserve.io/inferenceservice': 'models/fraud-detector' }, { clusters: [] });
      expect(r.message).toContain('known: none');
    });
  });
});
