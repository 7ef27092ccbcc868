"""Whole-story checks beyond loading: reachability, stranding, impossible endings, content lint.

The loader already refuses broken references and unknown names; these checks look at
the story as a graph, per character, and report what an author would want to know
before a player finds it.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, Mapping

from game.engine.errors import Location, Problems
from game.engine.intervals import truth
from game.engine.model import Branch, Story


def check_story(story: Story, problems: Problems) -> None:
    """Add every problem found in ``story`` to ``problems``."""
    reached_by_anyone: set[str] = set()
    resolves_reached = False
    for cid, character in story.characters.items():
        edges: dict[str, set[str]] = {}
        seen = _reachable(story, cid, character.start, problems, edges)
        reached_by_anyone |= seen
        resolves_reached |= any(story.scenes[s].resolve for s in seen)
        if not any(story.scenes[s].resolve for s in seen):
            problems.error(character.location, f"character '{cid}' can never reach a scene that resolves the story")
        else:
            _check_traps(story, cid, seen, edges, problems)
    for sid, scene in story.scenes.items():
        if sid not in reached_by_anyone:
            problems.warning(scene.location, f"scene '{sid}' cannot be reached by any character")
        _check_stranding(story, sid, problems)
        _lint_scene(story, sid, problems)
    _check_endings(story, problems, resolves_reached)
    _check_variables_used(story, problems)


def settable_flags(story: Story) -> set[str]:
    """Flags that some choice can set during play."""
    return {f for s in story.scenes.values() for c in s.choices for f in c.set_flags}


def _possible(condition, ranges, flags, cid: str) -> bool:
    return condition is None or truth(condition.tree, ranges, flags, cid)[1]


def open_branches(goto: Iterable[Branch], ranges: Mapping[int, tuple[int, int]],
                  flags: Mapping[str, tuple[bool, bool]] | None, cid: str) -> Iterator[tuple[int, Branch]]:
    """The arms of a goto that ``cid`` may follow, with their positions.

    An arm may be followed unless its condition can never hold for him, or an arm before
    it always holds for him (as ``character == "trotsky"`` does for Trotsky).
    """
    for i, branch in enumerate(goto):
        if _possible(branch.condition, ranges, flags, cid):
            yield i, branch
        if branch.condition is None or not truth(branch.condition.tree, ranges, flags, cid)[0]:
            return


def _check_traps(story: Story, cid: str, seen: set[str], edges: dict[str, set[str]], problems: Problems) -> None:
    """Scenes a character can enter but never leave for any ending: a loop with no way out."""
    back: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            back.setdefault(target, set()).add(source)
    ends = [s for s in seen if story.scenes[s].resolve]
    escape = set(ends)
    queue = deque(ends)
    while queue:
        for source in back.get(queue.popleft(), ()):
            if source not in escape:
                escape.add(source)
                queue.append(source)
    for sid in sorted(seen - escape):
        problems.error(story.scenes[sid].location, f"from scene '{sid}', {cid} can never reach an ending",
                       "every road from here loops back; give it a way out")


def _reachable(story: Story, cid: str, first: str, problems: Problems, edges: dict[str, set[str]]) -> set[str]:
    """Scenes ``cid`` could enter (an over-approximation: only conditions that can never
    hold for him, such as ``character == "x"`` or a flag nobody sets, are taken into account)."""
    ranges = story.ranges()
    settable = settable_flags(story)
    own = story.characters[cid].flags
    flags = {f: (f not in own, True) for f in settable | own}
    flags.update({f: (True, False) for c in story.characters.values() for f in c.flags if f not in settable and f not in own})
    seen = {first}
    queue = deque([first])
    while queue:
        scene = story.scenes[queue.popleft()]
        targets = []
        for choice in scene.choices:
            if choice.only_for is not None and cid not in choice.only_for:
                continue
            if not _possible(choice.condition, ranges, flags, cid):
                continue
            targets.extend((branch.target, branch.location) for _, branch in open_branches(choice.goto, ranges, flags, cid))
        if scene.fallback:
            targets.append((scene.fallback, scene.location))
        for target, loc in targets:
            nxt = story.scenes[target]
            if nxt.only_for is not None and cid not in nxt.only_for:
                problems.error(loc, f"this may send {cid} to scene '{target}', which is only for {', '.join(sorted(nxt.only_for))}",
                               "add 'for:' to the choice, or a branch with 'if: character == ...'")
                continue
            edges.setdefault(scene.id, set()).add(target)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _check_stranding(story: Story, sid: str, problems: Problems) -> None:
    scene = story.scenes[sid]
    if scene.resolve or scene.fallback:
        return
    audience = scene.only_for if scene.only_for is not None else frozenset(story.characters)
    for cid in sorted(audience):
        mine = [c for c in scene.choices if c.only_for is None or cid in c.only_for]
        if not mine:
            problems.error(scene.location, f"scene '{sid}' offers {cid} no choice at all", "add a choice for him, or 'fallback:'")
            return
        if all(c.condition is not None or c.once for c in mine):
            problems.error(scene.location, f"every choice {cid} has in scene '{sid}' can be unavailable",
                           "add 'fallback: <scene>' for when none can be taken")
            return


def _check_endings(story: Story, problems: Problems, resolves_reached: bool) -> None:
    ranges = story.ranges()
    for i, ending in enumerate(story.endings):
        earlier_always = [e for e in story.endings[:i] if e.condition is None or not truth(e.condition.tree, ranges)[0]]
        if earlier_always:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: ending '{earlier_always[0].id}' before it always applies")
        elif ending.condition is not None and not truth(ending.condition.tree, ranges)[1]:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: '{ending.condition.source}' cannot hold within the variables' ranges")
        elif not resolves_reached:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: no scene that resolves the story can be reached")


def _check_variables_used(story: Story, problems: Problems) -> None:
    moved = {e.variable for s in story.scenes.values() for c in s.choices for e in c.effects}
    for var in story.variables:
        if var.id not in moved:
            problems.warning(Location(story.sources[0] if story.sources else ""), f"variable '{var.id}' is declared but no choice changes it")


def _lint_scene(story: Story, sid: str, problems: Problems) -> None:
    """Content warnings: the campaign's standard for every scene and choice."""
    scene = story.scenes[sid]
    for key, value in (("date", scene.date), ("place", scene.place), ("title", scene.title)):
        if not value:
            problems.warning(scene.location, f"scene '{sid}' has no {key}")
    if not scene.note.text:
        problems.warning(scene.location, f"scene '{sid}' has no historical note")
    elif not scene.note.sources:
        problems.warning(scene.location, f"the note of scene '{sid}' names no source")
    for choice in scene.choices:
        if not choice.effects and not choice.set_flags and not choice.clear_flags:
            problems.warning(choice.location, f"choice '{choice.id}' in scene '{sid}' changes no variable and sets no flag")
