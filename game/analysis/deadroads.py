"""Roads no run can take: why a scene is unreachable, and choices that can never be taken.

``check`` asks this module two questions, both answered from the interval bounds of
``bounds.py`` (what each variable and flag can be on entering each scene, per
character), which are sound: what they rule out, no run can do.

- Why can no character reach this scene? Each road in (a choice, a branch of its goto,
  a fallback) is named with its ``file:line:col`` and the reason it is closed: the scene
  it leaves is never reached either, the choice is only for characters who never get
  there, its ``if`` cannot hold there (with the bounds that show it), an earlier branch
  of its goto always applies.
- Which choices can never be taken? A choice whose ``if`` cannot hold for anyone who
  reaches its scene, or that is only for characters who never reach it, is a warning:
  the author meant it to be seen.
"""

from __future__ import annotations

import weakref
from typing import Iterator

from game.analysis.bounds import Abstract, BoundsResult, apply_choice, bounds, refine, specialise
from game.engine import expr as e
from game.engine.errors import Problems
from game.engine.intervals import truth
from game.engine.model import Choice, Story

#: At most this many roads are named in one message.
MOST_ROADS = 3


_LAST: tuple["weakref.ref[Story]", dict[str, BoundsResult]] | None = None


def all_bounds(story: Story) -> dict[str, BoundsResult]:
    """The bounds of every character of ``story``; the last story's are kept, so ``check``
    and the continuity proofs that follow it compute them once (4 s on a 10,000-scene story)."""
    global _LAST
    if _LAST is not None and _LAST[0]() is story:
        return _LAST[1]
    fixes = {cid: bounds(story, cid) for cid in story.characters}
    try:
        _LAST = (weakref.ref(story), fixes)
    except TypeError:  # pragma: no cover - a story that takes no weak reference is not kept
        _LAST = None
    return fixes


