import { DEFAULT_CHECKS } from '../checks';
import { TriageCheck } from '../checks/types';
import { CheckResult, TriageReport } from '../types';
import { needsControllerLogs, orderChecks, overallStatus, runTriage } from './runTriage';
import {
  CLUSTER,
  READ_AT,
  KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
  KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR,
  argoStatusFailing,
  defaultTarget,
  forbidden,
  healthySnapshot,
  withArgoAppStatus,
  withArgoCdNotInstalled,
  withClusterUnreachable,
  withInferenceServiceNotReady,
  withKServeSidecarPullForbidden,
  withKyvernoAdmissionNotReady,
  withReadError,
  withStaleIngressNginxWebhook,
  withStaleWebhook,
  withVersionError,
  withCertManagerWebhookUnserved,
  withKyvernoUninstalled,
  withCostCenterNearMiss,
  LABEL_POLICY_DENIAL,
  withoutInferenceServiceCrd,
} from '../checks/__fixtures__/snapshots';
import { ClusterSnapshot } from '../snapshot';

const NOW = new Date('2025-11-24T09:31:00.000Z');

function triage(snapshot: ClusterSnapshot, checks: TriageCheck[] = DEFAULT_CHECKS, target = defaultTarget()) {
  return runTriage({ entityRef: 'component:default/fraud-detector', target, snapshot, checks, now: NOW });
}

function byId(report: TriageReport, id: string): CheckResult {
  const c = report.checks.find(x => x.id === id);
  if (!c) throw new Error(`no result for ${id}`);
  return c;
}

function stub(id: string, stage: TriageCheck['stage'], status: CheckResult['status'], extra: Partial<TriageCheck> = {}): TriageCheck {
  return { id, stage, title: id, run: () => ({ status, summary: status, evidence: [] }), ...extra };
}

function result(id: string, status: CheckResult['status'], stage: CheckResult['stage'] = 'control-plane'): CheckResult {
  return { id, stage, title: id, status, summary: status, evidence: [] };
}

