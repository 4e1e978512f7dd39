"""One negotiation: ``negotiate`` and its ``NegotiationResult``."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _truce
from ._agents import AgentLike, interrupt, native_agents
from ._case import Case, load
from ._records import Failure, wrap


def _agent_list(agents: Union[str, Sequence[AgentLike]]) -> List[AgentLike]:
    if isinstance(agents, str):
        return [a.strip() for a in _split(agents)]
    return list(agents)


def _split(text: str) -> List[str]:
    """``a,b(x=1,y=2),c`` split at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def negotiate(
    case: Union[Case, str],
    agents: Union[str, Sequence[AgentLike]],
    *,
    protocol: str = "sao",
    rounds: int = 100,
    seed: int = 0,
    at: Optional[str] = None,
    first: int = 0,
    time: Optional[float] = None,
    call_limit: float = 5.0,
    time_limit: float = 60.0,
    max_events: int = 200_000,
) -> "NegotiationResult":
    """Runs one negotiation of ``case`` (a :class:`Case` or a path) between ``agents``, one per
    negotiating party in party order: names of built-in agents (``"boulware"``,
    ``"boulware(e=0.1)"``), :class:`truce.Agent` subclasses, or instances. ``protocol`` is ``sao``,
    ``single_text`` or ``shuttle``; ``at`` the day whose red lines count.

    An agent that raises, answers wrongly or overruns ``call_limit`` seconds ends the negotiation
    with a recorded failure (``result.failure``), never an exception here. The transcript is capped
    at ``max_events`` events (``--max-events``, default 200,000): a negotiation that would record
    more stops there, ``failed`` with a ``transcript_limit`` failure naming the cap."""
    if not isinstance(case, Case):
        case = load(case)
    native = native_agents(_agent_list(agents), single_use=True)
    run = _truce.negotiate(
        case._native,
        native,
        protocol=protocol,
        rounds=rounds,
        seed=seed,
        first=first,
        at=at,
        time=time,
        call_limit=call_limit,
        time_limit=time_limit,
        max_events=max_events,
    )
    interrupt(run.python_agents())
    return NegotiationResult(run)


class NegotiationResult:
    """How a negotiation ended, with its transcript."""

    def __init__(self, native: "_truce.NegotiationRun") -> None:
        self._native = native
        self._parsed: Optional[Dict[str, Any]] = None
        self._transcript: Optional[List[Dict[str, Any]]] = None

    @property
    def _result(self) -> Dict[str, Any]:
        # Parsed when first read: a loop that looks only at the status never makes the JSON.
        if self._parsed is None:
            self._parsed = json.loads(self._native.result_json())
        return self._parsed

    @property
    def status(self) -> str:
        """``agreement``, ``no_agreement``, ``ended``, ``failed`` or ``timeout``."""
        return self._native.status

    @property
    def agreed(self) -> bool:
        return self.status == "agreement"

    @property
    def agreement(self) -> Optional[Tuple[Any, ...]]:
        """The outcome agreed, as a tuple of values in issue order."""
        return self._native.agreement

    @property
    def utilities(self) -> List[Optional[float]]:
        """Each party's payoff, by seat."""
        return list(self._result["utilities"])

    @property
    def rounds(self) -> int:
        return int(self._result["rounds"])

    @property
    def time(self) -> float:
        return float(self._result["time"])

    @property
    def failure(self) -> Optional[Failure]:
        if not self._native.failed:
            return None
        return Failure(self._result["failure"])

    @property
    def agents(self) -> List[str]:
        """The label of the agent in each seat."""
        return self._native.labels()

    @property
    def transcript(self) -> List[Any]:
        """Every event (``start``, ``offer``, ``accept``, ... , ``result``), as records."""
        if self._transcript is None:
            self._transcript = [json.loads(line) for line in self.transcript_jsonl().splitlines() if line]
        return [wrap(event) for event in self._transcript]

    @property
    def offers(self) -> List[Any]:
        """The offers made, in order (events of kind ``offer``)."""
        return [e for e in self.transcript if e.get("event") == "offer"]

    def transcript_jsonl(self) -> str:
        """The transcript as JSON Lines, as ``truce negotiate --transcript`` writes it."""
        return self._native.transcript_jsonl()

    def to_json(self) -> str:
        """The result, as JSON."""
        return self._native.result_json()

    def summary(self) -> str:
        """The summary ``truce negotiate`` prints."""
        return self._native.summary()

    def svg(self) -> str:
        return self._native.svg()

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<NegotiationResult {self.status} after {self.rounds} rounds: {self.agreement}>"


def agents() -> List[Tuple[str, str, str]]:
    """The built-in agents: ``(name, summary, reference)``."""
    return _truce.agents()


def protocols() -> List[str]:
    return _truce.protocols()
