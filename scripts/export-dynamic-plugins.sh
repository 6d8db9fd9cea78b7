#!/usr/bin/env bash
# Exports the backend plugin, the scaffolder module and the frontend plugin as
# Red Hat Developer Hub dynamic plugins (dist-dynamic/ in each package) with
# RHDH's own CLI, and checks that every component plugins/serving-health/
# app-config.dynamic.yaml mounts is exported by the frontend package.
# The backend exports skip `yarn install` in dist-dynamic (--no-install): that
# step only downloads the plugin's production dependencies for a container image.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
RHDH_CLI=@red-hat-developer-hub/cli@1.9.1

# rhdh-cli runs `yarn` itself: give it yarn 4 through corepack.
shims=$(mktemp -d)
trap 'rm -rf "$shims"' EXIT
corepack enable --install-directory "$shims" yarn
export PATH="$shims:$PATH"

export_plugin() {
  local dir="$1"; shift
  echo "== rhdh-cli plugin export: $dir"
  (cd "$dir" && npm exec --yes --package="$RHDH_CLI" -- rhdh-cli plugin export --clean "$@" 2>&1 | grep -v EBADENGINE | grep -v '^npm warn' | grep -v 'dist-scalprum/static/')
}

common=(@serving-health/plugin-serving-health-common @serving-health/plugin-serving-health-node
  @serving-health/plugin-serving-health-kube @serving-health/plugin-serving-health-policy)
export_plugin plugins/serving-health-backend --no-install --embed-package "${common[@]}"
export_plugin plugins/scaffolder-backend-module-serving-health --no-install --embed-package "${common[@]}"
export_plugin plugins/serving-health

for f in plugins/serving-health-backend/dist-dynamic/package.json \
  plugins/scaffolder-backend-module-serving-health/dist-dynamic/package.json \
  plugins/serving-health/dist-dynamic/dist-scalprum/plugin-manifest.json; do
  [ -s "$f" ] || { echo "export-dynamic-plugins: $f was not written" >&2; exit 1; }
done
scalprum=$(node -p 'require("./plugins/serving-health/dist-dynamic/dist-scalprum/plugin-manifest.json").name')
grep -q "^    $scalprum:" plugins/serving-health/app-config.dynamic.yaml || {
  echo "export-dynamic-plugins: app-config.dynamic.yaml does not configure the exported plugin $scalprum" >&2; exit 1; }
for name in $(sed -n 's/^ *importName: *//p' plugins/serving-health/app-config.dynamic.yaml | sort -u) \
  $(sed -n 's/^ *- *\(is[A-Za-z]*\)$/\1/p' plugins/serving-health/app-config.dynamic.yaml | sort -u); do
  grep -Eq "^export (const|function) $name\b" plugins/serving-health/report.api.md || {
    echo "export-dynamic-plugins: app-config.dynamic.yaml mounts $name, which @serving-health/plugin-serving-health does not export" >&2; exit 1; }
done
echo "export-dynamic-plugins: 3 dynamic plugins exported; app-config.dynamic.yaml mounts $scalprum's exports"
