#!/usr/bin/env python3
"""Side-by-side analysis benchmark: NegMAS 0.16 and Truce on the same domains, in one run.

For every ANAC domain of $TRUCE_DOMAINS (default: ../shared/domains beside the repository) and for
synthetic GENIUS domains this script writes under target/bench-domains/ (seeded, so every run reads
the same files), it times

* NegMAS's fastest path to the Pareto frontier, the Nash point and the Kalai-Smorodinsky point, on
  ufuns already loaded (interpreter start, imports and file reading excluded):
  `pareto_frontier(ufuns, issues=...)`, then `nash_points` and `ks_points` on that frontier, with
  the `minmax` ranges they need; and, as a second figure, its one-call `calc_scenario_stats`;
* `truce analyze PATH --json --bridging 0 --no-sensitivity -q` (the release binary): its own stage
  timings (frontier + zone + solutions: the compute of a first run in a fresh process) and the wall
  time of the whole process (start, read, compute, print);
* the same analysis repeated in one process (`cargo run --release -p truce-analysis --example
  stage_timings`), whose median stage times are taken as NegMAS's are: repeated calls in one process
  after loading. This is the like-for-like compute figure; a fresh process's first run also pays for
  the first touch of its code and memory, which on small domains costs as much as the computation;

and prints each domain's times, their ratios and the peak memory of both. It also checks Truce's
answers: against `reference.json` (brute force under GENIUS semantics) for every domain it covers;
against NegMAS's own frontier, Nash and Kalai-Smorodinsky points (and utilities of sampled outcomes)
on the synthetic domains, whose GENIUS scores are in [0, 1] with a maximum of exactly 1 per issue, so
that NegMAS's unnormalised reading and GENIUS's normalised one agree; and, where no peer can run,
that every frontier point Truce reports is a real outcome with the utilities the profiles give it
(recomputed here), and that no point dominates another.

Usage (from the repository root):

    bench/setup.sh                                   # the NegMAS venv, under target/bench-venv
    target/bench-venv/bin/python bench/analysis.py   # the full run (about 10 minutes on 2 cores)
    target/bench-venv/bin/python bench/analysis.py --quick
    target/bench-venv/bin/python bench/analysis.py --markdown   # also update docs/performance.md

Times are medians of several runs; nothing here is a test: speed is measured, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench/analysis.py: begin -->"
END = "<!-- bench/analysis.py: end -->"
TRUCE_STAGES = ("frontier", "zone", "solutions")  # the compute, as `timings` in the JSON names it
TOLERANCE = 1e-9


# ---------------------------------------------------------------------------------------------
# Synthetic domains


@dataclass(frozen=True)
class Synthetic:
    """A synthetic additive domain: `issues` issues of `values` values, `parties` profiles."""

    name: str
    parties: int
    issues: int
    values: int = 10
    negmas: bool = True  # whether NegMAS runs on it (it enumerates: 10^8 outcomes exhaust memory)

    @property
    def outcomes(self) -> int:
        return self.values**self.issues


SYNTHETIC = [
    Synthetic("synthetic-2p-1e4", 2, 4),
    Synthetic("synthetic-2p-1e6", 2, 6),
    Synthetic("synthetic-2p-1e7", 2, 7),
    Synthetic("synthetic-2p-1e12", 2, 12, negmas=False),
    Synthetic("synthetic-2p-1e50", 2, 50, negmas=False),
    Synthetic("synthetic-3p-1e9", 3, 9, negmas=False),
]


@dataclass
class Profile:
    """One party's GENIUS profile as generated: weights and evaluations (max 1 per issue)."""

    weights: list[float]
    evaluations: list[list[float]]

    def utility(self, outcome: list[int]) -> float:
        """GENIUS semantics: sum_i w_i * eval_i(o_i) / max_v eval_i(v) (the max is 1 here)."""
        return sum(w * ev[v] / max(ev) for w, ev, v in zip(self.weights, self.evaluations, outcome))


