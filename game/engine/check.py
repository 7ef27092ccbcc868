"""Whole-story checks beyond loading: reachability, stranding, impossible endings, content lint.

The loader already refuses broken references and unknown names; these checks look at
the story as a graph, per character, and report what an author would want to know
before a player finds it.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from attrs import frozen

from game.engine.errors import Location, Problems
from game.engine.intervals import truth
from game.engine.model import Branch, Story


def check_story(story: Story, problems: Problems) -> None:
    """Add every problem found in ``story`` to ``problems``."""
    reached_by_anyone: set[str] = set()
    resolves_reached = False
    for cid, character in story.characters.items():
        edges: dict[str, set[str]] = {}
        moves: dict[str, list[_Move]] = {}
        seen = _reachable(story, cid, character.start, problems, edges, moves)
        reached_by_anyone |= seen
        resolves_reached |= any(story.scenes[s].resolve for s in seen)
        if not any(story.scenes[s].resolve for s in seen):
            problems.error(character.location, f"character '{cid}' can never reach a scene that resolves the story")
        else:
            _check_traps(story, cid, seen, edges, moves, problems)
    from game.analysis.deadroads import DeadRoads, warn_dead_choices  # the interval bounds say why
    roads = DeadRoads(story)
    for sid, scene in story.scenes.items():
        if sid not in reached_by_anyone or not roads.reached(sid):
            why, hint = roads.why_unreached(sid)
            problems.warning(scene.location, f"scene '{sid}' cannot be reached by any character{why}", hint)
        _check_stranding(story, sid, problems)
        _lint_scene(story, sid, problems)
    _check_endings(story, problems, resolves_reached)
    _check_variables_used(story, problems)
    warn_dead_choices(story, problems, roads)


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


def _check_traps(story: Story, cid: str, seen: set[str], edges: dict[str, set[str]],
                 moves: Mapping[str, list[_Move]], problems: Problems) -> None:
    """Scenes a character can enter but never leave for any ending: a loop with no way out.

    First the scene graph: a scene with no road at all to a resolution is a trap. Then
    the run's own state, which a graph cannot see: a way out whose condition stops holding
    for good (``not visits(s) >= 2``, a flag the loop sets, a variable it keeps raising)
    leaves a loop that is a trap for some runs only. ``_sure_escape`` proves, without
    searching, the scenes from which every run can still reach an ending; for the rest,
    the exact search over the character's states (``_find_trap``) either finds a run that
    is trapped, proves there is none, or says what bounded it. A trap found, or a loop
    that cannot be proved safe, is an error: a story that passes never strands a player.
    """
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
    if seen - escape:
        return
    unproved = seen - _sure_escape(seen, moves, ends)
    if not unproved:
        return
    order = {sid: i for i, sid in enumerate(story.scenes)}
    first = min(unproved, key=order.__getitem__)
    found = _find_trap(story, cid, TRAP_SEARCH_STATES)
    if found is None:
        names = sorted(unproved, key=order.__getitem__)
        shown = ", ".join(f"'{n}'" for n in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        problems.error(story.scenes[first].location,
                       f"cannot prove that {cid} can always reach an ending from scene {shown}: a way out of the loop "
                       f"there may stop being open, and the exact search stopped at {TRAP_SEARCH_STATES:,} states",
                       "give the loop a way out that is always open (no 'if:', not 'once')")
    elif found:
        sid, path = found
        steps = "after " + ", ".join(f"{scene}:{choice}" for scene, choice in path) if path else "from the start"
        problems.error(story.scenes[sid].location,
                       f"{cid} can be trapped in scene '{sid}': {steps}, no ending can be reached any more",
                       "a way out whose condition stops holding for good (visits(), a flag, a variable) closes the loop")


#: The most distinct states the exact search for traps may visit, per character.
TRAP_SEARCH_STATES = 50_000
#: Waiting in a scene proves a way out only if it opens within this many visits.
WAIT_AT_MOST = 100


def _waited(move: "_Move", choice, scene: str, cap: int | None, ranges, flags, cid: str) -> "_Move":
    """``move`` with ``after_waiting`` decided, for a scene the character can wait in."""
    if move.always or choice.condition is None or cap is None or cap > WAIT_AT_MOST:
        return move
    tree = _visits_fixed(choice.condition.tree, scene, cap)
    if truth(tree, ranges, flags, cid)[0]:
        return move
    return _Move(move.once, move.always, move.targets, after_waiting=True)


def _visits_fixed(node, scene: str, count: int):
    """``node`` with ``visits(scene)`` replaced by ``count``."""
    from game.engine import expr as e
    t = type(node)
    if t is e.Visits:
        return e.Num(count) if node.scene == scene else node
    if t is e.Not:
        return e.Not(_visits_fixed(node.operand, scene, count))
    if t in (e.BoolOp, e.Arith, e.Compare):
        return t(node.op, _visits_fixed(node.left, scene, count), _visits_fixed(node.right, scene, count))
    return node


@frozen
class _Move:
    """What a character may do in a scene: a choice (or the fallback) and where it may lead."""

    once: bool
    #: Available in every state in which the character is in the scene.
    always: bool
    targets: frozenset[str]
    #: Available in every state once the scene has been entered often enough: the scene
    #: has a repeatable self-loop that is always open (waiting), and the condition holds
    #: whatever else is true when visits(scene) is at least the largest number it is
    #: compared with, plus one (beyond which no condition can tell the counts apart).
    after_waiting: bool = False


def _sure_escape(seen: set[str], moves: Mapping[str, list[_Move]], ends: list[str]) -> set[str]:
    """The scenes from which every run, in whatever state, can still reach an ending.

    Built up from the resolution scenes by two sound rules, until neither adds a scene:
    1. a scene with a choice that is always available (or becomes so by waiting in the
       scene: see ``_Move.after_waiting``), not once-only, and leads only to scenes
       already proved (the player can always take it);
    2. a region of scenes whose every possible move leads into the region or to proved
       scenes, and whose repeatable (not once-only) moves form no loop inside the region:
       every run must leave it, since once-only choices run out.
    """
    preds: dict[str, set[str]] = {}
    for source in seen:
        for move in moves.get(source, ()):
            for target in move.targets:
                preds.setdefault(target, set()).add(source)
    proved = set(ends)

    def sure(x: str) -> bool:
        return any((m.always or m.after_waiting) and not m.once and m.targets <= proved for m in moves.get(x, ()))

    pending = deque(ends)
    while True:
        while pending:
            for x in preds.get(pending.popleft(), ()):
                if x not in proved and sure(x):
                    proved.add(x)
                    pending.append(x)
        region = _leaving_region(seen - proved, moves, proved)
        if not region:
            return proved
        proved |= region
        pending.extend(region)


def _leaving_region(candidates: set[str], moves: Mapping[str, list[_Move]], proved: set[str]) -> set[str]:
    """The largest set of ``candidates`` that every run leaves for ``proved`` (rule 2 above)."""
    region = set(candidates)
    while True:
        before = len(region)
        # Every move must stay in the region or reach a proved scene.
        inside = region | proved
        leaving = deque(x for x in region if any(not m.targets <= inside for m in moves.get(x, ())))
        back: dict[str, set[str]] = {}
        for x in region:
            for m in moves.get(x, ()):
                for t in m.targets:
                    back.setdefault(t, set()).add(x)
        while leaving:
            x = leaving.popleft()
            if x in region:
                region.discard(x)
                leaving.extend(y for y in back.get(x, ()) if y in region)
        # Keep only scenes from which repeatable moves inside the region always come to an end.
        count = {x: 0 for x in region}
        feeds: dict[str, list[str]] = {}
        for x in region:
            for m in moves.get(x, ()):
                if not m.once:
                    for t in m.targets & region:
                        count[x] += 1
                        feeds.setdefault(t, []).append(x)
        done = deque(x for x, n in count.items() if n == 0)
        finite = set()
        while done:
            y = done.popleft()
            finite.add(y)
            for x in feeds.get(y, ()):
                count[x] -= 1
                if count[x] == 0:
                    done.append(x)
        region = finite
        if len(region) == before:
            return region


def _find_trap(story: Story, cid: str, limit: int) -> tuple[str, tuple[tuple[str, str], ...]] | bool | None:
    """Search every distinct state of ``cid`` for one from which no ending can be reached.

    Returns (its scene, a shortest path to it) when there is one, False when every state
    reached can still end, None when the search met ``limit`` states first.
    """
    from game.analysis.explore import reducer  # the state key the exact search of playtest uses
    from game.engine.errors import StepError
    from game.engine.play import available, start, step

    key, bare = reducer(story)
    first = bare(start(story, cid))
    index = {key(first): 0}
    states = [first]
    parent = [-1]
    via: list[tuple[str, str] | None] = [None]
    succ: list[list[int]] = [[]]
    queue = deque([0])
    while queue:
        i = queue.popleft()
        state = states[i]
        if state.ending is not None:
            continue
        for choice in available(story, state):
            try:
                child = step(story, state, choice)
            except StepError:  # no way on at all (stranding reports the scene too)
                continue
            k = key(child)
            j = index.get(k)
            if j is None:
                if len(states) >= limit:
                    return None
                j = index[k] = len(states)
                states.append(bare(child))
                parent.append(i)
                via.append((state.scene, choice))
                succ.append([])
                queue.append(j)
            succ[i].append(j)
    pred: list[list[int]] = [[] for _ in states]
    for i, js in enumerate(succ):
        for j in js:
            pred[j].append(i)
    good = [s.ending is not None for s in states]
    stack = [i for i, g in enumerate(good) if g]
    while stack:
        for i in pred[stack.pop()]:
            if not good[i]:
                good[i] = True
                stack.append(i)
    for i, ok in enumerate(good):  # breadth-first order: the first is one of the nearest
        if not ok:
            path = []
            j = i
            while parent[j] >= 0:
                path.append(via[j])
                j = parent[j]
            return states[i].scene, tuple(reversed(path))
    return False


def _reachable(story: Story, cid: str, first: str, problems: Problems, edges: dict[str, set[str]],
               moves: dict[str, list[_Move]] | None = None) -> set[str]:
    """Scenes ``cid`` could enter (an over-approximation: only conditions that can never
    hold for him, such as ``character == "x"`` or a flag nobody sets, are taken into account).

    ``moves``, when given, receives each scene's possible moves for the trap analysis.
    """
    ranges = story.ranges()
    settable = settable_flags(story)
    own = story.characters[cid].flags
    flags = {f: (f not in own, True) for f in settable | own}
    flags.update({f: (True, False) for c in story.characters.values() for f in c.flags if f not in settable and f not in own})
    seen = {first}
    queue = deque([first])
    caps = None
    while queue:
        scene = story.scenes[queue.popleft()]
        targets = []
        mine: list[_Move] = []
        chosen = []
        for choice in scene.choices:
            if choice.only_for is not None and cid not in choice.only_for:
                continue
            if not _possible(choice.condition, ranges, flags, cid):
                continue
            chosen.append(choice)
            arms = [(branch.target, branch.location) for _, branch in open_branches(choice.goto, ranges, flags, cid)]
            targets.extend(arms)
            always = choice.condition is None or not truth(choice.condition.tree, ranges, flags, cid)[0]
            mine.append(_Move(choice.once, always, frozenset(t for t, _ in arms)))
        if scene.fallback:
            targets.append((scene.fallback, scene.location))
            if not any(m.always and not m.once for m in mine):  # else "Continue" is never offered
                mine.append(_Move(False, False, frozenset([scene.fallback])))
        if moves is not None:
            if any(m.always and not m.once and m.targets == {scene.id} for m in mine):  # he can wait here
                if caps is None:
                    from game.analysis.explore import visit_caps  # what the exact search caps counts at
                    caps = visit_caps(story)
                mine = [_waited(m, c, scene.id, caps.get(scene.id), ranges, flags, cid) for m, c in zip(mine, chosen)] + mine[len(chosen):]
            moves[scene.id] = mine
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
    always = None  # the first ending that always applies: every later one is shadowed (one pass, not one per pair)
    for ending in story.endings:
        if always is not None:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: ending '{always.id}' before it always applies")
            continue
        if ending.condition is not None and not truth(ending.condition.tree, ranges)[1]:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: '{ending.condition.source}' cannot hold within the variables' ranges")
        elif not resolves_reached:
            problems.error(ending.location, f"ending '{ending.id}' can never be reached: no scene that resolves the story can be reached")
        if ending.condition is None or not truth(ending.condition.tree, ranges)[0]:
            always = ending


def _check_variables_used(story: Story, problems: Problems) -> None:
    from game.engine.loader import MANIFEST, shown_path  # (the loader does not import this module)
    manifest = Location(shown_path(Path(story.sources[0]) / MANIFEST) if story.sources else "")
    moved = {e.variable for s in story.scenes.values() for c in s.choices for e in c.effects}
    for var in story.variables:
        if var.id not in moved:
            problems.warning(manifest, f"variable '{var.id}' is declared but no choice changes it")


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
