import { TriageCheck } from './types';
import { findCondition, readCollection, ref } from './util';

export const clusterNodes: TriageCheck = {
  id: 'cluster.nodes',
  stage: 'environment',
  title: 'Nodes',
  requires: ['cluster.reachable'],
  run({ snapshot }) {
    const nodes = readCollection(snapshot, 'nodes');
    if (!nodes.ok) return nodes.outcome;
    const ready = nodes.items.filter(
      n => findCondition(n, 'Ready')?.status === 'True',
    );
    const evidence = nodes.items.slice(0, 20).map(n => ({
      object: ref(n, 'Node'),
      label: 'Node',
      fields: {
        'status.conditions[Ready].status': String(
          findCondition(n, 'Ready')?.status ?? 'Unknown',
        ),
      },
    }));
    if (ready.length === 0) {
      return {
        status: 'fail',
        summary: `None of the ${nodes.items.length} node(s) is Ready: no pod, webhook server included, can run.`,
        evidence,
        remediation: {
          why: 'Controllers and webhook servers need a Ready node.',
          steps: [
            { text: 'Inspect the node conditions.', command: 'kubectl describe nodes' },
          ],
        },
      };
    }
    return {
      status: 'pass',
      summary: `${ready.length} of ${nodes.items.length} node(s) Ready.`,
      evidence,
    };
  },
};