def generate(spec: Synthetic, folder: Path) -> list[Profile]:
    """Writes `spec` as a GENIUS folder (domain.xml, party1.xml, ...), seeded by its name, and
    returns the profiles written. Evaluations are written with `repr`, which round-trips exactly."""
    rng = random.Random(f"truce-bench/{spec.name}")  # str seeds hash with SHA-512: stable
    issues = [f"i{k + 1}" for k in range(spec.issues)]
    options = [f"v{j + 1}" for j in range(spec.values)]
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.xml"):
        stale.unlink()
    lines = [
        "<negotiation_template>",
        f'<utility_space number_of_issues="{spec.issues}">',
        '<objective index="0" etype="objective" type="objective" name="root">',
    ]
    for k, name in enumerate(issues):
        lines.append(f'<issue index="{k + 1}" etype="discrete" type="discrete" vtype="discrete" name="{name}">')
        lines += [f'<item index="{j + 1}" value="{o}"/>' for j, o in enumerate(options)]
        lines.append("</issue>")
    lines += ["</objective>", "</utility_space>", "</negotiation_template>"]
    (folder / "domain.xml").write_text("\n".join(lines) + "\n")
    profiles = []
    for p in range(spec.parties):
        raw = [rng.random() for _ in issues]
        weights = [w / sum(raw) for w in raw]
        evaluations = []
        lines = ["<utility_space>", '<objective index="0" etype="objective" type="objective" name="root">']
        for k, name in enumerate(issues):
            scores = [rng.random() for _ in options]
            top = max(scores)
            scores = [s / top for s in scores]  # the best value scores exactly 1
            evaluations.append(scores)
            lines.append(f'<issue index="{k + 1}" etype="discrete" type="discrete" vtype="discrete" name="{name}">')
            lines += [f'<item index="{j + 1}" value="{o}" evaluation="{s!r}"/>' for j, (o, s) in enumerate(zip(options, scores))]
            lines.append("</issue>")
        lines += [f'<weight index="{k + 1}" value="{w!r}"/>' for k, w in enumerate(weights)]
        lines += ["</objective>", '<reservation value="0"/>', "</utility_space>"]
        (folder / f"party{p + 1}.xml").write_text("\n".join(lines) + "\n")
        profiles.append(Profile(weights, evaluations))
    return profiles


# ---------------------------------------------------------------------------------------------
# NegMAS, in a subprocess per domain (for its peak memory)


def negmas_worker(argv: list[str]) -> None:
    """`analysis.py _negmas FOLDER MODE RUNS SAMPLES`: runs NegMAS and prints one JSON object."""
    import gc
    import resource
    import warnings

    folder, mode, runs, samples = argv[0], argv[1], int(argv[2]), int(argv[3])
    warnings.filterwarnings("ignore")
    import negmas
    from negmas.inout import Scenario
    from negmas.preferences.ops import calc_scenario_stats, ks_points, nash_points, pareto_frontier

    def rss() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    out: dict = {"version": negmas.__version__}
    started = time.perf_counter()
    scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
    out["load_s"] = time.perf_counter() - started
    if scenario is None:
        print(json.dumps({"error": "NegMAS could not load the folder"}))
        return
    ufuns, space = list(scenario.ufuns), scenario.outcome_space
    out["outcomes"] = space.cardinality if math.isfinite(space.cardinality) else None
    if out["outcomes"] is None:
        print(json.dumps({"error": "not run: a continuous issue"}))
        return
    out["rss_loaded_kb"] = rss()
    times = []
    if mode == "fast":
        for _ in range(runs):
            gc.collect()
            t0 = time.perf_counter()
            ranges = [u.minmax(space, above_reserve=False) for u in ufuns]
            frontier, _ = pareto_frontier(ufuns, issues=space.issues, sort_by_welfare=True)
            nash = nash_points(ufuns, frontier, ranges=ranges)
            ks = ks_points(ufuns, frontier, ranges=ranges)
            times.append(time.perf_counter() - t0)
        out["frontier_size"] = len(frontier)
        out["frontier"] = [[float(u) for u in p] for p in frontier] if len(frontier) <= 100_000 else None
        out["nash"] = [[float(u) for u in p] for p, _ in nash]
        out["ks"] = [[float(u) for u in p] for p, _ in ks]
        out["reserved"] = [float(u.reserved_value) for u in ufuns]
    else:
        gc.collect()
        t0 = time.perf_counter()
        stats = calc_scenario_stats(ufuns)
        times.append(time.perf_counter() - t0)
        out["frontier_size"] = len(stats.pareto_utils)
    out["times_s"] = times
    out["rss_peak_kb"] = rss()
    if samples:
        # Utilities of seeded outcomes, to compare with Truce's reading of the same files.
        rng = random.Random(f"truce-bench/sample/{Path(folder).name}")
        values = [list(issue.all) for issue in space.issues]
        picks = [[rng.randrange(len(v)) for v in values] for _ in range(samples)]
        out["sample"] = [
            {
                "outcome": {issue.name: values[k][j] for k, (issue, j) in enumerate(zip(space.issues, pick))},
                "utilities": [float(u(tuple(values[k][j] for k, j in enumerate(pick)))) for u in ufuns],
            }
            for pick in picks
        ]
    print(json.dumps(out))


