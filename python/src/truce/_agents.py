"""Agents written in Python: subclass :class:`Agent` and implement ``propose`` and ``respond`` (and
``vote`` for single-text mediation), the names NegMAS users know.

An agent sees its own utility function (``self.utility(outcome)``, evaluated in Rust), its own
outcomes best first (``self.best()``, ``self.ranked(k)``, ``self.closest_above(u)``), the domain
(``self.issues``, ``self.values``), and in each call the round and the time (``state``): never
another party's preferences. An outcome is a tuple of values in issue order (``("north", 40)``) or a
dict by issue name.

A Python exception, an answer of the wrong type, an outcome outside the space or a call that never
returns is contained and recorded as the negotiation's failure, as a Rust agent's is.
"""

from __future__ import annotations

import collections.abc
import ctypes
import enum
import random
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _truce

# A ranking is a sequence in every sense Python checks (``isinstance(r, Sequence)``).
collections.abc.Sequence.register(_truce.Ranking)

Outcome = Tuple[Any, ...]


class Response(enum.IntEnum):
    """An answer to an offer, numbered as NegMAS's ``ResponseType``."""

    ACCEPT_OFFER = 0
    REJECT_OFFER = 1
    END_NEGOTIATION = 2
    ACCEPT = 0
    REJECT = 1
    END = 2


class AbandonedError(BaseException):
    """Raised inside an agent call that the watchdog abandoned (a loop), to stop its thread."""


class Agent:
    """An automated negotiator written in Python.

    Subclass it and implement :meth:`propose` and :meth:`respond`; set ``name`` to label it in
    results (default: the class name). Truce builds a fresh instance for every negotiation (the class
    is called with no arguments; pass ``functools.partial(MyAgent, ...)`` for parameters).
    ``self.random`` is a ``random.Random`` seeded from the negotiation's seed: draw only from it, so
    that the same seed gives the same negotiation.
    """

    name: Optional[str] = None
    random: random.Random

    _view: Optional["_truce.AgentView"] = None
    _truce_thread: Optional[int] = None
    _truce_busy: bool = False

    def _truce_bind(self, view: "_truce.AgentView", seed: int) -> None:
        self._view = view
        self.random = random.Random(seed)
        self._truce_thread = threading.get_ident()
        self._values: Optional[List[List[Any]]] = None
        self.on_start()

    def on_start(self) -> None:
        """Called once the agent knows its seat, before its first move."""

    # What the agent may know ------------------------------------------------------------------

    @property
    def view(self) -> "_truce.AgentView":
        if self._view is None:
            raise RuntimeError("this agent is not in a negotiation yet: Truce binds it when one starts")
        return self._view

    @property
    def seat(self) -> int:
        """This agent's seat: its party's position among the negotiators."""
        return self.view.seat

    @property
    def parties(self) -> int:
        return self.view.parties

    @property
    def rounds(self) -> Optional[int]:
        """The deadline in rounds, when there is one."""
        return self.view.rounds

    @property
    def issues(self) -> List[str]:
        return self.view.issues

    @property
    def values(self) -> List[List[Any]]:
        """Each issue's values, in order (a real issue's grid)."""
        if getattr(self, "_values", None) is None:
            self._values = self.view.values()
        return self._values  # type: ignore[return-value]

    @property
    def reservation(self) -> float:
        """The utility of no agreement."""
        return self.view.reservation

    def utility(self, outcome: Union[Sequence[Any], Dict[str, Any]]) -> float:
        """This party's utility of ``outcome``, evaluated in Rust."""
        return self.view.utility(outcome)

    def acceptable(self, outcome: Union[Sequence[Any], Dict[str, Any]]) -> bool:
        """Whether this party may agree to ``outcome`` (no red line broken, utility at least the
        reservation value): the engine refuses any other offer or acceptance."""
        return self.view.acceptable(outcome)

    def best(self) -> Outcome:
        """This party's best outcome."""
        return self.view.ranked(0)

    def ranked(self, rank: int) -> Outcome:
        """The outcome of ``rank`` among this party's acceptable outcomes, best first."""
        return self.view.ranked(rank)

    def ranking(self) -> "_truce.Ranking":
        """Every outcome ``ranked`` reaches, best first, each with its utility: a read-only sequence
        of ``(utility, outcome)`` pairs, each made as it is read (``ranking().utilities()`` lists the
        utilities alone)."""
        return self.view.ranking()

    def pool_size(self) -> int:
        """How many outcomes ``ranked`` reaches."""
        return self.view.pool_size()

    def closest_above(self, target: float) -> Optional[Outcome]:
        """The least good outcome worth at least ``target`` (the best one when none is)."""
        return self.view.closest_above(target)

    # What the agent does ----------------------------------------------------------------------

    def propose(self, state: "_truce.State") -> Union[Outcome, Dict[str, Any]]:
        """Makes an offer (alternating offers) or states a position (shuttle mediation)."""
        raise NotImplementedError(f"{type(self).__name__} must implement propose(self, state)")

    def respond(self, state: "_truce.State", offer: Outcome) -> Union[Response, bool]:
        """Answers an offer: a :class:`Response`, or ``True`` to accept and ``False`` to reject."""
        raise NotImplementedError(f"{type(self).__name__} must implement respond(self, state, offer)")

    def vote(self, state: "_truce.State", candidate: Outcome, incumbent: Outcome) -> bool:
        """Single-text mediation: whether ``candidate`` should replace ``incumbent``. By default the
        truthful vote (yes when the candidate is at least as good for this party)."""
        return self.view.truthful_vote(candidate, incumbent)


