#!/usr/bin/env bash
# Emulator fidelity: the official Genesys Cloud Python SDK (installed in .tools/venv by
# scripts/install-tools.sh) drives the genesys-emulator binary through every operation the
# provider uses. See tests/sdk/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

python="$root/.tools/venv/bin/python"
if [ ! -x "$python" ]; then
    echo "sdk-fidelity: $python is missing; run scripts/install-tools.sh first" >&2
    exit 1
fi

cargo build -p genesys-emulator --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps \
    | "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export GENESYS_EMULATOR_BIN="$target_dir/debug/genesys-emulator"

cd "$root/tests/sdk"
exec "$python" -m unittest -v test_fidelity test_backfill
