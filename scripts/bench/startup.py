"""Start-up benchmark: our provider against the Go terraform-provider-null 2.1.2, side by side.

Run through scripts/bench/startup.sh, which builds the release binary, installs the null
provider and the RSS wrapper, and passes their paths here. For each provider, in the same run
and interleaved so machine noise hits both alike:

* wall time of `terraform validate` on a config holding only that provider's block;
* plugin start-to-schema time: from Terraform's "starting plugin" log line to the first line
  Terraform logs after its GetProviderSchema call returns (TF_LOG=trace timestamps, ms);
* peak RSS of each provider process (ru_maxrss recorded by rss-wrapper around the binary).

A run without any provider gives Terraform's own baseline for the validate wall time.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z \[(\w+)\]\s+(.*)$")


class Subject:
    """One provider under test: its dev_overrides source, binary and config."""

    def __init__(self, label, source, type_name, binary, provider_block):
        self.label = label
        self.source = source
        self.type_name = type_name
        self.binary = Path(binary).resolve()
        self.provider_block = provider_block
        self.validate_s = []
        self.start_to_schema_ms = []
        self.rss_kib = []


def cli_config(path, source, directory):
    path.write_text(
        "provider_installation {\n  dev_overrides {\n"
        f'    "{source}" = "{directory}"\n'
        "  }\n  direct {}\n}\n"
    )


def prepare(subject, root, wrapper):
    """Work dir plus two plugin dirs: the real binary, and the RSS wrapper under its name."""
    base = root / subject.label
    work = base / "work"
    work.mkdir(parents=True)
    (work / "main.tf").write_text(subject.provider_block)
    name = f"terraform-provider-{subject.type_name}"
    direct = base / "direct"
    direct.mkdir()
    (direct / name).symlink_to(subject.binary)
    wrapped = base / "wrapped"
    wrapped.mkdir()
    shutil.copy(wrapper, wrapped / name)
    subject.work = work
    subject.direct_rc = base / "direct.tfrc"
    subject.wrapped_rc = base / "wrapped.tfrc"
    subject.rss_log = base / "rss.log"
    cli_config(subject.direct_rc, subject.source, direct)
    cli_config(subject.wrapped_rc, subject.source, wrapped)


def terraform_env(cli_rc):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GENESYSCLOUD_"))}
    env.update(TF_CLI_CONFIG_FILE=str(cli_rc), TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    return env


def validate(terraform, work, env):
    started = time.perf_counter()
    result = subprocess.run(
        [terraform, "validate", "-no-color"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"terraform validate failed in {work}:\n{result.stdout}\n{result.stderr}")
    return elapsed


def stamp(text):
    return datetime.fromisoformat(text)


def start_to_schema(log_text):
    """Milliseconds from each 'starting plugin' to the end of its GetProviderSchema call."""
    spans = []
    started = None
    in_schema_call = False
    for raw in log_text.splitlines():
        match = LINE.match(raw)
        if not match:
            continue
        when, _level, message = match.groups()
        if message.startswith("provider: starting plugin:"):
            started = stamp(when)
            in_schema_call = False
        elif started and re.match(r"GRPCProvider(\.v6)?: GetProviderSchema$", message):
            in_schema_call = True
        elif in_schema_call and not message.startswith(("provider.stdio", "provider.terraform-provider-")):
            spans.append((stamp(when) - started).total_seconds() * 1000)
            started = None
            in_schema_call = False
    return spans


def measure(subject, terraform):
    env = terraform_env(subject.direct_rc)
    subject.validate_s.append(validate(terraform, subject.work, env))

    log = subject.work.parent / "trace.log"
    trace_env = dict(env, TF_LOG="trace", TF_LOG_PATH=str(log))
    if log.exists():
        log.unlink()
    validate(terraform, subject.work, trace_env)
    spans = start_to_schema(log.read_text())
    if not spans:
        sys.exit(f"no start-to-schema span found in {log}")
    subject.start_to_schema_ms.extend(spans)

    wrapped_env = terraform_env(subject.wrapped_rc)
    wrapped_env.update(BENCH_REAL=str(subject.binary), BENCH_RSS_LOG=str(subject.rss_log))
    if subject.rss_log.exists():
        subject.rss_log.unlink()
    validate(terraform, subject.work, wrapped_env)
    peaks = [int(line.split()[0]) for line in subject.rss_log.read_text().splitlines() if line.strip()]
    if not peaks:
        sys.exit(f"the RSS wrapper recorded nothing for {subject.label}")
    subject.rss_kib.extend(peaks)


def summary(values):
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return statistics.median(ordered), p90


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--ours", required=True, help="release build of our provider")
    parser.add_argument("--null", required=True, help="terraform-provider-null 2.1.2 binary")
    parser.add_argument("--wrapper", required=True, help="compiled rss-wrapper")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    args.terraform = str(Path(args.terraform).resolve())

    ours = Subject(
        "ours",
        "registry.terraform.io/rustcx/genesyscloud",
        "genesyscloud",
        args.ours,
        'terraform {\n  required_providers {\n    genesyscloud = { source = "rustcx/genesyscloud" }\n'
        '  }\n}\n\nprovider "genesyscloud" {}\n',
    )
    null = Subject(
        "null",
        "registry.terraform.io/hashicorp/null",
        "null",
        args.null,
        'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\n\n'
        'provider "null" {}\n',
    )
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        root = Path(tmp)
        for subject in (ours, null):
            prepare(subject, root, args.wrapper)
        baseline_work = root / "baseline"
        baseline_work.mkdir()
        (baseline_work / "main.tf").write_text("terraform {}\n")
        baseline_env = terraform_env(ours.direct_rc)
        baseline = []

        for subject in (ours, null):
            validate(args.terraform, subject.work, terraform_env(subject.direct_rc))
        for run in range(args.runs):
            for subject in (ours, null) if run % 2 == 0 else (null, ours):
                measure(subject, args.terraform)
            baseline.append(validate(args.terraform, baseline_work, baseline_env))

    def row(name, unit, ours_values, null_values, scale=1.0):
        o_med, o_p90 = summary([v * scale for v in ours_values])
        n_med, n_p90 = summary([v * scale for v in null_values])
        return (
            f"| {name} | {o_med:.1f} {unit} (p90 {o_p90:.1f}) | {n_med:.1f} {unit} "
            f"(p90 {n_p90:.1f}) | {o_med / n_med:.2f}× |"
        )

    base_med, _ = summary([v * 1000 for v in baseline])
    print(f"\nstart-up benchmark: {args.runs} runs each, interleaved; medians (p90)\n")
    print("| metric | ours (Rust) | terraform-provider-null 2.1.2 (Go) | ours / null |")
    print("|---|---|---|---|")
    print(row("`terraform validate` wall time", "ms", ours.validate_s, null.validate_s, 1000))
    print(row("plugin start → schema answered", "ms", ours.start_to_schema_ms, null.start_to_schema_ms))
    print(row("provider peak RSS", "MiB", ours.rss_kib, null.rss_kib, 1 / 1024))
    print(f"\nTerraform alone (validate, no provider): {base_med:.1f} ms median")
    print(
        f"samples: validate {len(ours.validate_s)}/{len(null.validate_s)}, "
        f"start-to-schema {len(ours.start_to_schema_ms)}/{len(null.start_to_schema_ms)} "
        f"(one per provider process), RSS {len(ours.rss_kib)}/{len(null.rss_kib)} processes"
    )


if __name__ == "__main__":
    main()
