#!/usr/bin/env bash
# Bounded fuzzing of the cty decoders (msgpack and JSON) and of the API client's reading of
# HTTP answers (http_response) with cargo-fuzz; fails on any crash,
# panic, hang or failed round-trip assertion. Run from anywhere; CI runs it via scripts/test.sh.
#   FUZZ_SECONDS    time per target (default 40)
#   FUZZ_SANITIZER  cargo-fuzz sanitizer (default none: the decoders are safe Rust, and
#                   ASan costs ~20x throughput; use "address" for a deeper local run)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${FUZZ_SECONDS:-40}
sanitizer=${FUZZ_SANITIZER:-none}
tools="$root/.tools/cargo"
cargo_fuzz="$tools/bin/cargo-fuzz"

# cargo-fuzz passes nightly-only flags (e.g. -Zsanitizer); this lets stable rustc accept them.
export RUSTC_BOOTSTRAP=1
# Cargo caches rustc probe results without RUSTC_BOOTSTRAP in the cache key, so a probe that
# once failed without it would keep failing; do not cache.
export CARGO_CACHE_RUSTC_INFO=0

if [ ! -x "$cargo_fuzz" ]; then
    echo "fuzz: installing cargo-fuzz into $tools" >&2
    cargo install --locked --quiet --version 0.13.2 --root "$tools" cargo-fuzz
fi
if ! command -v c++ >/dev/null 2>&1; then
    echo "fuzz: libfuzzer-sys compiles libFuzzer and needs a C++ compiler (c++); install g++" >&2
    exit 1
fi

cd "$root/fuzz"
"$cargo_fuzz" build --sanitizer "$sanitizer"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in msgpack_decode json_decode http_response; do
    mkdir -p "corpus/$target"
    echo "fuzz: $target for ${seconds}s" >&2
    # New inputs go to the ignored corpus/; seeds/ holds committed inputs replayed on every
    # run: ones that once failed, and the tricky cases next to them.
    if ! "$cargo_fuzz" run --sanitizer "$sanitizer" "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="${target%_decode}.dict" -print_final_stats=1 >"$log" 2>&1; then
        tail -n 80 "$log" >&2
        echo "fuzz: $target FAILED; the input is under fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^(Done|stat::number_of_executed_units)' "$log" >&2 || true
done
echo "fuzz: no crashes" >&2