def run_negmas(folder: Path, mode: str, runs: int, samples: int, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_negmas", str(folder), mode, str(runs), str(samples)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout:.0f} s"}
    text = done.stdout.strip().splitlines()
    try:
        result = json.loads(text[-1]) if text else {}
    except json.JSONDecodeError:
        result = {}
    if done.returncode != 0 or "times_s" not in result:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": result.get("error") or f"fails: {last[:70]}"}
    return result


# ---------------------------------------------------------------------------------------------
# Truce


def run_truce(binary: Path, folder: Path, runs: int, extra: list[str] = (), memory: bool = True) -> dict:
    """Runs `truce analyze` `runs` times: the wall time of each process from spawn to exit, the stage
    timings it reports, and the last JSON document; then once more under `/usr/bin/time` for its
    peak RSS (Python's own wait4 would count the forked interpreter before the exec)."""
    cmd = [str(binary), "analyze", str(folder), "--json", "--bridging", "0", "--no-sensitivity", "-q", *extra]
    walls, computes, loads, totals, doc = [], [], [], [], None
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True)
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            first = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[0]
            code = re.match(r"error\[([\w-]+)\]", first)
            return {"error": f"exit {done.returncode} ({code.group(1) if code else first[:60]})", "message": first}
        doc = json.loads(done.stdout)
        t = doc["timings"]
        computes.append(sum(t.get(k, 0.0) for k in TRUCE_STAGES) / 1e3)
        loads.append(t["load"] / 1e3)
        totals.append(t["total"] / 1e3)
    rss = None
    if memory and Path("/usr/bin/time").is_file():
        with tempfile.NamedTemporaryFile("r") as out:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *cmd], capture_output=True, check=True)
            rss = int(out.read().split()[-1])
    return {
        "runs": runs,
        "compute_s": statistics.median(computes),
        "wall_s": statistics.median(walls),
        "load_s": statistics.median(loads),
        "total_s": statistics.median(totals),
        "computes_s": computes,
        "walls_s": walls,
        "rss_peak_kb": rss,
        "frontier_size": doc["frontier"]["size"],
        "frontier_method": doc["frontier"]["method"]["kind"],
        "doc": doc,
    }


# ---------------------------------------------------------------------------------------------
# Checks


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    return abs(a - b) <= tol


def points_match(ours: list[list[float]], theirs: list[list[float]], tol: float = TOLERANCE) -> str | None:
    """None when the two frontiers hold the same points (to `tol`), else what differs."""
    if len(ours) != len(theirs):
        return f"frontier size {len(ours)} vs {len(theirs)}"
    for a, b in zip(sorted(map(tuple, ours)), sorted(map(tuple, theirs))):
        if any(not close(x, y, tol) for x, y in zip(a, b)):
            return f"frontier point {list(a)} vs {list(b)}"
    return None


def check_reference(doc: dict, ref: dict) -> list[str]:
    """Truce's answers against a reference.json entry (values to 1e-9)."""
    bad = []
    if int(doc["outcomes"]) != ref["outcomes"]:
        bad.append(f"outcomes {doc['outcomes']} vs {ref['outcomes']}")
    if doc["frontier"]["size"] != ref["frontier_size"]:
        bad.append(f"frontier size {doc['frontier']['size']} vs {ref['frontier_size']}")
    if int(doc["frontier"]["outcomes"]) != ref["frontier_outcomes"]:
        bad.append(f"frontier outcomes {doc['frontier']['outcomes']} vs {ref['frontier_outcomes']}")
    diff = points_match([p["utilities"] for p in doc["frontier"]["points"]], ref["frontier"])
    if diff and doc["frontier"]["size"] == ref["frontier_size"]:
        bad.append(diff)
    zone = doc["zone"]["size"]
    if not zone.get("exact") or int(zone["value"]) != ref["zone_size"]:
        bad.append(f"zone size {zone} vs {ref['zone_size']}")
    for key in ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare"):
        ours, theirs = doc["solutions"].get(key), ref.get(key)
        if (ours is None) != (theirs is None):
            bad.append(f"{key}: {ours and ours['value']} vs {theirs and theirs['value']}")
        elif ours is not None and not close(ours["value"], theirs["value"]):
            bad.append(f"{key} {ours['value']!r} vs {theirs['value']!r}")
    return bad


