#!/usr/bin/env bash
# Refuses a deploy that would undo a lifecycle step (#23 item 2): the
# deployed stack's lifecycle state (its inventory output, written by the
# last up) is compared with the stack file's. The offboarding run records a
# step on main before it applies it, so main is never behind; a file behind
# the deployed state means someone reverted a recorded step by hand, and is
# refused. A stack never deployed passes, and only that: the guard passes
# on Pulumi's own "no stack named ... found" (backend/backenderr, the error
# the Automation API matches too) or on a stack without outputs yet; any
# other failure to read what is deployed (AccessDenied, a backend that does
# not answer, a secrets provider that cannot decrypt) stops the deploy
# (exit 3), never waves it through.
#
#   scripts/lifecycle-guard.sh TENANT        (needs pulumi, jq, tenantctl)
set -euo pipefail
tenant=$1
tenantctl=${TENANTCTL:-tenantctl}
pulumi=${PULUMI:-pulumi}

rank() {
  case $1 in
    active) echo 0 ;; suspended) echo 1 ;; deleting) echo 2 ;; deleted) echo 3 ;;
    *) echo "lifecycle-guard: unknown lifecycle state '$1'" >&2; return 2 ;;
  esac
}

rc=0
list=$("$tenantctl" list --format json) || rc=$?
if [[ $rc -ne 0 && $rc -ne 1 ]]; then # 1: a missed deadline, said on stderr
  exit "$rc"
fi
file=$(jq -r --arg t "$tenant" '.tenants[] | select(.tenant == $t) | .state' <<<"$list")
if [[ -z $file ]]; then
  echo "lifecycle-guard: no stack file for $tenant" >&2
  exit 2
fi
errf=$(mktemp)
trap 'rm -f "$errf"' EXIT
out_rc=0
out=$("$pulumi" stack output inventory --json --stack "$tenant" 2>"$errf") || out_rc=$?
if [[ $out_rc -ne 0 ]]; then
  if grep -Eq "no stack named .*found" "$errf"; then
    echo "lifecycle-guard: $tenant was never deployed (the backend holds no stack $tenant); the stack file ($file) decides"
    exit 0
  fi
  if grep -q "does not have output property 'inventory'" "$errf"; then
    echo "lifecycle-guard: $tenant's stack exports no inventory yet (never updated); the stack file ($file) decides"
    exit 0
  fi
  echo "::error::lifecycle-guard: cannot read what is deployed for $tenant (pulumi stack output, exit $out_rc); nothing deploys until it can be compared:" >&2
  cat "$errf" >&2
  exit 3
fi
if ! deployed=$(jq -er '.state' <<<"$out"); then
  echo "::error::lifecycle-guard: $tenant's deployed inventory has no lifecycle state ($out); nothing deploys until it can be compared" >&2
  exit 3
fi
if (( $(rank "$file") < $(rank "$deployed") )); then
  echo "::error::lifecycle-guard: $tenant is $deployed in the account but $file in the stack file: deploying would undo the offboarding step; restore the recorded state on main (git log -- stacks/Pulumi.$tenant.yaml)" >&2
  exit 1
fi
echo "lifecycle-guard: $tenant deployed $deployed, stack file $file: the deploy undoes nothing"
