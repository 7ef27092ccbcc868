"""Seeded random playthroughs, through the engine's ``available`` and ``step`` only.

Each character gets his own random stream, derived from the seed and his id, so playing
one character (``--character``) gives exactly the runs he gets in a full playtest.
The inner loop is kept minimal because the playtester must manage thousands of runs a
second: it binds the engine functions locally and records only the final path.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Iterable, Iterator, Mapping

from attrs import field, frozen

from game.engine.check import open_branches
from game.engine.model import Branch, Story
from game.engine.play import CONTINUE, State, available, start, step

#: A run that has not ended after this many choices is stopped and counted as unfinished
#: (a loop in the story that random play keeps walking round).
MAX_STEPS = 10_000


@frozen
class RunResult:
    """One random playthrough: who, where it ended (None if stopped), and the choices made."""

    character: str
    ending: str | None
    #: (scene id, choice id) of every choice taken, as in ``State.path``.
    path: tuple[tuple[str, str], ...]
    #: The scene the run stopped in (the resolution scene when it ended).
    last_scene: str
    #: Scenes (and ``ending:ID``) whose ``assumes:`` was false when this run arrived there.
    broken: tuple[str, ...] = ()


@frozen
class RandomSummary:
    """Everything the random playtest of one character found."""

    character: str
    runs: int
    #: Ending id to number of runs that reached it (only endings reached appear).
    endings: Mapping[str, int]
    #: Runs stopped after ``MAX_STEPS`` choices without an ending.
    unfinished: int
    scenes_visited: frozenset[str]
    #: (scene id, choice id) of authored choices taken at least once (never ``CONTINUE``).
    choices_taken: frozenset[tuple[str, str]]
    #: Total number of choices made, over all runs.
    steps: int
    #: (scene id, choice id, scene it led to) of every authored choice taken: which arm
    #: of a computed goto was followed.
    transitions: frozenset[tuple[str, str, str]] = frozenset()
    #: Scene id to the number of runs that entered it at least once (only scenes entered appear).
    scene_runs: Mapping[str, int] = field(factory=dict)
    #: Scene (or ``ending:ID``) to the number of runs that arrived with its assumption false.
    broken: Mapping[str, int] = field(factory=dict)


def rng_for(seed: int, character: str) -> random.Random:
    """The random stream of one character: independent of which other characters play."""
    return random.Random(f"{seed}:{character}")


def random_runs(story: Story, character: str, runs: int, seed: int, max_steps: int = MAX_STEPS) -> Iterator[RunResult]:
    """Play ``runs`` random playthroughs as ``character``, choosing uniformly among ``available``."""
    rand = rng_for(seed, character).random
    _available, _step = available, step
    # What random play sees of continuity: a run that arrives where an assumption is false.
    assumes = {sid: s.assumes for sid, s in story.scenes.items() if s.assumes is not None}
    ending_assumes = {e.id: e.assumes for e in story.endings if e.assumes is not None}
    for _ in range(runs):
        state: State = start(story, character)
        broken: list[str] = []
        if state.scene in assumes and not assumes[state.scene].test(state):
            broken.append(state.scene)
        n = 0
        while state.ending is None and n < max_steps:
            ids = _available(story, state)
            state = _step(story, state, ids[int(rand() * len(ids))] if len(ids) > 1 else ids[0])
            n += 1
            if assumes and state.scene in assumes and not assumes[state.scene].test(state):
                broken.append(state.scene)
        if state.ending in ending_assumes and not ending_assumes[state.ending].test(state):
            broken.append(f"ending:{state.ending}")
        yield RunResult(character, state.ending, state.path, state.scene, tuple(broken))


def summarise(character: str, results: Iterable[RunResult]) -> RandomSummary:
    """Fold runs into ending counts and coverage."""
    endings: Counter[str] = Counter()
    taken: set[tuple[str, str]] = set()
    moves: set[tuple[str, str, str]] = set()
    last: set[str] = set()
    entered: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    runs = unfinished = steps = 0
    for r in results:
        runs += 1
        steps += len(r.path)
        if r.ending is None:
            unfinished += 1
        else:
            endings[r.ending] += 1
        taken.update(r.path)
        arrivals = [scene for scene, _ in r.path[1:]] + [r.last_scene]
        moves.update((scene, choice, to) for (scene, choice), to in zip(r.path, arrivals) if choice != CONTINUE)
        last.add(r.last_scene)
        entered.update({scene for scene, _ in r.path} | {r.last_scene})
        broken.update(set(r.broken))
    scenes = frozenset({s for s, _ in taken} | last)
    authored = frozenset(p for p in taken if p[1] != CONTINUE)
    return RandomSummary(character, runs, dict(endings), unfinished, scenes, authored, steps, frozenset(moves),
                         dict(entered), dict(broken))


def playtest_character(story: Story, character: str, runs: int, seed: int) -> RandomSummary:
    """Random playtest of one character: ``runs`` runs from ``seed``."""
    return summarise(character, random_runs(story, character, runs, seed))


def playtest(story: Story, runs: int, seed: int, characters: Iterable[str] | None = None) -> tuple[RandomSummary, ...]:
    """Random playtest of every character (or those given), in the story's order."""
    chosen = list(characters) if characters is not None else list(story.characters)
    return tuple(playtest_character(story, c, runs, seed) for c in chosen)