def check_negmas(doc: dict, negmas: dict) -> list[str]:
    """Truce's answers against NegMAS's on a domain where both read the same utilities."""
    bad = []
    if negmas.get("frontier") is not None:
        diff = points_match([p["utilities"] for p in doc["frontier"]["points"]], negmas["frontier"])
        if diff:
            bad.append(f"vs NegMAS: {diff}")
    elif doc["frontier"]["size"] != negmas["frontier_size"]:
        bad.append(f"vs NegMAS: frontier size {doc['frontier']['size']} vs {negmas['frontier_size']}")
    sol = doc["solutions"]
    for key, theirs in (("nash", negmas["nash"]), ("kalai_smorodinsky", negmas["ks"])):
        ours = sol.get(key)
        if ours is None or not theirs:
            if (ours is None) != (not theirs):
                bad.append(f"vs NegMAS: {key} exists in one tool only")
            continue
        if not any(all(close(a, b) for a, b in zip(ours["utilities"], t)) for t in theirs):
            bad.append(f"vs NegMAS: {key} {ours['utilities']} vs {theirs}")
    sample, evaluations = negmas.get("sample", []), doc.get("evaluations", [])
    if len(evaluations) != len(sample):
        bad.append(f"Truce evaluated {len(evaluations)} of the {len(sample)} outcomes NegMAS evaluated")
    for item, ev in zip(sample, evaluations):
        ours = [p["utility"]["low"] for p in ev["parties"]]
        if any(not close(a, b, 1e-12) for a, b in zip(ours, item["utilities"])):
            bad.append(f"vs NegMAS: utilities of {item['outcome']}: {ours} vs {item['utilities']}")
    return bad


def check_points(doc: dict, profiles: list[Profile]) -> list[str]:
    """Every frontier point Truce reports is reached by its outcome (utilities recomputed from the
    generated profiles), the counts are positive, and no point dominates another."""
    bad = []
    pts = doc["frontier"]["points"]
    for p in pts:
        outcome = [int(p["outcome"][f"i{k + 1}"][1:]) - 1 for k in range(len(profiles[0].weights))]
        mine = [pr.utility(outcome) for pr in profiles]
        if any(not close(a, b) for a, b in zip(p["utilities"], mine)):
            bad.append(f"point {p['utilities']} but its outcome has utilities {mine}")
            break
    utils = [p["utilities"] for p in pts]
    if len(profiles) == 2:  # sorted by the first party's utility, decreasing: the second must increase
        if any(a[0] <= b[0] or a[1] >= b[1] for a, b in zip(utils, utils[1:])):
            bad.append("the 2-party frontier is not a strict staircase (a point is dominated or repeated)")
    else:
        for i, a in enumerate(utils):
            if any(j != i and all(x >= y - 1e-12 for x, y in zip(b, a)) for j, b in enumerate(utils)):
                bad.append(f"point {a} is weakly dominated by another")
                break
    sol = doc["solutions"]["nash"]
    best = max(math.prod(u) for u in utils)
    if sol is None or not close(sol["value"], best):
        bad.append(f"Nash value {sol and sol['value']} but the best product on the frontier is {best}")
    return bad


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Row:
    name: str
    folder: Path
    outcomes: int | None = None
    parties: int | None = None
    truce: dict = field(default_factory=dict)
    warm: dict = field(default_factory=dict)  # Truce repeated in one process
    negmas: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    checked: str = ""  # what the answers were checked against
    note: str = ""


def default_domains() -> Path:
    env = os.environ.get("TRUCE_DOMAINS")
    return Path(env) if env else ROOT.parent / "shared" / "domains"


QUICK_ANAC = {"anac2010_Travel", "anac2011_Car", "anac2013_Laptop", "anac2011_Energy"}
QUICK_SYNTHETIC = {"synthetic-2p-1e4", "synthetic-2p-1e6", "synthetic-2p-1e12", "synthetic-2p-1e50", "synthetic-3p-1e9"}


