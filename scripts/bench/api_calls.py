"""API-call benchmark driver (see api-calls.sh): runs each standard job against a fresh
genesys-emulator with each provider build, counts the calls with the emulator's request
counter (GET /__emulator/requests) and prints (job, floor, calls, ratio) per build.

Usage: api_calls.py --terraform T --emulator E --build NAME=DIR [--build NAME=DIR ...]
                    [--codes N] [--wrapups M] [--queues Q] [--refresh R] [--rate L]
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret"
HOME = "00000000-0000-4000-8000-000000000001"


class Emulator:
    def __init__(self, binary, *extra):
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--client-id", CLIENT_ID,
             "--client-secret", CLIENT_SECRET, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.url = line[len("listening on "):].strip()
        self._token = None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def request(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=30) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def token(self):
        if self._token is None:
            req = urllib.request.Request(
                self.url + "/oauth/token", data=b"grant_type=client_credentials", method="POST")
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
            import base64
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            req.add_header("Authorization", f"Basic {basic}")
            with urllib.request.urlopen(req, timeout=30) as response:
                self._token = json.loads(response.read())["access_token"]
        return self._token

    def api(self, method, path, body=None):
        return self.request(method, path, body, token=self.token())

    def counts(self):
        return self.request("GET", "/__emulator/requests")


def delta(before, after):
    """Calls, logins and 429s between two counter snapshots."""
    def route(c, key):
        return c["routes"].get(key, 0)
    def status(c, key):
        return c.get("statuses", {}).get(key, 0)
    return {
        "calls": after["total"] - before["total"],
        "logins": route(after, "POST /oauth/token") - route(before, "POST /oauth/token"),
        "429s": status(after, "429") - status(before, "429"),
    }


class Terraform:
    def __init__(self, binary, provider_dir, emulator, workdir, secret=CLIENT_SECRET, extra_env=None):
        self.binary, self.workdir = binary, workdir
        os.makedirs(workdir, exist_ok=True)
        rc = os.path.join(workdir, "cli.tfrc")
        with open(rc, "w") as f:
            f.write('provider_installation {\n  dev_overrides {\n'
                    f'    "registry.terraform.io/rustcx/genesyscloud" = "{provider_dir}"\n'
                    '  }\n  direct {}\n}\n')
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=rc, TF_IN_AUTOMATION="1",
                        CHECKPOINT_DISABLE="1",
                        GENESYSCLOUD_API_URL=emulator.url, GENESYSCLOUD_LOGIN_URL=emulator.url,
                        GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
                        GENESYSCLOUD_OAUTHCLIENT_SECRET=secret)
        for key in [k for k in self.env if k.startswith("TF_LOG")]:
            del self.env[key]
        self.env.update(extra_env or {})

    def config(self, hcl):
        with open(os.path.join(self.workdir, "main.tf"), "w") as f:
            f.write('terraform {\n  required_providers {\n'
                    '    genesyscloud = { source = "rustcx/genesyscloud" }\n  }\n}\n\n' + hcl)

    def run(self, *args, expect=(0,)):
        done = subprocess.run([self.binary, *args, "-input=false", "-no-color", "-lock=false"],
                              cwd=self.workdir, env=self.env, capture_output=True, text=True)
        if done.returncode not in expect:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise RuntimeError(f"terraform {' '.join(args)} exited {done.returncode}")
        return done


def codes_hcl(n):
    return (f'resource "genesyscloud_routing_wrapupcode" "code" {{\n  count = {n}\n'
            f'  name  = "Bench code ${{count.index}}"\n}}\n')


def wrapups_hcl(ids, code_name):
    listed = ", ".join(f'"{i}"' for i in ids)
    return (f'locals {{\n  conversations = [{listed}]\n}}\n\n'
            f'resource "genesyscloud_conversation_wrapup" "w" {{\n'
            f'  count            = length(local.conversations)\n'
            f'  conversation_id  = local.conversations[count.index]\n'
            f'  wrapup_code_name = "{code_name}"\n'
            f'  notes            = "bench"\n}}\n')


def seed_wrapups(emu, m, q, code_name):
    code = emu.api("POST", "/api/v2/routing/wrapupcodes", {"name": code_name})
    queues = [str(uuid.uuid4()) for _ in range(q)]
    for i, queue in enumerate(queues):
        emu.request("PUT", f"/__emulator/queues/{queue}/wrapupcodes",
                    {"name": f"Queue {i}", "codeIds": [code["id"]]})
    ids = []
    for i in range(m):
        seeded = emu.request("POST", "/__emulator/conversations", {
            "mediaType": "call",
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": "disconnected", "queueId": queues[i % q]}]})
        ids.append(seeded["conversationId"])
    return ids


def measured(emu, action):
    before = emu.counts()
    action()
    return delta(before, emu.counts())


def jobs(args):
    """(name, floor formula, floor, function(build_dir, emulator_bin, tmp) -> delta)."""
    n, m, q = args.codes, args.wrapups, args.queues
    pages = math.ceil(n / 500) if n else 1
    out = []

    def codes(provider, emu_bin, tmp):
        emu = Emulator(emu_bin)
        try:
            tf = Terraform(args.terraform, provider, emu, os.path.join(tmp, "codes"))
            tf.config(codes_hcl(n))
            applied = measured(emu, lambda: tf.run("apply", "-auto-approve"))
            planned = measured(emu, lambda: tf.run("plan", "-detailed-exitcode"))
            wrong = Terraform(args.terraform, provider, emu, os.path.join(tmp, "codes"),
                              secret="wrong-secret")
            refused = measured(emu, lambda: wrong.run("plan", expect=(1,)))
            return applied, planned, refused
        finally:
            emu.stop()

    cache = {}

    def codes_job(index):
        def run(provider, emu_bin, tmp):
            key = (provider, "codes")
            if key not in cache:
                cache[key] = codes(provider, emu_bin, tmp)
            return cache[key][index]
        return run

    out.append((f"apply {n} new codes", f"2 logins + 1 home division + {pages} page(s) + {n} creates",
                2 + 1 + pages + n, codes_job(0)))
    out.append((f"plan {n} codes", f"1 login + {pages} page(s)", 1 + pages, codes_job(1)))
    out.append((f"wrong-secret plan of {n} codes", "1 login attempt", 1, codes_job(2)))

    def wrapups(provider, emu_bin, tmp):
        emu = Emulator(emu_bin)
        try:
            ids = seed_wrapups(emu, m, q, "Bench resolved")
            tf = Terraform(args.terraform, provider, emu, os.path.join(tmp, "wrapups"))
            tf.config(wrapups_hcl(ids, "Bench resolved"))
            applied = measured(emu, lambda: tf.run("apply", "-auto-approve"))
            planned = measured(emu, lambda: tf.run("plan", "-detailed-exitcode"))
            return applied, planned
        finally:
            emu.stop()

    def wrapup_job(index):
        def run(provider, emu_bin, tmp):
            key = (provider, "wrapups")
            if key not in cache:
                cache[key] = wrapups(provider, emu_bin, tmp)
            return cache[key][index]
        return run

    out.append((f"apply {m} wrap-ups by name over {q} queue(s)",
                f"2 logins + {m} conversations + {q} queue code lists + {m} writes + {m} read-backs",
                2 + m + q + 2 * m, wrapup_job(0)))
    out.append((f"plan {m} wrap-ups", f"1 login + {m} wrap-up reads", 1 + m, wrapup_job(1)))

    def both(provider, emu_bin, tmp):
        emu = Emulator(emu_bin)
        try:
            ids = seed_wrapups(emu, 1, 1, "Bench existing")
            tf = Terraform(args.terraform, provider, emu, os.path.join(tmp, "both"))
            tf.config(codes_hcl(1) + "\n" + wrapups_hcl(ids, "Bench existing"))
            return measured(emu, lambda: tf.run("apply", "-auto-approve"))
        finally:
            emu.stop()

    out.append(("apply 1 code + 1 wrap-up (both types)",
                "2 logins + 1 home division + 1 page + 1 create + 1 conversation + 1 queue code "
                "list + 1 write + 1 read-back", 9, both))

    # A count of 0 skips its jobs (e.g. --codes 0 --wrapups 0 --refresh 0 --backfill N).
    out = [job for job in out
           if (n or "codes" not in job[0]) and (m or "wrap-ups" not in job[0])
           and ((n and m) or "both types" not in job[0])]

    if args.refresh:
        r, rate = args.refresh, args.rate

        def paced(provider, emu_bin, tmp):
            work = os.path.join(tmp, "paced")
            os.makedirs(work, exist_ok=True)
            state_file = os.path.join(work, "emulator-state.json")
            codes, instances = {}, []
            for i in range(r):
                cid = str(uuid.uuid4())
                name = f"Bench code {i}"
                codes[cid] = {"id": cid, "name": name, "description": None, "divisionId": HOME,
                              "dateCreated": "2026-01-01T00:00:00.000Z",
                              "dateModified": "2026-01-01T00:00:00.000Z",
                              "createdBy": "bench", "modifiedBy": "bench"}
                instances.append({
                    "index_key": i, "schema_version": 1,
                    "attributes": {"id": cid, "name": name, "division_id": HOME,
                                   "description": None},
                    "sensitive_attributes": [], "identity_schema_version": 0,
                    "identity": {"id": cid}})
            with open(state_file, "w") as f:
                json.dump({"divisions": [{"id": HOME, "name": "Home",
                                          "description": "Home division", "home": True}],
                           "wrapupCodes": codes, "queues": {}, "conversations": {}}, f)
            with open(os.path.join(work, "terraform.tfstate"), "w") as f:
                json.dump({"version": 4, "terraform_version": "1.15.5", "serial": 1,
                           "lineage": str(uuid.uuid4()), "outputs": {}, "check_results": None,
                           "resources": [{
                               "mode": "managed", "type": "genesyscloud_routing_wrapupcode",
                               "name": "code",
                               "provider": 'provider["registry.terraform.io/rustcx/genesyscloud"]',
                               "instances": instances}]}, f)
            emu = Emulator(emu_bin, "--rate-limit", str(rate), "--state", state_file)
            try:
                tf = Terraform(args.terraform, provider, emu, work, extra_env={
                    "GENESYSCLOUD_READ_CACHE": "false",
                    "GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE": str(rate)})
                tf.config(codes_hcl(r))
                return measured(emu, lambda: tf.run("plan", "-detailed-exitcode"))
            finally:
                emu.stop()

        tokens = math.ceil(r / rate)
        out.append((f"refresh {r} codes, cache off, --rate-limit {rate}, budget {rate}",
                    f"{tokens} logins (one token per {rate} reads: the pool grows) + {r} reads, "
                    "zero 429s", tokens + r, paced))

    if args.backfill:
        out.extend(backfill_jobs(args, cache))
    return out


BACKFILL_HCL = """
variable "interval" {
  type = string
}

