#!/usr/bin/env bash
# Mutation testing of the logic packages with gremlins v0.6.0 (a maintained
# Go mutation tool, run as its own module): for each package, the mutants
# its tests cover are applied one at a time and the package's tests run;
# efficacy is KILLED / (KILLED + LIVED). Slow (minutes per package on two
# cores): on demand, not in .ci/run. The README records the figures.
#
#   scripts/gremlins.sh                       # the four logic packages
#   scripts/gremlins.sh ./internal/config     # one
#   GREMLINS_ARGS="--exclude-files wp.*" scripts/gremlins.sh ./internal/policy
#                                             # part of one (gremlins' own flags)
#
# Results: reports/gremlins/<package>.json and a summary line per package.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
gremlins="github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0"
pkgs=("$@")
[[ ${#pkgs[@]} -gt 0 ]] || pkgs=(./internal/config ./internal/lifecycle ./internal/policy ./internal/verify)
mkdir -p reports/gremlins
# gremlins times each mutant against its coverage run: never a cached one
# (a cached result takes a second and would time every mutant out).
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"
for p in "${pkgs[@]}"; do
  name=$(basename "$p")
  start=$(date +%s)
  go run "$gremlins" unleash --workers "${GREMLINS_WORKERS:-2}" --timeout-coefficient "${GREMLINS_TIMEOUT:-10}" \
    --output "reports/gremlins/$name.json" ${GREMLINS_ARGS:-} "$p" > "reports/gremlins/$name.log" 2>&1 || true
  summary=$(grep -E "Killed:|Test efficacy|Mutator coverage" "reports/gremlins/$name.log" | tr '\n' ' ')
  echo "$p: $summary($(( $(date +%s) - start )) s)"
done
