"""Negotiations from Python: built-in agents, agents written in Python, and their failures contained
as a Rust agent's are."""

from __future__ import annotations

import json
import threading
import time

import pytest
import truce

import agents as py


def test_built_in_agents_negotiate_deterministically(harbour):
    a = truce.negotiate(harbour, ["boulware", "conceder"], seed=7)
    b = truce.negotiate(harbour, "boulware,conceder", seed=7)
    assert a.agreed and a.agreement is not None
    assert len(a.agreement) == len(harbour.issues)
    assert a.transcript_jsonl() == b.transcript_jsonl()
    assert a.transcript[0]["event"] == "start" and a.transcript[-1]["event"] == "result"
    assert a.agents == ["boulware", "conceder"]
    assert "agreement in round" in a.summary()
    assert a._repr_svg_().lstrip().startswith("<svg")


def test_a_python_agent_plays_and_is_deterministic(harbour):
    a = truce.negotiate(harbour, [py.Linear, "boulware"], seed=3)
    b = truce.negotiate(harbour, [py.Linear, "boulware"], seed=3)
    assert a.agreed, a.failure
    assert a.transcript_jsonl() == b.transcript_jsonl()
    assert a.agents == ["Linear", "boulware"]
    assert truce.negotiate(harbour, [py.Named, "boulware"], seed=3).agents[0] == "linear-py"


def test_a_python_agent_sees_its_own_utility_only(harbour):
    run = truce.negotiate(harbour, [py.Snoop, "conceder"], seed=1)
    assert run.agreed
    seen = py.Snoop.seen
    assert seen["seat"] == 0 and seen["parties"] == 2 and seen["rounds"] == 100
    assert "preferences" not in seen and not any("coast" in str(v) for v in seen.values())
    # Its utility of the agreement is the payoff the engine reports for its seat.
    agent = py.Linear()
    truce.negotiate(harbour, [agent, "conceder"], seed=1)
    assert agent.utility(run.agreement) == pytest.approx(run.utilities[0])
    assert agent.utility(dict(zip(agent.issues, run.agreement))) == pytest.approx(run.utilities[0])


def test_the_ranking_is_the_pool_best_first_as_a_sequence(harbour):
    import collections.abc

    agent = py.Linear()
    truce.negotiate(harbour, [agent, "conceder"], seed=1)
    ranking = agent.ranking()
    assert isinstance(ranking, collections.abc.Sequence)
    assert len(ranking) == agent.pool_size() > 1
    # Each pair is `ranked` and its utility, read one at a time; slices and negative ranks as a list's.
    pairs = list(ranking)
    assert pairs == [(agent.view.ranked_utility(k), agent.ranked(k)) for k in range(agent.pool_size())]
    assert ranking[-1] == pairs[-1] and ranking[1:3] == pairs[1:3] and ranking[::-1] == pairs[::-1]
    # Iteration (native, not through indexing) goes on where it stopped and ends where the list does.
    rest = iter(ranking)
    assert next(rest) == pairs[0] and list(rest) == pairs[1:] and list(rest) == []
    assert ranking.utilities() == [u for u, _ in pairs] == sorted(ranking.utilities(), reverse=True)
    assert all(agent.utility(o) == pytest.approx(u) for u, o in pairs)
    with pytest.raises(IndexError, match="outside the ranking"):
        ranking[len(ranking)]


def test_an_unbound_agent_says_so():
    with pytest.raises(RuntimeError, match="not in a negotiation"):
        py.Linear().utility(())


@pytest.mark.parametrize(
    "agent, kind, words",
    [
        (py.Raises, "panic", "propose raised: ValueError: boom"),
        (py.WrongType, "panic", "propose returned 42 (int), not an outcome"),
        (py.WrongAnswer, "panic", "respond returned 'maybe' (str), not a Response"),
        (py.OffGrid, "invalid_offer", ""),
    ],
)
def test_a_failing_python_agent_is_recorded_not_raised(harbour, agent, kind, words):
    run = truce.negotiate(harbour, ["boulware", agent], seed=7)
    assert run.status == "failed" == json.loads(run.to_json())["status"]
    assert run.failure.kind == kind, run.failure
    assert run.failure.party == 1 and run.failure.agent == agent.__name__
    assert words in run.failure.message
    assert run.transcript[-1]["event"] == "result"


def test_a_python_agent_that_loops_is_abandoned_and_stopped(harbour):
    started = time.monotonic()
    run = truce.negotiate(harbour, [py.Loops, "boulware"], seed=7, call_limit=0.2)
    assert run.status == "timeout"
    assert run.failure.kind == "stuck" and run.failure.party == 0
    assert time.monotonic() - started < 10
    # The looping thread was interrupted: nothing but this thread is left running.
    deadline = time.monotonic() + 5
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert truce.negotiate(harbour, [py.Linear, "boulware"], seed=7).agreed


def test_a_slow_python_agent_overruns_its_call_limit(harbour):
    run = truce.negotiate(harbour, [py.Sleeps, "boulware"], seed=7, call_limit=0.01)
    assert run.failure is not None and run.failure.kind in ("call_limit", "stuck")


def test_python_agents_vote_in_single_text(harbour):
    py.Voter.votes = 0
    run = truce.negotiate(harbour, [py.Voter, "conceder"], protocol="single_text", seed=2)
    assert run.failure is None, run.failure
    assert py.Voter.votes > 0


def test_bad_parameters_name_themselves(harbour):
    with pytest.raises(truce.ParameterError) as info:
        truce.negotiate(harbour, ["boulwar", "conceder"])
    assert info.value.parameter == "agents"
    assert "did you mean `boulware`?" in str(info.value)
    with pytest.raises(truce.ParameterError) as info:
        truce.negotiate(harbour, ["boulware"])
    assert info.value.parameter == "agents"
    with pytest.raises(truce.ParameterError) as info:
        truce.negotiate(harbour, ["boulware", "conceder"], protocol="shutle")
    assert info.value.parameter == "protocol"
    with pytest.raises(truce.ParameterError) as info:
        truce.negotiate(harbour, ["boulware", "conceder"], rounds=0)
    assert info.value.parameter == "rounds"
    with pytest.raises(truce.ParameterError):
        truce.negotiate(harbour, [object(), "conceder"])


def test_agents_and_protocols_are_listed():
    names = [name for name, _, _ in truce.agents()]
    assert "boulware" in names and "micro" in names
    assert set(truce.protocols()) >= {"sao", "single_text", "shuttle"}


def test_a_transcript_past_max_events_stops_with_the_transcript_limit_failure(harbour):
    capped = truce.negotiate(harbour, ["boulware", "conceder"], rounds=1000, seed=1, max_events=10)
    assert capped.status == "failed" and not capped.agreed
    assert capped.failure is not None and capped.failure.kind == "transcript_limit"
    assert "limit of 10 events" in capped.failure.message
    assert capped.transcript[0]["event"] == "start" and capped.transcript[-1]["event"] == "result"
    # The same negotiation under the default cap (200,000 events) is not stopped.
    whole = truce.negotiate(harbour, ["boulware", "conceder"], rounds=1000, seed=1)
    assert whole.failure is None and len(whole.transcript) > 10


def test_a_transcript_cap_of_no_events_is_refused(harbour):
    with pytest.raises(truce.ParameterError, match="at least one event") as caught:
        truce.negotiate(harbour, ["boulware", "conceder"], max_events=0)
    assert caught.value.parameter == "max_events"
