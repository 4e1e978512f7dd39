"""A tournament's shards as Ray tasks on a local Ray: the merged results equal the one-machine run's,
byte for byte. Skipped only when Ray cannot be imported (CI installs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

import truce  # noqa: E402

import agents as py  # noqa: E402
from conftest import HARBOUR  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    # The tests' Python agents (tests/agents.py) must be importable by Ray's workers, as a user's
    # agents must be on the cluster.
    tests = str(Path(__file__).resolve().parent)
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        ignore_reinit_error=True,
        runtime_env={"env_vars": {"PYTHONPATH": tests}},
    )
    yield
    ray.shutdown()


def test_ray_shards_merge_into_the_one_machine_run_byte_for_byte(local_ray, tmp_path):
    agents = ["boulware", "conceder", "micro"]
    one_machine = truce.tournament(agents, HARBOUR, reps=3, rounds=60, seed=11, out=tmp_path / "local")
    on_ray = truce.tournament(agents, HARBOUR, reps=3, rounds=60, seed=11, executor="ray", workers=3,
                              out=tmp_path / "ray")
    assert on_ray.complete
    assert on_ray.to_jsonl() == one_machine.to_jsonl()
    assert (tmp_path / "ray" / "results.jsonl").read_bytes() == (tmp_path / "local" / "results.jsonl").read_bytes()


def test_python_agents_run_as_ray_tasks(local_ray):
    local = truce.tournament([py.Linear, "boulware"], HARBOUR, seed=2, executor="local")
    on_ray = truce.tournament([py.Linear, "boulware"], HARBOUR, seed=2, executor="ray", workers=2)
    assert on_ray.to_jsonl() == local.to_jsonl()
