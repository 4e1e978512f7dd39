"""NegMAS interop (needs ``pip install negmas``): a Truce case as a NegMAS scenario and back, in
memory, and NegMAS negotiators playing in Truce.

- :func:`to_negmas` turns a case (or domain) into a NegMAS ``Scenario``: Truce writes the NegMAS YAML
  texts (``truce convert --to negmas``), which are parsed here and deserialised by NegMAS, no file
  written. :func:`from_negmas` goes back through NegMAS' own serialisation and Truce's NegMAS reader.
- :class:`NegmasAgent` wraps a NegMAS ``SAONegotiator`` so that it plays in ``truce.negotiate`` and
  tournaments beside the built-in agents: ``NegmasAgent.of(AspirationNegotiator)``. The negotiator
  sees a NegMAS utility function whose values are this seat's Truce utilities (evaluated in Rust),
  the outcome space, and a mechanism interface with Truce's deadline and time; it is called as NegMAS'
  ``SAOMechanism`` calls it (``propose`` for an offer, ``respond`` for an answer).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type

from . import _truce
from ._agents import Agent, Response
from ._case import Case, loads

try:  # pragma: no cover - depends on the environment
    import negmas as _negmas
    import yaml as _yaml
except ImportError as _e:  # pragma: no cover
    raise ImportError("truce.negmas needs NegMAS: pip install negmas") from _e

from negmas.outcomes import make_issue, make_os
from negmas.preferences import BaseUtilityFunction
from negmas.sao import ResponseType, SAOMechanism, SAOState
from negmas.serialization import deserialize, serialize

__all__ = ["NegmasAgent", "from_negmas", "negmas_texts", "to_negmas"]


def _typed(d: Dict[str, Any], outcome_space: Any = None) -> Dict[str, Any]:
    """A NegMAS YAML dict with full class paths, as NegMAS' own loader adjusts them."""
    d = dict(d)
    if "." not in d["type"]:
        d["type"] = f"negmas.{d['type']}"
    if outcome_space is not None:
        d["outcome_space"] = outcome_space
    return d


def negmas_texts(case: Case) -> Tuple[Dict[str, str], List["_truce.Diagnostic"]]:
    """The NegMAS YAML files of ``case`` (file name -> text, the outcome space first) and the warnings
    about what NegMAS cannot hold."""
    files, warnings = case._native.negmas_texts()
    return dict(files), warnings


def to_negmas(case: Case) -> "_negmas.inout.Scenario":
    """The case as a NegMAS ``Scenario``: its outcome space and one utility function per negotiating
    party (in the order NegMAS reads them: by party id), built in memory."""
    files, _ = negmas_texts(case)
    (domain_name, domain_text), *ufun_texts = files.items()
    outcome_space = deserialize(
        _typed(_yaml.safe_load(domain_text)), base_module="negmas", python_class_identifier="type"
    )
    ufuns = tuple(
        deserialize(
            _typed(_yaml.safe_load(text), outcome_space), base_module="negmas", python_class_identifier="type"
        )
        for _, text in sorted(ufun_texts)
    )
    return _negmas.inout.Scenario(outcome_space=outcome_space, ufuns=ufuns, name=case.id)


def _stem(name: Any, k: int) -> str:
    text = re.sub(r"[^A-Za-z0-9_-]", "_", str(name or "")).strip("_")
    return text or f"party{k}"


def from_negmas(scenario: Any, name: Optional[str] = None) -> Case:
    """A NegMAS ``Scenario`` as a Truce case, through NegMAS' serialisation and Truce's NegMAS reader.
    Party ids are the utility functions' names, read in file-name order as NegMAS does."""
    data = scenario.serialize()
    folder = _stem(name or getattr(scenario, "name", None) or "scenario", 0)
    files = {f"{folder}/_domain.yml": _yaml.safe_dump(data["domain"], sort_keys=True)}
    for k, ufun in enumerate(data["ufuns"]):
        stem = _stem(ufun.get("name"), k)
        if f"{folder}/{stem}.yml" in files:
            stem = f"{stem}_{k}"
        files[f"{folder}/{stem}.yml"] = _yaml.safe_dump(ufun, sort_keys=True)
    return loads(files, root=folder)