data "genesyscloud_routing_wrapupcode" "backfill" {
  name = "Back-filled after outage"
}

data "genesyscloud_conversations" "day" {
  interval = var.interval
  wrapup   = "any"
}

locals {
  backfill = {
    for c in data.genesyscloud_conversations.day.conversations :
    c.participant_id => c
    if c.wrapup_required && (c.wrapup_code_id == null || c.wrapup_code_id == data.genesyscloud_routing_wrapupcode.backfill.id)
  }
}

resource "genesyscloud_conversation_wrapup" "backfill" {
  for_each         = local.backfill
  conversation_id  = each.value.conversation_id
  participant_id   = each.value.participant_id
  communication_id = each.value.communication_id
  wrapup_code_name = data.genesyscloud_routing_wrapupcode.backfill.name
  notes            = "Back-filled by Terraform"
}
"""


def backfill_jobs(args, cache):
    """The back-fill of N conversations over Q queues found by genesyscloud_conversations, and
    the nightly plan over them, under the emulator's --rate-limit."""
    n, q, rate, k = args.backfill, args.backfill_queues, args.rate, args.hand_changes
    pages = math.ceil(n / 100)

    def run_all(provider, emu_bin, tmp):
        emu = Emulator(emu_bin, "--rate-limit", str(rate))
        try:
            code = emu.api("POST", "/api/v2/routing/wrapupcodes", {"name": "Back-filled after outage"})
            queues = [emu.request("POST", "/__emulator/queues",
                                  {"name": f"Queue {i}", "codeIds": [code["id"]]})["queueId"]
                      for i in range(q)]
            seeded = []
            for i in range(n):
                minute = i % 1440
                seeded.append(emu.request("POST", "/__emulator/conversations", {
                    "mediaType": "call",
                    "startTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:00.000Z",
                    "endTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:30.000Z",
                    "participants": [
                        {"purpose": "customer", "state": "disconnected"},
                        {"purpose": "agent", "state": "disconnected", "queueId": queues[i % q]}]}))
            tf = Terraform(args.terraform, provider, emu, os.path.join(tmp, "backfill"),
                           extra_env={"GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE": str(rate),
                                      "TF_VAR_interval": "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z"})
            tf.config(BACKFILL_HCL)
            applied = measured(emu, lambda: tf.run("apply", "-auto-approve", "-parallelism=10"))
            planned = measured(emu, lambda: tf.run("plan", "-detailed-exitcode"))
            # k wrap-ups edited by hand (notes, under the back-fill code): the next plan shows
            # exactly those k updates.
            for one in seeded[:args.hand_changes]:
                agent = one["participants"][1]
                emu.api("POST", f"/api/v2/conversations/calls/{one['conversationId']}/participants/"
                        f"{agent['participantId']}/communications/{agent['communicationId']}/wrapup",
                        {"code": code["id"], "notes": "edited by hand"})
            caught = {}

            def plan_changes():
                out = tf.run("plan", "-detailed-exitcode", expect=(2,))
                caught["updates"] = out.stdout.count("will be updated in-place")
            changed = measured(emu, plan_changes)
            if caught["updates"] != args.hand_changes:
                raise RuntimeError(f"the plan showed {caught['updates']} updates, not {args.hand_changes}")
            return applied, planned, changed
        finally:
            emu.stop()

    def job(index):
        def run(provider, emu_bin, tmp):
            key = (provider, "backfill")
            if key not in cache:
                cache[key] = run_all(provider, emu_bin, tmp)
            return cache[key][index]
        return run

    return [
        (f"back-fill {n} conversations over {q} queues, --rate-limit {rate}",
         f"2 logins + 1 code lookup + {pages} query page(s) + {n} writes + {n} read-backs",
         2 + 1 + pages + 2 * n, job(0)),
        (f"nightly plan over {n} back-filled wrap-ups",
         f"1 login + 1 code lookup + {pages} query page(s)",
         1 + 1 + pages, job(1)),
        (f"nightly plan after {k} hand changes",
         f"1 login + 1 code lookup + {pages} query page(s) + {k} exact reads",
         1 + 1 + pages + k, job(2)),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--build", action="append", required=True, help="NAME=PROVIDER_DIR")
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--wrapups", type=int, default=20)
    parser.add_argument("--queues", type=int, default=1)
    parser.add_argument("--refresh", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=300)
    parser.add_argument("--backfill", type=int, default=0,
                        help="conversations for the back-fill jobs (0 skips them)")
    parser.add_argument("--backfill-queues", type=int, default=2)
    parser.add_argument("--hand-changes", type=int, default=5,
                        help="wrap-ups edited by hand before the last back-fill plan")
    args = parser.parse_args()
    builds = [b.split("=", 1) for b in args.build]
    tmp = tempfile.mkdtemp(prefix="api-calls-")
    rows = []
    try:
        for name, formula, floor, run in jobs(args):
            row = [name, formula, floor]
            for build, provider in builds:
                print(f"bench: {build}: {name}", file=sys.stderr, flush=True)
                got = run(provider, args.emulator, os.path.join(tmp, build))
                row.append(got)
            rows.append(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    header = "| job | floor | " + " | ".join(
        f"{b} calls (logins, 429s) | {b} ratio" for b, _ in builds) + " |"
    print(header)
    print("|" + "---|" * (2 + 2 * len(builds)))
    for name, formula, floor, *results in rows:
        cells = [name, f"{floor} = {formula}"]
        for got in results:
            cells.append(f"{got['calls']} ({got['logins']}, {got['429s']})")
            cells.append(f"{got['calls'] / floor:.2f}x")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
