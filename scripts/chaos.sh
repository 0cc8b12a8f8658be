#!/usr/bin/env bash
# The randomized fault suite (tests/e2e/chaos.rs) over many seeds: each seed's schedule of
# faults and interrupts runs against an apply (with the conversations listing and, as the seed
# decides, the wrap-up actions fired from an action_trigger), then a clean apply and a clean
# invocation of the actions, then the invariants (the platform equals state, the next plan is
# empty, nothing written twice) are checked. CI runs seeds 1-3 in `cargo test`.
#
#   scripts/chaos.sh            seeds 1-30
#   scripts/chaos.sh 40         seeds 1-40
#   scripts/chaos.sh 7,12-15    those seeds (replays a failure: same seed, same schedule)
#
# Prints one line per seed, and each failing seed's schedule and violations; exits 1 on any.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export TERRAFORM=${TERRAFORM:-$root/.tools/bin/terraform}
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

seeds=${1:-30}
if [[ $seeds =~ ^[0-9]+$ ]]; then
    seeds="1-$seeds"
fi
CHAOS_SEEDS=$seeds exec cargo test --quiet --test e2e \
    chaos::every_seed_leaves_the_platform_equal_to_state_and_an_empty_plan \
    -- --exact --nocapture
