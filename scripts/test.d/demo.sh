#!/usr/bin/env bash
# The README's demo must pass on a fresh clone: run it end to end and fail with it. It reuses
# the debug build scripts/test.sh just made, so it adds well under two minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
started=$(date +%s)
"$root/scripts/demo.sh"
echo "demo: passed in $(($(date +%s) - started)) s" >&2
