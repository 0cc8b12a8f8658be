#!/usr/bin/env python3
"""Back-fill benchmark (not a test): the genesyscloud_conversation_wrapup_backfill action over N
seeded conversations against the emulator (release builds), through the real Terraform CLI.

For each run (N conversations, emulator rate limit per token, token_pool_size) it reports the
calls the emulator counted (by kind), calls per conversation net of query pages and logins,
429s, wall time of the `terraform apply -invoke`, the action's own time, the API floor
(calls / (limit x tokens) minutes) when rate-limited, the provider's peak RSS (rss-wrapper),
and, without a rate limit, the time the emulator needs to serve the same calls to a client
that does nothing else (emulator example serve_floor, same concurrency).

Seeding is one bulk request per 10,000 conversations (POST /__emulator/conversations/bulk),
all on one queue, all ended, spread over one day; none holds a wrap-up.
"""
import argparse
import base64
import http.client
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CLIENT_ID, CLIENT_SECRET = "emulator-client", "emulator-secret"
DAY = "2026-11-30"
INTERVAL = f"{DAY}T00:00:00Z/2026-12-01T00:00:00Z"
WRITE = ("POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}"
         "/communications/{communicationId}/wrapup")
READ_BACK = "GET /api/v2/conversations/{conversationId}/participants/{participantId}/wrapup"
QUERY = "POST /api/v2/analytics/conversations/details/query"
LOGIN = "POST /oauth/token"


