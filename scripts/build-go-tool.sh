#!/usr/bin/env bash
# Builds the Go program of a tools/ directory into <dir>/bin/<name>: nothing when the binary is newer than its
# inputs; otherwise Go's build cache keeps a rebuild to seconds after the first build.
# Usage: build-go-tool.sh <dir> <name>
set -euo pipefail
helper="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$1"
name=$2
bin=bin/$name
if [ -x "$bin" ] && [ -z "$(find main.go go.mod go.sum build.sh "$helper" -newer "$bin")" ]; then
  echo "$name: up to date"
  exit 0
fi
command -v go >/dev/null || { echo "$name: Go is required (see $1/go.mod)" >&2; exit 2; }
mkdir -p bin
start=$SECONDS
# Written under a temporary name and renamed: a test never runs a half-written binary.
GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 go build -ldflags '-s -w' -o "$bin.$$.tmp" .
mv "$bin.$$.tmp" "$bin"
echo "$name: built $bin in $((SECONDS - start)) s"
