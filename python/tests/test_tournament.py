"""Tournaments from Python: in this process, in worker processes with Python agents, shards and
merges byte for byte, and bad merges refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import truce

import agents as py
from conftest import HARBOUR


def test_shards_merge_into_the_whole_tournament_byte_for_byte(tmp_path: Path):
    options = dict(reps=2, rounds=50, seed=4)
    whole = truce.tournament(["boulware", "conceder", "micro"], HARBOUR, out=tmp_path / "whole", **options)
    assert whole.complete
    parts = [
        truce.tournament(["boulware", "conceder", "micro"], [HARBOUR], shard=(i, 3), out=tmp_path / f"s{i}", **options)
        for i in range(3)
    ]
    assert not any(p.complete for p in parts)
    merged = truce.merge(*(tmp_path / f"s{i}" for i in range(3)), out=tmp_path / "merged")
    assert merged.to_jsonl() == whole.to_jsonl()
    for name in ["results.jsonl", "negotiations.csv", "ranking.csv"]:
        assert (tmp_path / "merged" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert truce.merge(*parts).to_jsonl() == whole.to_jsonl()
    assert any("boulware" in row.values() for row in whole.ranking)
    assert "boulware" in whole.ranking_text()
    assert (tmp_path / "whole" / "manifest.json").is_file()


def test_out_refuses_to_overwrite_and_resumes(tmp_path: Path):
    first = truce.tournament(["boulware", "conceder"], HARBOUR, reps=2, out=tmp_path)
    with pytest.raises(truce.TruceError):
        truce.tournament(["boulware", "conceder"], HARBOUR, reps=2, out=tmp_path)
    # An interrupted run: its results.jsonl cut after the header and one negotiation, no manifest.
    lines = (tmp_path / "results.jsonl").read_text().splitlines(keepends=True)
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "results.jsonl").write_text("".join(lines[:2]))
    resumed = truce.tournament(["boulware", "conceder"], HARBOUR, reps=2, out=cut, resume=True)
    assert resumed.to_jsonl() == first.to_jsonl()
    assert (cut / "results.jsonl").read_bytes() == (tmp_path / "results.jsonl").read_bytes()


def test_merge_refuses_another_tournaments_shard():
    a = truce.tournament(["boulware", "conceder"], HARBOUR, shard=(0, 2), seed=1)
    b = truce.tournament(["boulware", "conceder"], HARBOUR, shard=(1, 2), seed=2)
    with pytest.raises(truce.InputError, match="different tournament"):
        truce.merge(a, b)


def test_a_shard_of_the_wrong_shape_is_a_parameter_error():
    with pytest.raises(truce.ParameterError) as info:
        truce.tournament(["boulware", "conceder"], HARBOUR, shard=(3, 2))
    assert info.value.parameter == "shard"


def test_python_agents_play_in_worker_processes_beside_built_in_ones():
    local = truce.tournament([py.Linear, "boulware"], HARBOUR, reps=1, seed=5, executor="local")
    in_processes = truce.tournament([py.Linear, "boulware"], HARBOUR, reps=1, seed=5, workers=2)
    assert in_processes.to_jsonl() == local.to_jsonl()
    assert in_processes.agents == ["Linear", "boulware"]
    assert not any(n.get("failure") for n in in_processes.negotiations)
    assert any(n["status"] == "agreement" for n in in_processes.negotiations)


# An agent defined in `__main__` with no file behind it, as in a notebook: a worker process cannot
# import it by name, so it travels by value (cloudpickle).
NOTEBOOK = """
import json, sys, truce

class Notebook(truce.Agent):
    def target(self, state):
        return 1.0 - state.time * (1.0 - self.reservation)

    def propose(self, state):
        return self.closest_above(self.target(state))

    def respond(self, state, offer):
        if self.acceptable(offer) and self.utility(offer) >= self.target(state):
            return truce.Response.ACCEPT_OFFER
        return truce.Response.REJECT_OFFER

options = dict(reps=1, seed=5)
local = truce.tournament([Notebook, "boulware"], sys.argv[1], executor="local", **options)
workers = truce.tournament([Notebook, "boulware"], sys.argv[1], workers=2, **options)
assert workers.to_jsonl() == local.to_jsonl()
print(json.dumps([workers.agents, len(workers.negotiations), sum(n["status"] == "agreement" for n in workers.negotiations)]))
"""


def test_an_agent_defined_in_a_notebook_plays_in_worker_processes():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", NOTEBOOK, str(HARBOUR)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    agents, negotiations, agreements = json.loads(run.stdout)
    assert agents == ["Notebook", "boulware"]
    assert negotiations > 0 and agreements > 0


def test_a_looping_python_agent_is_recorded_in_a_tournament():
    results = truce.tournament([py.Loops, "boulware"], HARBOUR, seed=5, call_limit=0.2, timeout=120)
    failures = [n["failure"] for n in results.negotiations if n.get("failure")]
    # The loop is abandoned (`stuck`); a Python agent beside it may overrun its own short limit while
    # the looping thread holds the GIL (`call_limit`): both are recorded time-outs, never a crash.
    assert any(f["kind"] == "stuck" for f in failures)
    assert all(f["kind"] in ("stuck", "call_limit", "time_limit") for f in failures), failures
    assert len(results.negotiations) == results.tournament.total


def test_instances_are_refused_in_tournaments():
    with pytest.raises(truce.ParameterError, match="pass the class"):
        truce.tournament([py.Linear(), "boulware"], HARBOUR)


def test_max_events_caps_every_kept_transcript_of_a_tournament():
    capped = truce.tournament(["boulware", "conceder"], HARBOUR, rounds=1000, transcripts=True, max_events=10)
    assert capped.negotiations and all(n["status"] == "failed" for n in capped.negotiations)
    assert all(n["failure"]["kind"] == "transcript_limit" for n in capped.negotiations)
    assert all("limit of 10 events" in n["failure"]["message"] for n in capped.negotiations)
    # The cap is on kept transcripts: without them, the same tournament is not stopped.
    free = truce.tournament(["boulware", "conceder"], HARBOUR, rounds=1000, max_events=10)
    assert not any(n.get("failure") for n in free.negotiations)
