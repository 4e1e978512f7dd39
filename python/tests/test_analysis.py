"""The analysis from Python: the report crate's JSON as objects, checked against brute force."""

from __future__ import annotations

import itertools
import json

import pytest
import truce

from test_case import SMALL


def utilities(share: int, route: str):
    """The two parties of SMALL, computed by hand: weighted sums (weights as written), linear shares,
    route scores divided by their maximum."""
    a = 2 * share / 4 + 1 * {"north": 1, "sea": 0.5, "air": 0}[route]
    b = 1 * (4 - share) / 4 + 1 * {"north": 0, "sea": 1, "air": 0.5}[route]
    return a, b


def test_the_frontier_is_the_brute_force_one():
    analysis = truce.loads(SMALL).analyze()
    points = {(s, r): utilities(s, r) for s, r in itertools.product(range(5), ["north", "sea", "air"])}
    pareto = {
        k: u
        for k, u in points.items()
        if not any(v[0] >= u[0] and v[1] >= u[1] and v != u for v in points.values())
    }
    got = {tuple(round(x, 9) for x in p.utilities) for p in analysis.frontier.points}
    assert got == {tuple(round(x, 9) for x in u) for u in pareto.values()}
    assert analysis.frontier.exact
    for p in analysis.frontier.points:
        assert utilities(int(p.outcome["share"]), p.outcome["route"]) == pytest.approx(p.utilities)
    # Ties within 1e-12 go to the larger sum of utilities.
    nash = max(pareto.values(), key=lambda u: (round(u[0] * u[1], 12), u[0] + u[1]))
    assert analysis.nash is not None
    assert analysis.nash.value == pytest.approx(nash[0] * nash[1])
    assert analysis.nash.utilities == pytest.approx(nash)
    welfare = max(pareto.values(), key=sum)
    assert sum(analysis.max_welfare.utilities) == pytest.approx(sum(welfare))
    egalitarian = max(pareto.values(), key=min)
    assert min(analysis.egalitarian.utilities) == pytest.approx(min(egalitarian))
    assert analysis.kalai_smorodinsky is not None
    assert analysis.zone.open and analysis.zone.count == 15


def test_to_json_is_the_report_crates_json(harbour):
    analysis = harbour.analyze()
    data = json.loads(analysis.to_json())
    assert data["schema"] == "truce-analysis/1"
    assert data["frontier"]["size"] == len(analysis.frontier.points)
    assert analysis.to_dict() == data
    assert [e.subject for e in analysis.evaluations][: len(harbour.proposals)] == [
        {"proposal": p.id} for p in harbour.proposals
    ]
    assert analysis.bridging is not None and analysis.bridging.kind in ("packages", "blocked")


def test_the_analysis_converts_a_section_when_first_read(harbour):
    analysis = harbour.analyze()
    # Nothing is converted to Python until it is read, and then only the section read, once.
    assert analysis._sections == {} and analysis._json is None
    nash = analysis.nash
    assert list(analysis._sections) == ["solutions"]
    assert analysis.nash == nash and analysis.kalai_smorodinsky is not None
    assert list(analysis._sections) == ["solutions"]
    whole = json.loads(analysis.to_json())
    for key in ("frontier", "zone", "parties", "evaluations", "bridging", "notes", "date", "opposition"):
        assert analysis._get(key) == whole[key]
    with pytest.raises(truce.ParameterError, match="no key `nope`"):
        analysis._native.section("nope")


def test_a_date_changes_the_red_lines_in_force(harbour):
    assert harbour.analyze(at="2031-03-01").date == "2031-03-01"
    with pytest.raises(truce.ParameterError) as info:
        harbour.analyze(at="yesterday")
    assert info.value.parameter == "at"


def test_evaluate_judges_one_outcome(harbour):
    issue = harbour.issues[0]
    evaluation = harbour.evaluate({issue.name: issue.min})
    assert evaluation.subject == {"outcome": f"{issue.name}={issue.min}"}
    assert evaluation.verdict in ("acceptable", "unacceptable", "depends", "unknown")
    with pytest.raises(truce.ParameterError) as info:
        harbour.evaluate("no_such_issue=1")
    assert info.value.parameter == "outcome"


def test_numpy_and_pandas_views(harbour):
    analysis = harbour.analyze()
    np = pytest.importorskip("numpy")
    array = analysis.to_numpy()
    assert array.shape == (len(analysis.frontier.points), 2)
    assert np.allclose(array[0], analysis.frontier.points[0].utilities)
    pd = pytest.importorskip("pandas")
    frame = analysis.to_pandas()
    assert list(frame.columns[:2]) == ["north", "coast"]
    assert len(frame) == len(analysis.frontier.points)
    assert isinstance(frame, pd.DataFrame)


def test_jupyter_views_are_the_report_crates_svg(harbour):
    analysis = harbour.analyze()
    svg = analysis._repr_svg_()
    assert svg.lstrip().startswith("<svg") and svg == analysis.svg()
    assert svg in analysis._repr_html_()
    assert "<html" in analysis.html().lower()
    assert "Nash" in analysis.text()


def test_anac_domains_match_the_genius_reference(domains):
    reference = {d["domain"]: d for d in json.loads((domains / "reference.json").read_text())}
    for name in ["anac2010_ItexvsCypress", "anac2011_Grocery", "anac2013_Coffee", "anac2010_Travel"]:
        expected = reference[name]
        analysis = truce.load(domains / name).analyze()
        assert analysis.frontier.exact
        assert len(analysis.frontier.points) == expected["frontier_size"], name
        assert analysis.nash.value == pytest.approx(expected["nash"]["value"], abs=1e-9), name
        assert analysis.nash.utilities == pytest.approx(expected["nash"]["utilities"], abs=1e-9), name


def test_an_issue_past_the_limit_of_values_is_located():
    # A real issue of 1,000,001 levels, one past what the analysis takes per issue: the error
    # points at the issue's definition, as a reading error does.
    party = (
        '[[parties]]\nid = "{id}"\nname = "{id}"\nroles = ["negotiator"]\n[parties.preferences]\n'
        'weights = {{ share = 1 }}\nvalues = {{ share = {{ linear = "{slope}" }} }}\n'
    )
    text = (
        '[case]\nid = "fine"\ntitle = "Fine"\n[[issues]]\nname = "share"\ntype = "real"\nmin = 0\nmax = 1\n'
        "levels = 1000001\n" + party.format(id="a", slope="increasing") + party.format(id="b", slope="decreasing")
    )
    case = truce.loads(text, name="fine.toml")
    with pytest.raises(truce.TooLargeError) as raised:
        case.analyze()
    [d] = raised.value.diagnostics
    assert (d.code, d.file, d.line, d.column) == ("too-many-values", "fine.toml", 5, 8)
    assert "1000001 values" in d.message and "larger step" in (d.hint or "")
