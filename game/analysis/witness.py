"""Goal-directed search for a witness: a run that reaches one chosen ending.

Exact search cannot cover a big campaign, but a single run to an ending is enough to
prove it reachable. A beam search keeps, layer by layer, the ``width`` distinct states
closest to the goal. The goal is the ending's condition and the negation of every ending
before it (those would win first). "Closest" is a distance computed from the condition
tree: the sum of the shortfalls to each threshold of an ``and``, the smallest of an
``or``, a fixed cost per flag in the wrong state.

The distance also looks ahead, soundly: from each scene it knows (over-approximating,
conditions ignored) how far each variable can still rise or fall and which flags can
still be set or cleared before the story resolves. A state that cannot close its gap is
dropped at once instead of wasting a place in the beam, and since such a state provably
cannot reach the goal, a beam that never had to drop a viable state has searched
everything: then "no witness" is a proof. Widths grow while time remains. Everything is
deterministic: same story, same witness.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Hashable, Iterator, Mapping

from attrs import frozen

from game.analysis.bounds import specialise
from game.analysis.explore import Path, reducer
from game.engine import expr as e
from game.engine.model import Effect, Story
from game.engine.play import State, available, start, step

#: Distance charged for a flag in the wrong state (a typical threshold gap is a few points).
FLAG_COST = 10
#: Distance of a test that is wrong now but might change (visits, anything not linear).
WRONG_NOW = 100
#: Distance of what can no longer change: such states are dropped.
NEVER = math.inf
FIRST_WIDTH, WIDTH_FACTOR = 16, 8
#: Widest beam tried (memory: each kept state holds its values, flags and a path link).
MAX_WIDTH = 1 << 20

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
    #: True when the last beam never had to drop a viable state: then "not found" is a proof.
    exhaustive: bool
    stopped_by: str
    #: The widest beam that ran to the end without finding a witness (0 if none did).
    finished_width: int = 0


@frozen
class Outlook:
    """What can still happen from each scene until the story resolves, for one character.

    Over-approximations (every choice assumed available): the most each variable can
    still rise and fall, and the flags that can still be set and cleared.
    """

    rise: Mapping[str, tuple[int, ...]]
    fall: Mapping[str, tuple[int, ...]]
    can_set: Mapping[str, frozenset[str]]
    can_clear: Mapping[str, frozenset[str]]


def _effect_span(eff: Effect, low: int, high: int) -> tuple[int, int]:
    """The most one effect can raise and lower its variable, whatever the value before."""
    span = high - low
    if eff.op == "+":
        return max(eff.amount, 0), max(-eff.amount, 0)
    if eff.op == "=":
        return max(eff.amount - low, 0), max(high - eff.amount, 0)
    share = math.ceil(span * abs(eff.amount) / 100)
    return (share, 0) if eff.amount >= 0 else (0, share)


def outlook(story: Story, character: str) -> Outlook:
    """The fixpoint of what can still happen from each scene (see ``Outlook``)."""
    nvars = len(story.variables)
    cap = [v.max - v.min for v in story.variables]
    moves: dict[str, list[tuple[tuple[int, ...], tuple[int, ...], frozenset[str], frozenset[str], list[str]]]] = {}
    for sid, scene in story.scenes.items():
        out = []
        for c in scene.choices:
            if c.only_for is not None and character not in c.only_for:
                continue
            up, down = [0] * nvars, [0] * nvars
            for eff in c.effects:
                var = story.variables[eff.index]
                r, f = _effect_span(eff, var.min, var.max)
                up[eff.index] += r
                down[eff.index] += f
            out.append((tuple(up), tuple(down), c.set_flags, c.clear_flags, [b.target for b in c.goto]))
        if scene.fallback:
            out.append(((0,) * nvars, (0,) * nvars, frozenset(), frozenset(), [scene.fallback]))
        moves[sid] = out
    zero = (0,) * nvars
    rise = {sid: zero for sid in story.scenes}
    fall = {sid: zero for sid in story.scenes}
    can_set = {sid: frozenset() for sid in story.scenes}
    can_clear = {sid: frozenset() for sid in story.scenes}
    order = list(reversed(story.scenes))  # authors write forwards: one backward pass usually settles it
    changed = True
    while changed:
        changed = False
        for sid in order:
            if story.scenes[sid].resolve:
                continue
            r, f = list(rise[sid]), list(fall[sid])
            s, c = set(can_set[sid]), set(can_clear[sid])
            for up, down, sets, clears, targets in moves[sid]:
                s |= sets
                c |= clears
                for t in targets:
                    s |= can_set[t]
                    c |= can_clear[t]
                    tr, tf = rise[t], fall[t]
                    for i in range(nvars):
                        r[i] = max(r[i], min(cap[i], up[i] + tr[i]))
                        f[i] = max(f[i], min(cap[i], down[i] + tf[i]))
            new = (tuple(r), tuple(f), frozenset(s), frozenset(c))
            if new != (rise[sid], fall[sid], can_set[sid], can_clear[sid]):
                rise[sid], fall[sid], can_set[sid], can_clear[sid] = new
                changed = True
    return Outlook(rise, fall, can_set, can_clear)


def linear(node: e.Node) -> tuple[dict[int, int], int] | None:
    """``node`` as sum(coef * variable) + constant, or None when it is not linear in variables.

    Variables are keyed by index, in the order they first appear; no coefficient is 0.
    """
    if isinstance(node, e.Num):
        return {}, node.value
    if isinstance(node, e.Var):
        return {node.index: 1}, 0
    if isinstance(node, e.Arith):
        a, b = linear(node.left), linear(node.right)
        if a is None or b is None:
            return None
        sign = 1 if node.op == "+" else -1
        coefs = dict(a[0])
        for i, k in b[0].items():
            coefs[i] = coefs.get(i, 0) + sign * k
        return {i: k for i, k in coefs.items() if k}, a[1] + sign * b[1]
    return None


def difference(compare: e.Compare) -> tuple[dict[int, int], int] | None:
    """A comparison ``left op right`` read as ``sum(coef * variable) + constant  op  0``
    (the ``linear`` form of ``left - right``), or None when a side is not linear."""
    return linear(e.Arith("-", compare.left, compare.right))


#: The operator that holds exactly when ``op`` does not.
NEGATE = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}


def distance(node: e.Node, want: bool = True, look: Outlook | None = None) -> Distance:
    """A closure: how far a state is from making ``node`` evaluate to ``want`` (0 when it does).

    With ``look``, a gap that can no longer be closed from the state's scene is ``NEVER``.
    """
    t = type(node)
    if t is e.Bool:
        ok = node.value == want
        return lambda s: 0 if ok else NEVER
    if t is e.Flag:
        name = node.name
        if look is None:
            if want:
                return lambda s: 0 if name in s.flags else FLAG_COST
            return lambda s: FLAG_COST if name in s.flags else 0
        if want:
            can = look.can_set
            return lambda s: 0 if name in s.flags else (FLAG_COST if name in can[s.scene] else NEVER)
        can = look.can_clear
        return lambda s: (FLAG_COST if name in can[s.scene] else NEVER) if name in s.flags else 0
    if t is e.Not:
        return distance(node.operand, not want, look)
    if t is e.BoolOp:
        left, right = distance(node.left, want, look), distance(node.right, want, look)
        if (node.op == "and") == want:  # all must hold: add the shortfalls
            return lambda s: left(s) + right(s)
        return lambda s: min(left(s), right(s))
    if t is e.Compare:
        diff = difference(node)
        if diff is not None:
            return _compare_distance(diff[0], diff[1], node.op if want else NEGATE[node.op], look)
    test = e.compile_node(node)  # anything else: right or wrong now, and it may change
    return lambda s: 0 if bool(test(s)) == want else WRONG_NOW


def _compare_distance(coefs: dict[int, int], const: int, op: str, look: Outlook | None) -> Distance:
    """Distance to ``sum(coefs) + const  op  0``, pruned by how far the sum can still move."""
    items = tuple((i, k) for i, k in coefs.items() if k)

    def diff(s: State) -> int:
        v = s.values
        return sum(k * v[i] for i, k in items) + const

    gap: Callable[[int], int]
    if op == ">=":
        gap, needs = (lambda d: max(0, -d)), "up"
    elif op == ">":
        gap, needs = (lambda d: max(0, 1 - d)), "up"
    elif op == "<=":
        gap, needs = (lambda d: max(0, d)), "down"
    elif op == "<":
        gap, needs = (lambda d: max(0, d + 1)), "down"
    elif op == "==":
        gap, needs = abs, "either"
    else:
        gap, needs = (lambda d: 0 if d != 0 else 1), "either"
    if look is None:
        return lambda s: gap(diff(s))
    up = {sid: sum(k * r[i] if k > 0 else -k * look.fall[sid][i] for i, k in items) for sid, r in look.rise.items()}
    down = {sid: sum(k * look.fall[sid][i] if k > 0 else -k * look.rise[sid][i] for i, k in items)
            for sid in look.rise}

    def dist(s: State) -> float:
        d = diff(s)
        g = gap(d)
        if g == 0:
            return 0
        room = up[s.scene] if needs == "up" or (needs == "either" and d < 0) else down[s.scene]
        if needs == "either" and op == "!=":
            room = up[s.scene] + down[s.scene]
        return g if g <= room else NEVER
    return dist


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


def _unwind(link: tuple | None) -> Path:
    """A path kept as a linked list of (previous link, move), turned back into a tuple."""
    out = []
    while link is not None:
        link, move = link
        out.append(move)
    return tuple(reversed(out))


def beam(story: Story, character: str, ending_id: str, width: int, deadline: float,
         max_depth: int = 10_000, look: Outlook | None = None) -> tuple[Path | None, int, bool, str]:
    """One beam search; returns (path or None, states seen, no viable state dropped, what stopped it)."""
    look = look if look is not None else outlook(story, character)
    dist = distance(goal(story, character, ending_id), True, look)
    key, bare_state = reducer(story)
    first = start(story, character)
    if first.ending is not None:
        return ((), 1, True, "") if first.ending == ending_id else (None, 1, True, "")
    seen: set[Hashable] = {key(first)}
    layer: list[tuple[State, tuple | None]] = [(bare_state(first), None)]
    dropped = False
    checks = 0
    for _ in range(max_depth):
        scored: list[tuple[float, int, State, tuple]] = []
        for state, link in layer:
            checks += 1
            if checks % 256 == 0 and time.perf_counter() > deadline:
                return None, len(seen), False, "time"
            for cid in available(story, state):
                child = step(story, state, cid)
                k = key(child)
                if k in seen:
                    continue
                seen.add(k)
                child_link = (link, (state.scene, cid))
                if child.ending is not None:
                    if child.ending == ending_id:
                        return _unwind(child_link), len(seen), False, ""
                    continue
                bare = bare_state(child)
                d = dist(bare)
                if d != NEVER:
                    scored.append((d, len(scored), bare, child_link))
        if not scored:
            return None, len(seen), not dropped, ""
        if len(scored) > width:
            scored.sort(key=lambda x: (x[0], x[1]))
            del scored[width:]
            dropped = True
        layer = [(s, p) for _, _, s, p in scored]
    return None, len(seen), False, f"depth {max_depth}"


def random_witnesses(story: Story, character: str, runs: int, seed: int, deadline: float) -> dict[str, Path]:
    """The shortest run found to each ending by seeded random play (stops at ``deadline``).

    Cheap and often enough: one batch of runs serves every ending of the character at
    once, and the endings random play reaches easily are the ones a beam, steering
    towards thresholds, may miss for lack of width.
    """
    from game.analysis.randomplay import random_runs
    found: dict[str, Path] = {}
    for n, run in enumerate(random_runs(story, character, runs, seed)):
        if run.ending is not None and (run.ending not in found or len(run.path) < len(found[run.ending])):
            found[run.ending] = run.path
        if n % 64 == 63 and time.perf_counter() > deadline:
            break
    return found


def _widths(first: int = FIRST_WIDTH) -> Iterator[int]:
    width = first
    while True:
        yield width
        width *= WIDTH_FACTOR


def find_witness(story: Story, character: str, ending_id: str, time_limit: float,
                 look: Outlook | None = None, first_width: int = FIRST_WIDTH) -> WitnessResult:
    """Beam searches of growing width until a witness is found, or the budget is spent.

    Each width may use half of the time left, so a narrow beam wandering round a loop
    cannot starve the wider ones, and a big budget reaches wide beams.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    look = look if look is not None else outlook(story, character)
    finished = timed_out = states = 0
    for width in _widths(first_width):
        now = time.perf_counter()
        if width > MAX_WIDTH or deadline - now < 0.05:
            break
        own = now + (deadline - now) / 2 if deadline - now > 0.2 else deadline
        path, n, complete, why = beam(story, character, ending_id, width, own, look=look)
        states += n
        if path is not None or complete:
            return WitnessResult(character, ending_id, path, width, states, time.perf_counter() - t0, complete,
                                 "" if path is not None else "every state that could still reach it was searched")
        if why == "time":
            timed_out = width
        else:
            finished = width
    seconds = time.perf_counter() - t0
    parts = [f"beams up to width {finished:,} ran to the end"] if finished else []
    if timed_out:
        parts.append(f"width {timed_out:,} ran out of time")
    if not parts:
        parts.append("no beam had time to run")
    return WitnessResult(character, ending_id, None, max(finished, timed_out), states, seconds, False,
                         f"beam search ({', '.join(parts)}; {states:,} states, {seconds:.1f} s)", finished)
