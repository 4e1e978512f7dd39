"""Reading cases: from a path and from memory, and errors that keep file, line, column and hint."""

from __future__ import annotations

from pathlib import Path

import pytest
import truce

from conftest import HARBOUR

SMALL = """
[case]
id = "split"
title = "Split"

[[issues]]
name = "share"
type = "integer"
min = 0
max = 4

[[issues]]
name = "route"
type = "discrete"
options = ["north", "sea", "air"]

[[parties]]
id = "a"
name = "A"
roles = ["negotiator"]
[parties.preferences]
weights = { share = 2, route = 1 }
values = { share = { linear = "increasing" }, route = { scores = { north = 1, sea = 0.5, air = 0 } } }
assumption = "For the test."

[[parties]]
id = "b"
name = "B"
roles = ["negotiator"]
[parties.preferences]
weights = { share = 1, route = 1 }
values = { share = { linear = "decreasing" }, route = { scores = { north = 0, sea = 1, air = 0.5 } } }
assumption = "For the test."
"""


def test_a_case_file_reads_with_its_parts(harbour):
    assert harbour.id == "harbour-truce"
    assert harbour.format == "truce"
    assert [i.name for i in harbour.issues][:2] == ["hostages_released", "prisoners_per_hostage"]
    assert len(harbour.parties) == 4
    assert [p.id for p in harbour.negotiators] == ["north", "coast"]
    assert len(harbour.proposals) == 3
    assert {s.id for s in harbour.sources} >= {"S01", "S05"}
    assert harbour.phases and harbour.phases[0].issues
    assert harbour.outcomes > 1000
    assert HARBOUR.name in harbour.texts() or any(k.endswith(HARBOUR.name) for k in harbour.texts())


def test_loads_reads_a_text_in_memory():
    case = truce.loads(SMALL)
    assert case.id == "split"
    assert case.outcomes == 15
    assert case.issues[1].options == ["north", "sea", "air"]


def test_a_bad_text_raises_input_error_with_positions():
    with pytest.raises(truce.InputError) as info:
        truce.loads('[case]\nid = 3\n', name="bad.toml")
    e = info.value
    assert isinstance(e, truce.TruceError)
    assert e.kind == "input"
    (d,) = [d for d in e.diagnostics if d.severity == "error"]
    assert (d.file, d.line, d.column, d.code) == ("bad.toml", 2, 6, "wrong-type")
    assert "--> bad.toml:2:6" in e.rendered
    assert "2 | id = 3" in e.rendered


def test_a_semantic_error_keeps_its_hint():
    text = SMALL.replace('weights = { share = 2, route = 1 }', 'weights = { share = 2, rout = 1 }')
    with pytest.raises(truce.InputError) as info:
        truce.loads(text, name="split.toml")
    errors = [d for d in info.value.diagnostics if d.severity == "error"]
    assert errors, info.value.rendered
    assert all(d.file == "split.toml" and d.line for d in errors)
    assert any(d.hint for d in errors), [str(d) for d in errors]


def test_a_missing_path_is_an_input_error(tmp_path: Path):
    with pytest.raises(truce.InputError):
        truce.load(tmp_path / "nothing-here.toml")


def test_an_unknown_format_is_a_parameter_error():
    with pytest.raises(truce.ParameterError):
        truce.loads(SMALL, format="docx")


def test_a_genius_domain_reads_from_memory(domains):
    folder = domains / "anac2010_ItexvsCypress"
    files = {f"itex/{p.name}": p.read_text() for p in folder.glob("*.xml")}
    from_memory = truce.loads(files)
    from_disk = truce.load(folder)
    assert from_memory.format == from_disk.format == "genius"
    assert from_memory.outcomes == from_disk.outcomes
    assert from_memory.analyze().to_json() == from_disk.analyze().to_json().replace(str(folder.name), "itex") or (
        from_memory.analyze().frontier.points == from_disk.analyze().frontier.points
    )


def test_save_writes_a_format_the_reader_reads_back(tmp_path: Path):
    case = truce.loads(SMALL)
    case.save(tmp_path / "split", "geniusweb")
    back = truce.load(tmp_path / "split")
    assert back.analyze().frontier.points == case.analyze().frontier.points
