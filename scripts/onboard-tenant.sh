#!/usr/bin/env bash
# Onboard a tenant: a thin wrapper around `tenantctl onboard` for CI.
# Exit codes are tenantctl's: 0 ok, 1 a control or step failed, 2 bad input
# or usage, 3 deployed but a check could not run.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/onboard-tenant.sh <tenant> [tenantctl onboard flags]

  scripts/onboard-tenant.sh umbrella --no-deploy \
      --ingress-cidrs 198.51.100.0/24 \
      --certificate-arn arn:aws:acm:ap-northeast-1:<account>:certificate/<id>

--dry-run plans and writes nothing; --no-deploy writes the stack file and
its evidence and deploys nothing. Without --ingress-cidrs and
--certificate-arn, --dry-run uses documentation placeholders (TEST-NET-2
and a dummy certificate ARN) so a fresh clone can try it; anything that
writes the stack file needs both, real.
USAGE
}

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  usage
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$("$root/scripts/build-tenantctl.sh")

args=("$@")
dry=false; ingress=false; cert=false; emails=false
for a in "${args[@]}"; do
  case $a in
    --dry-run) dry=true ;;
    --ingress-cidrs|--ingress-cidrs=*) ingress=true ;;
    --certificate-arn|--certificate-arn=*) cert=true ;;
    --alert-emails|--alert-emails=*) emails=true ;;
  esac
done
if $dry; then
  $ingress || args+=(--ingress-cidrs 198.51.100.0/24)
  $cert || args+=(--certificate-arn arn:aws:acm:ap-northeast-1:111122223333:certificate/00000000-0000-4000-8000-000000000000)
  $emails || args+=(--alert-emails ops@example.com)
fi
exec "$bin" onboard "${args[@]}"
