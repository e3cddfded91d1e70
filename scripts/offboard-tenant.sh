#!/usr/bin/env bash
# Offboard tenants: a thin wrapper around `tenantctl offboard` for cron and
# CI. Exit codes are tenantctl's: 0 ok, 1 a step failed or a deadline was
# missed, 2 bad input or usage, 3 a check could not run.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage:
  scripts/offboard-tenant.sh <tenant> --cancelled-on YYYY-MM-DD   record a cancellation (JST)
  scripts/offboard-tenant.sh suspend <tenant> --yes              stop outside access, deploy
  scripts/offboard-tenant.sh delete <tenant> --yes               destroy, keys by the deadline
  scripts/offboard-tenant.sh due --yes                           the daily job (cron: 0 1 * * * JST)
Add --dry-run to plan without deploying.
USAGE
}

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  usage
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$("$root/scripts/build-tenantctl.sh")
exec "$bin" offboard "$@"
