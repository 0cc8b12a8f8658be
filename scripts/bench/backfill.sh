#!/usr/bin/env bash
# Benchmark (not a test): the back-fill action against the emulator, release builds, through
# Terraform. Prints one JSON line per run (see scripts/bench/backfill.py).
#
#   scripts/bench/backfill.sh [CONVERSATIONS:RATE_LIMIT:TOKENS ...]
#
# Defaults: 10,000 at --rate-limit 300 with token_pool_size 10 (about 7 minutes), the same
# 10,000 without a rate limit (with the emulator's own serve time beside it), and 1,000 and
# 100,000 without a limit for the provider's peak RSS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
    runs=(10000:300:10 10000:0:10 1000:0:10 100000:0:10)
fi

"$root/scripts/install-tools.sh" >/dev/null
cargo build --release --quiet --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-genesyscloud -p genesys-emulator --bins
cargo build --release --quiet --manifest-path "$root/Cargo.toml" \
    -p genesys-emulator --example serve_floor --example latency_probe
bench="$target/bench"
mkdir -p "$bench/bin"
wrapper="$bench/bin/rss-wrapper"
if [ ! -x "$wrapper" ] || [ "$root/scripts/bench/rss-wrapper.c" -nt "$wrapper" ]; then
    gcc -O2 -Wall -Wextra -o "$wrapper" "$root/scripts/bench/rss-wrapper.c"
fi
exec python3 "$root/scripts/bench/backfill.py" \
    --provider "$target/release/terraform-provider-genesyscloud" \
    --emulator "$target/release/genesys-emulator" \
    --terraform "$root/.tools/bin/terraform" \
    --wrapper "$wrapper" \
    --serve-floor "$target/release/examples/serve_floor" \
    --latency --latency-probe "$target/release/examples/latency_probe" --pin \
    "${runs[@]}"
