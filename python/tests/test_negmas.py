"""NegMAS interop: a case to a NegMAS scenario and back in memory, NegMAS negotiators in Truce, and
the same negotiator making the same offers in NegMAS' SAOMechanism and through Truce."""

from __future__ import annotations

import itertools

import pytest

negmas = pytest.importorskip("negmas")

import truce  # noqa: E402
import truce.negmas as tn  # noqa: E402
from negmas.sao import SAOMechanism  # noqa: E402

from conftest import REPO  # noqa: E402

SMALL_GENIUS = REPO / "crates" / "truce-formats" / "tests" / "data" / "genius" / "small"


def outcomes(case):
    return list(itertools.product(*[_values(i) for i in case.issues]))


def _values(issue):
    if issue.options is not None:
        return issue.options
    return list(range(issue.min, issue.max + 1, issue.step or 1))


def test_a_case_becomes_a_negmas_scenario_with_the_same_utilities(domains):
    case = truce.load(domains / "anac2010_ItexvsCypress")
    scenario = tn.to_negmas(case)
    assert len(scenario.ufuns) == 2
    ids = sorted(p.id for p in case.negotiators)
    # NegMAS reads utility functions by party id; compare each with the Truce party of that id.
    by_id = {p.id: k for k, p in enumerate(case.negotiators)}
    for outcome in scenario.outcome_space.enumerate_or_sample(max_cardinality=200):
        evaluation = case.evaluate(dict(zip([i.name for i in case.issues], outcome)))
        for party, ufun in zip(ids, scenario.ufuns):
            truth = evaluation.parties[by_id[party]]["utility"]["low"]
            assert ufun(outcome) == pytest.approx(truth, abs=1e-9)


def test_a_negmas_scenario_comes_back_as_a_case(domains):
    case = truce.load(domains / "anac2011_Grocery")
    back = tn.from_negmas(tn.to_negmas(case), name="grocery")
    assert back.format == "negmas"
    assert [i.name for i in back.issues] == [i.name for i in case.issues]
    a, b = case.analyze(), back.analyze()
    rounded = lambda analysis: sorted(tuple(round(u, 9) for u in p.utilities) for p in analysis.frontier.points)  # noqa: E731
    assert rounded(a) == rounded(b)


def test_negmas_texts_are_truce_convert_output():
    case = truce.load(SMALL_GENIUS)
    files, warnings = tn.negmas_texts(case)
    assert next(iter(files.values())).rstrip().endswith("type: CartesianOutcomeSpace")
    assert len(files) == 1 + len(case.negotiators)


def test_a_negmas_negotiator_plays_in_truce(harbour):
    agent = tn.NegmasAgent.of(negmas.sao.AspirationNegotiator)
    run = truce.negotiate(harbour, [agent, "conceder"], seed=1)
    assert run.failure is None, run.failure
    assert run.agents[0] == "AspirationNegotiator"
    assert run.agreed


def test_the_same_negotiator_makes_the_same_offers_in_negmas_and_in_truce(domains):
    """NegMAS' AspirationNegotiator (deterministic: presorted outcomes, a time-based aspiration)
    against ToughNegotiator (always its best offer) on the same scenario, in NegMAS' SAOMechanism and
    through Truce: the aspiration negotiator makes the same 20 offers, and neither run agrees.
    (Where outcomes tie in utility, NegMAS' floating-point sums and Truce's order ties differently, so
    a domain without such ties is used.)"""
    case = truce.load(domains / "anac2010_ItexvsCypress")
    scenario = tn.to_negmas(case)
    assert [u.name for u in scenario.ufuns] == sorted(p.id for p in case.negotiators)
    rounds = 20
    in_negmas, in_truce = [], []

    def recording(into):
        class Recorded(negmas.sao.AspirationNegotiator):
            def propose(self, state, dest=None):
                offer = super().propose(state, dest)
                into.append(tuple(offer))
                return offer

        return Recorded

    mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=rounds)
    mechanism.add(negmas.sao.ToughNegotiator(name="tough"), ufun=scenario.ufuns[0])
    mechanism.add(recording(in_negmas)(name="aspiration"), ufun=scenario.ufuns[1])
    negmas_result = mechanism.run()

    run = truce.negotiate(
        case,
        [tn.NegmasAgent.of(negmas.sao.ToughNegotiator), tn.NegmasAgent.of(recording(in_truce), name="aspiration")],
        rounds=rounds,
    )
    assert run.failure is None, run.failure
    assert len(in_negmas) == rounds
    assert in_truce == in_negmas
    assert run.agreement is None and negmas_result.agreement is None
