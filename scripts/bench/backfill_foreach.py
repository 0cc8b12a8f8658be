"""The for_each back-fill apply against Terraform's own floor (see backfill-foreach.sh).

`compare` runs, RUNS times in turn:
- (A, `ours`) `terraform apply -parallelism=10` of the back-fill configuration (N
  `genesyscloud_conversation_wrapup` instances found by `genesyscloud_conversations`) against
  a freshly seeded emulator without a rate limit;
- (B, `floor`) the same apply of N built-in `terraform_data` instances with no provider at all:
  Terraform's floor for a graph of that size, as issue 21 defines it;
- (C, `noop`, with --noop-provider) the back-fill configuration itself, data sources, locals
  and `for_each` unchanged, with each `genesyscloud_conversation_wrapup` replaced by a resource
  of the framework's example provider (`nulllike_resource`, which calls no API and never
  waits): what Terraform itself costs for this configuration, whatever the provider does;
- (D, `sized`, with --noop-provider) the same no-op resource holding, in its `triggers` map,
  the values our resource records (its ID, the three IDs of the target, the code's ID and name,
  notes, media type and time of apply): what Terraform costs for this configuration with
  objects of our size in plan, apply and state. "ours ÷ sized" is what is left to the
  provider: its calls and waits.
The emulator runs without a rate limit and the provider's budget is lifted to match
(`--budget`); the table also gives the API floor of our calls at the platform's default limit,
300 requests a minute on each of 10 tokens, which bounds the same apply against Genesys Cloud.
Only the apply is timed (seeding, one bulk request, and `terraform init` are not); the emulator's
request counter gives the calls of each run. It prints a Markdown table of the medians, with the
bytes of state each arm left per conversation.

`--backend http` keeps every arm's state in an in-memory `http` backend (state_server.py), as
a remote backend (S3, HCP Terraform) keeps it, instead of Terraform's local file: the local
backend rewrites the whole file after every instance, so there Terraform's cost grows with
the state's bytes times the instances.

`once ours|floor|noop|sized` runs one such apply and prints its figures as one JSON line.

Usage: backfill_foreach.py --terraform T --emulator E --provider DIR --conversations N
                           [--noop-provider DIR] [--runs R] [--parallelism P] [--log DIR]
                           [--backend local|http] [--budget REQUESTS_PER_MINUTE]
                           [--rate-limit REQUESTS_PER_MINUTE]
                           compare|once ours|floor|noop|sized
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_calls import BACKFILL_HCL, Emulator, Terraform, delta  # noqa: E402
from state_server import StateServer  # noqa: E402

INTERVAL = "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z"


def floor_hcl(n):
    """N terraform_data instances keyed and built as the back-fill's are: for_each over a local
    map of objects (a for_each expression evaluated per instance would cost Terraform more)."""
    # range() stops at 1,024 values: count in thousands and units past that.
    thousands = (n + 999) // 1000
    return ("locals {\n"
            f"  numbers  = [for p in setproduct(range({thousands}), range(1000)) : "
            f"p[0] * 1000 + p[1] if p[0] * 1000 + p[1] < {n}]\n"
            "  backfill = { for i in local.numbers : \"participant-${i}\" => "
            "{ conversation_id = \"conversation-${i}\", notes = \"Back-filled by Terraform\" } }\n"
            "}\n\n"
            'resource "terraform_data" "backfill" {\n'
            "  for_each = local.backfill\n"
            "  input    = each.value\n"
            "}\n")


NOOP_SOURCE = "registry.terraform.io/example/nulllike"

NOOP_RESOURCE = """
resource "nulllike_resource" "backfill" {
  for_each = local.backfill
  input    = each.value.conversation_id
  triggers = { notes = "Back-filled by Terraform" }
}
"""


SIZED_RESOURCE = """
resource "nulllike_resource" "backfill" {
  for_each = local.backfill
  input    = each.value.conversation_id
  triggers = {
    id               = "${each.value.conversation_id}/${each.value.participant_id}"
    conversation_id  = each.value.conversation_id
    participant_id   = each.value.participant_id
    communication_id = each.value.communication_id
    wrapup_code_id   = data.genesyscloud_routing_wrapupcode.backfill.id
    wrapup_code_name = data.genesyscloud_routing_wrapupcode.backfill.name
    notes            = "Back-filled by Terraform"
    media_type       = "calls"
    applied_at       = "2026-11-30T00:00:00.000000000Z"
  }
}
"""


def noop_hcl(resource):
    """The back-fill configuration with `resource`, which calls no API, in place of ours."""
    head = BACKFILL_HCL.split('resource "genesyscloud_conversation_wrapup"')[0]
    return ('terraform {\n  required_providers {\n'
            '    nulllike = { source = "example/nulllike" }\n'
            '    genesyscloud = { source = "rustcx/genesyscloud" }\n  }\n}\n\n'
            + head + resource)


def seed(emu, n):
    """N finished calls of 2026-11-30 awaiting a wrap-up, on one queue offering the code,
    seeded in bulk (one request per 10,000)."""
    code = emu.api("POST", "/api/v2/routing/wrapupcodes", {"name": "Back-filled after outage"})
    queue = emu.request("POST", "/__emulator/queues",
                        {"name": "Support", "codeIds": [code["id"]]})["queueId"]
    conversations = []
    for i in range(n):
        minute = i % 1440
        conversations.append({
            "mediaType": "call",
            "startTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:00.000Z",
            "endTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:30.000Z",
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": "disconnected", "queueId": queue}]})
    for first in range(0, n, 10_000):
        emu.request("POST", "/__emulator/conversations/bulk", conversations[first:first + 10_000])


def run_ours(args, tmp, index, arm="ours"):
    """One back-fill apply against a freshly seeded emulator: (seconds, state bytes, calls,
    logins, 429s); with `arm` "noop" or "sized", the same configuration with that no-op
    resource in place of ours."""
    noop = {"ours": None, "noop": NOOP_RESOURCE, "sized": SIZED_RESOURCE}[arm]
    emu = Emulator(args.emulator, *(["--rate-limit", str(args.rate_limit)] if args.rate_limit else []))
    try:
        seed(emu, args.conversations)
        name = f"{arm}-{index}"
        work = os.path.join(tmp, name)
        extra = {"TF_VAR_interval": INTERVAL}
        if args.budget:
            extra["GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE"] = str(args.budget)
        if args.log and not noop:
            os.makedirs(args.log, exist_ok=True)
            extra.update(TF_LOG_PROVIDER="debug",
                         TF_LOG_PATH=os.path.join(args.log, f"ours-{index}.log"))
        tf = Terraform(args.terraform, args.provider, emu, work, extra_env=extra)
        if noop:
            with open(os.path.join(work, "cli.tfrc"), "w") as f:
                f.write('provider_installation {\n  dev_overrides {\n'
                        f'    "registry.terraform.io/rustcx/genesyscloud" = "{args.provider}"\n'
                        f'    "{NOOP_SOURCE}" = "{args.noop_provider}"\n'
                        '  }\n  direct {}\n}\n')
            with open(os.path.join(work, "main.tf"), "w") as f:
                f.write(noop_hcl(noop))
        else:
            tf.config(BACKFILL_HCL)
        if args.state_server:
            with open(os.path.join(work, "backend.tf"), "w") as f:
                f.write(args.state_server.backend_hcl(name))
            tf.run("init")
        before = emu.counts()
        started = time.monotonic()
        out = tf.run("apply", "-auto-approve", f"-parallelism={args.parallelism}")
        seconds = time.monotonic() - started
        calls = delta(before, emu.counts())
        added = f"{args.conversations} added"
        if added not in out.stdout:
            raise RuntimeError(f"the apply did not report '{added}':\n{out.stdout[-2000:]}")
        state_bytes = state_size(args, work, name)
        shutil.rmtree(work, ignore_errors=True)
        return {"seconds": seconds, "state_bytes": state_bytes, **calls}
    finally:
        emu.stop()


def run_floor(args, tmp, index):
    """One apply of N terraform_data instances, no provider: (seconds, state bytes)."""
    name = f"floor-{index}"
    work = os.path.join(tmp, name)
    os.makedirs(work)
    with open(os.path.join(work, "main.tf"), "w") as f:
        f.write(floor_hcl(args.conversations))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_LOG")}
    env.update(TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    if args.state_server:
        with open(os.path.join(work, "backend.tf"), "w") as f:
            f.write(args.state_server.backend_hcl(name))
        init = subprocess.run([args.terraform, "init", "-input=false", "-no-color"],
                              cwd=work, env=env, capture_output=True, text=True)
        if init.returncode != 0:
            raise RuntimeError(f"the floor init failed:\n{init.stdout[-2000:]}{init.stderr[-2000:]}")
    started = time.monotonic()
    done = subprocess.run([args.terraform, "apply", "-auto-approve", "-input=false", "-no-color",
                           "-lock=false", f"-parallelism={args.parallelism}"],
                          cwd=work, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"the floor apply failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    state_bytes = state_size(args, work, name)
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": seconds, "state_bytes": state_bytes}


def state_size(args, work, name):
    """Bytes of the state the apply left: the local state file, or the state server's copy."""
    if args.state_server:
        return args.state_server.size(name)
    path = os.path.join(work, "terraform.tfstate")
    return os.path.getsize(path) if os.path.exists(path) else 0


