#!/usr/bin/env bash
# Installs what the portal and the tests need on a fresh machine: the yarn
# workspace (yarn 4 through corepack), the testenv's kube-apiserver, the
# kyverno-diff oracle and kustomize (all Go), Debian's PostgreSQL for the
# history store's tests and Debian's Redis for the replica test's shared cache.
# Idempotent and incremental: a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

command -v go >/dev/null || { echo "install: Go is required to build the testenv (tools/testenv)" >&2; exit 2; }
command -v corepack >/dev/null || { echo "install: Node.js with corepack is required" >&2; exit 2; }

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { $SUDO apt-get update -qq && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

echo "== PostgreSQL (Debian's), for the history store's tests"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql

echo "== Redis (Debian's), the shared cache of the replica test (scripts/with-redis.sh starts it)"
command -v redis-server >/dev/null || apt_install redis-server

echo "== yarn install"
corepack yarn install --immutable

echo "== testenv kube-apiserver"
corepack yarn testenv build

echo "== kyverno-diff (Kyverno's engine, the oracle of the evaluator's differential test)"
bash tools/kyverno-diff/build.sh

echo "== kustomize (renders overlays for serving-health validate)"
bash tools/kustomize/build.sh
