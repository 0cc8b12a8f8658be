#!/usr/bin/env python3
"""Benchmark (not a test): the rate budget's recovery after a 429 storm.

Seeds N wrap-up codes into the emulator's state file and a matching Terraform state (so seeding
costs no API call), starts the emulator with --rate-limit BUDGET, then runs one
`terraform plan` with the read cache off (one GET per code), one token and
max_requests_per_minute = BUDGET. For the first STORM seconds every API request is answered
429 with Retry-After: 1 (an emulator fail rule); then the rule is cleared. Every 10 s it reads
the emulator's request counter and prints the requests answered 200 and 429 in that span, and
the 200s as a share of the budget's 10-second worth (BUDGET / 6).

  scripts/bench/storm_recovery.py --terraform .tools/bin/terraform \
      --provider-dir target/debug --emulator target/debug/genesys-emulator \
      [--codes 1000] [--budget 600] [--storm 60]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

HOME = "00000000-0000-4000-8000-000000000001"


def seed(work, n):
    now = "2026-01-01T00:00:00.000Z"
    codes, instances = {}, []
    for i in range(n):
        cid = str(uuid.uuid4())
        codes[cid] = {"id": cid, "name": f"Storm {i}", "description": None, "divisionId": HOME,
                      "dateCreated": now, "dateModified": now,
                      "createdBy": "bench", "modifiedBy": "bench"}
        instances.append({"index_key": i, "schema_version": 1,
                          "attributes": {"id": cid, "name": f"Storm {i}", "division_id": HOME,
                                         "description": None},
                          "sensitive_attributes": [], "identity_schema_version": 0,
                          "identity": {"id": cid}})
    store = {"divisions": [{"id": HOME, "name": "Home", "description": "Home division",
                            "home": True}],
             "wrapupCodes": codes, "queues": {}, "conversations": {}}
    json.dump(store, open(f"{work}/emulator-state.json", "w"))
    state = {"version": 4, "terraform_version": "1.15.5", "serial": 1,
             "lineage": str(uuid.uuid4()), "outputs": {}, "check_results": None,
             "resources": [{"mode": "managed", "type": "genesyscloud_routing_wrapupcode",
                            "name": "bulk",
                            "provider": "provider[\"registry.terraform.io/rustcx/genesyscloud\"]",
                            "instances": instances}]}
    json.dump(state, open(f"{work}/terraform.tfstate", "w"))
    with open(f"{work}/main.tf", "w") as f:
        f.write('terraform {\n  required_providers {\n    genesyscloud = { source = "rustcx/genesyscloud" }\n  }\n}\n\n'
                f'resource "genesyscloud_routing_wrapupcode" "bulk" {{\n  count = {n}\n'
                '  name  = "Storm ${count.index}"\n}\n')


def admin(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--provider-dir", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--codes", type=int, default=1000)
    parser.add_argument("--budget", type=int, default=600)
    parser.add_argument("--storm", type=int, default=60)
    args = parser.parse_args()
    args.terraform = os.path.abspath(args.terraform)
    args.emulator = os.path.abspath(args.emulator)
    work = tempfile.mkdtemp(prefix="storm-")
    seed(work, args.codes)
    with open(f"{work}/cli.tfrc", "w") as f:
        f.write('provider_installation {\n  dev_overrides {\n'
                f'    "registry.terraform.io/rustcx/genesyscloud" = "{os.path.abspath(args.provider_dir)}"\n'
                '  }\n  direct {}\n}\n')
    emulator = subprocess.Popen(
        [args.emulator, "--listen", "127.0.0.1:0", "--rate-limit", str(args.budget),
         "--client-id", "bench", "--client-secret", "bench-secret",
         "--state", f"{work}/emulator-state.json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = emulator.stdout.readline().strip().removeprefix("listening on ")
        env = dict(os.environ, TF_CLI_CONFIG_FILE=f"{work}/cli.tfrc", TF_IN_AUTOMATION="1",
                   GENESYSCLOUD_API_URL=url, GENESYSCLOUD_LOGIN_URL=url,
                   GENESYSCLOUD_OAUTHCLIENT_ID="bench",
                   GENESYSCLOUD_OAUTHCLIENT_SECRET="bench-secret",
                   GENESYSCLOUD_READ_CACHE="false", GENESYSCLOUD_TOKEN_POOL_SIZE="1",
                   GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE=str(args.budget))
        admin(url, "PUT", "/__emulator/faults", {"rules": [
            {"path": "/api/v2/**", "status": 429, "retry_after": 1, "count": 1000000}]})
        started = time.monotonic()
        plan = subprocess.Popen(
            [args.terraform, "plan", "-detailed-exitcode", "-input=false", "-no-color",
             "-lock=false"], cwd=work, env=env, stdout=open(f"{work}/plan.log", "w"),
            stderr=subprocess.STDOUT)
        per_span = args.budget / 6
        print(f"{args.codes} codes, read cache off, budget {args.budget}/min on one token; "
              f"every request 429 (Retry-After: 1) for the first {args.storm} s")
        print(f"{'t (s)':>6} {'200s':>6} {'429s':>6} {'200s / budget':>14}")
        last = {"200": 0, "429": 0}
        storm_on, tick = True, 10
        while True:
            while time.monotonic() - started < tick:
                if storm_on and time.monotonic() - started >= args.storm:
                    admin(url, "PUT", "/__emulator/faults", {})
                    storm_on = False
                if plan.poll() is not None:
                    break
                time.sleep(0.1)
            statuses = admin(url, "GET", "/__emulator/requests")["statuses"]
            ok, limited = statuses.get("200", 0), statuses.get("429", 0)
            print(f"{tick:>6} {ok - last['200']:>6} {limited - last['429']:>6} "
                  f"{(ok - last['200']) / per_span:>13.0%}", flush=True)
            last = {"200": ok, "429": limited}
            if plan.poll() is not None:
                break
            tick += 10
        elapsed = time.monotonic() - started
        print(f"plan exited {plan.returncode} after {elapsed:.0f} s (0: no changes)")
        return 0 if plan.returncode == 0 else 1
    finally:
        emulator.terminate()


if __name__ == "__main__":
    sys.exit(main())