def _goto_arms(story: Story, summary: RandomSummary, ranges: dict[int, tuple[int, int]],
               possible: set[tuple[str, str, int]], followed: set[tuple[str, str, int]]) -> None:
    """Add the arms of the computed gotos this character took that he may follow, and those he followed."""
    for sid, cid in summary.choices_taken:
        goto = story.scenes[sid].choice(cid).goto
        if len(goto) < 2:
            continue
        for i, branch in open_branches(goto, ranges, None, summary.character):
            possible.add((sid, cid, i))
            if (sid, cid, branch.target) in summary.transitions:
                followed.add((sid, cid, i))


@frozen
class Coverage:
    """How much of the story some runs saw: scenes and authored choices, visited of total."""

    scenes_visited: int
    scenes_total: int
    choices_taken: int
    choices_total: int
    #: Scene ids never entered, in story order.
    unvisited: tuple[str, ...]
    #: Arms of computed gotos (in choices that were taken) that could hold for the
    #: character, and how many of them some run followed.
    branches_taken: int = 0
    branches_total: int = 0
    #: (scene id, choice id, arm) of every such arm never followed: a threshold that
    #: random play never crosses is usually a mis-tuned one.
    untaken: tuple[tuple[str, str, Branch], ...] = ()


def coverage(story: Story, summaries: Iterable[RandomSummary], character: str | None = None) -> Coverage:
    """Coverage over the scenes and choices open to ``character`` (all of them when None)."""
    summaries = list(summaries)
    seen = set().union(*(s.scenes_visited for s in summaries)) if summaries else set()
    taken = set().union(*(s.choices_taken for s in summaries)) if summaries else set()
    scenes = [sid for sid, sc in story.scenes.items()
              if character is None or sc.only_for is None or character in sc.only_for]
    choices = [(sid, c.id) for sid in scenes for c in story.scenes[sid].choices
               if character is None or c.only_for is None or character in c.only_for]
    possible: set[tuple[str, str, int]] = set()
    followed: set[tuple[str, str, int]] = set()
    ranges = story.ranges()
    for summary in summaries:
        if character is None or summary.character == character:
            _goto_arms(story, summary, ranges, possible, followed)
    order = {sid: i for i, sid in enumerate(story.scenes)}
    untaken = tuple((sid, cid, story.scenes[sid].choice(cid).goto[i])
                    for sid, cid, i in sorted(possible - followed, key=lambda a: (order[a[0]], a[1], a[2])))
    return Coverage(
        scenes_visited=sum(1 for s in scenes if s in seen),
        scenes_total=len(scenes),
        choices_taken=sum(1 for c in choices if c in taken),
        choices_total=len(choices),
        unvisited=tuple(s for s in scenes if s not in seen),
        branches_taken=len(possible & followed),
        branches_total=len(possible),
        untaken=untaken,
    )
