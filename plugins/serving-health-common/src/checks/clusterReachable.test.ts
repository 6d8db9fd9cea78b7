import { clusterReachable } from './clusterReachable';
import { runCheck } from './__fixtures__/context';
import { CLUSTER, healthySnapshot, withClusterUnreachable, withVersionError } from './__fixtures__/snapshots';

describe('cluster.reachable', () => {
  it('passes with the gitVersion /version returned', () => {
    const out = runCheck(clusterReachable, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toContain('v1.30.2');
    expect(out.evidence[0].fields).toEqual({ gitVersion: 'v1.30.2' });
  });

  it('is an error (not a fail) when the API server cannot be reached, with the connection error as evidence', () => {
    const out = runCheck(clusterReachable, withClusterUnreachable(healthySnapshot()));
    expect(out.status).toBe('error');
    expect(out.summary).toContain(`Cluster ${CLUSTER} is unreachable`);
    expect(out.evidence[0].fields).toEqual({
      reason: 'unreachable',
      message: 'connect ECONNREFUSED 172.18.0.2:6443',
    });
    expect(out.failureMode).toBeUndefined();
  });

  it('is an error naming the timeout when /version does not answer in time', () => {
    const out = runCheck(
      clusterReachable,
      withVersionError(healthySnapshot(), { reason: 'timeout', request: 'GET /version', message: 'no answer within 10000ms' }),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain('no answer within 10000ms');
  });

  it('fails on a TLS error and tells which cluster needs caData/caFile', () => {
    const out = runCheck(
      clusterReachable,
      withVersionError(healthySnapshot(), { reason: 'tls', request: 'GET /version', message: 'self-signed certificate in certificate chain' }),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('self-signed certificate in certificate chain');
    expect(out.remediation?.steps[0].text).toContain(`caData (base64 PEM) or caFile for cluster '${CLUSTER}'`);
  });

  it('fails on 401 and gives the command that mints a new token', () => {
    const out = runCheck(
      clusterReachable,
      withVersionError(healthySnapshot(), { reason: 'unauthorized', request: 'GET /version', message: 'Unauthorized', httpStatus: 401 }),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('(401)');
    expect(out.remediation?.steps[0].command).toBe('kubectl create token serving-health -n serving-health --duration=8760h');
  });

  it('passes on 403 from /version: the server answered', () => {
    const out = runCheck(
      clusterReachable,
      withVersionError(healthySnapshot(), { reason: 'forbidden', request: 'GET /version', message: 'forbidden: User "system:anonymous" cannot get path "/version"', httpStatus: 403 }),
    );
    expect(out.status).toBe('pass');
    expect(out.summary).toContain('version hidden');
  });

  it('is an error, not a rejection, when no credentials could be had (nothing was sent)', () => {
    const out = runCheck(
      clusterReachable,
      withVersionError(healthySnapshot(), {
        reason: 'unauthorized',
        request: 'GET /version',
        message: "no credentials for cluster ml-prod: authProvider 'google' is not supported",
      }),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain("authProvider 'google' is not supported");
  });
});
