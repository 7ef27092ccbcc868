"""Exact search: every distinct reachable state of one character, breadth first.

Two states with the same key have the same future, so only one is expanded. The key is
the scene, the variable values, the flags, the once-only choices taken and, only for
scenes that some condition reads with ``visits()``, the visit counts -- capped just
above the largest constant they are compared with, since ``visits(x) > 2`` cannot tell
3 visits from 30. Breadth first means the first path found to each ending is a shortest
one. Successors come from the engine's ``available`` and ``step``, so the search plays
exactly the game a player plays.
"""

from __future__ import annotations

import time
from array import array
from typing import Callable, Hashable, Mapping

from attrs import frozen

from game.engine import expr as e
from game.engine.model import Story
from game.engine.play import State, available, start, step

Path = tuple[tuple[str, str], ...]
#: How many expansions between two looks at the clock.
_CLOCK_EVERY = 512


@frozen
class ExploreResult:
    """What the exact search of one character established."""

    character: str
    #: True when every reachable state was expanded: endings not found are unreachable.
    complete: bool
    #: Distinct states stored (including resolved ones).
    states: int
    #: The longest path (number of choices) to a stored state.
    depth: int
    seconds: float
    #: Why the search stopped early, for the report ("" when complete).
    stopped_by: str
    #: Ending id to one shortest path reaching it.
    witnesses: Mapping[str, Path]

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else 0.0


def visit_caps(story: Story) -> dict[str, int | None]:
    """Scenes read by ``visits()``, each with the count above which it no longer matters.

    ``None`` means no cap (the count is used in arithmetic or compared with something
    other than a number), so the exact count is part of the key.
    """
    caps: dict[str, int | None] = {}

    def note(scene: str, cap: int | None) -> None:
        if scene in caps and (caps[scene] is None or cap is None):
            caps[scene] = None
        else:
            caps[scene] = max(caps.get(scene) or 0, cap) if cap is not None else None

    def visit(node: e.Node) -> None:
        if isinstance(node, e.Compare):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if isinstance(a, e.Visits):
                    note(a.scene, b.value + 1 if isinstance(b, e.Num) else None)
                else:
                    visit(a)
            return
        if isinstance(node, e.Visits):  # in arithmetic or anywhere else: no cap
            note(node.scene, None)
            return
        for child in (getattr(node, "operand", None), getattr(node, "left", None), getattr(node, "right", None)):
            if child is not None:
                visit(child)

    for tree in (c.tree for c in story.conditions()):
        visit(tree)
    return caps


def reducer(story: Story) -> tuple[Callable[[State], Hashable], Callable[[State], State]]:
    """(key, bare): the deduplication key of a state, and the state stripped to what matters.

    The bare state has no path or reply, and visit counts only for the scenes some
    condition reads, capped: it plays exactly like the full one, but a search can hold
    hundreds of thousands of them (a full visits dict is the biggest part of a State).
    """
    caps = sorted(visit_caps(story).items())
    if not caps:
        def key(s: State) -> Hashable:
            return (s.scene, s.values, s.flags, s.taken)

        def bare(s: State) -> State:
            return State(s.character, s.scene, s.values, s.flags, {}, s.taken, (), s.ending, "")
        return key, bare

    def counts(s: State) -> tuple[int, ...]:
        v = s.visits
        return tuple(min(v.get(scene, 0), cap) if cap is not None else v.get(scene, 0) for scene, cap in caps)

    def key_v(s: State) -> Hashable:
        return (s.scene, s.values, s.flags, s.taken, counts(s))

    def bare_v(s: State) -> State:
        visits = {scene: n for (scene, _), n in zip(caps, counts(s)) if n}
        return State(s.character, s.scene, s.values, s.flags, visits, s.taken, (), s.ending, "")
    return key_v, bare_v


def explore(story: Story, character: str, max_states: int = 2_000_000, time_limit: float = 55.0) -> ExploreResult:
    """Breadth-first search over the distinct states of ``character``, within the limits."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    key, bare = reducer(story)
    first = bare(start(story, character))
    index: dict[Hashable, int] = {key(first): 0}
    parent = array("l", [-1])
    move = array("l", [-1])
    moves: list[tuple[str, str]] = []
    move_ids: dict[tuple[str, str], int] = {}
    found: dict[str, int] = {}
    if first.ending is not None:
        found[first.ending] = 0
    frontier = [] if first.ending is not None else [(first, 0)]
    depth = layer = 0
    stopped = ""
    expanded = 0
    while frontier and not stopped:
        layer += 1
        nxt: list[tuple[State, int]] = []
        for state, i in frontier:
            expanded += 1
            if expanded % _CLOCK_EVERY == 0 and time.perf_counter() > deadline:
                stopped = f"time limit of {time_limit:.1f} s"
                break
            scene = state.scene
            for cid in available(story, state):
                child = step(story, state, cid)
                k = key(child)
                if k in index:
                    continue
                if len(index) >= max_states:
                    stopped = f"state limit of {max_states:,} states"
                    break
                j = len(parent)
                index[k] = j
                parent.append(i)
                m = move_ids.get((scene, cid))
                if m is None:
                    m = move_ids[(scene, cid)] = len(moves)
                    moves.append((scene, cid))
                move.append(m)
                depth = layer
                if child.ending is not None:
                    if child.ending not in found:
                        found[child.ending] = j
                else:
                    nxt.append((bare(child), j))
            if stopped:
                break
        frontier = nxt

    def path_to(j: int) -> Path:
        out = []
        while parent[j] >= 0:
            out.append(moves[move[j]])
            j = parent[j]
        return tuple(reversed(out))

    return ExploreResult(
        character=character,
        complete=not stopped,
        states=len(index),
        depth=depth,
        seconds=time.perf_counter() - t0,
        stopped_by=stopped,
        witnesses={eid: path_to(j) for eid, j in found.items()},
    )
