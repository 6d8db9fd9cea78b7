import { argocdApplications } from './argocdApplications';
import { runCheck } from './__fixtures__/context';
import { forbidden, healthySnapshot, timeout, withArgoCdNotInstalled, withReadError } from './__fixtures__/snapshots';

describe('argocd.applications', () => {
  it('passes when applications.argoproj.io can be listed, counting them', () => {
    const out = runCheck(argocdApplications, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.evidence[0].fields).toEqual({ count: '2' });
  });

  it('is skipped (not failed) when Argo CD is not installed', () => {
    const out = runCheck(argocdApplications, withArgoCdNotInstalled(healthySnapshot()));
    expect(out.status).toBe('skipped');
    expect(out.summary).toContain('Argo CD is not installed');
    expect(out.evidence[0]).toEqual({
      label: 'list applications.argoproj.io -A',
      fields: { result: 'the server could not find the requested resource' },
    });
  });

  it('is an error naming the argoproj.io RBAC rule when listing applications is forbidden', () => {
    const out = runCheck(
      argocdApplications,
      withReadError(healthySnapshot(), 'applications', forbidden('applications', 'argoproj.io')),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain('{apiGroups: ["argoproj.io"], resources: ["applications"], verbs: ["list"]}');
    expect(out.remediation?.steps[0].command).toBe('kubectl apply -f deploy/rbac.yaml');
  });

  it('is an error when listing applications times out', () => {
    const out = runCheck(
      argocdApplications,
      withReadError(healthySnapshot(), 'applications', timeout('list applications.argoproj.io -A')),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain("did not answer 'list applications.argoproj.io -A' in time");
  });
});
