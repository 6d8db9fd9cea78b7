#!/usr/bin/env bash
# Packaging checks of the published packages: one Backstage release set, and
# API reports (and the CLI report) that match the code. The reports are built
# from the same declarations as `yarn build:api-reports plugins/* packages/cli`
# writes them with: a report of other declarations can list the same API in a
# different order.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-backstage-release.js
corepack yarn build:api-reports --ci plugins/* packages/cli
