#!/usr/bin/env bash
# CI step without containers: test this module with `terraform test` against the emulator
# binary from the release zip (or set GENESYS_EMULATOR), seeded from seed.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Start the emulator on a free port with the seed file; its first line is its address.
coproc EMULATOR { exec "${GENESYS_EMULATOR:-genesys-emulator}" --listen 127.0.0.1:0 --seed seed.json; }
trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
read -r _ _ url <&"${EMULATOR[0]}" # "listening on http://127.0.0.1:PORT"

# Point the provider at the emulator with its default OAuth client, and run the tests.
export GENESYSCLOUD_API_URL="$url" GENESYSCLOUD_LOGIN_URL="$url"
export GENESYSCLOUD_OAUTHCLIENT_ID=emulator-client GENESYSCLOUD_OAUTHCLIENT_SECRET=emulator-secret
terraform test