describe('runTriage', () => {
  describe('on a healthy stack', () => {
    it('is healthy with no failure modes and no failing stage', () => {
      const report = triage(healthySnapshot());
      expect(report.overall).toBe('healthy');
      expect(report.failureModes).toEqual([]);
      expect(report.failingStage).toBeUndefined();
    });

    it('passes every check except the logs check, skipped because nothing was wrong', () => {
      const report = triage(healthySnapshot());
      const statuses = Object.fromEntries(report.checks.map(c => [c.id, c.status]));
      expect(statuses).toMatchObject({
        'cluster.reachable': 'pass',
        'cluster.nodes': 'pass',
        'argocd.applications': 'pass',
        'kserve.crds': 'pass',
        'kserve.controller': 'pass',
        'kserve.controller-logs': 'skipped',
        'kserve.webhook-endpoints': 'pass',
        'policy-engine.admission': 'pass',
        'webhooks.stale': 'pass',
        'kserve.inferenceservice': 'pass',
        'argocd.sync': 'pass',
      });
      expect(report.checks.filter(c => c.id !== 'kserve.controller-logs' && c.status !== 'pass')).toEqual([]);
    });

    it('stamps each result with the check\'s id, stage and title', () => {
      const report = triage(healthySnapshot());
      expect(byId(report, 'webhooks.stale')).toMatchObject({ stage: 'stale-webhooks', title: 'Webhook configurations and their Services' });
    });

    it('copies the target, the snapshot time and the report time', () => {
      const report = triage(healthySnapshot());
      expect(report.entityRef).toBe('component:default/fraud-detector');
      expect(report.target.cluster).toBe(CLUSTER);
      expect(report.snapshotTime).toBe(READ_AT);
      expect(report.generatedAt).toBe(NOW.toISOString());
    });
  });

  describe('ordering', () => {
    it('runs checks in triage stage order whatever order they are given in', () => {
      const shuffled = [...DEFAULT_CHECKS].reverse();
      expect(orderChecks(shuffled).map(c => c.stage)).toEqual(DEFAULT_CHECKS.map(c => c.stage));
    });

    it('keeps the given order within a stage', () => {
      const a = stub('a', 'app', 'pass');
      const b = stub('b', 'app', 'pass');
      const env = stub('env', 'environment', 'pass');
      expect(orderChecks([b, a, env]).map(c => c.id)).toEqual(['env', 'b', 'a']);
    });
  });

  describe('stage gating', () => {
    it('skips every other check, blocked by cluster.reachable, when the cluster is unreachable', () => {
      const report = triage(withClusterUnreachable(healthySnapshot()));
      expect(byId(report, 'cluster.reachable').status).toBe('error');
      const others = report.checks.filter(c => c.id !== 'cluster.reachable');
      expect(others).toHaveLength(DEFAULT_CHECKS.length - 1);
      for (const c of others) {
        expect({ id: c.id, status: c.status, blockedBy: c.blockedBy }).toEqual({ id: c.id, status: 'skipped', blockedBy: 'cluster.reachable' });
      }
    });

    it('says in the skipped check\'s summary which check blocked it and how', () => {
      const report = triage(withClusterUnreachable(healthySnapshot()));
      expect(byId(report, 'kserve.crds').summary).toBe('Skipped: Cluster connection is error.');
    });

    it('skips every other check when cluster.reachable fails (TLS)', () => {
      const report = triage(withVersionError(healthySnapshot(), { reason: 'tls', request: 'GET /version', message: 'x509: certificate signed by unknown authority' }));
      expect(byId(report, 'cluster.reachable').status).toBe('fail');
      expect(report.checks.filter(c => c.blockedBy === 'cluster.reachable')).toHaveLength(DEFAULT_CHECKS.length - 1);
      expect(report.overall).toBe('failing');
    });

    it('skips kserve.inferenceservice, blocked by kserve.crds, when the CRD is missing', () => {
      const report = triage(withoutInferenceServiceCrd(healthySnapshot()));
      expect(byId(report, 'kserve.crds').status).toBe('fail');
      expect(byId(report, 'kserve.inferenceservice')).toMatchObject({ status: 'skipped', blockedBy: 'kserve.crds' });
    });

    it('skips kserve.inferenceservice, blocked by kserve.crds, when CRDs could not be read', () => {
      const report = triage(withReadError(healthySnapshot(), 'customResourceDefinitions', forbidden('customresourcedefinitions', 'apiextensions.k8s.io')));
      expect(byId(report, 'kserve.crds').status).toBe('error');
      expect(byId(report, 'kserve.inferenceservice')).toMatchObject({ status: 'skipped', blockedBy: 'kserve.crds' });
    });

    it('skips argocd.applications when Argo CD is not installed, and argocd.sync blocked by it', () => {
      const report = triage(withArgoCdNotInstalled(healthySnapshot()));
      expect(byId(report, 'argocd.applications').status).toBe('skipped');
      expect(byId(report, 'argocd.applications').blockedBy).toBeUndefined();
      expect(byId(report, 'argocd.sync')).toMatchObject({ status: 'skipped', blockedBy: 'argocd.applications' });
    });

    it('stays healthy when Argo CD is not installed (skipped is not a problem)', () => {
      expect(triage(withArgoCdNotInstalled(healthySnapshot())).overall).toBe('healthy');
    });

    it('runs a check whose requirement only warned', () => {
      const report = triage(healthySnapshot(), [
        stub('first', 'environment', 'warn'),
        stub('second', 'app', 'pass', { requires: ['first'] }),
      ]);
      expect(byId(report, 'second').status).toBe('pass');
    });

    it('blocks on the first requirement that did not pass, in the order required', () => {
      const report = triage(healthySnapshot(), [
        stub('a', 'environment', 'fail'),
        stub('b', 'environment', 'error'),
        stub('c', 'app', 'pass', { requires: ['b', 'a'] }),
      ]);
      expect(byId(report, 'c').blockedBy).toBe('b');
    });
  });

  describe('a check that throws', () => {
    const boom: TriageCheck = {
      id: 'boom',
      stage: 'control-plane',
      title: 'Boom',
      run: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'items')");
      },
    };

    it('becomes status error with the exception message', () => {
      const report = triage(healthySnapshot(), [...DEFAULT_CHECKS, boom]);
      expect(byId(report, 'boom')).toMatchObject({
        id: 'boom',
        stage: 'control-plane',
        status: 'error',
        summary: "The check itself failed: Cannot read properties of undefined (reading 'items')",
        evidence: [],
      });
    });

    it('does not stop the checks after it', () => {
      const report = triage(healthySnapshot(), [...DEFAULT_CHECKS, boom]);
      expect(byId(report, 'argocd.sync').status).toBe('pass');
      expect(report.overall).toBe('degraded');
    });
  });

  describe('failure modes', () => {
    it('lists webhook-no-endpoints once, seen by the webhook check and by argocd.sync', () => {
      const s = withArgoAppStatus(withKServeSidecarPullForbidden(healthySnapshot()), argoStatusFailing({ message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR }));
      const report = triage(s);
      expect(report.failureModes).toEqual([
        { id: 'webhook-no-endpoints', title: 'KServe webhook has no ready endpoints', seenBy: ['kserve.webhook-endpoints', 'argocd.sync'] },
      ]);
    });

    it('lists crd-missing once, seen by kserve.crds and argocd.sync', () => {
      const report = triage(withoutInferenceServiceCrd(healthySnapshot()));
      expect(report.failureModes).toEqual([
        { id: 'crd-missing', title: 'InferenceService CRD is missing', seenBy: ['kserve.crds', 'argocd.sync'] },
      ]);
    });

    it('lists policy-engine-not-ready once, seen by the admission check and by argocd.sync', () => {
      const s = withArgoAppStatus(
        withKyvernoAdmissionNotReady(healthySnapshot()),
        argoStatusFailing({ message: KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR, sync: 'Unknown', health: 'Unknown' }),
      );
      const report = triage(s);
      expect(report.failureModes.map(m => [m.id, m.seenBy])).toEqual([
        ['policy-engine-not-ready', ['policy-engine.admission', 'argocd.sync']],
      ]);
    });

    it('lists label-policy-mismatch once, seen by policy.labels and argocd.sync', () => {
      const s = withArgoAppStatus(withCostCenterNearMiss(healthySnapshot()), argoStatusFailing({ message: LABEL_POLICY_DENIAL }));
      const report = triage(s);
      expect(report.failureModes.map(m => [m.id, m.seenBy])).toEqual([
        ['label-policy-mismatch', ['policy.labels', 'argocd.sync']],
      ]);
    });

    it('names only stale-webhook for a stale webhook next to a healthy KServe', () => {
      const report = triage(withStaleWebhook(healthySnapshot()));
      expect(report.failureModes.map(m => m.id)).toEqual(['stale-webhook']);
      expect(byId(report, 'kserve.webhook-endpoints').status).toBe('pass');
      expect(report.overall).toBe('failing');
    });

    it('lists a warning check\'s failure mode too (a stale webhook that intercepts the entity with failurePolicy Ignore)', () => {
      const report = triage(withStaleWebhook(healthySnapshot(), { failurePolicy: 'Ignore' }));
      expect(report.failureModes.map(m => m.id)).toEqual(['stale-webhook']);
      expect(report.overall).toBe('degraded');
    });

    it('keeps a dead webhook that intercepts nothing of the entity a cluster warning, not its failure mode', () => {
      const report = triage(withStaleIngressNginxWebhook(healthySnapshot()));
      expect(byId(report, 'webhooks.stale').status).toBe('warn');
      expect(report.failureModes).toEqual([]);
      expect(report.overall).toBe('degraded');
    });

    it('names webhook-unavailable (not stale-webhook) for cert-manager\'s unserved webhook intercepting the predictor pods', () => {
      const report = triage(withCertManagerWebhookUnserved(healthySnapshot()));
      expect(report.failureModes.map(m => [m.id, m.seenBy])).toEqual([['webhook-unavailable', ['webhooks.unavailable']]]);
      expect(byId(report, 'webhooks.stale').status).toBe('pass');
      expect(report.failingStage).toBe('webhooks');
    });

    it('names stale-webhook (not policy-engine-not-ready) for Kyverno\'s configurations left after an uninstall', () => {
      const report = triage(withKyvernoUninstalled(healthySnapshot()));
      expect(report.failureModes.map(m => m.id)).toEqual(['stale-webhook']);
      expect(byId(report, 'policy-engine.admission').status).toBe('warn');
    });

    it('lists two different failure modes once each when both are present', () => {
      const report = triage(withStaleWebhook(withKServeSidecarPullForbidden(healthySnapshot())));
      expect(report.failureModes.map(m => m.id).sort()).toEqual(['stale-webhook', 'webhook-no-endpoints']);
    });

    it('does not list the Argo CD message\'s mode when the cluster contradicts it; the unsynced app stays failing', () => {
      const s = withArgoAppStatus(healthySnapshot(), argoStatusFailing({ message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR }));
      const report = triage(s);
      expect(byId(report, 'argocd.sync')).toMatchObject({ status: 'fail' });
      expect(byId(report, 'argocd.sync').summary).toContain('cause not confirmed by the cluster state');
      expect(byId(report, 'argocd.sync').failureMode).toBeUndefined();
      expect(report.failureModes).toEqual([]);
      expect(report.overall).toBe('failing');
    });

    it('ignores a failure mode on a result that is neither fail nor warn', () => {
      const odd: TriageCheck = {
        id: 'odd',
        stage: 'app',
        title: 'odd',
        run: () => ({ status: 'pass', summary: '', evidence: [], failureMode: 'stale-webhook' }),
      };
      expect(triage(healthySnapshot(), [odd]).failureModes).toEqual([]);
    });
  });

  describe('failingStage', () => {
    it('is the first stage with a failing check (control-plane when the KServe sidecar cannot pull)', () => {
      const report = triage(withKServeSidecarPullForbidden(healthySnapshot()));
      expect(byId(report, 'kserve.controller').status).toBe('fail');
      expect(byId(report, 'kserve.webhook-endpoints').status).toBe('fail');
      expect(report.failingStage).toBe('control-plane');
    });

    it('prefers a later failing stage over an earlier erroring one', () => {
      const s = withReadError(withStaleWebhook(healthySnapshot()), 'nodes', forbidden('nodes', ''));
      const report = triage(s);
      expect(byId(report, 'cluster.nodes').status).toBe('error');
      expect(report.failingStage).toBe('stale-webhooks');
    });

    it('is the first erroring stage when nothing fails', () => {
      const report = triage(withReadError(healthySnapshot(), 'nodes', forbidden('nodes', '')));
      expect(report.failingStage).toBe('environment');
    });

    it('is the app stage when only the InferenceService is not Ready', () => {
      expect(triage(withInferenceServiceNotReady(healthySnapshot())).failingStage).toBe('app');
    });
  });
});

