"""The hidden variables over a run, for the ending's chart and the transcript: recomputed by replaying the path.

Replay is deterministic, so the history of every variable and the choices that moved it
most are recovered from ``state.path`` alone, without the engine keeping any log.
"""

from __future__ import annotations

from attrs import frozen

from game.engine import State, Story
from game.engine.play import choice_text, states_of


@frozen
class Move:
    """One choice's effect on one variable."""

    step: int
    scene_title: str
    choice_text: str
    delta: int


@frozen
class Force:
    """One hidden variable over the run."""

    id: str
    name: str
    description: str
    low: int
    high: int
    #: The value before the first choice, then after each choice.
    values: tuple[int, ...]
    #: The choices that moved it most, biggest first (at most three).
    top_moves: tuple[Move, ...]

    @property
    def start(self) -> int:
        return self.values[0]

    @property
    def end(self) -> int:
        return self.values[-1]


def forces(story: Story, state: State, top: int = 3) -> list[Force]:
    """Each variable's values over ``state``'s run and the choices that moved it most."""
    states = states_of(story, state)
    out = []
    for var in story.variables:
        series = tuple(s.values[var.index] for s in states)
        moves = []
        for n, (scene_id, choice_id) in enumerate(state.path, 1):
            delta = series[n] - series[n - 1]
            if delta:
                moves.append(Move(n, story.scenes[scene_id].title, choice_text(story, states[n - 1], choice_id), delta))
        moves.sort(key=lambda m: (-abs(m.delta), m.step))
        out.append(Force(var.id, var.name, var.description, var.min, var.max, series, tuple(moves[:top])))
    return out
