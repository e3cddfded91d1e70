#!/usr/bin/env bash
# The plan step of the deploy and pull-request workflows: the update plan
# of this commit for one tenant (tenantctl deploy --save-plan, which creates
# a new tenant's stack with its file's secrets provider), saved into DIR
# with its record, and the preview as Markdown for the people who approve
# it: appended to the job summary, and written to DIR/<tenant>.md (the
# pull request's one comment is made of these).
#
#   scripts/plan-stack.sh <tenant> <dir>      (from the repository's root)
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: scripts/plan-stack.sh <tenant> <dir>" >&2
  exit 2
fi
tenant=$1 dir=$2
tenantctl=${TENANTCTL:-tenantctl}
mkdir -p "$dir"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
"$tenantctl" deploy "$tenant" --save-plan "$dir" >"$log" 2>&1 || rc=$?
cat "$log"
{
  if [ "$rc" -eq 0 ]; then
    echo "### $tenant: $(grep -m1 "^plan $tenant at " "$log" | sed 's/; saved to .*//')"
  else
    echo "### $tenant: the plan FAILED (exit $rc)"
  fi
  echo
  echo '<details><summary>pulumi preview</summary>'
  echo
  echo '```'
  # Backticks in the preview cannot end the fence early.
  sed 's/```/`` `/g' "$log"
  echo '```'
  echo '</details>'
} >"$dir/$tenant.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$dir/$tenant.md" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$rc"
