"""Can a character reach a scene, and by which road: a witness path for ``play --from`` and ``playtest --reach``.

For each character the answer is one of (as for endings in ``reachability``)
- REACHABLE, with a witness path that replays through the engine to the scene;
- UNREACHABLE, proved: the scene is not for him, no chain of choices written for him
  leads there (``leads_to``), the interval bounds never open it to him, or the exact
  search expanded every distinct state without entering it;
- UNKNOWN, with what bounded the searches. "Not found" is never called unreachable.

The searches, cheapest first, all through the engine's ``start``, ``available`` and ``step``,
and none of them steps into a scene from which the target cannot be reached:
1. a breadth-first search over the scene graph: a scene is expanded from the first few
   distinct states that enter it (``PER_SCENE``), so it costs a few steps per choice in
   the story, though a road that needs a state the first arrivals lack (a flag, a force
   above a threshold) is missed, and what it finds is short but not proved shortest;
2. the exact breadth-first search over distinct states (``explore.reducer``), bounded: it
   finds a shortest road, or proves a road found otherwise shortest by trying every road
   up to its length, or proves the scene unreachable when it completes; the interval
   bounds are asked first when nothing else found a road;
3. random play (seeded), when the scene-graph search found nothing: in a story tuned
   for it, as the campaign is, random runs enter every scene.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Hashable, Iterable, Sequence

from attrs import frozen

from game.analysis.bounds import ancestors, bounds
from game.analysis.explore import Path, reducer
from game.analysis.randomplay import random_runs
from game.analysis.reachability import REACHABLE, UNKNOWN, UNREACHABLE
from game.engine.model import Story
from game.engine.play import State, available, start, step

#: Distinct states per scene that the scene-graph search expands.
PER_SCENE = 8
#: Limits of the exact search (2) for one character, when nothing else found a road.
EXACT_STATES, EXACT_SECONDS = 200_000, 5.0
#: Its limits when it only checks that a road found is a shortest one.
CONFIRM_STATES, CONFIRM_SECONDS = 10_000, 0.5
#: Random runs tried for a road when the scene-graph search found none (3), at most
#: ``RANDOM_SECONDS``, and how many more after the first that enters the scene.
RANDOM_RUNS, RANDOM_SECONDS, RANDOM_MORE = 2000, 3.0, 200
#: How many expansions between two looks at the clock.
_CLOCK_EVERY = 256


@frozen
class Road:
    """Whether one character can reach one scene, and a witness path if he can."""

    character: str
    scene: str
    #: REACHABLE, UNREACHABLE or UNKNOWN.
    status: str
    #: (scene id, choice id) of every choice from the character's start to the scene
    #: (empty when he starts there); None unless REACHABLE.
    path: Path | None
    #: Which search decided it, in words ("" when UNKNOWN).
    method: str
    #: True when no shorter road exists (proved by the exact search).
    shortest: bool = False
    #: Why UNREACHABLE or UNKNOWN, or how far shortness was checked.
    reason: str = ""


@frozen
class SceneReach:
    """``playtest --reach``: every character's road to a scene, and how often random play enters it."""

    scene: str
    roads: tuple[Road, ...]
    runs: int
    seed: int
    #: Character id to the number of his random runs that entered the scene.
    visits: dict[str, int]


def open_to(story: Story, scene: str, character: str) -> bool:
    """Whether the scene is written for this character (no ``for:``, or one naming him)."""
    only = story.scenes[scene].only_for
    return only is None or character in only


def leads_to(story: Story, character: str, target: str) -> set[str]:
    """The scenes from which some chain of choices, goto arms and fallbacks written for
    ``character`` leads to ``target`` (it included), whatever the conditions: the searches
    never need to step into any other scene."""
    back: dict[str, set[str]] = {}
    for sid, scene in story.scenes.items():
        if scene.only_for is not None and character not in scene.only_for:
            continue
        for choice in scene.choices:
            if choice.only_for is None or character in choice.only_for:
                for branch in choice.goto:
                    back.setdefault(branch.target, set()).add(sid)
        if scene.fallback:
            back.setdefault(scene.fallback, set()).add(sid)
    return ancestors(target, back)


