"""Sound interval over-approximation: the widest values each variable can hold at each scene.

For one character, every scene gets a box (an interval per variable) and, per flag,
whether it can be unset and whether it can be set, computed as a fixpoint over the
scene graph: effects move the intervals, choices whose condition cannot hold under the
box are never taken, and conditions narrow the box of the scene they lead to. Every run
stays inside these boxes, so if at every resolution scene an ending's condition cannot
hold (or an earlier ending always applies), no run can reach that ending: a proof, not a
failure to find. The converse does not hold: a box can contain values no single run
has, so "possible" here only means "not ruled out".
"""

from __future__ import annotations

import heapq
from typing import Mapping

from attrs import frozen

from game.engine import expr as e
from game.engine.intervals import Range, Truth, truth
from game.engine.model import Choice, Story

#: After this many widenings of one scene's box, the bounds still moving jump to the
#: variable's whole range, so loops that add 1 each time converge at once.
WIDEN_AFTER = 20

Box = tuple[Range, ...]
Flags = dict[str, Truth]


@frozen
class Abstract:
    """What can hold on entering a scene: a box of values and the possible states of each flag."""

    box: Box
    flags: Mapping[str, Truth]


@frozen
class BoundsResult:
    """The fixpoint for one character, and which endings it leaves possible."""

    character: str
    #: Scene id to what can hold on entering it; scenes the character cannot reach are absent.
    scenes: Mapping[str, Abstract]
    #: Ending id to the resolution scenes where it is not ruled out.
    possible: Mapping[str, tuple[str, ...]]
    #: Ending id to why it is impossible, for every ending with no possible scene.
    impossible: Mapping[str, str]


def specialise(node: e.Node, character: str) -> e.Node:
    """The tree with ``character == "x"`` comparisons decided for this character."""
    t = type(node)
    if t is e.Compare:
        sides = (node.left, node.right)
        if any(isinstance(x, e.CharacterRef) for x in sides) and any(isinstance(x, e.Str) for x in sides):
            other = node.right if isinstance(node.left, e.CharacterRef) else node.left
            same = other.value == character
            return e.Bool(same if node.op == "==" else not same)
        return node
    if t is e.Not:
        return e.Not(specialise(node.operand, character))
    if t is e.BoolOp:
        return e.BoolOp(node.op, specialise(node.left, character), specialise(node.right, character))
    return node


def without_visits(node: e.Node, possible: set[str]) -> e.Node:
    """The tree with ``visits(s)`` made 0 for every scene ``s`` not in ``possible``.

    At a scene R, a run can only have visited scenes from which R can be reached, so
    visits to any other scene are certainly 0 there.
    """
    t = type(node)
    if t is e.Visits:
        return node if node.scene in possible else e.Num(0)
    if t is e.Not:
        return e.Not(without_visits(node.operand, possible))
    if t in (e.BoolOp, e.Arith, e.Compare):
        return t(node.op, without_visits(node.left, possible), without_visits(node.right, possible))
    return node


#: The operator that says the same with its sides swapped (``a < b`` is ``b > a``).
MIRROR = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}


def refine(node: e.Node, box: Box, flags: Mapping[str, Truth]) -> tuple[Box, Flags] | None:
    """Narrow ``box`` and ``flags`` to where ``node`` can hold; None when it cannot.

    Only conjunctions of ``var op number``, flags and ``not flag`` narrow anything; any
    other part is kept as a plain test, which is still sound.
    """
    b = list(box)
    f = dict(flags)

    def go(n: e.Node) -> bool:
        if isinstance(n, e.BoolOp) and n.op == "and":
            return go(n.left) and go(n.right)
        if isinstance(n, e.Flag):
            f[n.name] = (False, f.get(n.name, (True, True))[1])
            return f[n.name][1]
        if isinstance(n, e.Not) and isinstance(n.operand, e.Flag):
            name = n.operand.name
            f[name] = (f.get(name, (True, True))[0], False)
            return f[name][0]
        if isinstance(n, e.Compare):
            var, num, op = None, None, n.op
            if isinstance(n.left, e.Var) and isinstance(n.right, e.Num):
                var, num = n.left, n.right.value
            elif isinstance(n.left, e.Num) and isinstance(n.right, e.Var):
                var, num, op = n.right, n.left.value, MIRROR[n.op]
            if var is not None:
                lo, hi = b[var.index]
                if op == ">=":
                    lo = max(lo, num)
                elif op == ">":
                    lo = max(lo, num + 1)
                elif op == "<=":
                    hi = min(hi, num)
                elif op == "<":
                    hi = min(hi, num - 1)
                elif op == "==":
                    lo, hi = max(lo, num), min(hi, num)
                b[var.index] = (lo, hi)
                return lo <= hi
        return truth(n, dict(enumerate(b)), f)[1]

    return (tuple(b), f) if go(node) else None


