#!/usr/bin/env bash
# Fuzzing as a regression test, for the cty decoders (msgpack_decode, json_decode) and the API
# client's reading of HTTP answers (http_response), with cargo-fuzz: first every committed input
# of each target (fuzz/seeds/<target>: inputs that once failed and the tricky cases next to them,
# plus fuzz/corpus/<target> when a local run left one) is replayed once (-runs=0), then each
# target is fuzzed afresh for a short while. Fails on any crash, panic, hang or failed
# round-trip assertion. Long runs: scripts/fuzz-long.sh.
#   FUZZ_SECONDS    fresh fuzzing per target after the replay (default 10; 0 replays only)
#   FUZZ_SANITIZER  cargo-fuzz sanitizer (default none: the decoders are safe Rust, and
#                   ASan costs ~20x throughput; use "address" for a deeper local run)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${FUZZ_SECONDS:-10}
sanitizer=${FUZZ_SANITIZER:-none}
cargo_fuzz="$root/.tools/cargo/bin/cargo-fuzz"

# cargo-fuzz passes nightly-only flags (e.g. -Zsanitizer); this lets stable rustc accept them.
export RUSTC_BOOTSTRAP=1
# Cargo caches rustc probe results without RUSTC_BOOTSTRAP in the cache key, so a probe that
# once failed without it would keep failing; do not cache.
export CARGO_CACHE_RUSTC_INFO=0

# scripts/test.sh installed it already (install-tools.sh --fuzz); alone, install it once.
[ -x "$cargo_fuzz" ] || "$root/scripts/install-tools.sh" --fuzz
if ! command -v c++ >/dev/null 2>&1; then
    echo "fuzz: libfuzzer-sys compiles libFuzzer and needs a C++ compiler (c++); install g++" >&2
    exit 1
fi

cd "$root/fuzz"
"$cargo_fuzz" build --sanitizer "$sanitizer"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Usage: run_target TARGET WHAT LIBFUZZER_ARGS...
run_target() {
    local target=$1 what=$2
    shift 2
    if ! "$cargo_fuzz" run --sanitizer "$sanitizer" "$target" "corpus/$target" "seeds/$target" -- \
        -timeout=10 -rss_limit_mb=2048 -dict="${target%_decode}.dict" -print_final_stats=1 \
        "$@" >"$log" 2>&1; then
        tail -n 80 "$log" >&2
        echo "fuzz: $target FAILED in the $what; the input is under fuzz/artifacts/$target/" >&2
        exit 1
    fi
}

for target in msgpack_decode json_decode http_response; do
    # New inputs go to the ignored corpus/ (the first directory); seeds/ is committed.
    mkdir -p "corpus/$target"
    run_target "$target" replay -runs=0
    inputs=$(sed -n 's/^INFO: seed corpus: files: \([0-9]*\).*/\1/p' "$log")
    echo "fuzz: $target: replayed ${inputs:-0} inputs (fuzz/seeds and the local fuzz/corpus), no failure" >&2
    if [ "$seconds" -gt 0 ]; then
        run_target "$target" "fresh fuzzing (${seconds}s)" -max_total_time="$seconds"
        grep -E '^stat::number_of_executed_units' "$log" >&2 || true
    fi
done
echo "fuzz: no crashes" >&2
