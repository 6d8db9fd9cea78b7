import path from 'node:path';

/** The kustomize scripts/install.sh builds (tools/kustomize), as bin/serving-health passes it. */
export const KUSTOMIZE = path.resolve(
  __dirname,
  '../../../../tools/kustomize/bin/kustomize',
);
