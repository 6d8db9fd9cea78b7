import { TriageCheck } from './types';

export const clusterReachable: TriageCheck = {
  id: 'cluster.reachable',
  stage: 'environment',
  title: 'Cluster connection',
  run({ snapshot }) {
    const v = snapshot.version;
    if (v.ok) {
      return {
        status: 'pass',
        summary: `Cluster ${snapshot.cluster} answers: Kubernetes ${v.value.gitVersion}.`,
        evidence: [
          {
            label: 'GET /version',
            fields: { gitVersion: v.value.gitVersion },
          },
        ],
      };
    }
    const e = v.error;
    const evidence = [
      {
        label: 'GET /version',
        fields: { reason: e.reason, message: e.message },
      },
    ];
    if (e.reason === 'unauthorized' && e.httpStatus === undefined) {
      // No request was sent: the cluster's credentials could not be had (an unsupported authProvider, a failing
      // exec plugin). The check could not run; nothing about the cluster is known.
      return {
        status: 'error',
        summary: `No usable credentials for cluster ${snapshot.cluster}: ${e.message}`,
        evidence,
        remediation: {
          why: 'Every other check reads through this connection.',
          steps: [
            {
              text: `Fix how cluster '${snapshot.cluster}' authenticates in app-config (kubernetes.clusterLocatorMethods or servingHealth.clusters).`,
            },
          ],
        },
      };
    }
    if (e.reason === 'tls' || e.reason === 'unauthorized') {
      return {
        status: 'fail',
        summary:
          e.reason === 'tls'
            ? `TLS handshake with cluster ${snapshot.cluster} failed: ${e.message}`
            : `Cluster ${snapshot.cluster} rejected the configured credentials (401).`,
        evidence,
        remediation: {
          why: 'Every other check reads through this connection.',
          steps: [
            e.reason === 'tls'
              ? {
                  text: `Set caData (base64 PEM) or caFile for cluster '${snapshot.cluster}' to the CA that signed the API server certificate.`,
                }
              : {
                  text: `Renew serviceAccountToken for cluster '${snapshot.cluster}' (a token of a ServiceAccount bound to serving-health-reader).`,
                  command:
                    'kubectl create token serving-health -n serving-health --duration=8760h',
                },
          ],
        },
      };
    }
    if (e.reason === 'forbidden') {
      // /version is public by default; a 403 still proves the server answers.
      return {
        status: 'pass',
        summary: `Cluster ${snapshot.cluster} answers (version hidden: ${e.message}).`,
        evidence,
      };
    }
    return {
      status: 'error',
      summary: `Cluster ${snapshot.cluster} is unreachable: ${e.message}`,
      evidence,
      remediation: {
        why: 'Without the API server nothing else can be read.',
        steps: [
          { text: `Check the url of cluster '${snapshot.cluster}' in app-config and that the backend can reach it.` },
        ],
      },
    };
  },
};
