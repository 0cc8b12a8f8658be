#!/usr/bin/env python3
"""First-page benchmark (not a test): seeds N conversations as backfill.py does (emulator on CPU
0), then times the same filtered details query twice from one kept-alive connection: the first
answer evaluates the filter on every conversation of the day, the second is served from the
cached matches. Prints one JSON line.

    python3 scripts/bench/first_page.py EMULATOR_BINARY N
"""
import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import backfill  # noqa: E402

QUEUE = "5b8c1f0e-4a7d-4e39-9a51-000000000001"  # the queue backfill.seed puts every agent on


def main():
    binary, n = sys.argv[1], int(sys.argv[2])
    emulator = backfill.Emulator(binary, 0, {0})
    try:
        backfill.seed(emulator, n)
        connection = http.client.HTTPConnection(emulator.url.split("//", 1)[1], timeout=600)
        body = json.dumps({
            "interval": backfill.INTERVAL, "paging": {"pageSize": 100, "pageNumber": 1},
            "segmentFilters": [{"type": "or", "predicates": [
                {"dimension": "queueId", "value": QUEUE}]}]})
        headers = {"Authorization": f"Bearer {emulator.token}",
                   "Content-Type": "application/json"}
        times = []
        for _ in range(2):
            started = time.perf_counter()
            connection.request("POST", backfill.QUERY.split(" ", 1)[1], body=body,
                               headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                raise RuntimeError(f"the query answered {response.status}: {answer[:300]}")
            times.append(round((time.perf_counter() - started) * 1000, 1))
        print(json.dumps({"conversations": n, "first_ms": times[0], "cached_ms": times[1],
                          "total_hits": json.loads(answer)["totalHits"]}))
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