describe('overallStatus', () => {
  it('is failing when any check fails', () => {
    expect(overallStatus([result('cluster.reachable', 'pass'), result('x', 'warn'), result('y', 'fail')])).toBe('failing');
  });

  it('is unknown when cluster.reachable errors', () => {
    expect(overallStatus([result('cluster.reachable', 'error'), result('x', 'skipped')])).toBe('unknown');
  });

  it('is degraded when a check warns', () => {
    expect(overallStatus([result('cluster.reachable', 'pass'), result('x', 'warn')])).toBe('degraded');
  });

  it('is degraded (never healthy, never failing) when a check other than cluster.reachable errors', () => {
    expect(overallStatus([result('cluster.reachable', 'pass'), result('x', 'error')])).toBe('degraded');
  });

  it('is healthy when every check passed or was skipped', () => {
    expect(overallStatus([result('cluster.reachable', 'pass'), result('x', 'skipped')])).toBe('healthy');
  });
});

describe('needsControllerLogs', () => {
  it('is false on a healthy report', () => {
    expect(needsControllerLogs(triage(healthySnapshot()))).toBe(false);
  });

  it('is true when the KServe webhook check fails', () => {
    expect(needsControllerLogs(triage(withKServeSidecarPullForbidden(healthySnapshot())))).toBe(true);
  });

  it('is true when the InferenceService is not Ready', () => {
    expect(needsControllerLogs(triage(withInferenceServiceNotReady(healthySnapshot())))).toBe(true);
  });

  it('is true when argocd.sync only warns', () => {
    const s = withArgoAppStatus(healthySnapshot(), { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } });
    expect(needsControllerLogs(triage(s))).toBe(true);
  });

  it('is false when only a check outside KServe and Argo CD fails (stale webhook)', () => {
    const s = withStaleWebhook(healthySnapshot());
    // The stale webhook would deny the app's sync too; keep Argo CD healthy to isolate the check.
    expect(needsControllerLogs(triage(s))).toBe(false);
  });

  it('is false when the cluster is unreachable', () => {
    expect(needsControllerLogs(triage(withClusterUnreachable(healthySnapshot())))).toBe(false);
  });

  it('is false when a watched check only errored', () => {
    const report = triage(withReadError(healthySnapshot(), 'inferenceServices', forbidden('inferenceservices', 'serving.kserve.io')));
    expect(byId(report, 'kserve.inferenceservice').status).toBe('error');
    expect(needsControllerLogs(report)).toBe(false);
  });
});
