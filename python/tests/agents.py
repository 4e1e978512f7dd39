"""Python agents the tests play (a module of its own so that worker processes can import them)."""

from __future__ import annotations

import time

import truce


class Linear(truce.Agent):
    """Concedes linearly from its best outcome to its reservation value."""

    def target(self, state: truce.State) -> float:
        return 1.0 - state.time * (1.0 - self.reservation)

    def propose(self, state):
        return self.closest_above(self.target(state))

    def respond(self, state, offer):
        if self.acceptable(offer) and self.utility(offer) >= self.target(state):
            return truce.Response.ACCEPT_OFFER
        return truce.Response.REJECT_OFFER


class Named(Linear):
    name = "linear-py"


class Raises(Linear):
    def propose(self, state):
        raise ValueError("boom")


class WrongType(Linear):
    def propose(self, state):
        return 42


class WrongAnswer(Linear):
    def respond(self, state, offer):
        return "maybe"


class OffGrid(Linear):
    """Offers an integer outside its issue's range: an outcome outside the space."""

    def propose(self, state):
        outcome = list(self.best())
        outcome[0] = 10**9
        return tuple(outcome)


class Loops(Linear):
    def propose(self, state):
        if state.round >= 1:
            while True:
                pass
        return super().propose(state)


class Sleeps(Linear):
    def propose(self, state):
        time.sleep(0.05)
        return super().propose(state)


class Snoop(Linear):
    """Records what an agent can reach."""

    seen: dict = {}

    def on_start(self):
        Snoop.seen = {name: getattr(self.view, name) for name in dir(self.view) if not name.startswith("_")}
        super().on_start()


class Voter(Linear):
    votes = 0

    def vote(self, state, candidate, incumbent):
        Voter.votes += 1
        return self.utility(candidate) >= self.utility(incumbent)
