#!/usr/bin/env bash
# The shipped binaries need nothing outside themselves: build the release artifacts
# (scripts/release.sh, static on Linux), show what they link against, then run the empty-root
# tests (tests/e2e/empty_root.rs) on those binaries: the provider handshakes, resolves the
# emulator's name from the root's /etc/hosts and talks to it, the static Go Terraform on the PATH
# applies inside the root, and the emulator serves from a root of its own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ "$(uname -s)" = Linux ] || {
    echo "static-root: only Linux builds are static; skipped on $(uname -s)" >&2
    exit 0
}

started=$(date +%s)
scripts/release.sh >&2
triple=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${CARGO_TARGET_DIR:-$root/target}
release="$target_dir/$triple/release"
for binary in terraform-provider-genesyscloud genesys-emulator; do
    file "$release/$binary" >&2 || true
    # Fails the step if either binary has a program interpreter or needs a shared library.
    if objdump -p "$release/$binary" | grep -E 'NEEDED|INTERP' >&2; then
        echo "static-root: $binary is dynamically linked" >&2
        exit 1
    fi
done
echo "static-root: release build in $(($(date +%s) - started)) s" >&2

GENESYSCLOUD_STATIC_PROVIDER="$release/terraform-provider-genesyscloud" \
    GENESYSCLOUD_STATIC_EMULATOR="$release/genesys-emulator" \
    cargo test --quiet --locked --test e2e empty_root:: -- --ignored --nocapture >&2
echo "static-root: passed in $(($(date +%s) - started)) s" >&2