def print_table(args, runs):
    """The medians of the times and of the pairwise ratios, as a Markdown table."""
    n = args.conversations
    median = statistics.median

    def seconds(arm):
        return f"{median(r['seconds'] for r in runs[arm]):.1f} s"

    def ratio(a, b):
        return f"{median(x['seconds'] / y['seconds'] for x, y in zip(runs[a], runs[b])):.2f}x"
    ours = runs["ours"]
    calls = median(r["calls"] for r in ours)
    columns = [("N", f"{n:,}"), ("`-parallelism`", str(args.parallelism)),
               ("state", args.backend), ("ours", seconds("ours")),
               ("floor (`terraform_data`)", seconds("floor")),
               ("ours ÷ floor", ratio("ours", "floor"))]
    if "noop" in runs:
        columns += [("no-op resource", seconds("noop")), ("no-op ÷ floor", ratio("noop", "floor")),
                    ("no-op of our size", seconds("sized")),
                    ("sized ÷ floor", ratio("sized", "floor")),
                    ("ours ÷ sized", ratio("ours", "sized"))]
    columns += [("calls per conversation", f"{calls / n:.3f}"),
                ("API floor at 300 a minute × 10 tokens", f"{calls / 3000 * 60:.0f} s"),
                ("429s", str(max(r["429s"] for r in ours))),
                ("state bytes per conversation (" + "/".join(runs) + ")",
                 "/".join(f"{median(r['state_bytes'] for r in runs[arm]) / n:.0f}"
                          for arm in runs))]
    print("| " + " | ".join(head for head, _ in columns) + " |")
    print("|" + "---|" * len(columns))
    print("| " + " | ".join(value for _, value in columns) + " |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--provider", required=True, help="the directory of the provider binary")
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--log", help="keep each of our applies' provider debug log here")
    parser.add_argument("--noop-provider",
                        help="the directory of terraform-provider-nulllike (the framework's "
                             "null_provider example): adds the two no-op arms")
    parser.add_argument("--backend", choices=["local", "http"], default="local",
                        help="where every arm keeps its state: Terraform's local file (default), "
                             "or an in-memory http backend, as a remote backend keeps it")
    parser.add_argument("--budget", type=int, default=100_000,
                        help="the provider's max_requests_per_minute (default 100,000, the most it "
                             "accepts: the emulator has no limit, so the provider's pace is lifted too; 0 "
                             "keeps the provider's default, the org's limit of 300 a token)")
    parser.add_argument("--rate-limit", type=int, default=0,
                        help="the emulator's requests a minute per token (default: none); with "
                             "--budget 0, the apply as against Genesys Cloud's default limit")
    parser.add_argument("mode", choices=["compare", "once"])
    parser.add_argument("which", nargs="?", choices=["ours", "floor", "noop", "sized"])
    args = parser.parse_args()
    runners = {"ours": run_ours, "floor": run_floor,
               "noop": lambda a, t, i: run_ours(a, t, i, arm="noop"),
               "sized": lambda a, t, i: run_ours(a, t, i, arm="sized")}
    arms = ["ours", "floor"] + (["noop", "sized"] if args.noop_provider else [])
    tmp = tempfile.mkdtemp(prefix="backfill-foreach-")
    args.state_server = StateServer() if args.backend == "http" else None
    try:
        if args.mode == "once":
            if args.which in ("noop", "sized") and not args.noop_provider:
                parser.error(f"once {args.which} needs --noop-provider")
            print(json.dumps(runners[args.which](args, tmp, 0)))
            return
        runs = {arm: [] for arm in arms}
        for index in range(args.runs):
            for arm in arms:
                runs[arm].append(runners[arm](args, tmp, index))
            print(f"run {index + 1}: " + ", ".join(
                f"{arm} {runs[arm][-1]['seconds']:.1f} s" for arm in arms)
                + f" ({runs['ours'][-1]['calls']} calls)", file=sys.stderr)
        print_table(args, runs)
    finally:
        if args.state_server:
            args.state_server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
