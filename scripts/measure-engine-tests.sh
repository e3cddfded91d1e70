#!/usr/bin/env bash
# Prints the cold build time of the engine test package (an empty Go build
# cache; modules already downloaded) and its run time, then its benchmarks.
# Usage: scripts/measure-engine-tests.sh   (takes several minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
start=$(date +%s)
GOCACHE=$cache go test -c -o /dev/null ./tests/engine
built=$(date +%s)
echo "cold build of tests/engine: $((built - start)) s (empty GOCACHE, $(nproc) cores)"
start=$(date +%s)
GOCACHE=$cache go test -count=1 ./tests/engine >/dev/null
echo "run of tests/engine (warm build): $(( $(date +%s) - start )) s"
GOCACHE=$cache go test -run XXX -bench . -benchtime 3x ./tests/engine | grep -E '^Benchmark|ns/op'
