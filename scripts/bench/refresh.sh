#!/usr/bin/env bash
# Benchmark (not a test): `terraform plan` refreshing N managed wrap-up codes against the
# emulator enforcing a per-client rate limit, with the provider's read cache on and off.
# Prints, side by side, the API calls the emulator counted and the wall time of each plan.
#
#   scripts/bench/refresh.sh [CODES] [RATE_LIMIT_PER_MINUTE]     (defaults: 1000 300)
#
# Seeding costs no API calls: the script writes the emulator's state file (N codes) and a
# Terraform state file (N instances of one counted resource, with identity) directly, so the
# rate limit only ever sees the plans being measured. The cache-on plan runs first, in a
# fresh rate-limit window.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
codes=${1:-1000}
rate=${2:-300}
target=${CARGO_TARGET_DIR:-$root/target}

"$root/scripts/install-tools.sh" >/dev/null
terraform="$root/.tools/bin/terraform"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-genesyscloud -p genesys-emulator --bins
provider_dir="$target/release"

work=$(mktemp -d)
emulator_pid=
cleanup() {
    if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 - "$work" "$codes" <<'PY'
import json, sys, uuid
work, n = sys.argv[1], int(sys.argv[2])
home = "00000000-0000-4000-8000-000000000001"
now = "2026-01-01T00:00:00.000Z"
codes = {}
instances = []
for i in range(n):
    cid = str(uuid.uuid4())
    name = f"Bench {i}"
    codes[cid] = {"id": cid, "name": name, "description": None, "divisionId": home,
                  "dateCreated": now, "dateModified": now,
                  "createdBy": "bench", "modifiedBy": "bench"}
    instances.append({
        "index_key": i, "schema_version": 1,
        "attributes": {"id": cid, "name": name, "division_id": home, "description": None},
        "sensitive_attributes": [], "identity_schema_version": 0, "identity": {"id": cid},
    })
store = {"divisions": [
            {"id": home, "name": "Home", "description": "Home division", "home": True}],
         "wrapupCodes": codes, "queues": {}, "conversations": {}}
json.dump(store, open(f"{work}/emulator-state.json", "w"))
state = {"version": 4, "terraform_version": "1.15.5", "serial": 1,
         "lineage": str(uuid.uuid4()), "outputs": {}, "check_results": None,
         "resources": [{"mode": "managed", "type": "genesyscloud_routing_wrapupcode",
                        "name": "bulk",
                        "provider": "provider[\"registry.terraform.io/rustcx/genesyscloud\"]",
                        "instances": instances}]}
json.dump(state, open(f"{work}/terraform.tfstate", "w"))
PY

cat >"$work/main.tf" <<EOF
terraform {
  required_providers {
    genesyscloud = { source = "rustcx/genesyscloud" }
  }
}

resource "genesyscloud_routing_wrapupcode" "bulk" {
  count = $codes
  name  = "Bench \${count.index}"
}
EOF
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/rustcx/genesyscloud" = "$provider_dir"
  }
  direct {}
}
EOF

fifo="$work/emulator.out"
mkfifo "$fifo"
"$target/release/genesys-emulator" --listen 127.0.0.1:0 --rate-limit "$rate" \
    --client-id bench --client-secret bench-secret --state "$work/emulator-state.json" \
    >"$fifo" 2>"$work/emulator.err" &
emulator_pid=$!
exec 3<"$fifo"
read -r first <&3
url=${first#listening on }
case "$url" in http://*) ;; *) echo "emulator did not start: $first" >&2; exit 1 ;; esac

requests_total() {
    python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/__emulator/requests"))["total"])' "$url"
}

# Runs one refreshing plan with the read cache on ($1 = true) or off; prints "calls seconds".
run_plan() {
    local before after start end status
    before=$(requests_total)
    start=$(date +%s.%N)
    set +e
    (cd "$work" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 \
        GENESYSCLOUD_API_URL="$url" GENESYSCLOUD_LOGIN_URL="$url" \
        GENESYSCLOUD_OAUTHCLIENT_ID=bench GENESYSCLOUD_OAUTHCLIENT_SECRET=bench-secret \
        GENESYSCLOUD_READ_CACHE="$1" \
        "$terraform" plan -detailed-exitcode -input=false -no-color -lock=false \
        >"$work/plan-$1.log" 2>&1)
    status=$?
    set -e
    end=$(date +%s.%N)
    after=$(requests_total)
    if [ "$status" -ne 0 ]; then
        echo "plan with read_cache=$1 exited $status (expected 0: no changes):" >&2
        tail -n 30 "$work/plan-$1.log" >&2
        exit 1
    fi
    echo "$((after - before)) $(python3 -c "print(f'{$end - $start:.1f}')")"
}

echo "refreshing $codes wrap-up codes; emulator limit $rate requests/minute/client" >&2
on=$(run_plan true) && off=$(run_plan false) || exit 1
read -r on_calls on_secs <<<"$on"
read -r off_calls off_secs <<<"$off"
printf '%-12s %10s %12s\n' "read cache" "API calls" "wall time"
printf '%-12s %10s %11ss\n' "on" "$on_calls" "$on_secs"
printf '%-12s %10s %11ss\n' "off" "$off_calls" "$off_secs"
python3 -c "print(f'cache on is {$off_secs / $on_secs:.0f}x faster with {$off_calls / max($on_calls, 1):.0f}x fewer API calls')"
