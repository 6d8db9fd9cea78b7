import { clusterNodes } from './clusterNodes';
import { evidenceFields, runCheck } from './__fixtures__/context';
import { forbidden, healthySnapshot, timeout, withNoReadyNode, withReadError } from './__fixtures__/snapshots';

describe('cluster.nodes', () => {
  it('passes when a node is Ready', () => {
    const out = runCheck(clusterNodes, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe('1 of 1 node(s) Ready.');
  });

  it('fails when no node is Ready, showing each node\'s Ready status as read', () => {
    const out = runCheck(clusterNodes, withNoReadyNode(healthySnapshot()));
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('None of the 1 node(s) is Ready');
    expect(out.evidence[0].object).toMatchObject({ kind: 'Node', name: 'ml-worker-1' });
    expect(evidenceFields(out)['status.conditions[Ready].status']).toBe('Unknown');
    expect(out.failureMode).toBeUndefined();
  });

  it('is an error naming the missing RBAC rule when listing nodes is forbidden', () => {
    const out = runCheck(clusterNodes, withReadError(healthySnapshot(), 'nodes', forbidden('nodes', '')));
    expect(out.status).toBe('error');
    expect(out.summary).toBe(
      'Not allowed to list nodes: the cluster identity lacks the RBAC rule {apiGroups: [""], resources: ["nodes"], verbs: ["list"]}.',
    );
    expect(evidenceFields(out)).toMatchObject({ reason: 'forbidden', httpStatus: '403' });
  });

  it('is an error naming the timed-out request when listing nodes times out', () => {
    const out = runCheck(clusterNodes, withReadError(healthySnapshot(), 'nodes', timeout('list nodes')));
    expect(out.status).toBe('error');
    expect(out.summary).toBe("The API server did not answer 'list nodes' in time (no answer within 10000ms).");
  });
});
