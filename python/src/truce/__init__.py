"""Truce from Python: negotiation modelling, exact analysis and simulation.

>>> import truce
>>> case = truce.load("cases/harbour-truce.toml")           # doctest: +SKIP
>>> analysis = case.analyze()                                # doctest: +SKIP
>>> analysis.nash.utilities                                  # doctest: +SKIP
>>> run = truce.negotiate(case, ["boulware", "conceder"], seed=7)   # doctest: +SKIP

Everything is computed by the Rust crates (through the ``truce`` facade); this package parses its
arguments and presents what they return.
"""

from ._agents import AbandonedError, Agent, Response
from ._case import Analysis, Case, load, loads
from ._records import (
    Evaluation,
    Failure,
    Frontier,
    Issue,
    Party,
    Phase,
    Point,
    Proposal,
    Record,
    Solution,
    Source,
    Zone,
)
from ._sim import NegotiationResult, agents, negotiate, protocols
from ._tournament import TournamentResults, merge, tournament
from ._truce import (
    AgentView,
    Diagnostic,
    InputError,
    OutputError,
    ParameterError,
    State,
    TooLargeError,
    TruceError,
    __version__,
)

__all__ = [
    "AbandonedError",
    "Agent",
    "AgentView",
    "Analysis",
    "Case",
    "Diagnostic",
    "Evaluation",
    "Failure",
    "Frontier",
    "InputError",
    "Issue",
    "NegotiationResult",
    "OutputError",
    "ParameterError",
    "Party",
    "Phase",
    "Point",
    "Proposal",
    "Record",
    "Response",
    "Solution",
    "Source",
    "State",
    "TooLargeError",
    "TournamentResults",
    "TruceError",
    "Zone",
    "__version__",
    "agents",
    "load",
    "loads",
    "merge",
    "negotiate",
    "protocols",
    "tournament",
]