class DeadRoads:
    """The bounds of every character of ``story``, and the questions asked of them."""

    def __init__(self, story: Story, fixes: dict[str, BoundsResult] | None = None):
        self.story = story
        self.fix = fixes if fixes is not None else all_bounds(story)
        self._into: dict[str, list[tuple[str, Choice | None, int]]] | None = None

    def reached(self, sid: str) -> list[str]:
        """The characters the bounds do not rule out of scene ``sid``."""
        return [cid for cid, fix in self.fix.items() if sid in fix.scenes]

    def roads_into(self, sid: str) -> list[tuple[str, Choice | None, int]]:
        """(scene, choice or None for its fallback, branch index) of every road into ``sid``."""
        if self._into is None:
            self._into = {}
            for source, scene in self.story.scenes.items():
                for choice in scene.choices:
                    for i, branch in enumerate(choice.goto):
                        self._into.setdefault(branch.target, []).append((source, choice, i))
                if scene.fallback:
                    self._into.setdefault(scene.fallback, []).append((source, None, 0))
        return [road for road in self._into.get(sid, []) if road[0] != sid]

    # ---- why a scene cannot be reached ---------------------------------------------------

    def why_unreached(self, sid: str) -> tuple[str, str]:
        """(the end of the warning's message, a hint) for a scene no character reaches."""
        roads = self.roads_into(sid)
        if not roads:
            return (": no choice, goto or fallback leads to it",
                    "add a choice that leads here, in this story or with 'extend:' in a mod")
        told = [f"{self._road(source, choice, i)}: {self._closed(source, choice, i, sid)}" for source, choice, i in roads]
        if len(told) == 1:
            return f": the only road in is {told[0]}", ""
        shown = "; ".join(told[:MOST_ROADS]) + (f"; and {len(told) - MOST_ROADS} more" if len(told) > MOST_ROADS else "")
        return f": {len(told)} roads lead in, and none can be taken: {shown}", ""

    def _road(self, source: str, choice: Choice | None, index: int) -> str:
        if choice is None:
            return f"the fallback of scene '{source}' ({self.story.scenes[source].location})"
        arm = f"branch {index + 1} of the goto of " if len(choice.goto) > 1 else ""
        return f"{arm}choice '{choice.id}' of scene '{source}' ({choice.location})"

    def _closed(self, source: str, choice: Choice | None, index: int, target: str) -> str:
        """Why no character can take this road."""
        reachers = self.reached(source)
        if not reachers:
            return f"scene '{source}' is never reached either"
        if choice is not None and choice.only_for is not None:
            reachers = [cid for cid in reachers if cid in choice.only_for]
            if not reachers:
                return f"it is only for {_names(choice.only_for)}, who never reach{_s(choice.only_for)} '{source}'"
        if choice is not None and choice.condition is not None:
            entries = [self.fix[cid].scenes[source] for cid in reachers]
            if all(self.impossible(choice.condition.tree, a, cid) for cid, a in zip(reachers, entries)):
                return self._never(choice.condition.tree, choice.condition.source, entries)
        reasons: dict[str, list[str]] = {}
        for cid in reachers:
            reasons.setdefault(self._closed_for(cid, source, choice, index, target), []).append(cid)
        if len(reasons) == 1:
            return next(iter(reasons))
        return "; ".join(f"for {_names(who)}, {why}" for why, who in reasons.items())

    def _closed_for(self, cid: str, source: str, choice: Choice | None, index: int, target: str) -> str:
        entry = self.fix[cid].scenes[source]
        if choice is None:
            return "a choice there is always open, so the fallback is never followed"
        if choice.only_for is not None and cid not in choice.only_for:
            return f"it is only for {_names(choice.only_for)}"
        target_scene = self.story.scenes[target]
        if target_scene.only_for is not None and cid not in target_scene.only_for:
            return f"'{target}' is only for {_names(target_scene.only_for)}"
        if choice.condition is not None and self.impossible(choice.condition.tree, entry, cid):
            return f"its 'if' ({choice.condition.source}) never holds there{self._bounds_of(choice.condition.tree, [entry])}"
        after = _after_effects(self.story, choice, entry, cid)
        for j, branch in enumerate(choice.goto[:index]):
            if branch.condition is None or not truth(specialise(branch.condition.tree, cid), dict(enumerate(after.box)),
                                                    after.flags)[0]:
                held = branch.condition.source if branch.condition is not None else "no condition"
                return f"branch {j + 1} of its goto ({held}) always applies before it"
        branch = choice.goto[index]
        if branch.condition is not None and self.impossible(branch.condition.tree, after, cid):
            return (f"its goto takes this branch only if {branch.condition.source}, which never holds"
                    f"{self._bounds_of(branch.condition.tree, [after])}")
        return "no run can take it (the bounds of the forces rule it out)"

    # ---- choices that can never be taken ----------------------------------------------------

    def impossible(self, tree: e.Node, entry: Abstract, cid: str) -> bool:
        """Whether ``tree`` can never hold for ``cid`` in a state within ``entry``."""
        return refine(specialise(tree, cid), entry.box, entry.flags) is None

    def dead_choices(self) -> Iterator[tuple[str, Choice, str]]:
        """(scene, choice, why) for every choice of a reachable scene that no run can take."""
        for sid, scene in self.story.scenes.items():
            reachers = self.reached(sid)
            if not reachers:
                continue  # the scene's own warning says so
            for choice in scene.choices:
                mine = [cid for cid in reachers if choice.only_for is None or cid in choice.only_for]
                if not mine:
                    yield sid, choice, (f"it is only for {_names(choice.only_for or ())}, "
                                        f"who never reach{_s(choice.only_for or ())} the scene")
                    continue
                if choice.condition is None:
                    continue
                entries = [self.fix[cid].scenes[sid] for cid in mine]
                if all(self.impossible(choice.condition.tree, entry, cid) for cid, entry in zip(mine, entries)):
                    yield sid, choice, self._never(choice.condition.tree, choice.condition.source, entries)

    def _never(self, tree: e.Node, source: str, entries: list[Abstract]) -> str:
        ranges = self.story.ranges()
        if not truth(tree, ranges)[1]:
            used = sorted({n.index for n in e.walk(tree) if isinstance(n, e.Var)})
            shown = ", ".join(f"{self.story.variables[i].id} lies within {ranges[i][0]}..{ranges[i][1]}" for i in used)
            return f"its 'if' ({source}) can never hold" + (f" ({shown})" if shown else "")
        return f"its 'if' ({source}) never holds when the scene is entered{self._bounds_of(tree, entries)}"

    def _bounds_of(self, tree: e.Node, entries: list[Abstract]) -> str:
        """`` (army is 20..60 there, stalin_removed is never set by then)``: the bounds that decide it."""
        used = sorted({n.index for n in e.walk(tree) if isinstance(n, e.Var)})
        parts = []
        for i in used:
            lo, hi = min(a.box[i][0] for a in entries), max(a.box[i][1] for a in entries)
            parts.append(f"{self.story.variables[i].id} is {lo}..{hi} there" if lo != hi
                         else f"{self.story.variables[i].id} is {lo} there")
        for name in sorted({n.name for n in e.walk(tree) if isinstance(n, e.Flag)}):
            can_unset = any(a.flags.get(name, (True, True))[0] for a in entries)
            can_set = any(a.flags.get(name, (True, True))[1] for a in entries)
            if not can_set:
                parts.append(f"{name} is never set by then")
            elif not can_unset:
                parts.append(f"{name} is always set by then")
        return f" ({', '.join(parts)})" if parts else ""


def _after_effects(story: Story, choice: Choice, entry: Abstract, cid: str) -> Abstract:
    """What can hold after ``choice`` is taken (its condition, effects and flags applied)."""
    box, flags = entry.box, dict(entry.flags)
    if choice.condition is not None:
        narrowed = refine(specialise(choice.condition.tree, cid), box, flags)
        if narrowed is not None:
            box, flags = narrowed
    return Abstract(*apply_choice(story, choice, box, flags))


def _names(ids) -> str:
    return ", ".join(sorted(ids))


def _s(ids) -> str:
    """The verb's ending: 'who never reaches' for one, 'who never reach' for several."""
    return "es" if len(ids) == 1 else ""


def warn_dead_choices(story: Story, problems: Problems, roads: DeadRoads) -> None:
    """A warning, at the choice, for every choice no run can take."""
    for sid, choice, why in roads.dead_choices():
        problems.warning(choice.location, f"choice '{choice.id}' in scene '{sid}' can never be taken: {why}")
