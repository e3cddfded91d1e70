#!/usr/bin/env bash
# Builds tenantctl into .bin/ (go run would turn every exit code into 1) and
# prints its path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/.bin"
(cd "$root" && go build -buildvcs=auto -o .bin/tenantctl ./cmd/tenantctl) >&2
echo "$root/.bin/tenantctl"
