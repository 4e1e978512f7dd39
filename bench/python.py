#!/usr/bin/env python3
"""Truce from Python, side by side: the same Python agent logic in Truce and in NegMAS, analysis
called from Python against the in-process figure, and a Ray tournament on one and two workers.

Run from the repository root, in the benchmark venv with the package installed:

    bench/setup.sh && target/bench-venv/bin/pip install ./python ray
    target/bench-venv/bin/python bench/python.py [--domains DIR ...] [--reps N] [--quick]

1. Negotiations per second: one Python agent logic (a linear time-dependent concession: offer the
   outcome closest above the target, accept an offer worth the target) written once, played as a
   `truce.Agent` through `truce.negotiate` and as a NegMAS `SAONegotiator` through NegMAS'
   `SAOMechanism`, against itself, on the same ANAC domains, 100 rounds. Both sides run the same
   Python code per call; what differs is the engine around it (and the utility evaluation: Rust in
   Truce, NegMAS' Python utility functions in NegMAS). Target: Truce at least 10 times NegMAS.
2. Analysis: `case.analyze()` from Python (median of repeated calls in one process) against the
   in-process figure of `truce-analysis`'s `stage_timings` example (the same analysis in Rust, bridging
   and sensitivity off on both; its `total`, the whole run). Target: within 2 times. `Analysis`
   converts its JSON to Python objects only when a section is first read, so this is the call alone.
3. A Ray tournament (built-in agents, the same domains) on a local Ray with one and with two workers,
   each merged; the merged results are checked equal to the one-machine run.

Figures depend on the machine's load: report medians of an idle machine.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOMAINS = ["anac2010_ItexvsCypress", "anac2013_Coffee", "anac2011_Grocery", "anac2011_Amsterdam"]


# The one agent logic, shared by both sides -----------------------------------------------------------


class Logic:
    """Linear concession over a list of (utility, outcome) sorted best first."""

    def __init__(self, ranked, reservation):
        self.ranked = ranked
        self.keys = [-u for u, _ in ranked]
        self.reservation = reservation

    def target(self, t):
        best = self.ranked[0][0]
        return best - t * (best - max(self.reservation, 0.0))

    def offer(self, t):
        k = bisect.bisect_right(self.keys, -self.target(t)) - 1
        return self.ranked[max(k, 0)][1]

    def accepts(self, utility, t):
        return utility >= self.target(t)


def truce_agent():
    import truce

    class Linear(truce.Agent):
        def on_start(self):
            self.logic = Logic(self.ranking(), self.reservation)

        def propose(self, state):
            return self.logic.offer(state.time)

        def respond(self, state, offer):
            return self.logic.accepts(self.utility(offer), state.time)

    return Linear


def negmas_agent():
    from negmas.sao import ResponseType, SAONegotiator

    class Linear(SAONegotiator):
        def on_preferences_changed(self, changes):
            super().on_preferences_changed(changes)
            if self.ufun is None:
                return
            outcomes = list(self.nmi.outcome_space.enumerate_or_sample())
            ranked = sorted(((float(self.ufun(o)), o) for o in outcomes), key=lambda p: -p[0])
            reservation = self.ufun.reserved_value if self.ufun.reserved_value is not None else 0.0
            self.logic = Logic(ranked, float(reservation) if reservation > -1e300 else 0.0)

        def propose(self, state, dest=None):
            return self.logic.offer(state.relative_time)

        def respond(self, state, source=None):
            offer = state.current_offer
            if offer is not None and self.logic.accepts(float(self.ufun(offer)), state.relative_time):
                return ResponseType.ACCEPT_OFFER
            return ResponseType.REJECT_OFFER

    return Linear


def bench_negotiations(domains, reps, rounds):
    """Each side plays one untimed negotiation first (the case's day made ready, NegMAS's caches
    warmed), then 2 * reps negotiations, each timed alone: the rate is one over the median time, so a
    pause of a loaded machine moves it less than a total would."""
    import truce
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism

    rows = []
    Linear, NLinear = truce_agent(), negmas_agent()

    def timed(negotiate):
        negotiate(0)
        times, agreed = [], 0
        for _ in range(reps):
            for first in (0, 1):
                start = time.perf_counter()
                agreed += negotiate(first)
                times.append(time.perf_counter() - start)
        return 1 / statistics.median(times), agreed / len(times)

    for folder in domains:
        case = truce.load(folder)

        def truce_one(first):
            run = truce.negotiate(case, [Linear, Linear], rounds=rounds, first=first)
            assert run.failure is None, run.failure
            return run.agreed

        # Undiscounted, as a Truce agent sees its utility (Truce discounts the payoff, not the view).
        scenario = Scenario.load(folder, ignore_discount=True)

        def negmas_one(first):
            m = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=rounds)
            seats = [(NLinear(), scenario.ufuns[0]), (NLinear(), scenario.ufuns[1])]
            for agent, ufun in seats if first == 0 else seats[::-1]:
                m.add(agent, ufun=ufun)
            return m.run().agreement is not None

        truce_rate, agreements = timed(truce_one)
        negmas_rate, n_agreements = timed(negmas_one)
        rows.append((Path(folder).name, truce_rate, negmas_rate, agreements, n_agreements))
    print("\n1. The same Python agent logic, negotiations per second (100 rounds, self-play, both orders;")
    print("   one over the median time of a negotiation)")
    print(f"{'domain':28} {'Truce/s':>10} {'NegMAS/s':>10} {'ratio':>8} {'agreed T/N':>12}")
    for name, t, n, at, an in rows:
        print(f"{name:28} {t:10.1f} {n:10.1f} {t / n:8.1f} {at:6.2f}/{an:.2f}")
    return rows


def stage_timer():
    subprocess.run(
        ["cargo", "build", "--release", "-p", "truce-analysis", "--example", "stage_timings", "--locked", "--quiet"],
        cwd=ROOT,
        check=True,
    )
    return ROOT / "target" / "release" / "examples" / "stage_timings"


def bench_analysis(domains, runs):
    import truce

    timer = stage_timer()
    print(f"\n2. Analysis from Python against the in-process figure (median of {runs} warm runs, ms)")
    print(f"{'domain':28} {'Python':>10} {'in-process':>11} {'ratio':>8}")
    for folder in domains:
        case = truce.load(folder)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            case.analyze(bridging=0, sensitivity=False)
            times.append((time.perf_counter() - start) * 1000)
        python_ms = statistics.median(times)
        out = subprocess.run([str(timer), str(folder), str(runs)], capture_output=True, text=True, check=True)
        medians = json.loads(out.stdout)["median_ms"]
        rust_ms = medians.get("total") or sum(v for k, v in medians.items() if k != "load")
        print(f"{Path(folder).name:28} {python_ms:10.3f} {rust_ms:11.3f} {python_ms / max(rust_ms, 1e-9):8.2f}")


def bench_ray(domains, reps):
    import ray
    import truce

    agents = ["boulware", "conceder", "linear", "micro"]
    whole = truce.tournament(agents, domains, reps=reps, seed=1, executor="local", threads=1)
    print(f"\n3. A Ray tournament: {len(whole.negotiations)} negotiations ({', '.join(agents)}; {reps} reps)")
    for workers in (1, 2):
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        try:
            truce.tournament(agents, domains[:1], reps=1, seed=1, executor="ray", workers=workers)  # warm up
            start = time.perf_counter()
            results = truce.tournament(agents, domains, reps=reps, seed=1, executor="ray", workers=workers)
            elapsed = time.perf_counter() - start
        finally:
            ray.shutdown()
        same = results.to_json() == whole.to_json()
        print(f"  {workers} worker(s): {elapsed:7.2f} s, {len(results.negotiations) / elapsed:8.0f} negotiations/s; "
              f"merged equals the one-machine run: {same}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", nargs="*", help="domain folders (default: four ANAC domains)")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--runs", type=int, default=21, help="analysis runs per domain")
    parser.add_argument("--quick", action="store_true", help="one domain, one repetition: to see that it works")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    root = Path(os.environ.get("TRUCE_DOMAINS", ROOT.parent / "shared" / "domains"))
    domains = [Path(d) for d in args.domains] if args.domains else [root / d for d in DEFAULT_DOMAINS]
    missing = [d for d in domains if not d.is_dir()]
    if missing:
        sys.exit(f"missing domains: {', '.join(map(str, missing))} (set TRUCE_DOMAINS)")
    if args.quick:
        domains, args.reps, args.runs = domains[:1], 1, 5
    bench_negotiations(domains, args.reps, 100)
    bench_analysis(domains, args.runs)
    if not args.no_ray:
        bench_ray([str(d) for d in domains], args.reps)


if __name__ == "__main__":
    main()