def on_cpus(cpus):
    """A preexec_fn that keeps the child (and every thread and process it starts) on `cpus`;
    None when not pinning."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


class Emulator:
    def __init__(self, binary, rate, cpus=None):
        args = [binary, "--listen", "127.0.0.1:0"]
        if rate:
            args += ["--rate-limit", str(rate)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, preexec_fn=on_cpus(cpus))
        line = self.proc.stdout.readline().strip()
        self.url = line.split()[-1]
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        req = urllib.request.Request(f"{self.url}/oauth/token",
                                     data=b"grant_type=client_credentials", method="POST")
        req.add_header("Authorization", f"Basic {basic}")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        self.token = json.loads(urllib.request.urlopen(req).read())["access_token"]

    def call(self, method, path, body=None, api=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if api:
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=600) as response:
            text = response.read()
        return json.loads(text) if text else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def seed(emulator, n):
    code = emulator.call("POST", "/api/v2/routing/wrapupcodes",
                         {"name": "Outage follow-up"}, api=True)["id"]
    queue = "5b8c1f0e-4a7d-4e39-9a51-000000000001"
    emulator.call("PUT", f"/__emulator/queues/{queue}/wrapupcodes",
                  {"name": "Support", "codeIds": [code]})
    for first in range(0, n, 10_000):
        batch = []
        for i in range(first, min(n, first + 10_000)):
            ms = i * (86_399_000 // max(n, 1))
            start = time.strftime("%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}"
            batch.append({
                "mediaType": "call",
                "startTime": f"{DAY}T{start}Z",
                "participants": [
                    {"purpose": "customer", "state": "disconnected"},
                    {"purpose": "agent", "state": "disconnected", "queueId": queue},
                ]})
        emulator.call("POST", "/__emulator/conversations/bulk", batch)
    return code


def run_action(args, emulator, workdir, n, tokens, rate):
    os.makedirs(workdir, exist_ok=True)
    plugins = os.path.join(workdir, "plugins")
    os.makedirs(plugins, exist_ok=True)
    wrapped = os.path.join(plugins, "terraform-provider-genesyscloud")
    if not os.path.exists(wrapped):
        os.symlink(args.wrapper, wrapped)
    rc = os.path.join(workdir, "cli.tfrc")
    with open(rc, "w") as f:
        f.write('provider_installation {\n  dev_overrides {\n'
                f'    "registry.terraform.io/rustcx/genesyscloud" = "{plugins}"\n'
                '  }\n  direct {}\n}\n')
    with open(os.path.join(workdir, "main.tf"), "w") as f:
        f.write('terraform {\n  required_providers {\n'
                '    genesyscloud = { source = "rustcx/genesyscloud" }\n  }\n}\n\n'
                f'provider "genesyscloud" {{\n  token_pool_size = {tokens}\n'
                # Without a limit on the emulator, the provider's own budget is lifted too
                # (its most); with one, the provider reads the org's limit as it would.
                + ('' if rate else '  max_requests_per_minute = 100000\n') + '}\n\n'
                'action "genesyscloud_conversation_wrapup_backfill" "day" {\n  config {\n'
                f'    interval          = "{INTERVAL}"\n'
                '    wrapup_code_name  = "Outage follow-up"\n'
                '    notes             = "bench"\n'
                f'    max_conversations = {n}\n  }}\n}}\n')
    rss_log = os.path.join(workdir, "rss.log")
    env = dict(os.environ, TF_CLI_CONFIG_FILE=rc, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1",
               GENESYSCLOUD_API_URL=emulator.url, GENESYSCLOUD_LOGIN_URL=emulator.url,
               GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
               GENESYSCLOUD_OAUTHCLIENT_SECRET=CLIENT_SECRET,
               BENCH_REAL=args.provider, BENCH_RSS_LOG=rss_log)
    for key in [k for k in env if k.startswith("TF_LOG")]:
        del env[key]
    started = time.monotonic()
    done = subprocess.run([args.terraform, "apply", "-auto-approve", "-input=false", "-no-color",
                           "-invoke=action.genesyscloud_conversation_wrapup_backfill.day"],
                          cwd=workdir, env=env, capture_output=True, text=True,
                          preexec_fn=on_cpus(args.client_cpus))
    wall = time.monotonic() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise RuntimeError(f"the action exited {done.returncode}")
    summary = [l for l in done.stdout.splitlines() if " finished: " in l]
    with open(rss_log) as f:
        processes = [line.split() for line in f if line.strip()]
    rss = max(int(p[0]) for p in processes)
    # User and system CPU of every provider process of the run (rss-wrapper), in seconds.
    cpu = sum(int(p[1]) + int(p[2]) for p in processes if len(p) >= 3) / 1e6
    return (wall, own_seconds(summary[-1]) if summary else None, rss, cpu,
            summary[-1] if summary else "")


def own_seconds(summary):
    """The action's own time from its summary: conversations examined over its rate (which
    carries more digits than the time it prints to a tenth of a second)."""
    rate = re.search(r"([0-9]+) conversations examined .* \(([0-9.]+) conversations/s\)", summary)
    if rate and float(rate.group(2)) > 0:
        return int(rate.group(1)) / float(rate.group(2))
    own = re.search(r"in ([0-9.]+) s", summary)
    return float(own.group(1)) if own else None


def latencies(emulator, n, code, samples=100):
    """Median and 95th-percentile milliseconds of a query page, a 100-id multi-get and a
    wrap-up write, each timed from this Python client over one kept-alive connection (the
    client's own overhead included)."""
    host = emulator.url.split("//", 1)[1]
    connection = http.client.HTTPConnection(host, timeout=60)
    connection.connect()
    # http.client sends headers and body apart: without this, Nagle's algorithm and delayed
    # ACKs add tens of milliseconds to a POST that are no part of the emulator's time.
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    headers = {"Authorization": f"Bearer {emulator.token}", "Content-Type": "application/json"}
    def timed(method, path, body=None):
        data = None if body is None else json.dumps(body)
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status}: {text[:300]}")
        return elapsed, json.loads(text) if text else None
    query, multi, write = [], [], []
    pages = max(1, n // 100)
    for i in range(samples):
        page = 1 + (i * 7919) % pages
        ms, answer = timed("POST", "/api/v2/analytics/conversations/details/query", {
            "interval": INTERVAL, "order": "asc", "orderBy": "conversationStart",
            "paging": {"pageSize": 100, "pageNumber": page}})
        query.append(ms)
        conversations = answer.get("conversations", [])
        ids = ",".join(c["conversationId"] for c in conversations)
        ms, _ = timed("GET", f"/api/v2/analytics/conversations/details?id={ids}")
        multi.append(ms)
        c = conversations[i % len(conversations)]
        agent = c["participants"][1]
        ms, _ = timed("POST", f"/api/v2/conversations/calls/{c['conversationId']}/participants/"
                      f"{agent['participantId']}/communications/"
                      f"{agent['sessions'][0]['sessionId']}/wrapup", {"code": code})
        write.append(ms)
    def stats(values):
        values = sorted(values)
        return {"min_ms": round(values[0], 3), "p50_ms": round(values[len(values) // 2], 3),
                "p95_ms": round(values[int(len(values) * 0.95)], 3)}
    return {"query_page": stats(query), "multi_get_100": stats(multi), "write": stats(write)}


def measure(args, n, rate, tokens):
    emulator = Emulator(args.emulator, rate, args.emulator_cpus)
    try:
        code = seed(emulator, n)
        before = emulator.call("GET", "/__emulator/requests")
        with tempfile.TemporaryDirectory() as work:
            wall, own, rss, cpu, summary = run_action(args, emulator, work, n, tokens, rate)
        after = emulator.call("GET", "/__emulator/requests")
        routes = lambda key: after["routes"].get(key, 0) - before["routes"].get(key, 0)
        calls = after["total"] - before["total"]
        pages, logins = routes(QUERY), routes(LOGIN)
        result = {
            "conversations": n, "rate_limit": rate, "tokens": tokens,
            "calls": calls, "writes": routes(WRITE), "read_backs": routes(READ_BACK),
            "query_pages": pages, "logins": logins,
            "other": calls - routes(WRITE) - routes(READ_BACK) - pages - logins,
            "per_conversation": round((calls - pages - logins) / n, 4),
            "429s": after["statuses"].get("429", 0) - before["statuses"].get("429", 0),
            "wall_s": round(wall, 3), "action_s": round(own, 3) if own else None, "peak_rss_mib": round(rss / 1024, 1),
            "provider_cpu_s": round(cpu, 3),
            "summary": summary.split(": ", 1)[-1],
        }
        if args.latency and not rate:
            result["latency"] = latencies(emulator, n, code)
        if args.latency_probe and not rate:
            probe = subprocess.run([args.latency_probe, emulator.url, INTERVAL, code, str(n)],
                                   capture_output=True, text=True, check=True,
                                   preexec_fn=on_cpus(args.client_cpus))
            result["latency_rust"] = json.loads(probe.stdout)
        if rate:
            floor = calls / (rate * tokens) * 60
            result.update(floor_s=round(floor, 1), wall_over_floor=round(wall / floor, 3))
        elif args.serve_floor:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            floor = subprocess.run([args.serve_floor, emulator.url, INTERVAL, code, "40"],
                                   capture_output=True, text=True, check=True,
                                   preexec_fn=on_cpus(args.client_cpus))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # The bare client's CPU for the same calls: steadier than the times on a shared
            # machine, and what the provider's CPU is to be compared with.
            serve_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            served = json.loads(floor.stdout)
            result.update(serve_calls=served["calls"], serve_s=round(served["seconds"], 3),
                          wall_over_serve=round(wall / served["seconds"], 3),
                          action_over_serve=round((own or wall) / served["seconds"], 3),
                          serve_client_cpu_s=round(serve_cpu, 3),
                          provider_cpu_over_client_cpu=round(cpu / serve_cpu, 3))
        return result
    finally:
        emulator.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provider", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--wrapper", required=True, help="compiled rss-wrapper")
    parser.add_argument("--serve-floor", help="the emulator's serve_floor example binary")
    parser.add_argument("--latency-probe",
                        help="the emulator's latency_probe example binary: single requests "
                             "timed by a Rust client that reads bodies as bytes")
    parser.add_argument("--pin", action="store_true",
                        help="run the emulator on CPU 0 and the client side (Terraform and the "
                             "provider, or serve_floor) on CPU 1, so neither side's work slows "
                             "the other's and the serve floor is the emulator's own")
    parser.add_argument("--latency", action="store_true",
                        help="after each unlimited run, time single requests")
    parser.add_argument("runs", nargs="+",
                        help="CONVERSATIONS:RATE_LIMIT:TOKENS (rate 0 = no limit)")
    args = parser.parse_args()
    args.emulator_cpus, args.client_cpus = ({0}, {1}) if args.pin else (None, None)
    for spec in args.runs:
        n, rate, tokens = (int(x) for x in spec.split(":"))
        print(json.dumps(measure(args, n, rate, tokens)), flush=True)


if __name__ == "__main__":
    main()
