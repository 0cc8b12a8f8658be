#!/usr/bin/env bash
# The shipped binaries need nothing outside themselves. This builds the provider and the emulator
# linked exactly as scripts/release.sh links them on Linux (crt-static, getrandom(2) called
# directly, an explicit --target so build scripts and proc macros stay dynamic), but in the debug
# profile: the link mode is what the empty root tests, and the release profile's fat LTO would
# only add minutes (release tags run release.sh). It shows what they link against, checks that the
# empty-root tests refuse a dynamic binary with a clear message, then runs the empty-root tests
# (tests/e2e/empty_root.rs) on the static ones: the provider handshakes, resolves the emulator's
# name from the root's /etc/hosts and talks to it, the static Go Terraform on the PATH applies
# inside the root, and the emulator serves from a root of its own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ "$(uname -s)" = Linux ] || {
    echo "static-root: only Linux builds are static; skipped on $(uname -s)" >&2
    exit 0
}

started=$(date +%s)
triple=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${CARGO_TARGET_DIR:-$root/target}
static_dir="$target_dir/$triple/debug"
# release.sh's static link flags, written as compose.sh writes them, so their builds share crates.
RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"' \
    cargo build --locked --quiet --target "$triple" \
    --package terraform-provider-genesyscloud --bin terraform-provider-genesyscloud \
    --package genesys-emulator --bin genesys-emulator
for binary in terraform-provider-genesyscloud genesys-emulator; do
    file "$static_dir/$binary" >&2 || true
    # Fails the step if either binary has a program interpreter or needs a shared library.
    if objdump -p "$static_dir/$binary" | grep -E 'NEEDED|INTERP' >&2; then
        echo "static-root: $binary is dynamically linked" >&2
        exit 1
    fi
done
echo "static-root: static debug build in $(($(date +%s) - started)) s" >&2

# The check must be able to fail: given the suite's dynamic build, the test refuses it, saying why.
dynamic="${GENESYS_BIN_DIR:-$target_dir/debug}/terraform-provider-genesyscloud"
if [ -x "$dynamic" ]; then
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    if GENESYSCLOUD_STATIC_PROVIDER="$dynamic" cargo test --quiet --locked --test e2e \
        empty_root::static_provider_handshakes_resolves_from_etc_hosts_and_reads_from_the_emulator \
        -- --ignored --exact >"$log" 2>&1; then
        cat "$log" >&2
        echo "static-root: the empty-root test passed on the dynamic $dynamic; it cannot tell" >&2
        exit 1
    fi
    if ! grep -q "is dynamically linked" "$log"; then
        cat "$log" >&2
        echo "static-root: the empty-root test failed on $dynamic, but not for its link mode" >&2
        exit 1
    fi
    echo "static-root: a dynamic provider is refused: $(grep -o 'GENESYSCLOUD_STATIC_PROVIDER=.*dynamically linked[^:]*' "$log" | head -n 1)" >&2
fi

GENESYSCLOUD_STATIC_PROVIDER="$static_dir/terraform-provider-genesyscloud" \
    GENESYSCLOUD_STATIC_EMULATOR="$static_dir/genesys-emulator" \
    cargo test --quiet --locked --test e2e empty_root:: -- --ignored --nocapture >&2
echo "static-root: passed in $(($(date +%s) - started)) s" >&2
