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

# scripts/test.sh built it already (GENESYS_BIN_DIR); alone, build just the emulator.
if [ -z "${GENESYS_BIN_DIR:-}" ]; then
    cargo build -p genesys-emulator --quiet
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    GENESYS_BIN_DIR="$target_dir/debug"
fi
export GENESYS_EMULATOR_BIN="$GENESYS_BIN_DIR/genesys-emulator"
[ -x "$GENESYS_EMULATOR_BIN" ] || {
    echo "sdk-fidelity: no emulator at $GENESYS_EMULATOR_BIN" >&2
    exit 1
}

cd "$root/tests/sdk"
exec "$python" -m unittest -v test_fidelity test_backfill
