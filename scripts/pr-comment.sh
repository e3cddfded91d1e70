#!/usr/bin/env bash
# The pull request's one comment with every tenant's preview: posted on the
# first run, edited in place on the next (found by its marker), so a
# reviewer reads one place, not a job summary per tenant. Run by a job with
# pull-requests: write and nothing else (no role, no secret), from main's
# checkout, never the pull request's code.
#
#   scripts/pr-comment.sh <owner/repo> <pull request number> <dir of <tenant>.md>
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: scripts/pr-comment.sh <owner/repo> <pull request number> <dir>" >&2
  exit 2
fi
repo=$1 pr=$2 dir=$3
if [[ ! $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || [[ ! $pr =~ ^[0-9]+$ ]]; then
  echo "pr-comment: $repo #$pr is not a repository and a pull request number" >&2
  exit 2
fi
marker='<!-- tenantkit-previews -->'
body=$(mktemp)
trap 'rm -f "$body"' EXIT
{
  echo "$marker"
  echo "## tenantkit: what this pull request changes, stack by stack"
  echo
  found=false
  for f in "$dir"/*.md; do
    [ -e "$f" ] || continue
    found=true
    cat "$f"
    echo
  done
  $found || echo "No stack preview was made (no stack is touched, or every preview failed before writing: see the run)."
} >"$body"
# A comment holds at most 65,536 characters (GitHub's API answers 422
# beyond): past that the comment says where the rest is.
limit=60000
if [ "$(wc -c <"$body")" -gt "$limit" ]; then
  head -c "$limit" "$body" >"$body.cut"
  printf '\n```\n\n(cut at %d characters: every preview is whole in the run'"'"'s job summaries)\n' "$limit" >>"$body.cut"
  mv "$body.cut" "$body"
fi
id=$(gh api "repos/$repo/issues/$pr/comments" --paginate --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n1)
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" >/dev/null
  echo "pr-comment: updated comment $id on $repo#$pr"
else
  gh api -X POST "repos/$repo/issues/$pr/comments" -F "body=@$body" >/dev/null
  echo "pr-comment: commented on $repo#$pr"
fi
