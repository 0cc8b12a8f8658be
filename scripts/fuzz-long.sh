#!/usr/bin/env bash
# Long fuzzing of every target (default 10 minutes each), for a release or after a change to a
# decoder; CI runs the short regression (scripts/test.d/fuzz.sh). New inputs collect in the
# ignored fuzz/corpus/; commit the interesting ones (and every input that failed) to fuzz/seeds/.
#   FUZZ_SECONDS    fresh fuzzing per target (default 600)
#   FUZZ_SANITIZER  as in scripts/test.d/fuzz.sh ("address" for a slower, deeper run)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-600} exec bash "$root/scripts/test.d/fuzz.sh"
