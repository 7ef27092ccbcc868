"""Goal-directed search for a witness: a run that reaches one chosen ending.

Exact search cannot cover a big campaign, but a single run to an ending is enough to
prove it reachable. A beam search keeps, layer by layer, the ``width`` distinct states
closest to the goal, where "closest" is a distance computed from the condition tree:
the sum of the shortfalls to each threshold of an ``and``, the smallest of an ``or``, a
fixed cost per flag still wrong. The goal is the ending's condition and the negation of
every ending before it (those would win first). Widths grow until the time budget runs
out. Everything is deterministic: same story, same witness.
"""

from __future__ import annotations

import time
from typing import Callable, Hashable, Sequence

from attrs import frozen

from game.analysis.bounds import specialise
from game.analysis.explore import Path, reducer
from game.engine import expr as e
from game.engine.model import Story
from game.engine.play import State, available, start, step

#: Distance charged for a flag in the wrong state (a typical threshold gap is a few points).
FLAG_COST = 10
#: Distance of something that cannot change (a character test, ``false``).
NEVER = 10_000
WIDTHS = (16, 128, 1024, 8192, 65536)

Distance = Callable[[State], float]


@frozen
class WitnessResult:
    """What the goal-directed search for one (character, ending) found."""

    character: str
    ending: str
    #: A path reaching the ending, or None.
    path: Path | None
    #: The widest beam tried and the states it looked at, to say what bounded the search.
    width: int
    states: int
    seconds: float
    #: True when the last beam never had to drop a state: then "not found" is a proof.
    exhaustive: bool
    stopped_by: str


def _value(node: e.Node) -> Callable[[State], int]:
    return e.compile_node(node)


def distance(node: e.Node, want: bool = True) -> Distance:
    """A closure: how far a state is from making ``node`` evaluate to ``want`` (0 when it does)."""
    t = type(node)
    if t is e.Bool:
        ok = node.value == want
        return lambda s: 0 if ok else NEVER
    if t is e.Flag:
        name = node.name
        if want:
            return lambda s: 0 if name in s.flags else FLAG_COST
        return lambda s: FLAG_COST if name in s.flags else 0
    if t is e.Not:
        return distance(node.operand, not want)
    if t is e.BoolOp:
        left, right = distance(node.left, want), distance(node.right, want)
        if (node.op == "and") == want:  # all must hold: add the shortfalls
            return lambda s: left(s) + right(s)
        return lambda s: min(left(s), right(s))
    if t is e.Compare and not any(isinstance(x, (e.Str, e.CharacterRef)) for x in (node.left, node.right)) \
            and not any(isinstance(x, (e.Bool, e.Flag, e.Not, e.BoolOp, e.Compare)) for x in (node.left, node.right)):
        left, right = _value(node.left), _value(node.right)
        op = node.op if want else {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}[node.op]
        if op == ">=":
            return lambda s: max(0, right(s) - left(s))
        if op == ">":
            return lambda s: max(0, right(s) - left(s) + 1)
        if op == "<=":
            return lambda s: max(0, left(s) - right(s))
        if op == "<":
            return lambda s: max(0, left(s) - right(s) + 1)
        if op == "==":
            return lambda s: abs(left(s) - right(s))
        return lambda s: 0 if left(s) != right(s) else 1
    test = e.compile_node(node)  # anything else: right or wrong, nothing in between
    return lambda s: 0 if bool(test(s)) == want else NEVER


def goal(story: Story, character: str, ending_id: str) -> e.Node:
    """The condition a state must meet to resolve to ``ending_id``: its own, and no earlier one."""
    node: e.Node = e.Bool(True)
    for ending in story.endings:
        if ending.id == ending_id:
            if ending.condition is not None:
                node = e.BoolOp("and", specialise(ending.condition.tree, character), node)
            return node
        if ending.condition is None:
            return e.Bool(False)
        node = e.BoolOp("and", node, e.Not(specialise(ending.condition.tree, character)))
    raise KeyError(ending_id)


def beam(story: Story, character: str, ending_id: str, width: int, deadline: float,
         max_depth: int = 10_000) -> tuple[Path | None, int, bool, str]:
    """One beam search; returns (path or None, states seen, nothing dropped, what stopped it)."""
    dist = distance(goal(story, character, ending_id))
    key, bare_state = reducer(story)
    first = start(story, character)
    if first.ending is not None:
        return ((), 1, True, "") if first.ending == ending_id else (None, 1, True, "")
    seen: set[Hashable] = {key(first)}
    layer: list[tuple[State, Path]] = [(first, ())]
    dropped = False
    checks = 0
    for _ in range(max_depth):
        scored: list[tuple[float, int, State, Path]] = []
        for state, path in layer:
            checks += 1
            if checks % 256 == 0 and time.perf_counter() > deadline:
                return None, len(seen), False, "time"
            for cid in available(story, state):
                child = step(story, state, cid)
                k = key(child)
                if k in seen:
                    continue
                seen.add(k)
                child_path = path + ((state.scene, cid),)
                if child.ending is not None:
                    if child.ending == ending_id:
                        return child_path, len(seen), False, ""
                    continue
                bare = bare_state(child)
                scored.append((dist(bare), len(scored), bare, child_path))
        if not scored:
            return None, len(seen), not dropped, ""
        if len(scored) > width:
            scored.sort(key=lambda x: (x[0], x[1]))
            del scored[width:]
            dropped = True
        layer = [(s, p) for _, _, s, p in scored]
    return None, len(seen), False, f"depth {max_depth}"


def find_witness(story: Story, character: str, ending_id: str, time_limit: float,
                 widths: Sequence[int] = WIDTHS) -> WitnessResult:
    """Beam searches of growing width until a witness is found, or the budget is spent."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    tried = states = 0
    for i, width in enumerate(widths):
        now = time.perf_counter()
        if now > deadline:
            break
        # Each width may use half of what is left (the last one all of it), so a narrow beam
        # wandering round a loop cannot starve the wider ones.
        own = deadline if i == len(widths) - 1 else now + (deadline - now) / 2
        path, n, complete, why = beam(story, character, ending_id, width, own)
        tried, states = width, states + n
        if path is not None or complete:
            return WitnessResult(character, ending_id, path, width, states, time.perf_counter() - t0, complete,
                                 "" if path is not None else "every reachable state was searched")
    seconds = time.perf_counter() - t0
    return WitnessResult(character, ending_id, None, tried, states, seconds, False,
                         f"beam search up to width {tried:,} ({states:,} states, {seconds:.1f} s)")