def _scene_graph_search(story: Story, character: str, target: str, key, deadline: float,
                        per_scene: int | None = None, useful: set[str] | None = None) -> Path | None:
    """Search (1): breadth first, each scene expanded from the first ``PER_SCENE`` distinct states that enter it."""
    cap = PER_SCENE if per_scene is None else per_scene
    first = start(story, character)
    if first.scene == target:
        return ()
    seen: set[Hashable] = {key(first)}
    kept = {first.scene: 1}
    frontier: deque[State] = deque([first])
    expanded = 0
    while frontier:
        state = frontier.popleft()
        expanded += 1
        if expanded % _CLOCK_EVERY == 0 and time.perf_counter() > deadline:
            return None
        for cid in available(story, state):
            child = step(story, state, cid)
            if child.scene == target:
                return tuple(child.path)
            if child.ending is not None or kept.get(child.scene, 0) >= cap or \
                    (useful is not None and child.scene not in useful):
                continue
            k = key(child)
            if k in seen:
                continue
            seen.add(k)
            kept[child.scene] = kept.get(child.scene, 0) + 1
            frontier.append(child)
    return None


@frozen
class _Exact:
    path: Path | None
    #: Every road of at most this many choices was tried.
    depth: int
    complete: bool
    stopped_by: str


def _exact_search(story: Story, character: str, target: str, max_depth: int | None,
                  max_states: int, time_limit: float, useful: set[str] | None = None, reduced=None) -> _Exact:
    """Search (2): breadth first over distinct states, up to ``max_depth`` choices, within the limits.

    As in ``explore``, states are stored stripped (``reducer``) with a parent link, so the
    search holds tens of thousands of them cheaply; the path is rebuilt from the links.
    """
    deadline = time.perf_counter() + time_limit
    key, bare = reduced or reducer(story)
    first = start(story, character)
    if first.scene == target:
        return _Exact((), 0, True, "")
    index: set[Hashable] = {key(first)}
    links: list[tuple[int, str, str]] = [(-1, "", "")]

    def path_to(j: int) -> Path:
        out = []
        while links[j][0] >= 0:
            parent, scene, cid = links[j]
            out.append((scene, cid))
            j = parent
        return tuple(reversed(out))

    frontier = [] if first.ending is not None else [(bare(first), 0)]
    depth = expanded = 0
    while frontier:
        if max_depth is not None and depth >= max_depth:
            return _Exact(None, depth, False, "")
        nxt: list[tuple[State, int]] = []
        for state, i in frontier:
            expanded += 1
            if expanded % _CLOCK_EVERY == 0 and time.perf_counter() > deadline:
                return _Exact(None, depth, False, f"time limit of {time_limit:g} s")
            scene = state.scene
            for cid in available(story, state):
                child = step(story, state, cid)
                if child.scene == target:
                    return _Exact(path_to(i) + ((scene, cid),), depth + 1, False, "")
                if useful is not None and child.scene not in useful:
                    continue
                k = key(child)
                if k in index:
                    continue
                if len(index) >= max_states:
                    return _Exact(None, depth, False, f"state limit of {max_states:,} states")
                index.add(k)
                if child.ending is None:
                    links.append((i, scene, cid))
                    nxt.append((bare(child), len(links) - 1))
        frontier = nxt
        depth += 1
    return _Exact(None, depth, True, "")


def _first_visit(path: Sequence[tuple[str, str]], last_scene: str, target: str) -> Path | None:
    """The part of a run's path that enters ``target`` first, or None if it never does."""
    for i, (scene, _) in enumerate(path):
        if scene == target:
            return tuple(path[:i])
    return tuple(path) if last_scene == target else None


def _random_road(story: Story, character: str, target: str, runs: int, seed: int, time_limit: float) -> Path | None:
    """Search (3): the shortest entry into ``target`` among random runs (``RANDOM_MORE`` runs past the first)."""
    deadline = time.perf_counter() + time_limit
    best: Path | None = None
    left = runs
    for run in random_runs(story, character, runs, seed):
        hit = _first_visit(run.path, run.last_scene, target)
        if hit is not None and (best is None or len(hit) < len(best)):
            if best is None:
                left = min(left, RANDOM_MORE + 1)
            best = hit
        left -= 1
        if left <= 0 or time.perf_counter() > deadline:
            break
    return best