AgentLike = Union[str, type, Callable[[], Agent], Agent]


def label_of(agent: Any) -> str:
    """The label a Python agent gets in results: its ``name``, or its class's name."""
    if isinstance(agent, Agent):
        return agent.name or type(agent).__name__
    name = getattr(agent, "name", None)
    if isinstance(name, str) and name:
        return name
    func = getattr(agent, "func", None)  # functools.partial
    if func is not None:
        return label_of(func)
    return getattr(agent, "__name__", None) or type(agent).__name__


def is_python_agent(agent: Any) -> bool:
    return not isinstance(agent, str)


def native_agents(agents: Iterable[AgentLike], *, single_use: bool = False) -> List[Any]:
    """The agents as the native module takes them: a spec string, or ``(label, make)``."""
    out: List[Any] = []
    for agent in agents:
        if isinstance(agent, str):
            out.append(agent)
        elif isinstance(agent, Agent):
            if not single_use:
                raise _truce.ParameterError(
                    f"{label_of(agent)}: a tournament builds a fresh agent for every negotiation; "
                    "pass the class (or a functools.partial of it), not an instance"
                )
            out.append((label_of(agent), _Once(agent)))
        elif callable(agent):
            out.append((label_of(agent), _checked(agent)))
        else:
            raise _truce.ParameterError(
                f"{agent!r} is not an agent: give a name (`boulware`, `boulware(e=0.1)`) or a truce.Agent subclass"
            )
    return out


class _Once:
    """Makes an instance given to ``negotiate`` available once."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent

    def __call__(self) -> Agent:
        return self.agent


def _checked(make: Callable[[], Any]) -> Callable[[], Agent]:
    def build() -> Agent:
        agent = make()
        if not isinstance(agent, Agent):
            raise TypeError(f"{label_of(make)} built {type(agent).__name__}, not a truce.Agent")
        return agent

    return build


def interrupt(agents: Iterable[Any]) -> int:
    """Stops the threads of Python agents still inside a call after their negotiation was abandoned
    (an agent that loops): raises :class:`AbandonedError` in each. Returns how many were signalled."""
    count = 0
    for agent in agents:
        thread = getattr(agent, "_truce_thread", None)
        if thread is None or not getattr(agent, "_truce_busy", False):
            continue
        done = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(AbandonedError))
        count += int(done == 1)
    return count
