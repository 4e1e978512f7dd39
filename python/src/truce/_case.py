"""Cases and their analysis: ``load``, ``loads``, ``Case``, ``Analysis``."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _truce
from ._records import (
    Evaluation,
    Frontier,
    Issue,
    Party,
    Phase,
    Proposal,
    Record,
    Solution,
    Source,
    Zone,
    wrap,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy
    import pandas

PathLike = Union[str, "os.PathLike[str]"]

#: File extensions of the formats ``loads`` reads from one text.
_EXTENSIONS = {
    "truce": "toml",
    "toml": "toml",
    "geniusweb": "json",
    "json": "json",
    "negmas": "yaml",
    "yaml": "yaml",
    "yml": "yaml",
}


def load(path: PathLike) -> "Case":
    """Reads and checks the case at ``path``: a Truce case file or folder, or a GENIUS, GeniusWeb or
    NegMAS domain. Raises :class:`InputError` with every problem (file, line, column, hint)."""
    return Case(_truce.load(os.fspath(path)))


def loads(
    text: Union[str, Mapping[str, str]],
    format: str = "truce",
    *,
    name: Optional[str] = None,
    root: Optional[str] = None,
) -> "Case":
    """Reads and checks a case from memory.

    ``text`` is one file's text in ``format`` (``truce``, ``geniusweb`` or ``negmas``), named
    ``name`` in diagnostics; or a mapping from file names to texts (a GENIUS domain and its profiles,
    a case folder), read as ``load`` reads ``root`` (default: the folder the files are in).
    """
    if isinstance(text, str):
        extension = _EXTENSIONS.get(format.lower())
        if extension is None:
            known = ", ".join(sorted({"truce", "geniusweb", "negmas"}))
            raise _truce.ParameterError(
                f"there is no one-file format called `{format}`: the formats are {known} "
                "(a GENIUS domain is several files: pass a mapping of names to texts)"
            )
        file = name or f"case.{extension}"
        return Case(_truce.load_files(file, [(file, text)]))
    files = [(str(k), v) for k, v in text.items()]
    if not files:
        raise _truce.ParameterError("no files given")
    if root is None:
        folders = {os.path.dirname(k) for k, _ in files}
        root = folders.pop() if len(folders) == 1 else ""
        if len(files) == 1:
            root = files[0][0]
    return Case(_truce.load_files(root or ".", files))


class Case:
    """A case that read and passed the model's checks: its issues, parties, phases, proposals and
    sources, and what can be done with it (``analyze``, ``evaluate``, ``save``, and
    ``truce.negotiate``)."""

    def __init__(self, native: "_truce.Case") -> None:
        self._native = native
        self._show: Optional[Dict[str, Any]] = None

    def _view(self) -> Dict[str, Any]:
        if self._show is None:
            self._show = json.loads(self._native.show_json())
        return self._show

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def title(self) -> str:
        return self._native.title

    @property
    def format(self) -> str:
        """The format it was read from: ``truce``, ``genius``, ``geniusweb`` or ``negmas``."""
        return self._native.format

    @property
    def path(self) -> str:
        return os.fspath(self._native.path)

    @property
    def as_of(self) -> Optional[str]:
        """The date the case describes, if it has one."""
        return self._view().get("as_of")

    @property
    def warnings(self) -> List["_truce.Diagnostic"]:
        return self._native.warnings

    @property
    def issues(self) -> List[Issue]:
        return [Issue(i) for i in self._view()["issues"]]

    @property
    def parties(self) -> List[Party]:
        return [Party(p) for p in self._view()["parties"]]

    @property
    def negotiators(self) -> List[Party]:
        """The parties that negotiate with preferences (the ones agents play), in order."""
        return [p for p in self.parties if p.negotiator and p["has_preferences"]]

    @property
    def phases(self) -> List[Phase]:
        return [Phase(p) for p in self._view()["phases"]]

    @property
    def proposals(self) -> List[Proposal]:
        return [Proposal(p) for p in self._view()["proposals"]]

    @property
    def sources(self) -> List[Source]:
        return [Source(s) for s in json.loads(self._native.sources_json())]

    @property
    def outcomes(self) -> int:
        """How many outcomes the space has."""
        return int(self._view()["outcomes"]["exact"])

    def texts(self) -> Dict[str, str]:
        """The texts the case was read from, by file name."""
        return dict(self._native.texts())

    def analyze(
        self,
        at: Optional[str] = None,
        *,
        bridging: int = 3,
        sensitivity: Optional[bool] = None,
        outcomes: Sequence[str] = (),
        seed: int = 0,
    ) -> "Analysis":
        """The exact analysis on ``at`` (a date, default the case's ``as_of``): frontier, zone,
        Nash, Kalai-Smorodinsky, egalitarian and max-welfare points, each proposal's evaluation,
        bridging packages."""
        native = self._native.analyze(
            at=at, bridging=bridging, sensitivity=sensitivity, seed=seed, outcomes=list(outcomes)
        )
        return Analysis(native, self)

    def evaluate(self, outcome: Union[str, Mapping[str, Any]], at: Optional[str] = None) -> Evaluation:
        """One outcome (``"issue=value, ..."`` or a dict; issues left out are open) judged against
        the case on ``at``: each party's utility, the red lines it breaks, the verdict."""
        if not isinstance(outcome, str):
            outcome = ", ".join(f"{k}={v}" for k, v in outcome.items())
        analysis = self.analyze(at, bridging=0, sensitivity=False, outcomes=[outcome])
        return analysis.evaluations[-1]

    def save(self, path: PathLike, format: Optional[str] = None) -> List["_truce.Diagnostic"]:
        """Writes the case (``truce``, ``genius``, ``geniusweb``, ``negmas``; default from the
        extension), as ``truce convert``; returns warnings about what the format drops."""
        return self._native.save(os.fspath(path), format)

    def show(self) -> str:
        """The case as ``truce show`` prints it."""
        return self._native.show_text()

    def __repr__(self) -> str:
        return repr(self._native)


class Analysis:
    """The exact analysis of a case (the ``truce-analysis/1`` JSON, as objects)."""

    def __init__(self, native: "_truce.Analysis", case: Case) -> None:
        self._native = native
        self.case = case
        # Converted on first use, a section at a time, and kept: analysing costs what the analysis
        # costs, and reading the Nash point does not convert the frontier.
        self._json: Optional[str] = None
        self._sections: Dict[str, Any] = {}

    def _get(self, key: str) -> Any:
        if key not in self._sections:
            self._sections[key] = json.loads(self._native.section(key))
        return self._sections[key]

    def to_json(self) -> str:
        """The ``truce-analysis/1`` JSON, as ``truce analyze --json`` writes it."""
        if self._json is None:
            self._json = self._native.to_json()
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    @property
    def date(self) -> Optional[str]:
        date: Optional[str] = self._get("date")
        return date

    @property
    def parties(self) -> List[Record]:
        """The negotiators, in utility order: ``id``, ``name``, ``reservation``, ``best``."""
        return [Record(p) for p in self._get("parties")]

    @property
    def frontier(self) -> Frontier:
        return Frontier(self._get("frontier"))

    @property
    def zone(self) -> Zone:
        return Zone(self._get("zone"))

    def _solution(self, name: str) -> Optional[Solution]:
        s = self._get("solutions").get(name)
        return None if s is None else Solution(s)

    @property
    def nash(self) -> Optional[Solution]:
        return self._solution("nash")

    @property
    def kalai_smorodinsky(self) -> Optional[Solution]:
        return self._solution("kalai_smorodinsky")

    @property
    def egalitarian(self) -> Optional[Solution]:
        return self._solution("egalitarian")

    @property
    def max_welfare(self) -> Optional[Solution]:
        return self._solution("max_welfare")

    @property
    def opposition(self) -> Optional[float]:
        opposition: Optional[float] = self._get("opposition")
        return opposition

    @property
    def evaluations(self) -> List[Evaluation]:
        return [Evaluation(e) for e in self._get("evaluations")]

    @property
    def bridging(self) -> Optional[Record]:
        b = self._get("bridging")
        return None if b is None else Record(b)

    @property
    def notes(self) -> List[str]:
        return list(self._get("notes"))

    def to_numpy(self) -> "numpy.ndarray":
        """The frontier's utilities, one row per point, one column per party (needs numpy)."""
        try:
            import numpy
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_numpy needs numpy: pip install numpy") from e
        points = self._get("frontier")["points"]
        return numpy.array([p["utilities"] for p in points], dtype=float).reshape(len(points), len(self._get("parties")))

    def to_pandas(self) -> "pandas.DataFrame":
        """The frontier, one row per point: each party's utility (columns named by party id), then
        each issue's value, then how many outcomes reach the point (needs pandas)."""
        try:
            import pandas
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from e
        ids = [p["id"] for p in self._get("parties")]
        rows = []
        for p in self._get("frontier")["points"]:
            row: Dict[str, Any] = dict(zip(ids, p["utilities"]))
            row.update(p["outcome"])
            row["count"] = int(p["count"])
            rows.append(row)
        return pandas.DataFrame(rows)

    def svg(self) -> str:
        """The utility-space plot (frontier, zone, solutions, proposals), as SVG."""
        return self._native.svg()

    def html(self) -> str:
        """The self-contained page ``truce analyze --html`` writes."""
        return self._native.html()

    def text(self) -> str:
        """The report ``truce analyze`` prints."""
        return self._native.text()

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_html_(self) -> str:
        return f'<div class="truce-analysis">{self.svg()}</div>'

    def __repr__(self) -> str:
        nash = self.nash
        at = f" at {nash.utilities}" if nash is not None else " (zone empty)"
        return f"<Analysis of {self.case.id!r}: {self.frontier['size']} frontier points, Nash{at}>"