def _join(a: Abstract, b: Abstract) -> Abstract:
    box = tuple((min(x[0], y[0]), max(x[1], y[1])) for x, y in zip(a.box, b.box))
    names = set(a.flags) | set(b.flags)
    both = (True, True)
    flags = {n: (a.flags.get(n, both)[0] or b.flags.get(n, both)[0], a.flags.get(n, both)[1] or b.flags.get(n, both)[1])
             for n in names}
    return Abstract(box, flags)


def _widen(old: Abstract, new: Abstract, story: Story) -> Abstract:
    box = tuple((v.min if n[0] < o[0] else n[0], v.max if n[1] > o[1] else n[1])
                for v, o, n in zip(story.variables, old.box, new.box))
    return Abstract(box, new.flags)


def all_flags(story: Story) -> set[str]:
    """Every flag named anywhere: set, cleared, given to a character or tested."""
    names: set[str] = set()
    for ch in story.characters.values():
        names |= ch.flags
    for scene in story.scenes.values():
        for c in scene.choices:
            names |= c.set_flags | c.clear_flags
    for cond in story.conditions():
        names |= {n.name for n in e.walk(cond.tree) if isinstance(n, e.Flag)}
    return names


def apply_choice(story: Story, choice: Choice, box: Box, flags: Flags) -> tuple[Box, Flags]:
    """``box`` and ``flags`` once ``choice``'s effects, set and clear are applied (``flags`` is changed in place)."""
    new = list(box)
    for eff in choice.effects:
        var = story.variables[eff.index]
        lo, hi = new[eff.index]
        a, b = eff.apply(lo, var.min, var.max), eff.apply(hi, var.min, var.max)
        new[eff.index] = (min(a, b), max(a, b))
    for name in choice.set_flags:
        flags[name] = (False, True)
    for name in choice.clear_flags:
        flags[name] = (True, False)
    return tuple(new), flags


def _after_choice(story: Story, choice: Choice, entry: Abstract, character: str) -> list[tuple[str, Abstract]]:
    """Where ``choice`` can lead from a scene entered with ``entry``, and what can hold there."""
    box, flags = entry.box, dict(entry.flags)
    if choice.condition is not None:
        narrowed = refine(specialise(choice.condition.tree, character), box, flags)
        if narrowed is None:
            return []
        box, flags = narrowed
    after, flags = apply_choice(story, choice, box, flags)
    out = []
    for branch in choice.goto:
        if branch.condition is None:
            out.append((branch.target, Abstract(after, flags)))
            break
        tree = specialise(branch.condition.tree, character)
        narrowed = refine(tree, after, flags)
        if narrowed is not None:
            out.append((branch.target, Abstract(*narrowed)))
        if not truth(tree, dict(enumerate(after)), flags)[0]:
            break  # this branch always applies: the later ones are never taken
    return out


def _fallback_possible(scene_choices: tuple[Choice, ...], character: str) -> bool:
    """Whether every choice can be unavailable at once (only then is the fallback followed)."""
    return not any(c.condition is None and not c.once and (c.only_for is None or character in c.only_for)
                   for c in scene_choices)


