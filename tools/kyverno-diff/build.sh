#!/usr/bin/env bash
# Builds bin/kyverno-diff, Kyverno's own engine as the oracle of the differential test
# (plugins/serving-health-policy/src/kyverno/differential.test.ts).
set -euo pipefail
here="$(dirname "$0")"
exec bash "$here/../../scripts/build-go-tool.sh" "$here" kyverno-diff
