#!/usr/bin/env bash
# From a fresh clone: install what is needed, then run the whole suite:
# type check, lint, unit + integration tests (real kube-apiserver), browser
# tests (real portal, real Chromium). Prints the wall time of each part and a
# closing "N passed, N failed" line; exits non-zero when any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI=true
mkdir -p artifacts
declare -a SUMMARY=()
FAILED=0
# Parts that are not jest suites (type check, lint, packaging...) count as one
# failed test each in the closing line.
CHECKS_PASSED=0
CHECKS_FAILED=0
SUITE=

part() {
  local name="$1"; shift
  local start=$SECONDS
  echo "=================== $name"
  if "$@"; then
    SUMMARY+=("$name: ok ($((SECONDS - start)) s)")
    [ "$name" = "$SUITE" ] || CHECKS_PASSED=$((CHECKS_PASSED + 1))
  else
    SUMMARY+=("$name: FAILED ($((SECONDS - start)) s)")
    FAILED=1
    [ "$name" = "$SUITE" ] || CHECKS_FAILED=$((CHECKS_FAILED + 1))
  fi
}

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

# A full disk fails the install with ENOSPC deep in yarn's link step; say it first, plainly.
check_disk() {
  local avail_kb
  avail_kb=$(df -Pk . | awk 'NR==2 {print $4}')
  echo "free space here: $((avail_kb / 1024 / 1024)) GiB; in $(node -p 'require("os").tmpdir()' 2>/dev/null || echo /tmp): $(df -Pk "${TMPDIR:-/tmp}" | awk 'NR==2 {print int($4 / 1024 / 1024)}') GiB"
  if [ "$avail_kb" -lt $((6 * 1024 * 1024)) ]; then
    echo "not enough free disk space for a full run (needs about 6 GiB: dependencies 2.3 GiB, Go build cache, test clusters)" >&2
    return 1
  fi
}
part "disk space" check_disk
part install bash scripts/install.sh || true
if [ "$FAILED" = 1 ]; then
  printf '%s\n' "${SUMMARY[@]}"; echo "0 passed, 1 failed"; exit 1
fi
source scripts/env.sh
part chromium ensure_chromium
part typecheck corepack yarn tsc
part lint corepack yarn lint
part packaging bash scripts/check-packaging.sh
part "dynamic plugins" bash scripts/export-dynamic-plugins.sh
# The history store's tests also run against a throwaway PostgreSQL (Debian's), besides better-sqlite3.
SUITE="unit+integration" part "unit+integration" bash scripts/with-postgres.sh corepack yarn backstage-cli repo test --cacheDirectory="$PWD/node_modules/.cache/jest" --json --outputFile="$PWD/artifacts/jest.json"
# The portal suites; the replica test among them runs two backends on a throwaway PostgreSQL and Redis (Debian's).
SUITE=browser part browser bash scripts/with-postgres.sh bash scripts/with-redis.sh corepack yarn workspace @internal/e2e run --silent test:e2e --json --outputFile="$PWD/artifacts/jest-e2e.json"

echo "=================== summary"
printf '%s\n' "${SUMMARY[@]}"
CHECKS_PASSED=$CHECKS_PASSED CHECKS_FAILED=$CHECKS_FAILED node -e '
  const fs = require("fs");
  let passed = Number(process.env.CHECKS_PASSED), failed = Number(process.env.CHECKS_FAILED);
  for (const f of ["artifacts/jest.json", "artifacts/jest-e2e.json"]) {
    try { const r = JSON.parse(fs.readFileSync(f, "utf8")); passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0); }
    catch { failed += 1; console.log(`no results in ${f}`); }
  }
  console.log(`${passed} passed, ${failed} failed`);
'
exit $FAILED
