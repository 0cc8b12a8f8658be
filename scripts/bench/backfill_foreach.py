"""The for_each back-fill apply against Terraform's own floor (see backfill-foreach.sh).

`compare` runs, RUNS times in turn, (A) `terraform apply -parallelism=10` of the back-fill
configuration (N `genesyscloud_conversation_wrapup` instances found by
`genesyscloud_conversations`) against a fresh emulator without a rate limit, and (B) the same
apply of N built-in `terraform_data` instances with no provider at all: Terraform's floor for a
graph of that size. Only the apply is timed (seeding is not); the emulator's request counter
gives the calls of each run. It prints a Markdown table of the medians.

`once ours|floor` runs one such apply (seeding included for `ours`) and prints its figures as
one JSON line, for timing the whole process from outside.

Usage: backfill_foreach.py --terraform T --emulator E --provider DIR --conversations N
                           [--runs R] [--parallelism P] [--log DIR] compare|once ours|floor
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
    return ("locals {\n"
            f"  backfill = {{ for i in range({n}) : \"participant-${{i}}\" => "
            "{ conversation_id = \"conversation-${i}\", notes = \"Back-filled by Terraform\" } }\n"
            "}\n\n"
            'resource "terraform_data" "backfill" {\n'
            "  for_each = local.backfill\n"
            "  input    = each.value\n"
            "}\n")


def seed(emu, n):
    """N finished calls of 2026-11-30 awaiting a wrap-up, on one queue offering the code."""
    code = emu.api("POST", "/api/v2/routing/wrapupcodes", {"name": "Back-filled after outage"})
    queue = emu.request("POST", "/__emulator/queues",
                        {"name": "Support", "codeIds": [code["id"]]})["queueId"]
    for i in range(n):
        minute = i % 1440
        emu.request("POST", "/__emulator/conversations", {
            "mediaType": "call",
            "startTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:00.000Z",
            "endTime": f"2026-11-30T{minute // 60:02}:{minute % 60:02}:30.000Z",
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": "disconnected", "queueId": queue}]})


def run_ours(args, tmp, index):
    """One back-fill apply against a freshly seeded emulator: (seconds, calls, logins, 429s)."""
    emu = Emulator(args.emulator)
    try:
        seed(emu, args.conversations)
        work = os.path.join(tmp, f"ours-{index}")
        extra = {"TF_VAR_interval": INTERVAL}
        if args.log:
            os.makedirs(args.log, exist_ok=True)
            extra.update(TF_LOG_PROVIDER="debug",
                         TF_LOG_PATH=os.path.join(args.log, f"ours-{index}.log"))
        tf = Terraform(args.terraform, args.provider, emu, work, extra_env=extra)
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
    parser.add_argument("mode", choices=["compare", "once"])
    parser.add_argument("which", nargs="?", choices=["ours", "floor"])
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="backfill-foreach-")
    try:
        if args.mode == "once":
            run = run_ours if args.which == "ours" else run_floor
            print(json.dumps(run(args, tmp, 0)))
            return
        ours, floor = [], []
        for index in range(args.runs):
            ours.append(run_ours(args, tmp, index))
            floor.append(run_floor(args, tmp, index))
            print(f"run {index + 1}: ours {ours[-1]['seconds']:.1f} s ({ours[-1]['calls']} calls), "
                  f"floor {floor[-1]['seconds']:.1f} s", file=sys.stderr)
        n = args.conversations
        ours_s = statistics.median(r["seconds"] for r in ours)
        floor_s = statistics.median(r["seconds"] for r in floor)
        ratios = statistics.median(o["seconds"] / f["seconds"] for o, f in zip(ours, floor))
        calls = statistics.median(r["calls"] for r in ours)
        print("| N | apply: ours | apply: Terraform's floor | ratio (median of pairs) "
              "| API calls | calls per conversation | 429s |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {n:,} | {ours_s:.1f} s | {floor_s:.1f} s | {ratios:.2f}x | {calls:.0f} "
              f"| {calls / n:.3f} | {max(r['429s'] for r in ours)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
