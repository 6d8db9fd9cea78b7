#!/usr/bin/env bash
# From a fresh clone: install, then start the portal (:3000, backend :7007)
# with one real testenv cluster per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
source scripts/env.sh
exec corepack yarn demo
