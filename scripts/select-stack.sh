#!/usr/bin/env bash
# Selects a tenant's stack for the workflow's Pulumi steps, creating it
# (a tenant onboarded by pull request) with the secrets provider its stack
# file names: tenantctl onboard wrote it there, with its data key, from the
# baseline's stateSecretsProvider. `pulumi stack select --create
# --secrets-provider` takes the flag only when it creates the stack; an
# existing stack uses its file's provider. A file naming none is refused:
# Pulumi would otherwise fall back to the backend's default.
#
#   scripts/select-stack.sh <tenant>      (from the repository's root)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/select-stack.sh <tenant>" >&2
  exit 2
fi
tenant=$1
if [[ ! $tenant =~ ^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$ ]]; then
  echo "select-stack: $tenant is not a tenant id" >&2
  exit 2
fi
file="stacks/Pulumi.$tenant.yaml"
if [ ! -f "$file" ]; then
  echo "select-stack: $file does not exist" >&2
  exit 2
fi
provider=$(sed -n 's/^secretsprovider:[[:space:]]*//p' "$file")
key=$(sed -n 's/^encryptedkey:[[:space:]]*//p' "$file")
if [ -z "$provider" ] || { [ "$provider" != passphrase ] && [ -z "$key" ]; }; then
  echo "::error::$file names no secrets provider with its data key: run tenantctl onboard $tenant with credentials allowed kms:Encrypt on the state key (it writes both), and commit the file" >&2
  exit 2
fi
pulumi stack select "$tenant" --create --secrets-provider "$provider" --non-interactive
