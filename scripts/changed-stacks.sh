#!/usr/bin/env bash
# Which stacks a change touches, as GitHub Actions outputs: the tenant
# matrix (`tenantctl list --format matrix`, narrowed to the tenants whose
# stack file changed, or every tenant when code they share changed), its
# size, and whether the account baseline must run too.
#
#   scripts/changed-stacks.sh BASE_REF >> "$GITHUB_OUTPUT"
#   scripts/changed-stacks.sh --due >> "$GITHUB_OUTPUT"
#
# Prints matrix=<json>, count=<n>, baseline=true|false, baselines=<json>
# (the cells whose baseline stack must deploy: {"include":[{"cell":...}]}),
# cells=<json> (every cell with tenants, `tenantctl list --format cells`:
# the nightly jobs' shards), and ringN=<json>, countN=<n> for the rings 0,
# 1 and 2 with ringNcells=<json> (each ring sharded by cell, with a
# BASE_REF). An empty BASE_REF (a new branch, a schedule)
# means everything; --due means the tenants whose offboarding step
# (suspend, delete) is due today, and no baseline.
#
# A change to one cell's baseline stack (baseline/Pulumi.<cell>.yaml)
# deploys that cell's baseline only, and no tenant; a tenant's stack file,
# that tenant and its own cell's baseline (whose shared trail covers it).
set -euo pipefail
base=${1:-}
tenantctl=${TENANTCTL:-tenantctl}

all=false baseline=false
declare -a tenants=() cells=()
# list exits 1 when a §10 deadline was missed (said on stderr): the matrix
# is still whole, and the run that acts on it must go on. list_as FORMAT:
# matrix (one entry per tenant) or cells (one per cell).
list_as() {
  local out rc=0
  out=$("$tenantctl" list --format "$1") || rc=$?
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    return "$rc"
  fi
  printf '%s\n' "$out"
}

if [[ $base == --due ]]; then
  matrix=$(list_as matrix | jq -c '{include: [.include[] | select(.due != "")]}')
  echo "matrix=$matrix"
  echo "count=$(jq '.include | length' <<<"$matrix")"
  echo "baseline=false"
  echo 'baselines={"include":[]}'
  exit 0
fi
if [[ -z $base ]] || ! git rev-parse --quiet --verify "$base^{commit}" >/dev/null; then
  all=true baseline=true
else
  while IFS= read -r f; do
    case $f in
      # The code every stack shares, and what runs Pulumi for them (the
      # workflows, the setup action, the scripts, the pinned CLI): a change
      # there reaches production in this run, previewed and deployed for
      # every stack, never on the next unrelated merge.
      components/*|internal/*|cmd/*|main.go|Pulumi.yaml|go.mod|go.sum|.github/*|scripts/*|tools/*)
        all=true baseline=true ;;
      baseline/Pulumi.*.yaml)
        c=${f#baseline/Pulumi.}; [[ $c == yaml ]] || cells+=("${c%.yaml}") ;;
      baseline/*)
        baseline=true ;;
      stacks/Pulumi.*.yaml)
        # The shared trail covers the tenants' buckets: a tenant stack
        # change is a change of its cell's baseline too.
        t=${f#stacks/Pulumi.}; tenants+=("${t%.yaml}") ;;
    esac
  done < <(git diff --name-only "$base" HEAD)
fi

full=$(list_as matrix)
if $all; then
  matrix=$full
else
  names=$(printf '%s\n' "${tenants[@]+"${tenants[@]}"}" | jq -R . | jq -cs .)
  matrix=$(jq -c --argjson names "$names" '{include: [.include[] | select(.tenant as $t | $names | index($t))]}' <<<"$full")
fi
echo "matrix=$matrix"
echo "count=$(jq '.include | length' <<<"$matrix")"
# The baselines to deploy: every cell's when shared code or the baseline
# program changed ($baseline), else the cells named by their own stack
# file or by a changed tenant's. A tenant whose file names no cell lives
# in its region's one baseline (tenantkit:cell empty): every baseline.
every=$(for f in baseline/Pulumi.*.yaml; do [[ -e $f ]] || continue; c=${f#baseline/Pulumi.}; echo "${c%.yaml}"; done | jq -R . | jq -cs sort)
if $all || $baseline; then
  picked=$every
else
  named=$(printf '%s\n' "${cells[@]+"${cells[@]}"}" | jq -R 'select(. != "")' | jq -cs .)
  ofTenants=$(jq -c '[.include[] | .cell // ""]' <<<"$matrix")
  picked=$(jq -cn --argjson every "$every" --argjson named "$named" --argjson t "$ofTenants" \
    'if ($t | index("")) then $every else ($named + $t) | unique | map(select(. as $c | $every | index($c))) end')
fi
baselines=$(jq -c '{include: [.[] | {cell: .}]}' <<<"$picked")
if [[ $(jq '.include | length' <<<"$baselines") -gt 0 ]]; then baseline=true; else baseline=false; fi
echo "baseline=$baseline"
echo "baselines=$baselines"
echo "cells=$(list_as cells)"
# The same tenants by ring (tenantkit:ring): the deploy workflow deploys
# ring 0 (canaries) first, then 1, then 2, each only after the one before
# it deployed without a failure.
# ringNcells shards each ring by cell: one entry per cell, its tenants'
# matrix in `shard`, so deploy.yml calls deploy-ring.yml once per cell and
# no matrix holds more than one cell's tenants (GitHub allows 256 jobs in
# a matrix).
for ring in 0 1 2; do
  r=$(jq -c --argjson ring "$ring" '{include: [.include[] | select(.ring == $ring)]}' <<<"$matrix")
  echo "ring$ring=$r"
  echo "count$ring=$(jq '.include | length' <<<"$r")"
  echo "ring${ring}cells=$(jq -c '{include: [.include | group_by(.cell // "")[] | {cell: (.[0].cell // ""), region: .[0].region, shard: ({include: .} | tojson)}]}' <<<"$r")"
done
