#!/usr/bin/env bash
# Builds the Pulumi CLI the journey runs, from Pulumi's own source at the
# version the programs pin (tools/pulumi/go.mod, checksums in its go.sum),
# into .bin/pulumi, with its version stamped so the Automation API accepts
# it. Prints the binary's path. A binary already built at that version is
# kept.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v3.274.1
out=.bin/pulumi
if [ -x "$out" ] && [ "$("$out" version 2>/dev/null)" = "$version" ]; then
  echo "$PWD/$out"
  exit 0
fi
mkdir -p .bin
( cd tools/pulumi && go build -o "../../$out" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi )
got=$("$out" version)
if [ "$got" != "$version" ]; then
  echo "build-pulumi: built $got, want $version" >&2
  exit 1
fi
echo "$PWD/$out"