def run_truce_warm(timer: Path, folder: Path, runs: int) -> dict:
    """The analysis repeated `runs` times in one process: the median of each stage, summed over the
    compute stages."""
    done = subprocess.run([str(timer), str(folder), str(runs)], capture_output=True)
    if done.returncode != 0:
        first = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[0]
        return {"error": first[:80]}
    medians = json.loads(done.stdout)["median_ms"]
    return {"runs": runs, "compute_s": sum(medians.get(k, 0.0) for k in TRUCE_STAGES) / 1e3, "stages_ms": medians}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_negmas":
        negmas_worker(sys.argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a small subset (about a minute): 4 ANAC domains, 5 synthetic ones, no scenario statistics")
    ap.add_argument("--markdown", action="store_true", help=f"write the table into {DOC.relative_to(ROOT)} between its markers (or print it if they are missing)")
    ap.add_argument("--domains", type=Path, default=default_domains(), help="the ANAC domains (default: $TRUCE_DOMAINS or ../shared/domains)")
    ap.add_argument("--truce", type=Path, help="the truce binary (default: build target/release/truce)")
    ap.add_argument("--only", help="only domains whose name matches this regular expression")
    ap.add_argument("--truce-runs", type=int, default=5, help="runs of truce per domain (median; default 5)")
    ap.add_argument("--warm-runs", type=int, default=101, help="runs of the analysis in one process per domain (median; default 101)")
    ap.add_argument("--negmas-runs", type=int, default=3, help="runs of NegMAS per domain under 2 million outcomes, 1 above (median; default 3)")
    ap.add_argument("--stats-limit", type=int, default=1_000_000, help="largest space on which NegMAS's calc_scenario_stats is timed (default 10^6; 0: never)")
    ap.add_argument("--negmas-limit", type=int, default=20_000_000, help="largest space NegMAS is run on (default 2*10^7: it runs out of memory at 10^8)")
    ap.add_argument("--no-negmas", action="store_true", help="time Truce alone")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a NegMAS run is abandoned")
    ap.add_argument("--case", type=Path, default=ROOT / "cases" / "gaza-2024", help="a Truce case whose full report is timed (default: cases/gaza-2024; targets: the report under 0.5 s, one proposal's evaluation under 50 ms)")
    ap.add_argument("--case-runs", type=int, default=5, help="runs of the case's full report (median; default 5)")
    ap.add_argument("--case-only", action="store_true", help="time the case's report and nothing else")
    args = ap.parse_args()
    if args.quick:
        args.truce_runs = min(args.truce_runs, 3)
        args.stats_limit = 0
    if not args.no_negmas:
        try:
            import negmas  # noqa: F401
        except ImportError:
            print("NegMAS is not importable: run bench/setup.sh, then target/bench-venv/bin/python bench/analysis.py (or pass --no-negmas)", file=sys.stderr)
            return 2
    binary = args.truce or build_truce()
    case = time_case(binary, args.case, args.case_runs) if args.case.exists() else None
    if case is not None:
        print(case_line(case), flush=True)
        if args.case_only:
            return 0
    timer = build_timer()
    only = re.compile(args.only) if args.only else None
    env = environment(binary)
    print(f"Truce {env['truce']} ({binary}), NegMAS {env['negmas']}, Python {env['python']}; {env['cpu']}, {env['cores']} cores, {env['ram']}; load average {env['load_before']}", flush=True)

    rows: list[Row] = []
    reference = load_reference(args.domains)
    for name, ref in sorted(reference.items()):
        if (args.quick and name not in QUICK_ANAC) or (only and not only.search(name)):
            continue
        rows.append(Row(name, args.domains / name, note=ref.get("skipped", "")))
    profiles: dict[str, list[Profile]] = {}
    for spec in SYNTHETIC:
        if (args.quick and spec.name not in QUICK_SYNTHETIC) or (only and not only.search(spec.name)):
            continue
        folder = ROOT / "target" / "bench-domains" / spec.name
        profiles[spec.name] = generate(spec, folder)
        rows.append(Row(spec.name, folder, outcomes=spec.outcomes, parties=spec.parties))
    synthetic = {s.name: s for s in SYNTHETIC}

    for row in rows:
        print(f"{row.name:<38}", end="", flush=True)
        measure(row, args, binary, timer, reference.get(row.name), synthetic.get(row.name), profiles.get(row.name))
        print(progress(row), flush=True)

    env["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    table = render(rows, env, markdown=False)
    print()
    print(table)
    failures = [f"{r.name}: {c}" for r in rows for c in r.checks]
    for f in failures:
        print("✗", f)
    save_results(rows, env)
    if args.markdown:
        write_markdown(render(rows, env, markdown=True))
    return 1 if failures else 0


def time_case(binary: Path, case: Path, runs: int) -> dict:
    """The full report of a Truce case (`truce analyze CASE --json -q`, everything on): the median wall
    and processor time (user + system, every thread) of the process, the median of each stage the
    JSON's `timings` reports, and the number of proposals, whose evaluation time (`proposals`) is
    divided among them. On a loaded machine the processor time is the comparable figure."""
    import resource

    walls: list[float] = []
    cpus: list[float] = []
    stages: dict[str, list[float]] = {}
    proposals = 0
    for _ in range(max(runs, 1)):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([str(binary), "analyze", str(case), "--json", "-q"], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if out.returncode != 0:
            raise SystemExit(f"truce analyze {case} failed:\n{out.stderr}")
        doc = json.loads(out.stdout)
        proposals = len(doc.get("evaluations") or [])
        for stage, ms in (doc.get("timings") or {}).items():  # milliseconds
            stages.setdefault(stage, []).append(ms / 1000)
    median = {k: statistics.median(v) for k, v in stages.items()}
    return {"case": str(case), "wall": statistics.median(walls), "cpu": statistics.median(cpus), "stages": median,
            "proposals": proposals, "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def case_line(c: dict) -> str:
    per = c["stages"].get("proposals", 0.0) / max(c["proposals"], 1)
    stages = ", ".join(f"{k} {v:.3f} s" for k, v in sorted(c["stages"].items()))
    return (f"case {c['case']}: full report {c['wall']:.3f} s wall, {c['cpu']:.3f} s processor (target < 0.5 s); "
            f"{c['proposals']} proposals, {per * 1000:.1f} ms each (target < 50 ms); stages (wall): {stages}; "
            f"load average after {c['load']}")


def measure(row: Row, args: argparse.Namespace, binary: Path, timer: Path, ref: dict | None,
            spec: Synthetic | None, profiles: list[Profile] | None) -> None:
    """Times Truce and NegMAS on one domain and checks Truce's answers, filling `row`."""
    sample = 8 if spec and spec.negmas else 0
    row.truce = run_truce(binary, row.folder, args.truce_runs)
    if "error" in row.truce:
        return
    # Spaces this large take long enough that repeating them adds nothing but time.
    warm_runs = args.warm_runs if int(row.truce["doc"]["outcomes"]) < 10**30 else 5
    row.warm = run_truce_warm(timer, row.folder, warm_runs)
    doc = row.truce.pop("doc")
    row.outcomes = int(doc["outcomes"])
    row.parties = len(doc["parties"])
    if args.no_negmas:
        pass
    elif row.outcomes > args.negmas_limit or (spec and not spec.negmas):
        row.negmas = {"skipped": f"{fmt_count(row.outcomes)} outcomes"}
    else:
        runs = args.negmas_runs if row.outcomes < 2_000_000 else 1
        row.negmas = run_negmas(row.folder, "fast", runs, sample, args.timeout)
        if row.outcomes <= args.stats_limit and "error" not in row.negmas:
            row.stats = run_negmas(row.folder, "stats", 1, 0, args.timeout)
    if sample and "sample" in row.negmas:
        # The outcomes NegMAS evaluated, evaluated by Truce too (one more run, not timed).
        terms = [", ".join(f"{k}={v}" for k, v in item["outcome"].items()) for item in row.negmas["sample"]]
        sampled = run_truce(binary, row.folder, 1, [a for t in terms for a in ("--outcome", t)], memory=False)
        doc = {**doc, "evaluations": sampled.get("doc", {}).get("evaluations", [])}
    if ref and "skipped" not in ref:
        row.checks += check_reference(doc, ref)
        row.checked = "reference"
    if spec and "frontier_size" in row.negmas:
        row.checks += check_negmas(doc, row.negmas)
        row.checked = "NegMAS"
    if spec and profiles:
        row.checks += check_points(doc, profiles)
        row.checked = row.checked + "+points" if row.checked else "points"


def progress(row: Row) -> str:
    """One line on a measured domain, for the console."""
    t, n = row.truce, row.negmas
    if "error" in t:
        return f" truce: {t['message']}"
    line = f" truce {fmt_time(row.warm.get('compute_s'))} in process, {fmt_time(t['compute_s'])} fresh, {fmt_time(t['wall_s'])} wall"
    if "times_s" in n:
        line += f"; NegMAS {fmt_time(statistics.median(n['times_s']))}"
        if "times_s" in row.stats:
            line += f", stats {fmt_time(row.stats['times_s'][0])}"
    elif n:
        line += f"; NegMAS {n.get('error') or n.get('skipped')}"
    return f"{line}  {('✓' if not row.checks else '✗') if row.checked else ''}"


def build_truce() -> Path:
    print("building the release binary (cargo build --release -p truce-cli --locked) ...", flush=True)
    subprocess.run(["cargo", "build", "--release", "-p", "truce-cli", "--locked", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "truce"


def build_timer() -> Path:
    print("building the in-process timer (cargo build --release -p truce-analysis --example stage_timings --locked) ...", flush=True)
    subprocess.run(["cargo", "build", "--release", "-p", "truce-analysis", "--example", "stage_timings", "--locked", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "examples" / "stage_timings"


def load_reference(domains: Path) -> dict[str, dict]:
    path = domains / "reference.json"
    if not path.is_file():
        print(f"no {path}: set TRUCE_DOMAINS to the shared ANAC domains; running the synthetic domains only", file=sys.stderr)
        return {}
    return {entry["domain"]: entry for entry in json.loads(path.read_text())}


def environment(binary: Path) -> dict:
    def text(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    cpu, ram = platform.processor() or "unknown", "unknown"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
        ram = f"{kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    try:
        import negmas

        negmas_version = negmas.__version__
    except ImportError:
        negmas_version = "not installed"
    commit = text(["git", "rev-parse", "--short", "HEAD"])
    if text(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with uncommitted changes)"
    return {
        "date": datetime.date.today().isoformat(),
        "truce": commit,
        "truce_version": text([str(binary), "--version"]),
        "negmas": negmas_version,
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# ---------------------------------------------------------------------------------------------
# Output


def fmt_time(s: float | None) -> str:
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.3g} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def shorten(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def fmt_count(n: int | None) -> str:
    if n is None:
        return "—"
    k = round(math.log10(n)) if n > 0 else 0
    if n >= 10**9 and n == 10**k:
        return f"10^{k}"
    return f"{n:,}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:,.0f}×" if r >= 10 else f"{r:.2g}×"


def fmt_mb(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:,.0f} MB" if kb >= 10 * 1024 else f"{kb / 1024:.1f} MB"


def render(rows: list[Row], env: dict, markdown: bool) -> str:
    head = ["domain", "outcomes", "parties", "frontier", "NegMAS frontier+Nash+KS", "NegMAS stats",
            "Truce compute", "Truce fresh process", "Truce wall", "compute ratio", "fresh ratio", "wall ratio",
            "peak RSS NegMAS", "peak RSS Truce", "check"]
    body = []
    for r in rows:
        t, n, s, w = r.truce, r.negmas, r.stats, r.warm
        if "error" in t:
            body.append([r.name, *["—"] * 5, f"refused: {t['error']}", *["—"] * 8])
            continue
        nm = statistics.median(n["times_s"]) if "times_s" in n else None
        if nm is not None:
            negmas_cell = f"{fmt_time(nm)} ({len(n['times_s'])})"
        else:
            negmas_cell = shorten(n.get("error") or ("not run: " + n["skipped"] if "skipped" in n else "not run"))
        stats_cell = fmt_time(s["times_s"][0]) if "times_s" in s else (s.get("error", "—") if s else "—")
        check = "—" if not r.checked else ("✓ " if not r.checks else "✗ ") + r.checked
        body.append([
            r.name, fmt_count(r.outcomes), str(r.parties), str(t["frontier_size"]),
            negmas_cell, stats_cell, fmt_time(w.get("compute_s")), fmt_time(t["compute_s"]), fmt_time(t["wall_s"]),
            fmt_ratio(nm, w.get("compute_s")), fmt_ratio(nm, t["compute_s"]), fmt_ratio(nm, t["wall_s"]),
            fmt_mb(n.get("rss_peak_kb")), fmt_mb(t["rss_peak_kb"]), check,
        ])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 or i == len(head) - 1 else "---:" for i in range(len(head))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        when = (f"Measured {env['date']} on Truce {env['truce']}, NegMAS {env['negmas']}, Python {env['python']}; "
                f"{env['cpu']}, {env['cores']} cores, {env['ram']}; load average (1, 5, 15 min) "
                f"{env['load_before']} before the run, {env.get('load_after', '?')} after.")
        return "\n".join([when, "", *lines, "", *targets(rows)])
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i in (0, len(head) - 1) else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([fmt(head), *map(fmt, body), "", *targets(rows)])


def targets(rows: list[Row]) -> list[str]:
    """The targets of issue 3, met or not, from the rows measured."""
    out = []
    both = [r for r in rows if "times_s" in r.negmas and "compute_s" in r.warm and r.outcomes >= 10_000]
    if both:
        ratios = sorted((statistics.median(r.negmas["times_s"]) / r.warm["compute_s"], r.name) for r in both)
        low, name = ratios[0]
        met = "met" if low >= 1000 else "NOT met"
        under = [f"{n} {r:,.0f}×" for r, n in ratios if r < 1000]
        out.append(f"- 1000× NegMAS's frontier+Nash+KS on every domain of 10^4 outcomes or more (compute vs compute, both in process): {met}; "
                   f"lowest {low:,.0f}× ({name}), {len(both)} domains" + (f"; under 1000×: {', '.join(under)}" if under else ""))
        for key, what in (("compute_s", "a fresh Truce process's first run"), ("wall_s", "the whole Truce process")):
            worst = sorted((statistics.median(r.negmas["times_s"]) / r.truce[key], r.name) for r in both)
            below = [f"{n} {x:,.0f}×" for x, n in worst if x < 1000]
            out.append(f"  ({what} vs NegMAS compute: lowest {worst[0][0]:,.0f}× ({worst[0][1]})"
                       + (f"; under 1000×: {', '.join(below)}" if below and key == "compute_s" else "") + ")")
    for name, limit, what in (("synthetic-2p-1e12", 0.1, "100 ms"), ("synthetic-2p-1e50", 1.0, "1 s"), ("synthetic-3p-1e9", 10.0, "10 s")):
        r = next((r for r in rows if r.name == name and "compute_s" in r.truce), None)
        if r:
            met = "met" if r.truce["compute_s"] < limit else "NOT met"
            out.append(f"- {name}: exact frontier and solutions under {what}: {met} "
                       f"({fmt_time(r.truce['compute_s'])} compute, {fmt_time(r.truce['wall_s'])} wall, "
                       f"{r.truce['frontier_size']} frontier points, {fmt_mb(r.truce['rss_peak_kb'])} peak RSS)")
    checked = [r for r in rows if r.checked]
    wrong = [r.name for r in checked if r.checks]
    out.append(f"- answers: {len(checked) - len(wrong)} of {len(checked)} domains checked agree" + (f"; disagreeing: {', '.join(wrong)}" if wrong else ""))
    return out


def save_results(rows: list[Row], env: dict) -> None:
    path = ROOT / "target" / "bench-results" / "analysis.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"environment": env, "rows": [
        {"name": r.name, "outcomes": r.outcomes, "parties": r.parties, "truce": r.truce, "truce_in_process": r.warm,
         "negmas": {k: v for k, v in r.negmas.items() if k not in ("frontier", "sample")},
         "negmas_stats": r.stats, "checked": r.checked, "failures": r.checks, "note": r.note}
        for r in rows]}
    path.write_text(json.dumps(data, indent=1) + "\n")
    print(f"\nraw results: {path.relative_to(ROOT)}")


def write_markdown(table: str) -> None:
    text = DOC.read_text() if DOC.is_file() else ""
    if BEGIN in text and END in text:
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOC.write_text(text[:start] + "\n" + table + "\n" + text[end:])
        print(f"table written into {DOC.relative_to(ROOT)}")
    else:
        print(f"\n{DOC.relative_to(ROOT)} has no {BEGIN} / {END} markers; paste this:\n\n{table}")


if __name__ == "__main__":
    sys.exit(main())
