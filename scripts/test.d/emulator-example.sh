#!/usr/bin/env bash
# docs/guides/testing-with-the-emulator.md: run the example module's own CI step
# (examples/testing-with-the-emulator/ci.sh: start genesys-emulator with its seed file,
# `terraform test`) as a user's pipeline would, with the emulator and provider this test
# run built and the Terraform the tests use.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
terraform=${TERRAFORM:-$root/.tools/bin/terraform}
# scripts/test.sh built both already (GENESYS_BIN_DIR); alone, build them.
if [ -z "${GENESYS_BIN_DIR:-}" ]; then
    cargo build --quiet --locked --manifest-path "$root/Cargo.toml" \
        --package terraform-provider-genesyscloud --package genesys-emulator --bins
    GENESYS_BIN_DIR="${CARGO_TARGET_DIR:-$root/target}/debug"
fi
bin_dir=$GENESYS_BIN_DIR

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$terraform" "$work/bin/terraform"
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/rustcx/genesyscloud" = "$bin_dir"
  }
  direct {}
}
RC
# A copy, so the run leaves nothing in the repository.
cp -r "$root/examples/testing-with-the-emulator" "$work/module"
started=$(date +%s)
env -u TF_LOG PATH="$work/bin:$PATH" TF_CLI_CONFIG_FILE="$work/terraformrc" NO_COLOR=1 \
    CHECKPOINT_DISABLE=1 GENESYS_EMULATOR="$bin_dir/genesys-emulator" \
    "$work/module/ci.sh" >&2
echo "emulator-example: terraform test passed in $(($(date +%s) - started)) s" >&2
