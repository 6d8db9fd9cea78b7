# Sourced by the scripts: points corepack and yarn at the registry npm already
# uses (no host name is written into the repo), and lets node-gyp build
# better-sqlite3 against the local Node headers instead of downloading them.
REG=$(npm config get registry --workspaces=false)
REG="${REG%/}"
export COREPACK_NPM_REGISTRY="$REG"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export YARN_NPM_REGISTRY_SERVER="$REG"
export YARN_ENABLE_TELEMETRY=0
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
export GOTOOLCHAIN=local
export GOFLAGS=-mod=mod
export CGO_ENABLED=0
yarn() { corepack yarn "$@"; }
