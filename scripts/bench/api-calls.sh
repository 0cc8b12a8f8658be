#!/usr/bin/env bash
# API-call benchmark (not a test): runs each standard job (apply/plan N codes, apply/plan M
# wrap-ups by name over Q queues, one apply with both types, a wrong-secret plan, a paced
# cache-off refresh) against a fresh emulator, with a "before" build and this checkout side by
# side in one run, and prints a Markdown table of calls vs each job's floor (docs/performance.md).
#
#   scripts/bench/api-calls.sh [CODES] [WRAPUPS] [QUEUES] [REFRESH] [RATE]
#                              (defaults: 200 20 1 1000 300; REFRESH=0 skips the paced refresh)
#   BEFORE="<rev> ..."  the baseline builds, each a column (default "39d7804 f7a0c0a": main
#                       before issue 10's work, and main when its second session began)
#
# Call counts do not depend on the build profile, so all builds are debug builds (each
# "before" one from a temporary git worktree, sharing this checkout's target dir for
# dependencies). The emulator is this checkout's for all, so all meet the same platform.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
before_revs=${BEFORE:-39d7804 f7a0c0a}
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# With TERRAFORM set (a worktree sharing another checkout's .tools), nothing is installed.
[ -n "${TERRAFORM:-}" ] || "$root/scripts/install-tools.sh" >/dev/null
terraform=${TERRAFORM:-$root/.tools/bin/terraform}

work=$(mktemp -d)
cleanup() {
    for rev in $before_revs; do
        git -C "$root" worktree remove --force "$work/src-$rev" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

builds=()
for rev in $before_revs; do
    echo "bench: building the before build ($rev)" >&2
    git -C "$root" worktree add --quiet --detach "$work/src-$rev" "$rev"
    cargo build --quiet --manifest-path "$work/src-$rev/Cargo.toml" --target-dir "$target" \
        -p terraform-provider-genesyscloud --bin terraform-provider-genesyscloud
    mkdir -p "$work/$rev"
    cp "$target/debug/terraform-provider-genesyscloud" "$work/$rev/"
    builds+=(--build "$rev=$work/$rev")
done
mkdir -p "$work/after"

echo "bench: building this checkout" >&2
cargo build --quiet --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-genesyscloud -p genesys-emulator --bins
cp "$target/debug/terraform-provider-genesyscloud" "$work/after/"
cp "$target/debug/genesys-emulator" "$work/"

python3 "$root/scripts/bench/api_calls.py" --terraform "$terraform" \
    --emulator "$work/genesys-emulator" \
    "${builds[@]}" --build "after=$work/after" \
    --codes "${1:-200}" --wrapups "${2:-20}" --queues "${3:-1}" \
    --refresh "${4:-1000}" --rate "${5:-300}"