def find_road(story: Story, character: str, scene: str, *, max_states: int = EXACT_STATES,
              time_limit: float = EXACT_SECONDS, random_paths: Iterable[Path] | None = None,
              runs: int = RANDOM_RUNS, seed: int = 1) -> Road:
    """The road of ``character`` to ``scene``: a witness path, or why there is none.

    ``random_paths`` are entries into the scene that random play already made (``playtest
    --reach`` has them); without them ``runs`` random runs are played when the scene-graph
    search finds nothing.
    """
    if scene not in story.scenes or character not in story.characters:
        raise KeyError(scene if scene not in story.scenes else character)
    if not open_to(story, scene, character):
        only = ", ".join(sorted(story.scenes[scene].only_for or ()))
        return Road(character, scene, UNREACHABLE, None, "its for: list", reason=f"the scene is only for {only}")
    useful = leads_to(story, character, scene)
    if story.characters[character].start not in useful:
        return Road(character, scene, UNREACHABLE, None, "scene graph",
                    reason="no chain of choices written for him leads there from his start")
    reduced = reducer(story)
    key = reduced[0]
    # One state per scene first (cheap in a story of thousands of scenes), then a few.
    deadline = time.perf_counter() + time_limit
    found = _scene_graph_search(story, character, scene, key, deadline, 1, useful)
    if found is None:
        found = _scene_graph_search(story, character, scene, key, deadline, PER_SCENE, useful)
    method = "scene-graph search"
    if found is None:
        if random_paths is not None:
            found = min(random_paths, key=len, default=None)
        else:
            found = _random_road(story, character, scene, runs, seed, RANDOM_SECONDS)
        method = "random play"
    if found is not None:
        if not found:
            return Road(character, scene, REACHABLE, (), "start", True, "the character starts there")
        exact = _exact_search(story, character, scene, len(found) - 1, CONFIRM_STATES, CONFIRM_SECONDS, useful,
                              reduced)
        if exact.path is not None:
            return Road(character, scene, REACHABLE, exact.path, "exact search", True)
        if exact.complete or exact.depth >= len(found) - 1:
            return Road(character, scene, REACHABLE, tuple(found), method, True,
                        f"no road of fewer than {len(found)} choices (exact search)")
        return Road(character, scene, REACHABLE, tuple(found), method, False,
                    f"not proved shortest: roads of up to {exact.depth} choices were all tried")
    if scene not in bounds(story, character).scenes:
        return Road(character, scene, UNREACHABLE, None, "interval bounds",
                    reason="under the widest bounds of the forces no choice open to him leads there")
    exact = _exact_search(story, character, scene, None, max_states, time_limit, useful, reduced)
    if exact.path is not None:
        return Road(character, scene, REACHABLE, exact.path, "exact search", True)
    if exact.complete:
        return Road(character, scene, UNREACHABLE, None, "exact search",
                    reason="the exact search expanded every state without entering it")
    return Road(character, scene, UNKNOWN, None, "",
                reason=f"not found by the scene-graph search, random play, or the exact search "
                       f"(stopped by the {exact.stopped_by} after every road of {exact.depth} choices)")


def reach(story: Story, scene: str, characters: Sequence[str] | None = None, runs: int = 1000,
          seed: int = 1) -> SceneReach:
    """``playtest --reach``: each character's road to ``scene`` and the random runs that enter it.

    The random runs are those of ``playtest --random runs --seed seed``, so the two agree.
    """
    chars = list(characters) if characters is not None else list(story.characters)
    roads: list[Road] = []
    visits: dict[str, int] = {}
    for character in chars:
        hits = 0
        example: Path | None = None
        if open_to(story, scene, character):
            for run in random_runs(story, character, runs, seed):
                hit = _first_visit(run.path, run.last_scene, scene)
                if hit is not None:
                    hits += 1
                    if example is None or len(hit) < len(example):
                        example = hit
        visits[character] = hits
        # When these runs never entered it, find_road plays more of its own.
        roads.append(find_road(story, character, scene, random_paths=[example] if example is not None else None,
                               seed=seed))
    return SceneReach(scene, tuple(roads), runs, seed, visits)


def witness_lines(road: Road) -> list[str]:
    """A road as a replay file: a ``# character:`` header, then ``scene:choice`` a line."""
    if road.path is None:
        return []
    return [f"# character: {road.character}"] + [f"{s}:{c}" for s, c in road.path]
