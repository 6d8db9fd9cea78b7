#!/usr/bin/env bash
# Installs what the portal and the tests need on a fresh machine: the yarn
# workspace (yarn 4 through corepack), the testenv's kube-apiserver, the
# kyverno-diff oracle and kustomize (all Go), and Debian's PostgreSQL for the
# history store's tests.
# Idempotent and incremental: a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

command -v go >/dev/null || { echo "install: Go is required to build the testenv (tools/testenv)" >&2; exit 2; }
command -v corepack >/dev/null || { echo "install: Node.js with corepack is required" >&2; exit 2; }

echo "== PostgreSQL (Debian's), for the history store's tests"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

echo "== yarn install"
corepack yarn install --immutable

echo "== testenv kube-apiserver"
corepack yarn testenv build

echo "== kyverno-diff (Kyverno's engine, the oracle of the evaluator's differential test)"
bash tools/kyverno-diff/build.sh

echo "== kustomize (renders overlays for serving-health validate)"
bash tools/kustomize/build.sh
