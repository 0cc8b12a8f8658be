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
  waits): what Terraform itself costs for this configuration, whatever the provider does.
Only the apply is timed (seeding, one bulk request, is not); the emulator's request counter
gives the calls of each run. It prints a Markdown table of the medians.

`once ours|floor|noop` runs one such apply and prints its figures as one JSON line.

Usage: backfill_foreach.py --terraform T --emulator E --provider DIR --conversations N
                           [--noop-provider DIR] [--runs R] [--parallelism P] [--log DIR]
                           compare|once ours|floor|noop
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


def noop_hcl():
    """The back-fill configuration with a resource that calls no API in place of ours."""
    head = BACKFILL_HCL.split('resource "genesyscloud_conversation_wrapup"')[0]
    return ('terraform {\n  required_providers {\n'
            '    nulllike = { source = "example/nulllike" }\n  }\n}\n\n' + head + NOOP_RESOURCE)


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


def run_ours(args, tmp, index, noop=False):
    """One back-fill apply against a freshly seeded emulator: (seconds, calls, logins, 429s);
    with `noop`, the same configuration with the no-op resource in place of ours."""
    emu = Emulator(args.emulator)
    try:
        seed(emu, args.conversations)
        work = os.path.join(tmp, f"{'noop' if noop else 'ours'}-{index}")
        extra = {"TF_VAR_interval": INTERVAL}
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
                f.write(noop_hcl().replace("terraform {\n  required_providers {\n",
                                           "terraform {\n  required_providers {\n"
                                           '    genesyscloud = { source = "rustcx/genesyscloud" }\n', 1))
        else:
            tf.config(BACKFILL_HCL)
        before = emu.counts()
        started = time.monotonic()
        out = tf.run("apply", "-auto-approve", f"-parallelism={args.parallelism}")
        seconds = time.monotonic() - started
        calls = delta(before, emu.counts())
        added = f"{args.conversations} added"
        if added not in out.stdout:
            raise RuntimeError(f"the apply did not report '{added}':\n{out.stdout[-2000:]}")
        shutil.rmtree(work, ignore_errors=True)
        return {"seconds": seconds, **calls}
    finally:
        emu.stop()


def run_floor(args, tmp, index):
    """One apply of N terraform_data instances, no provider: (seconds,)."""
    work = os.path.join(tmp, f"floor-{index}")
    os.makedirs(work)
    with open(os.path.join(work, "main.tf"), "w") as f:
        f.write(floor_hcl(args.conversations))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_LOG")}
    env.update(TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    started = time.monotonic()
    done = subprocess.run([args.terraform, "apply", "-auto-approve", "-input=false", "-no-color",
                           "-lock=false", f"-parallelism={args.parallelism}"],
                          cwd=work, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"the floor apply failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": seconds}


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
                             "null_provider example): adds the same-configuration arm")
    parser.add_argument("mode", choices=["compare", "once"])
    parser.add_argument("which", nargs="?", choices=["ours", "floor", "noop"])
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="backfill-foreach-")
    try:
        if args.mode == "once":
            if args.which == "noop" and not args.noop_provider:
                parser.error("once noop needs --noop-provider")
            run = {"ours": run_ours, "floor": run_floor,
                   "noop": lambda a, t, i: run_ours(a, t, i, noop=True)}[args.which]
            print(json.dumps(run(args, tmp, 0)))
            return
        ours, floor, noop = [], [], []
        for index in range(args.runs):
            ours.append(run_ours(args, tmp, index))
            floor.append(run_floor(args, tmp, index))
            if args.noop_provider:
                noop.append(run_ours(args, tmp, index, noop=True))
            print(f"run {index + 1}: ours {ours[-1]['seconds']:.1f} s ({ours[-1]['calls']} calls), "
                  f"floor {floor[-1]['seconds']:.1f} s"
                  + (f", same configuration with the no-op resource {noop[-1]['seconds']:.1f} s"
                     if noop else ""), file=sys.stderr)
        n = args.conversations
        median = statistics.median

        def pairs(a, b):
            return median(x["seconds"] / y["seconds"] for x, y in zip(a, b))
        calls = median(r["calls"] for r in ours)
        head = "| N | apply: ours | apply: Terraform's floor | ours ÷ floor "
        row = (f"| {n:,} | {median(r['seconds'] for r in ours):.1f} s "
               f"| {median(r['seconds'] for r in floor):.1f} s | {pairs(ours, floor):.2f}x ")
        if noop:
            head += "| apply: same configuration, no-op resource | no-op ÷ floor | ours ÷ no-op "
            row += (f"| {median(r['seconds'] for r in noop):.1f} s | {pairs(noop, floor):.2f}x "
                    f"| {pairs(ours, noop):.2f}x ")
        head += "| API calls | calls per conversation | 429s |"
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        print(row + f"| {calls:.0f} | {calls / n:.3f} | {max(r['429s'] for r in ours)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
