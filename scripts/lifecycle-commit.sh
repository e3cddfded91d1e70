#!/usr/bin/env bash
# Commits the lifecycle's own writes to the main branch (#23 item 2: main is
# the one source of truth of a tenant's state). Only stack files and
# lifecycle evidence may be in the commit; anything else staged or changed
# is refused before a commit is made. Patches (the jobs' `git diff`
# against the recorded commit) are applied three-way, so an edit someone
# merged meanwhile to another line of the same file is kept, and a clash
# stops the run instead of overwriting it. A push that loses a race is
# rebased and retried, three times at most.
#
#   scripts/lifecycle-commit.sh MESSAGE [PATCH...]
#
# Without patches it commits what the working tree changed under stacks/
# and evidence/lifecycle/. Pushes to $LIFECYCLE_REMOTE (default origin),
# branch $LIFECYCLE_BRANCH (default main), authenticating with
# $GITHUB_TOKEN when set (never written to .git/config). Prints the commit
# (or the unchanged HEAD) as `sha=<commit>`, also to $GITHUB_OUTPUT.
set -euo pipefail
message=${1:?usage: lifecycle-commit.sh MESSAGE [PATCH...]}
shift
remote=${LIFECYCLE_REMOTE:-origin}
branch=${LIFECYCLE_BRANCH:-main}

allowed() { [[ $1 =~ ^stacks/Pulumi\.[a-z0-9-]+\.yaml$ || $1 =~ ^evidence/lifecycle/[a-z0-9-]+\.json$ ]]; }

git_auth() {
  if [[ -n ${GITHUB_TOKEN:-} ]]; then
    local basic
    basic=$(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 -w0)
    git -c "http.extraheader=AUTHORIZATION: basic $basic" "$@"
  else
    git "$@"
  fi
}

say() {
  echo "sha=$1"
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then echo "sha=$1" >>"$GITHUB_OUTPUT"; fi
}

for p in "$@"; do
  [[ -s $p ]] || continue
  while IFS= read -r f; do
    allowed "$f" || { echo "lifecycle-commit: $p touches $f, which is not a stack file or lifecycle evidence: refused" >&2; exit 2; }
  done < <(git apply --numstat "$p" | cut -f3)
  if ! git apply --3way --index "$p"; then
    echo "::error::lifecycle-commit: $p does not apply to $(git rev-parse --short HEAD): someone changed the same lines; resolve by hand, nothing was committed" >&2
    exit 1
  fi
done
if [[ $# -eq 0 ]]; then
  git add -A -- stacks evidence/lifecycle
fi
while IFS= read -r f; do
  allowed "$f" || { echo "lifecycle-commit: $f is staged but is not a stack file or lifecycle evidence: refused" >&2; exit 2; }
done < <(git diff --cached --name-only)
if git diff --cached --quiet; then
  echo "lifecycle-commit: nothing to record"
  say "$(git rev-parse HEAD)"
  exit 0
fi
git -c user.name="tenantkit lifecycle" -c user.email="lifecycle@tenantkit.invalid" commit -q -m "$message"
for attempt in 1 2 3; do
  if git_auth push -q "$remote" "HEAD:refs/heads/$branch"; then
    say "$(git rev-parse HEAD)"
    exit 0
  fi
  echo "lifecycle-commit: push $attempt lost a race; rebasing on $remote/$branch" >&2
  git_auth fetch -q "$remote" "$branch"
  if ! git -c user.name="tenantkit lifecycle" -c user.email="lifecycle@tenantkit.invalid" rebase -q FETCH_HEAD; then
    git rebase --abort || true
    echo "::error::lifecycle-commit: main changed the same lines meanwhile; resolve by hand, nothing was pushed" >&2
    exit 1
  fi
done
echo "::error::lifecycle-commit: three pushes lost their race; nothing was pushed" >&2
exit 1
