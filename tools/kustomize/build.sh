#!/usr/bin/env bash
# Builds bin/kustomize, kustomize's own engine (sigs.k8s.io/kustomize/api, krusty) that `serving-health
# validate` and `serving-health:validate` render kustomizations with.
set -euo pipefail
here="$(dirname "$0")"
exec bash "$here/../../scripts/build-go-tool.sh" "$here" kustomize