def bounds(story: Story, character: str) -> BoundsResult:
    """The interval fixpoint of ``character`` and the endings it rules out."""
    who = story.characters[character]
    flag_names = all_flags(story)
    start_box = tuple((who.values.get(v.id, v.start),) * 2 for v in story.variables)
    start_flags = {n: ((False, True) if n in who.flags else (True, False)) for n in flag_names}
    at: dict[str, Abstract] = {who.start: Abstract(start_box, start_flags)}
    updates: dict[str, int] = {}
    #: Scene to the scenes that can lead straight to it.
    sources: dict[str, set[str]] = {}
    # Scenes are taken in story order (a heap of positions): authors write mostly forwards,
    # so a scene is usually final before its successors are visited, and each is done once.
    order = {sid: i for i, sid in enumerate(story.scenes)}
    work = [(order[who.start], who.start)]
    queued = {who.start}
    while work:
        sid = heapq.heappop(work)[1]
        queued.discard(sid)
        scene = story.scenes[sid]
        entry = at[sid]
        if scene.resolve:
            continue
        succ: list[tuple[str, Abstract]] = []
        for choice in scene.choices:
            if choice.only_for is None or character in choice.only_for:
                succ.extend(_after_choice(story, choice, entry, character))
        if scene.fallback and _fallback_possible(scene.choices, character):
            succ.append((scene.fallback, entry))
        for target, value in succ:
            sources.setdefault(target, set()).add(sid)
            old = at.get(target)
            new = value if old is None else _join(old, value)
            if old is not None and new == old:
                continue
            updates[target] = updates.get(target, 0) + 1
            if old is not None and updates[target] > WIDEN_AFTER:
                new = _widen(old, new, story)
            at[target] = new
            if target not in queued:
                queued.add(target)
                heapq.heappush(work, (order[target], target))
    possible, impossible = _judge_endings(story, character, at, sources)
    return BoundsResult(character, at, possible, impossible)


def _show_box(story: Story, tree: e.Node, a: Abstract) -> str:
    """The bounds of the variables and the fixed flags a condition reads: why it fails."""
    used = sorted({n.index for n in e.walk(tree) if isinstance(n, e.Var)})
    parts = [f"{story.variables[i].id} {a.box[i][0]}..{a.box[i][1]}" for i in used]
    for name in sorted({n.name for n in e.walk(tree) if isinstance(n, e.Flag)}):
        can_unset, can_set = a.flags.get(name, (True, True))
        if not (can_unset and can_set):
            parts.append(f"{name} always {'set' if can_set else 'unset'}")
    return ", ".join(parts)


def ancestors(sid: str, sources: Mapping[str, set[str]]) -> set[str]:
    """``sid`` and every scene from which it can be reached (``sources``: scene to the scenes with a road into it)."""
    seen = {sid}
    stack = [sid]
    while stack:
        for source in sources.get(stack.pop(), ()):
            if source not in seen:
                seen.add(source)
                stack.append(source)
    return seen


def _judge_endings(story: Story, character: str, at: Mapping[str, Abstract],
                   sources: Mapping[str, set[str]]) -> tuple[dict, dict]:
    resolves = [sid for sid in story.scenes if sid in at and story.scenes[sid].resolve]
    possible: dict[str, list[str]] = {x.id: [] for x in story.endings}
    why: dict[str, list[str]] = {x.id: [] for x in story.endings}
    for sid in resolves:
        a = at[sid]
        ranges = dict(enumerate(a.box))
        before = ancestors(sid, sources)
        winner = None  # an earlier ending that always applies here
        for ending in story.endings:
            if winner is not None:
                why[ending.id].append(f"at {sid} ending '{winner}' before it always applies")
                continue
            if ending.condition is None:
                possible[ending.id].append(sid)
                winner = ending.id
                continue
            tree = without_visits(specialise(ending.condition.tree, character), before)
            can_false, can_true = truth(tree, ranges, a.flags)
            if can_true:
                possible[ending.id].append(sid)
            else:
                shown = _show_box(story, tree, a)
                why[ending.id].append(f"at {sid} '{ending.condition.source}' cannot hold"
                                      + (f" ({shown})" if shown else ""))
            if not can_false:
                winner = ending.id
    impossible = {}
    for ending in story.endings:
        if possible[ending.id]:
            continue
        if not resolves:
            impossible[ending.id] = "no resolution scene can be reached"
        else:
            reasons = why[ending.id]
            more = f"; and {len(reasons) - 3} more scene(s)" if len(reasons) > 3 else ""
            impossible[ending.id] = "widest bounds: " + "; ".join(reasons[:3]) + more
    return {k: tuple(v) for k, v in possible.items()}, impossible
