#!/usr/bin/env python3
"""Side-by-side simulation benchmark: the same negotiations in NegMAS and in Truce, in one run.

Run from the repository root (it builds Truce in release mode and the NegMAS venv if needed):

    bench/setup.sh && target/bench-venv/bin/python bench/sim.py [--domains DIR ...] [--reps N]

Measures, on each ANAC domain (GENIUS XML, read by both tools from the same files):
  1. negotiations per second: Boulware and Conceder in every assignment to the two profiles (self-play
     included), each party moving first in turn, under stacked alternating offers, 100 rounds: the same
     negotiations on both sides;
  2. a small tournament's wall time: Boulware, Conceder, Linear and MiCRO, every ordered pairing (self-play
     included), both role orders, 100 rounds.
and prints the ratios of medians over --runs runs. Then (Truce only; --mediation-domains, default every
two-party domain folder beside the given ones) 3. the quality of each protocol's agreements: Boulware,
Conceder, Linear and Aspiration, every ordered pairing, 1000 rounds, under sao, single_text and shuttle:
agreement rate and mean distance of the agreements to the exact Pareto frontier (what `truce tournament`
reports per negotiation). Skip it with --no-mediation, or run it alone with --mediation-only. Truce is timed as a user runs it, through the `truce` binary (process start, reading
the domain and writing result files included), so its ratios are conservative. Domains default to
$TRUCE_DOMAINS or ../shared/domains.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOMAINS = ["anac2010_ItexvsCypress", "anac2013_Coffee", "anac2011_Grocery", "anac2011_Amsterdam"]
# The same concession curves on both sides: NegMAS's Boulware and Conceder concede as t^4 and t^0.25
# (`PolyAspiration` "boulware" and "conceder"), Truce's as t^(1/e), so e = 0.25 and e = 4 (Truce's
# defaults, e = 0.2 and 2, would concede as t^5 and t^0.5 and end at other rounds).
TRUCE_AGENTS = {"boulware": "boulware(e=0.25)", "conceder": "conceder(e=4)", "linear": "linear", "micro": "micro"}


def negmas_classes():
    from negmas.sao.negotiators import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        MiCRONegotiator,
    )

    return {
        "boulware": BoulwareTBNegotiator,
        "conceder": ConcederTBNegotiator,
        "linear": LinearTBNegotiator,
        "micro": MiCRONegotiator,
    }


def negmas_negotiations(folder, reps, rounds):
    """The same negotiations as `truce tournament --agents boulware,conceder --reps REPS`: every assignment of
    the two agents to the two profiles (self-play included), each with either party moving first."""
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism

    classes = negmas_classes()
    # Undiscounted, as Truce's agents see their utility (Truce discounts the payoff, not the view).
    scenario = Scenario.load(folder, ignore_discount=True)
    agents = ["boulware", "conceder"]
    count, agreements, bc, bc_agreements, steps = 0, 0, 0, 0, 0
    start = time.perf_counter()
    for _ in range(reps):
        for a0 in agents:
            for a1 in agents:
                for first in (0, 1):
                    m = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=rounds)
                    seats = [(classes[a0](), scenario.ufuns[0]), (classes[a1](), scenario.ufuns[1])]
                    for agent, ufun in (seats if first == 0 else seats[::-1]):
                        m.add(agent, ufun=ufun)
                    state = m.run()
                    agreed = state.agreement is not None
                    steps += state.step
                    count += 1
                    agreements += agreed
                    if (a0, a1, first) == ("boulware", "conceder", 0):
                        bc += 1
                        bc_agreements += agreed
    elapsed = time.perf_counter() - start
    return count / elapsed, bc_agreements / max(1, bc), steps / count


def negmas_tournament(folder, rounds):
    from negmas.inout import Scenario
    from negmas.tournaments.neg import cartesian_tournament

    classes = negmas_classes()
    # Undiscounted, as Truce's agents see their utility (Truce discounts the payoff, not the view).
    scenario = Scenario.load(folder, ignore_discount=True)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        results = cartesian_tournament(
            competitors=[classes[n] for n in TRUCE_AGENTS],
            scenarios=[scenario],
            n_repetitions=1,
            n_steps=rounds,
            rotate_ufuns=True,
            self_play=True,
            njobs=-1,  # serial: the fastest NegMAS mode for small tournaments
            path=Path(tmp) / "t",
            verbosity=0,
            save_scenario_figs=False,
            save_stats=False,
        )
        elapsed = time.perf_counter() - start
    return elapsed, len(results.details)


def read_negotiations(out):
    """The negotiation records of a tournament's result folder: the lines of results.jsonl after its header."""
    lines = (out / "results.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines[1:]]


def truce(binary, args):
    start = time.perf_counter()
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def truce_negotiations(binary, folder, reps, rounds):
    """`reps` repetitions of the boulware/conceder tournament: 8 negotiations each (see negmas_negotiations)."""
    boulware, conceder = TRUCE_AGENTS["boulware"], TRUCE_AGENTS["conceder"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        elapsed = truce(
            binary,
            ["tournament", "--agents", f"{boulware},{conceder}", "--domains", str(folder), "--reps", str(reps),
             "--rounds", str(rounds), "--threads", "1", "--quiet", "--out", str(out)],
        )
        negotiations = read_negotiations(out)
    n = len(negotiations)
    bc = [r for r in negotiations if r["agents"] == [boulware, conceder]]
    rounds_run = sum(r["rounds"] for r in negotiations) / max(1, n)
    return n / elapsed, sum(r["status"] == "agreement" for r in bc) / max(1, len(bc)), rounds_run


def truce_tournament(binary, folder, rounds):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        elapsed = truce(
            binary,
            ["tournament", "--agents", ",".join(TRUCE_AGENTS.values()), "--domains", str(folder), "--rounds",
             str(rounds), "--quiet", "--out", str(out)],
        )
        n = len(read_negotiations(out))
    return elapsed, n


MEDIATION_AGENTS = "boulware,conceder,linear,aspiration"


def two_party_domains(root):
    """The GENIUS domain folders under `root` with two profiles: a domain file and two profiles (besides
    an optional pareto.xml)."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = [f for f in folder.glob("*.xml") if f.name != "pareto.xml"]
        if len(files) == 3:
            found.append(folder)
    return found


def mediation_quality(binary, folders, protocol, rounds=1000):
    """Agreement rate and mean Pareto distance of agreements, over every pairing of MEDIATION_AGENTS:
    overall, and per domain (name -> [agreements, negotiations, summed distance])."""
    readable = [f for f in folders if subprocess.run([binary, "check", str(f)], stdout=subprocess.DEVNULL,
                                                      stderr=subprocess.DEVNULL).returncode == 0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        truce(binary, ["tournament", "--agents", MEDIATION_AGENTS, "--domains", *map(str, readable),
                       "--rounds", str(rounds), "--protocol", protocol, "--quiet", "--out", str(out)])
        negotiations = read_negotiations(out)
    agreed = [n for n in negotiations if n["status"] == "agreement"]
    distances = [n["pareto_distance"] for n in agreed if n.get("pareto_distance") is not None]
    rate = len(agreed) / max(1, len(negotiations))
    per_domain = {}
    for n in negotiations:
        row = per_domain.setdefault(n["scenario"], [0, 0, 0.0])
        row[1] += 1
        if n["status"] == "agreement":
            row[0] += 1
            row[2] += n.get("pareto_distance") or 0.0
    mean = sum(distances) / len(distances) if distances else float("nan")
    return len(readable), len(negotiations), rate, mean, per_domain


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_root = Path(os.environ.get("TRUCE_DOMAINS", ROOT.parent / "shared" / "domains"))
    parser.add_argument("--domains", nargs="*", type=Path, default=[default_root / d for d in DEFAULT_DOMAINS])
    parser.add_argument("--reps", type=int, default=5, help="repetitions of the 8 negotiations, for NegMAS")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--mediation-domains", type=Path, default=default_root,
                        help="folder whose two-party domains measure the protocols' agreements")
    parser.add_argument("--no-mediation", action="store_true", help="skip the agreement-quality table")
    parser.add_argument("--mediation-only", action="store_true",
                        help="only the agreement-quality table (needs no NegMAS)")
    args = parser.parse_args()
    missing = [d for d in args.domains if not d.is_dir()]
    if missing:
        sys.exit(f"domain folders not found: {', '.join(map(str, missing))} (set TRUCE_DOMAINS)")
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "truce-cli"], cwd=ROOT, check=True)
    binary = str(ROOT / "target" / "release" / "truce")
    if not args.mediation_only:
        speed(args, binary)
    if not args.no_mediation:
        mediation(args, binary)


def speed(args, binary):
    """Negotiations per second and tournament time, NegMAS and Truce on the same domains."""
    import negmas

    print(f"NegMAS {negmas.__version__} vs Truce ({binary}); {args.rounds} rounds; Boulware vs Conceder; "
          f"tournament of {len(TRUCE_AGENTS)} agents")
    print(f"{'domain':<28} {'NegMAS neg/s':>13} {'Truce neg/s':>12} {'ratio':>8}   "
          f"{'NegMAS tourn. s':>15} {'Truce tourn. s':>14} {'ratio':>8}")
    ratios = []
    median = statistics.median
    for folder in args.domains:
        negmas_runs = [negmas_negotiations(folder, args.reps, args.rounds) for _ in range(args.runs)]
        # Truce runs 200 times as many negotiations per measurement, so that process start does not dominate.
        truce_runs = [truce_negotiations(binary, folder, 200 * args.reps, args.rounds) for _ in range(args.runs)]
        n_rate, n_agree, n_rounds = median(r[0] for r in negmas_runs), negmas_runs[0][1], negmas_runs[0][2]
        t_rate, t_agree, t_rounds = median(r[0] for r in truce_runs), truce_runs[0][1], truce_runs[0][2]
        n_tourn = [negmas_tournament(folder, args.rounds) for _ in range(args.runs)]
        t_tourn = [truce_tournament(binary, folder, args.rounds) for _ in range(args.runs)]
        n_time, n_count = median(t for t, _ in n_tourn), n_tourn[0][1]
        t_time, t_count = median(t for t, _ in t_tourn), t_tourn[0][1]
        ratios.append((t_rate / n_rate, n_time / t_time))
        print(f"{folder.name:<28} {n_rate:>13.1f} {t_rate:>12.0f} {t_rate / n_rate:>7.0f}x   "
              f"{n_time:>15.2f} {t_time:>14.3f} {n_time / t_time:>7.0f}x"
              f"   (agreement rate B-C: NegMAS {n_agree:.2f}, Truce {t_agree:.2f}; mean rounds: NegMAS "
              f"{n_rounds:.1f}, Truce {t_rounds:.1f}; tournament sizes {n_count} / {t_count})", flush=True)
    worst = min(min(r) for r in ratios)
    print(f"smallest speed-up: {worst:.0f}x (target: 100x)")


def mediation(args, binary):
    """The protocols' agreement rate and distance to the frontier over every two-party domain."""
    folders = two_party_domains(args.mediation_domains)
    print(f"\nagreements by protocol: {MEDIATION_AGENTS}, every ordered pairing, 1000 rounds, "
          f"two-party domains of {args.mediation_domains}")
    print(f"{'protocol':<12} {'domains':>8} {'negotiations':>13} {'agreement rate':>15} {'mean Pareto distance':>21}")
    protocols = ("sao", "single_text", "shuttle")
    tables = {}
    for protocol in protocols:
        domains, count, rate, distance, tables[protocol] = mediation_quality(binary, folders, protocol)
        print(f"{protocol:<12} {domains:>8} {count:>13} {rate:>15.3f} {distance:>21.4f}", flush=True)
    print("target under single_text: agreement rate >= 0.9, mean Pareto distance <= 0.05")
    print("\nper domain: agreements / negotiations, mean Pareto distance of the agreements")
    print(f"{'domain':<36}" + "".join(f"{p:>18}" for p in protocols))
    for name in sorted(tables[protocols[0]]):
        cells = []
        for p in protocols:
            agreed, count, summed = tables[p].get(name, [0, 0, 0.0])
            cells.append(f"{agreed:>4}/{count:<4} {summed / max(1, agreed):.3f}")
        print(f"{name:<36}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
