#!/usr/bin/env bash
# The full test suite, exactly what CI runs: install tools, lint, build, unit + protocol +
# end-to-end tests (real Terraform CLI against the emulator), SDK fidelity tests, bounded fuzz.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

step() { printf '\n==> %s\n' "$*" >&2; }

# CI builds from nothing: incremental caches would only add gigabytes to the target dir.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

step "install tools"
scripts/install-tools.sh
export TERRAFORM="$root/.tools/bin/terraform"

step "format and lint"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "build"
cargo build --workspace --all-targets --quiet

step "cargo tests (unit, protocol, API client, emulator, end-to-end)"
cargo test --workspace --quiet

for extra in scripts/test.d/*.sh; do
    [ -e "$extra" ] || continue
    step "$(basename "$extra" .sh)"
    bash "$extra"
done
step "all tests passed"
