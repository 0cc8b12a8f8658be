#!/usr/bin/env bash
# Benchmark (not a test): the for_each back-fill apply (N genesyscloud_conversation_wrapup
# instances found by genesyscloud_conversations, -parallelism=10, emulator without a rate
# limit) against Terraform's own floor (N terraform_data instances, no provider) and against
# the same configuration with a resource that calls no API (the framework's null_provider
# example), side by side in one run, runs in turn A B C A B C ... Prints a Markdown table
# (docs/performance.md): median apply times, the medians of the pairwise ratios, and the API
# calls the emulator counted.
#
#   scripts/bench/backfill-foreach.sh [CONVERSATIONS] [RUNS] [OPTIONS...]   (defaults: 1000 3)
#   OPTIONS   passed on to backfill_foreach.py, e.g. --parallelism 20 --backend http
#   LOG=DIR   keep each of our applies' provider debug log in DIR (the batch lines:
#             grep 'analytics multi-get' DIR/*.log)
#
# Release build (the provider's own CPU is part of what is measured); with TERRAFORM set (a
# worktree sharing another checkout's .tools), nothing is installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

[ -n "${TERRAFORM:-}" ] || "$root/scripts/install-tools.sh" >/dev/null
terraform=${TERRAFORM:-$root/.tools/bin/terraform}

cargo build --release --quiet --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-genesyscloud -p genesys-emulator --bins
cargo build --release --quiet --manifest-path "$root/Cargo.toml" \
    -p tfplugin-framework --example null_provider
noop="$target/bench/noop-provider"
mkdir -p "$noop"
cp "$target/release/examples/null_provider" "$noop/terraform-provider-nulllike"

log_args=()
[ -z "${LOG:-}" ] || log_args=(--log "$LOG")
python3 "$root/scripts/bench/backfill_foreach.py" --terraform "$terraform" \
    --emulator "$target/release/genesys-emulator" --provider "$target/release" \
    --noop-provider "$noop" \
    --conversations "${1:-1000}" --runs "${2:-3}" "${log_args[@]}" "${@:3}" compare
