#!/usr/bin/env bash
# Runs a command with a throwaway Redis server (Debian's redis-server) on a free loopback port, for the tests that
# run backend replicas on one shared cache (backend.cache.store: redis): exports SERVING_HEALTH_TEST_REDIS
# (redis://127.0.0.1:<port>). Nothing is persisted; the server and its directory are removed when the command
# ends; its exit code is the command's.
#   bash scripts/with-postgres.sh bash scripts/with-redis.sh corepack yarn workspace @internal/e2e run test:e2e
set -uo pipefail

if ! command -v redis-server >/dev/null; then
  echo "with-redis: redis-server is not installed (scripts/install.sh installs Debian's redis-server)" >&2
  exit 2
fi
dir=$(mktemp -d -t serving-health-redis.XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

pid=
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap stop EXIT

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  --logfile "$dir/server.log" --daemonize no &
pid=$!
for _ in $(seq 1 100); do
  if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/server.log" >&2; exit 2; fi
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || { cat "$dir/server.log" >&2; exit 2; }

echo "with-redis: Redis $(redis-server --version | sed -E 's/.* v=([^ ]+).*/\1/') on 127.0.0.1:$port"
export SERVING_HEALTH_TEST_REDIS="redis://127.0.0.1:$port"
"$@"
