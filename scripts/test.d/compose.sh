#!/usr/bin/env bash
# The emulator's container image as users run it (docs/guides/testing-with-the-emulator.md):
# package the static emulator and the provider with scripts/release.sh, `podman load` the
# image, `podman-compose up -d` on examples/testing-with-the-emulator/compose.yaml (seed file,
# healthcheck, published port), wait until its healthcheck passes, install the provider from
# the release zip with `terraform init` (filesystem mirror), run the module's `terraform test`
# against the container, and `podman-compose down`.
#
# The emulator is built static (crt-static, as release.sh builds it) but in the debug profile:
# the image is the release's in every way except the optimisation level, without a second
# fat-LTO build in the test command.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    echo "compose: the image is linux_amd64; skipped on $(uname -s)-$(uname -m)" >&2
    exit 0
fi
for tool in podman podman-compose runc; do
    command -v "$tool" >/dev/null || {
        echo "compose: $tool is missing; scripts/install-tools.sh installs it" >&2
        exit 1
    }
done
export CONTAINERS_CONF="$root/.tools/containers.conf"
[ -f "$CONTAINERS_CONF" ] || {
    echo "compose: $CONTAINERS_CONF is missing; run scripts/install-tools.sh" >&2
    exit 1
}
terraform=${TERRAFORM:-$root/.tools/bin/terraform}
target_dir=${CARGO_TARGET_DIR:-$root/target}
triple=$(rustc -vV | sed -n 's/^host: //p')
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
started=$(date +%s)

# The same static flags as scripts/release.sh (see there why getrandom needs its backend).
RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"' \
    cargo build --quiet --locked --target "$triple" --package genesys-emulator --bin genesys-emulator
# scripts/test.sh built the provider already (GENESYS_BIN_DIR); alone, build it.
if [ -z "${GENESYS_BIN_DIR:-}" ]; then
    cargo build --quiet --locked --package terraform-provider-genesyscloud --bin terraform-provider-genesyscloud
    GENESYS_BIN_DIR="$target_dir/debug"
fi

echo "compose: binaries built in $(($(date +%s) - started)) s" >&2

work=$(mktemp -d)
project="genesys-compose-test-$$"
cleanup() {
    if [ -d "$work/module" ]; then
        (cd "$work/module" && podman-compose -p "$project" down >/dev/null 2>&1) || true
    fi
    # podman-compose 1.0 leaves the project's network behind.
    podman network rm "${project}_default" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/binaries"
cp "$target_dir/$triple/debug/genesys-emulator" "$GENESYS_BIN_DIR/terraform-provider-genesyscloud" \
    "$work/binaries/"
scripts/release.sh --binaries-from "$work/binaries" --out "$work/dist" >&2
image_tar="$work/dist/genesys-emulator_${version}_linux_amd64.oci.tar"
[ -f "$image_tar" ] || {
    echo "compose: release.sh made no image" >&2
    exit 1
}
podman load --quiet -i "$image_tar" >&2
grep -q "image: localhost/genesys-emulator:$version" examples/testing-with-the-emulator/compose.yaml || {
    echo "compose: compose.yaml does not use localhost/genesys-emulator:$version" >&2
    exit 1
}

# A copy of the example, so the run leaves nothing in the repository; a free host port.
cp -r examples/testing-with-the-emulator "$work/module"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/module" && GENESYS_EMULATOR_PORT=$port podman-compose -p "$project" up -d) >&2
container=$(podman ps --filter "label=io.podman.compose.project=$project" --format '{{.Names}}')
[ -n "$container" ] || {
    echo "compose: podman-compose started no container" >&2
    exit 1
}
# Wait for the compose file's own healthcheck command. It runs through `podman exec`, as Docker
# runs an exec-form healthcheck: Debian's podman-compose 1.0 rewrites `["CMD", ...]` into
# `/bin/sh -c ...`, and a FROM-scratch image has no shell.
mapfile -t healthcheck < <(python3 -c '
import sys, yaml
test = yaml.safe_load(open(sys.argv[1]))["services"]["genesys-emulator"]["healthcheck"]["test"]
assert test[0] == "CMD", test
print("\n".join(test[1:]))' "$work/module/compose.yaml")
healthy=
for _ in $(seq 1 30); do
    if podman exec "$container" "${healthcheck[@]}"; then
        healthy=1
        break
    fi
    sleep 1
done
[ -n "$healthy" ] || {
    podman logs "$container" >&2 || true
    echo "compose: $container never became healthy" >&2
    exit 1
}
echo "compose: $container is healthy ($(podman logs "$container" 2>&1 | head -n 1))" >&2

# The provider from the release zip through `terraform init`, as users install it.
mkdir -p "$work/mirror/registry.terraform.io/rustcx/genesyscloud"
cp "$work/dist/terraform-provider-genesyscloud_${version}_linux_amd64.zip" \
    "$work/mirror/registry.terraform.io/rustcx/genesyscloud/"
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/rustcx/genesyscloud"]
  }
}
RC
url="http://127.0.0.1:$port"
(
    cd "$work/module"
    export TF_CLI_CONFIG_FILE="$work/terraformrc" NO_COLOR=1 CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
    unset TF_LOG
    "$terraform" init -input=false -no-color >&2
    GENESYSCLOUD_API_URL=$url GENESYSCLOUD_LOGIN_URL=$url \
        GENESYSCLOUD_OAUTHCLIENT_ID=emulator-client GENESYSCLOUD_OAUTHCLIENT_SECRET=emulator-secret \
        "$terraform" test -no-color >&2
)
(cd "$work/module" && podman-compose -p "$project" down) >/dev/null 2>&1
if podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' | grep -q .; then
    echo "compose: podman-compose down left a container" >&2
    exit 1
fi
echo "compose: image built, compose up, healthy, terraform test passed, compose down in $(($(date +%s) - started)) s" >&2
