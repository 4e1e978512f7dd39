"""Read-only objects over the JSON that Truce's report and simulation crates write.

Every analysis, case view and result reaches Python as the JSON the Rust crates already write (the
`truce-analysis/1` JSON, `truce show --json`, the results and transcript formats); these classes give
attribute access over it, so nothing is serialised twice.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple


class Record(Mapping[str, Any]):
    """A JSON object with attribute access: ``record.name`` is ``record["name"]``.

    Nested objects are Records too, lists are lists; ``to_dict()`` gives the JSON object back.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getattr__(self, name: str) -> Any:
        try:
            return wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return wrap(self._data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __dir__(self) -> List[str]:
        return sorted(set(self._data) | set(dir(type(self))))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return bool(self._data == other._data)
        return bool(self._data == other)

    def __hash__(self) -> int:
        return hash(repr(self._data))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in list(self._data.items())[:6])
        more = ", ..." if len(self._data) > 6 else ""
        return f"{type(self).__name__}({fields}{more})"

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object."""
        return dict(self._data)


def wrap(value: Any) -> Any:
    """A JSON value with objects as Records."""
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


class Issue(Record):
    """An issue: ``name``, ``type`` (``discrete``, ``integer``, ``real``), ``values`` (how many),
    ``options`` (discrete), ``min``/``max``/``step`` (numeric), ``phase``."""


class Party(Record):
    """A party: ``id``, ``name``, ``roles``, ``has_preferences``, ``reservation``, ``red_lines``,
    ``stated_positions``, ``aligned_with``."""

    @property
    def negotiator(self) -> bool:
        """Whether the party negotiates (has the role ``negotiator``)."""
        return "negotiator" in self._data.get("roles", [])


class Phase(Record):
    """A phase: ``name``, ``duration_days``, ``issues``, ``next_condition``."""


class Proposal(Record):
    """A proposal: ``id``, ``title``, ``kind``, ``date``, ``tabled_by``, ``terms``, ``responses``."""


class Source(Record):
    """A source the case cites: ``id``, ``title``, ``publisher``, ``date``, ``url`` ..."""


class Point(Record):
    """A point of utility space: ``utilities`` (one per party), ``outcome`` (issue -> value)."""

    @property
    def utilities(self) -> Tuple[float, ...]:
        return tuple(self._data["utilities"])

    @property
    def outcome(self) -> Dict[str, Any]:
        return dict(self._data["outcome"])


class Solution(Point):
    """A bargaining solution: ``value`` (its criterion), ``utilities``, ``outcome``."""

    @property
    def value(self) -> float:
        return float(self._data["value"])


class Frontier(Record):
    """The Pareto frontier: ``points`` (in decreasing order of the first party's utility), ``size``,
    ``outcomes`` (outcomes reaching it), ``method`` (``kind``, ``exact``)."""

    @property
    def points(self) -> List[Point]:
        return [Point(p) for p in self._data["points"]]

    @property
    def exact(self) -> bool:
        return bool(self._data["method"].get("exact", False))


class Zone(Record):
    """The zone of possible agreement: ``size`` (exact count or estimate), ``frontier``,
    ``frontier_size``."""

    @property
    def count(self) -> Optional[int]:
        """How many outcomes (``None`` when only estimated)."""
        size = self._data["size"]
        return int(size["value"]) if size.get("exact") else None

    @property
    def open(self) -> bool:
        """Whether any outcome is acceptable to every party."""
        size = self._data["size"]
        if size.get("exact"):
            return int(size["value"]) > 0
        return float(size.get("estimate", 0)) > 0 or self._data.get("frontier_size", 0) > 0

    @property
    def frontier(self) -> List[Point]:
        return [Point(p) for p in self._data["frontier"]]


class Evaluation(Record):
    """A proposal or outcome judged against the case: ``subject``, ``verdict``, ``parties`` (per
    party: ``utility``, ``verdict``, ``broken`` red lines), ``nash_distance``, ..."""


class Failure(Record):
    """What went wrong in a negotiation: ``kind`` (``panic``, ``invalid_offer``, ``stuck`` ...),
    ``party`` (the seat at fault), ``agent`` (its label), ``message``."""
