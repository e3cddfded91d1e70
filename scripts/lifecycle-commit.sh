#!/usr/bin/env bash
# Commits the lifecycle's own writes to the main branch (#23 item 2: main is
# the one source of truth of a tenant's state). Only stack files and
# lifecycle evidence may be in the commit; anything else staged or changed
# is refused before a commit is made. Patches (the jobs' `git diff`
# against the recorded commit) are applied three-way, so an edit someone
# merged meanwhile to another line of the same file is kept, and a clash
# stops the run instead of overwriting it. A push that loses a race is
# rebased and retried, three times at most; a push the remote refuses
# (a ruleset, a token without the right) is said as such, not retried as a
# race. Renames, copies, deletions, mode changes and symbolic links are
# refused whatever their paths (a rename of .github/workflows/deploy.yml to
# stacks/Pulumi.x.yaml would delete the workflow on main); changes outside
# stacks/ and evidence/lifecycle/ in the working tree are left alone.
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
  # Only edits and new regular files: a rename, copy, deletion or mode
  # change is refused before anything applies.
  if summary=$(git apply --summary "$p" | grep -E '^ (rename|copy|delete|mode change)|^ create mode 120000'); then
    echo "lifecycle-commit: $p renames, copies, deletes, changes a mode or adds a symbolic link ($summary): refused" >&2
    exit 2
  fi
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
# Staged entries: added or modified regular files only.
while read -r _ newmode _ _ status path; do
  if [[ $status != A && $status != M ]] || [[ $newmode != 100644 && $newmode != 100755 ]]; then
    echo "lifecycle-commit: $path is staged as $status with mode $newmode (a deletion, rename, copy or symbolic link): refused" >&2
    exit 2
  fi
done < <(git diff --cached --raw --no-renames | sed 's/^://')
if git diff --cached --quiet; then
  echo "lifecycle-commit: nothing to record"
  say "$(git rev-parse HEAD)"
  exit 0
fi
git -c user.name="tenantkit lifecycle" -c user.email="lifecycle@tenantkit.invalid" commit -q -m "$message"
pusherr=$(mktemp)
trap 'rm -f "$pusherr"' EXIT
for attempt in 1 2 3; do
  base=$(git rev-parse HEAD~1)
  if git_auth push -q "$remote" "HEAD:refs/heads/$branch" 2>"$pusherr"; then
    say "$(git rev-parse HEAD)"
    exit 0
  fi
  git_auth fetch -q "$remote" "$branch"
  if [[ $(git rev-parse FETCH_HEAD) == "$base" ]]; then
    # The branch did not move: no race was lost; the remote refused.
    echo "::error::lifecycle-commit: $remote refused the push to $branch (a ruleset, or a token without the right to push); nothing was pushed:" >&2
    cat "$pusherr" >&2
    exit 3
  fi
  echo "lifecycle-commit: push $attempt lost a race; rebasing on $remote/$branch" >&2
  # Changes outside the commit (a file someone left edited) are set aside
  # for the rebase and put back: they are not the lifecycle's.
  if ! git -c user.name="tenantkit lifecycle" -c user.email="lifecycle@tenantkit.invalid" -c rebase.autoStash=true rebase -q FETCH_HEAD; then
    git rebase --abort || true
    echo "::error::lifecycle-commit: main changed the same lines meanwhile; resolve by hand, nothing was pushed" >&2
    exit 1
  fi
done
echo "::error::lifecycle-commit: three pushes lost their race; nothing was pushed" >&2
exit 1
