#!/usr/bin/env bash
# CI step: test this module with `terraform test` against the Genesys Cloud emulator.
# Needs genesys-emulator (from the release zip; or set GENESYS_EMULATOR), terraform, curl, jq.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Start the emulator on a free port and read its address from its first line.
coproc EMULATOR { exec "${GENESYS_EMULATOR:-genesys-emulator}" --listen 127.0.0.1:0; }
trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
read -r _ _ url <&"${EMULATOR[0]}" # "listening on http://127.0.0.1:PORT"

# Seed the org. The public API needs a token from the emulator's OAuth client...
token=$(curl -sf -u emulator-client:emulator-secret -d grant_type=client_credentials \
    "$url/oauth/token" | jq -r .access_token)
code=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name": "Sale completed"}' "$url/api/v2/routing/wrapupcodes" | jq -r .id)
# ...the admin API (/__emulator/, loopback only) makes what the public API cannot: a queue
# allowing the code, and a finished call answered on it.
queue=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"name\": \"Sales\", \"codeIds\": [\"$code\"]}" "$url/__emulator/queues" | jq -r .queueId)
conversation=$(curl -sf -H 'Content-Type: application/json' -d "{
    \"mediaType\": \"call\",
    \"participants\": [
      {\"purpose\": \"customer\", \"state\": \"disconnected\"},
      {\"purpose\": \"agent\", \"state\": \"disconnected\", \"queueId\": \"$queue\"}
    ]}" "$url/__emulator/conversations" | jq -r .conversationId)

# Point the provider at the emulator and run the module's tests.
export GENESYSCLOUD_API_URL="$url" GENESYSCLOUD_LOGIN_URL="$url"
export GENESYSCLOUD_OAUTHCLIENT_ID=emulator-client GENESYSCLOUD_OAUTHCLIENT_SECRET=emulator-secret
export TF_VAR_conversation_id="$conversation" TF_VAR_sale_code_id="$code"
terraform test
