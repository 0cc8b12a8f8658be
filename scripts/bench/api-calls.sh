#!/usr/bin/env bash
# API-call benchmark (not a test): runs each standard job (apply/plan N codes, apply/plan M
# wrap-ups by name over Q queues, one apply with both types, a wrong-secret plan, a paced
# cache-off refresh) against a fresh emulator, with a "before" build and this checkout side by
# side in one run, and prints a Markdown table of calls vs each job's floor (docs/performance.md).
#
#   scripts/bench/api-calls.sh [CODES] [WRAPUPS] [QUEUES] [REFRESH] [RATE]
#                              (defaults: 200 20 1 1000 300; REFRESH=0 skips the paced refresh)
#   BEFORE=<git rev>  the baseline build (default 39d7804, main before issue 10's work)
#
# Call counts do not depend on the build profile, so both builds are debug builds (the
# "before" one from a temporary git worktree, sharing this checkout's target dir for
# dependencies). The emulator is this checkout's for both, so both meet the same platform.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
before_rev=${BEFORE:-39d7804}
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

"$root/scripts/install-tools.sh" >/dev/null
terraform=${TERRAFORM:-$root/.tools/bin/terraform}

work=$(mktemp -d)
src="$work/before-src"
cleanup() {
    git -C "$root" worktree remove --force "$src" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "bench: building the before build ($before_rev)" >&2
git -C "$root" worktree add --quiet --detach "$src" "$before_rev"
cargo build --quiet --manifest-path "$src/Cargo.toml" --target-dir "$target" \
    -p terraform-provider-genesyscloud --bin terraform-provider-genesyscloud
mkdir -p "$work/before" "$work/after"
cp "$target/debug/terraform-provider-genesyscloud" "$work/before/"

echo "bench: building this checkout" >&2
cargo build --quiet --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-genesyscloud -p genesys-emulator --bins
cp "$target/debug/terraform-provider-genesyscloud" "$work/after/"
cp "$target/debug/genesys-emulator" "$work/"

python3 "$root/scripts/bench/api_calls.py" --terraform "$terraform" \
    --emulator "$work/genesys-emulator" \
    --build "before=$work/before" --build "after=$work/after" \
    --codes "${1:-200}" --wrapups "${2:-20}" --queues "${3:-1}" \
    --refresh "${4:-1000}" --rate "${5:-300}"
