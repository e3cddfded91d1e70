#!/usr/bin/env bash
# Prints the build and test figures the README quotes, measured the way a
# fresh clone meets them: each cold figure uses its own empty Go build cache
# (modules already downloaded), so one measurement never warms the next.
#
#   scripts/measure.sh            # all figures (about 20 minutes on 2 cores)
#   scripts/measure.sh build      # the two cold builds only
#   scripts/measure.sh test       # the test command, cold then warm
#   scripts/measure.sh journey    # the journey (tests/journey), cold then warm
#   scripts/measure.sh hostile    # verify against a hostile endpoint, one process per mode
#   scripts/measure.sh release    # one GoReleaser snapshot target, cold build cache
#   scripts/measure.sh fleet      # plan --all and verify --all, 10/100/1,000 tenants in 10 cells
#
# Each line: what, wall seconds, peak resident memory of the largest
# process (GNU time's %M), cores. Run it on an otherwise idle machine:
# figures move by 10-20% with load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:-all}
cores=$(nproc)
scratch=$(mktemp -d)
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# measure LABEL CACHE CMD...: runs CMD with GOCACHE=CACHE and prints a line.
measure() {
  local label=$1 cache=$2
  shift 2
  local out="$scratch/time.txt"
  if ! GOCACHE=$cache /usr/bin/time -f '%e %M' -o "$out" "$@" >"$scratch/log.txt" 2>&1; then
    echo "$label: FAILED (last lines below)"
    tail -20 "$scratch/log.txt"
    return 1
  fi
  read -r secs kb <"$out"
  printf '%-58s %7.0f s  peak %5.1f GB  %s cores\n' "$label" "$secs" "$(awk -v k="$kb" 'BEGIN{print k/1048576}')" "$cores"
}

go mod download
echo "go $(go env GOVERSION), $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"

if [[ $what == all || $what == build ]]; then
  measure "cold go build ./... (empty GOCACHE)" "$scratch/c1" go build ./...
  measure "cold go build ./cmd/tenantctl (empty GOCACHE)" "$scratch/c2" go build -o "$scratch/tenantctl" ./cmd/tenantctl
  measure "warm go build ./cmd/tenantctl" "$scratch/c2" go build -o "$scratch/tenantctl" ./cmd/tenantctl
fi
if [[ $what == all || $what == journey ]]; then
  # Cold means the Pulumi CLI is built from source too: the one already
  # built is set aside for the run and put back after.
  if [ -e .bin/pulumi ]; then
    mv .bin/pulumi "$scratch/pulumi.kept"
    trap 'mv "$scratch/pulumi.kept" .bin/pulumi 2>/dev/null; chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
  fi
  measure "cold journey (empty GOCACHE, CLI built from source)" "$scratch/c4" go test ./tests/journey -count=1 -timeout 60m
  measure "warm journey (same cache, CLI built)" "$scratch/c4" go test ./tests/journey -count=1 -timeout 60m
fi
if [[ $what == all || $what == test ]]; then
  # .ci/run is the README's test command; a fresh CI clone starts cold.
  measure "cold .ci/run (empty GOCACHE: build + vet + every test)" "$scratch/c3" .ci/run
  measure "warm .ci/run (same cache, tests rerun)" "$scratch/c3" .ci/run
fi
if [[ $what == all || $what == hostile ]]; then
  # BenchmarkHostileEndpoint: seconds, requests and the peak resident set
  # of one verify run (the whole test process: its heap, the endpoint's).
  for mode in answer-512MiB endless-tokens endless-tokens-fleet-of-8 silent; do
    go test ./internal/verify -run '^$' -bench "HostileEndpoint/$mode\$" -benchtime 1x -count 1 |
      awk -v m="$mode" '/^BenchmarkHostileEndpoint/ { for (i = 1; i <= NF; i++) v[$(i+1)] = $i; printf "verify, endpoint %-30s %7.1f s  %6d requests  peak %6.1f MiB\n", m, v["s/run"], v["requests/run"], v["peak-RSS-MiB"] }'
  done
  # BenchmarkInflatingEndpoint: an endpoint inventing resources or nesting
  # its XML (#36): peak memory and the JSON report's size, one tenant.
  for mode in json-4MiB-pages xml-nested-2M; do
    go test ./internal/verify -run '^$' -bench "InflatingEndpoint/$mode\$" -benchtime 1x -count 1 |
      awk -v m="$mode" '/^BenchmarkInflatingEndpoint/ { for (i = 1; i <= NF; i++) v[$(i+1)] = $i; printf "verify, endpoint %-30s %7.1f s  report %6.2f MiB  peak %6.1f MiB\n", m, v["s/run"], v["report-MiB"], v["peak-RSS-MiB"] }'
  done
  # BenchmarkHostileFleet: verify --all, 500 tenants, --request-timeout 2s.
  go test ./internal/verify -run '^$' -bench 'HostileFleet' -benchtime 1x -count 1 |
    awk '/^BenchmarkHostileFleet/ { for (i = 1; i <= NF; i++) v[$(i+1)] = $i; split($1, n, "/"); printf "verify --all, 500 tenants, endpoint %-10s %7.1f s  %6d requests  exit %d\n", n[2], v["s/run"], v["requests/run"], v["exit"] }'
fi
if [[ $what == all || $what == fleet ]]; then
  # BenchmarkPlanFleetCells and BenchmarkFleetVerify (#38): the fleet in 10
  # cells, in the in-memory world; one size per process, so no run
  # inherits another's heap. Flat means the per-tenant figures of 100 and
  # 1,000 tenants agree.
  for n in 10 100 1000; do
    go test ./internal/plan -run '^$' -bench "PlanFleetCells/$n\$" -benchtime 1x -count 1 -timeout 30m |
      awk -v n="$n" '/^BenchmarkPlanFleetCells/ { for (i = 1; i <= NF; i++) v[$(i+1)] = $i; printf "plan --all,   %5d tenants in 10 cells  %7.1f ms/tenant  %6.2f MiB allocated/tenant  %5.0f AWS calls/tenant\n", n, v["ms/tenant"], v["alloc-MiB/tenant"], v["calls/tenant"] }'
  done
  for n in 10 100 1000; do
    go test ./internal/verify -run '^$' -bench "FleetVerify/$n\$" -benchtime 1x -count 1 -timeout 30m |
      awk -v n="$n" '/^BenchmarkFleetVerify/ { for (i = 1; i <= NF; i++) v[$(i+1)] = $i; printf "verify --all, %5d tenants in 10 cells  %7.1f ms/tenant  %6.2f MiB allocated/tenant  %5.0f AWS calls/tenant  %3.0f per-account calls/cell  peak heap %5.0f KiB/tenant\n", n, v["ms/tenant"], v["alloc-MiB/tenant"], v["calls/tenant"], v["account-calls/cell"], v["peak-heap-KiB/tenant"] }'
  done
fi
if [[ $what == all || $what == release ]]; then
  # The released binary's build: one target (this machine's), as the
  # release workflow makes six.
  measure "goreleaser build --snapshot --single-target (empty GOCACHE)" "$scratch/c5" \
    go run github.com/goreleaser/goreleaser/v2@v2.17.0 build --snapshot --clean --single-target --id tenantctl -o "$scratch/tenantctl-snapshot"
fi
