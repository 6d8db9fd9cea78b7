#!/usr/bin/env bash
# Builds bin/kyverno-diff, Kyverno's own engine as the oracle of the differential test
# (plugins/serving-health-policy/src/kyverno/differential.test.ts). Does nothing when the binary is newer
# than its inputs; otherwise Go's build cache keeps a rebuild to seconds after the first build (minutes).
set -euo pipefail
cd "$(dirname "$0")"
bin=bin/kyverno-diff
if [ -x "$bin" ] && [ -z "$(find main.go go.mod go.sum build.sh -newer "$bin")" ]; then
  echo "kyverno-diff: up to date"
  exit 0
fi
command -v go >/dev/null || { echo "kyverno-diff: Go is required (see tools/kyverno-diff/go.mod)" >&2; exit 2; }
mkdir -p bin
start=$SECONDS
# Written under a temporary name and renamed: a test never runs a half-written binary.
GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 go build -ldflags '-s -w' -o "$bin.$$.tmp" .
mv "$bin.$$.tmp" "$bin"
echo "kyverno-diff: built $bin in $((SECONDS - start)) s"