class _SeatUtility(BaseUtilityFunction):  # type: ignore[misc]
    """A NegMAS utility function whose values are the Truce agent's own utilities (evaluated in
    Rust): what a wrapped negotiator sees of its seat."""

    def __init__(self, agent: Agent, outcome_space: Any) -> None:
        super().__init__(outcome_space=outcome_space, reserved_value=agent.reservation)
        self._agent = agent

    def eval(self, offer: Any) -> float:
        if offer is None:
            return float(self.reserved_value)
        outcome = tuple(offer)
        # NegMAS has no red lines: an outcome this party may not agree to is worth less than no
        # agreement, so that a negotiator neither offers nor accepts it.
        if not self._agent.acceptable(outcome):
            return float(min(self.reserved_value, 0.0)) - 1.0
        return self._agent.utility(outcome)

    def to_dict(self, python_class_identifier: str = "type") -> Dict[str, Any]:  # pragma: no cover
        return {python_class_identifier: "truce-seat-utility"}

    @classmethod
    def from_dict(cls, d: Dict[str, Any], python_class_identifier: str = "type") -> Any:  # pragma: no cover
        raise NotImplementedError("a seat's utility is not serialised")


class NegmasAgent(Agent):
    """A NegMAS ``SAONegotiator`` playing in Truce. Build it with :meth:`of`, which gives a class
    Truce can instantiate for every negotiation (its label is the negotiator's class name)."""

    make_negotiator: Callable[[], Any] = staticmethod(lambda: None)

    @classmethod
    def of(cls, negotiator: Callable[..., Any], name: Optional[str] = None, **kwargs: Any) -> Type["NegmasAgent"]:
        """A Truce agent class playing ``negotiator(**kwargs)`` (a NegMAS ``SAONegotiator`` class)."""
        label = str(name or getattr(negotiator, "__name__", "negmas"))
        make = functools.partial(negotiator, **kwargs)
        return type(label, (cls,), {"make_negotiator": staticmethod(make), "name": label, "__module__": cls.__module__})

    def on_start(self) -> None:
        issues = [make_issue(values=list(values), name=name) for name, values in zip(self.issues, self.values)]
        self.outcome_space = make_os(issues)
        # A mechanism the negotiator joins for its interface (deadline, outcome space, time); Truce,
        # not this mechanism, runs the negotiation.
        self.mechanism = SAOMechanism(outcome_space=self.outcome_space, n_steps=self.rounds or 100)
        self.negotiator = self.make_negotiator()
        self.ufun = _SeatUtility(self, self.outcome_space)
        self.mechanism.add(self.negotiator, ufun=self.ufun)
        self._started = False
        self._last_offer: Optional[Tuple[Any, ...]] = None

    def _state(self, state: "_truce.State", offer: Optional[Tuple[Any, ...]]) -> Any:
        # NegMAS' SAOMechanism tells a negotiator relative_time = (step + 1) / (n_steps + 1); Truce's
        # time is round / rounds. The negotiator is told NegMAS' own, so that it acts as in NegMAS.
        rounds = state.rounds
        relative = (state.round + 1) / (rounds + 1) if rounds else state.time
        s = SAOState(
            running=True,
            step=state.round,
            relative_time=relative,
            current_offer=offer,
            current_proposer="opponent" if offer is not None else None,
        )
        if not self._started:
            self._started = True
            self.negotiator._on_negotiation_start(s)
        return s

    def propose(self, state: "_truce.State") -> Any:
        s = self._state(state, self._last_offer)
        offer = self.negotiator.propose(s)
        if offer is None:
            return self.best()
        return tuple(offer)

    def respond(self, state: "_truce.State", offer: Tuple[Any, ...]) -> Response:
        self._last_offer = tuple(offer)
        s = self._state(state, self._last_offer)
        answer = self.negotiator.respond(s, source="opponent")
        if answer == ResponseType.ACCEPT_OFFER:
            return Response.ACCEPT_OFFER if self.acceptable(offer) else Response.REJECT_OFFER
        if answer == ResponseType.END_NEGOTIATION:
            return Response.END_NEGOTIATION
        return Response.REJECT_OFFER
