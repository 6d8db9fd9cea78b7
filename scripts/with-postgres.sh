#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server (Debian's packages) on a free loopback port, for the
# history store's tests: exports the connection string that @backstage/backend-test-utils' TestDatabases reads
# and SERVING_HEALTH_TEST_POSTGRES (the TestDatabases id, which makes those tests require it). The server and
# its data directory are removed when the command ends; its exit code is the command's.
#   bash scripts/with-postgres.sh corepack yarn backstage-cli repo test
set -uo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/install.sh installs Debian's postgresql)" >&2
  exit 2
fi
major=$("$bin/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')
dir=$(mktemp -d -t serving-health-pg.XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# initdb and postgres refuse to run as root: run them as the postgres user Debian's package creates.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"

stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap stop EXIT

as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 2; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 2; }

echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port"
export SERVING_HEALTH_TEST_POSTGRES="POSTGRES_${major}"
"$@"
