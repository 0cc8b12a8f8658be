#!/usr/bin/env bash
# The full test suite, exactly what CI runs: install tools, format, build, lint, unit + protocol +
# end-to-end tests (real Terraform CLI against the emulator), then the extra steps in
# scripts/test.d/ (SDK fidelity, fuzz regression, the demo, the empty root, the version matrix).
# Each step's time is printed as it ends, and all of them in a table at the end (also on failure).
#
# The workspace is built once, in the "build" step (debug, every target); the later steps reuse
# those binaries (GENESYS_BIN_DIR) instead of building a different feature set or profile.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# CI builds from nothing: incremental caches would only add gigabytes to the target dir.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

steps=()
current=""
current_started=0
suite_started=$(date +%s)

# Ends the running step, if any, and records its time.
end_step() {
    [ -n "$current" ] || return 0
    local took=$(($(date +%s) - current_started))
    steps+=("$current|$took")
    printf '<== %s: %d s\n' "$current" "$took" >&2
    current=""
}

step() {
    end_step
    current=$1
    current_started=$(date +%s)
    printf '\n==> %s\n' "$current" >&2
}

# The table of step times: printed at the end, and on failure up to the failing step.
timing_table() {
    local status=$?
    if [ -n "$current" ]; then
        steps+=("$current (FAILED)|$(($(date +%s) - current_started))")
    fi
    printf '\n%-40s %8s\n' "step" "seconds" >&2
    local row
    for row in "${steps[@]}"; do
        printf '%-40s %8s\n' "${row%|*}" "${row##*|}" >&2
    done
    printf '%-40s %8s\n' "total" "$(($(date +%s) - suite_started))" >&2
    return "$status"
}
trap timing_table EXIT

step "install tools"
scripts/install-tools.sh --fuzz
export TERRAFORM="$root/.tools/bin/terraform"

step "format"
cargo fmt --all --check

step "build"
# Every target (binaries, test binaries) in the one feature set the tests use: the later steps
# take their binaries from here.
cargo build --workspace --all-targets --locked --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export GENESYS_BIN_DIR="$target_dir/debug"

step "lint"
# After the build: clippy reuses its build scripts and proc macros.
cargo clippy --workspace --all-targets --locked --quiet -- -D warnings

step "cargo tests"
# Unit, protocol, API client, emulator, end-to-end; cargo test's own output, so a test running
# over 60 s shows as "has been running for over 60 seconds".
cargo test --workspace --locked --quiet

for extra in scripts/test.d/*.sh; do
    [ -e "$extra" ] || continue
    step "$(basename "$extra" .sh)"
    bash "$extra"
done
end_step
echo "all tests passed" >&2
