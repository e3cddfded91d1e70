#!/usr/bin/env bash
# Builds tenantctl into .bin/, or into $TENANTKIT_BIN (the setup action's,
# outside the checkout, so nothing a commit puts in the tree is on PATH),
# and prints its path (go run would turn every exit code into 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TENANTKIT_BIN:-$root/.bin}
mkdir -p "$bin"
(cd "$root" && go build -buildvcs=auto -o "$bin/tenantctl" ./cmd/tenantctl) >&2
echo "$bin/tenantctl"
