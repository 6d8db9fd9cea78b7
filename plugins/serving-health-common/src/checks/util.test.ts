import { readErrorOutcome } from './util';

describe('readErrorOutcome', () => {
  it('says a throttled read was refused by the API server, not that it failed, and where to look', () => {
    const out = readErrorOutcome({
      reason: 'throttled',
      request: 'kubectl get services -n kserve',
      httpStatus: 429,
      message: 'Too many requests, please try again later. (refused again after waiting 1000 ms as asked)',
    });
    expect(out.status).toBe('error');
    expect(out.summary).toBe(
      "The API server is throttling 'kubectl get services -n kserve' (HTTP 429), so it was not read: Too many requests, please try again later. (refused again after waiting 1000 ms as asked). The next refresh reads it again.",
    );
    expect(out.evidence[0].fields).toMatchObject({ reason: 'throttled', httpStatus: '429' });
    expect(out.remediation?.steps[0].command).toBe('kubectl get flowschemas,prioritylevelconfigurations');
  });
});
