#!/usr/bin/env python3
"""A bounded load test of `truce serve` on loopback: N single-text negotiations of the Harbour Truce
at once, each driven by a thread playing the mediator and both parties over the JSON API, every
action acknowledged only once stored. Prints throughput and p50/p99 latency of the actions and of
the mediator's evaluation of a text against every party's private preferences.

    cargo build --release -p truce-cli
    python3 bench/server.py                                  # SQLite, 100 negotiations, 10 rounds
    python3 bench/server.py --db postgres://truce@127.0.0.1:55432/truce
    python3 bench/server.py --negotiations 20 --rounds 3     # a quick look

Traffic goes to 127.0.0.1 only; the run stops by itself (every request has a timeout).
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN = "bench-admin-token"
TEXTS = [
    {"hostages_released": 40, "prisoners_per_hostage": 12, "aid_trucks_per_day": a,
     "withdrawal": "populated_areas", "permanent_ceasefire": True, "guarantees": "written"}
    for a in (300, 400, 500, 200)
]


class Client:
    def __init__(self, port, token):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def call(self, method, path, body=None):
        start = time.perf_counter()
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        return response.status, data, elapsed


def negotiate(port, created, rounds, latencies, evaluations, errors):
    nid = created["id"]
    tokens = {who: inv["token"] for who, inv in created["invitations"].items()}
    clients = {who: Client(port, t) for who, t in tokens.items()}
    api = "/api/v1/negotiations/" + nid

    def act(who, body):
        status, data, elapsed = clients[who].call("POST", api + "/actions", body)
        if status != 200:
            errors.append((status, data[:200]))
        latencies.append(elapsed)

    act("mediator", {"type": "text", "outcome": TEXTS[0]})
    for r in range(1, rounds):
        text = TEXTS[r % len(TEXTS)]
        status, _, elapsed = clients["mediator"].call("POST", api + "/evaluate", {"outcome": text})
        evaluations.append(elapsed)
        act("mediator", {"type": "text", "outcome": text})
        act("north", {"type": "accept"})
        act("coast", {"type": "accept"})
        act("mediator", {"type": "accept"})
    act("north", {"type": "accept"})
    act("coast", {"type": "accept"})


def cpu_seconds(pid):
    """The CPU time (user + system) process `pid` has used, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "truce"))
    ap.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--negotiations", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    case = open(os.path.join(ROOT, "cases", "harbour-truce.toml")).read()
    tmp = tempfile.mkdtemp()
    db = args.db or "sqlite://" + os.path.join(tmp, "bench.db")
    env = dict(os.environ, TRUCE_ADMIN_TOKEN=ADMIN)
    server = subprocess.Popen([args.binary, "serve", "--addr", "127.0.0.1:0", "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        first = server.stdout.readline()
        port = int(first.split("http://127.0.0.1:")[1].split()[0])
        admin = Client(port, ADMIN)
        created = []
        for i in range(args.negotiations):
            status, data, _ = admin.call("POST", "/api/v1/negotiations",
                                         {"case": case, "rounds": args.rounds, "seed": i})
            assert status == 201, data
            created.append(json.loads(data))
        latencies, evaluations, errors = [], [], []
        threads = [threading.Thread(target=negotiate, args=(port, c, args.rounds, latencies, evaluations, errors))
                   for c in created]
        start, server_cpu, client_cpu = time.perf_counter(), cpu_seconds(server.pid), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        wall = time.perf_counter() - start
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        load = os.getloadavg()
        backend = db.split(":")[0]
        print(f"{backend}: {args.negotiations} negotiations at once, {len(latencies)} actions in {wall:.2f} s: "
              f"{len(latencies) / wall:.0f} actions/s; action latency p50 {pct(latencies, 50) * 1000:.1f} ms, "
              f"p99 {pct(latencies, 99) * 1000:.1f} ms; evaluation of a text p50 {pct(evaluations, 50) * 1000:.1f} ms, "
              f"p99 {pct(evaluations, 99) * 1000:.1f} ms; {len(errors)} errors")
        # What the server spent per request, whatever else ran on the machine: the capacity the
        # figures above would reach with the cores to itself (the client's share is beside it).
        requests = len(latencies) + len(evaluations)
        print(f"  server CPU {server_cpu:.2f} s: {server_cpu / requests * 1e6:.0f} us per request "
              f"({requests} requests); client CPU {client_cpu:.2f} s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        if errors:
            print("first errors:", errors[:3], file=sys.stderr)
            return 1
        return 0
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
