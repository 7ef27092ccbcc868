"""Story tests in YAML: as a character, along a path, expect an ending, flags, scenes and words.

A story folder (or a mod) may hold ``tests/*.yaml``:

    tests:
      - name: a Trotsky who moves the vote never hears Stalin read the list
        character: trotsky
        path: [1923-trotsky-start:accept-commission, ...]   # or choice ids, or one string a line
        expect:
          ending: testament-honoured
          holds: stalin_removed and army >= 40              # any condition, at the end
          visited: [1924-delegations]
          not_visited: [1927-october]
          text: [Rykov reads]                                # read somewhere in the run
          not_text: [unhurried voice]                        # never read in the run

``through: [scene, ...]`` instead of ``path:`` means every run through those scenes, in
that order: seeded random play (``runs:``, default 2000) collects the runs that pass
through them, and each must meet the expectations; a test no run goes through fails.
Everything is checked through the engine's own ``start``/``step``/``view``, and every
failure names the test's ``file:line:column``.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Iterator

from attrs import frozen

from game.engine.errors import Location, Problems, did_you_mean
from game.analysis.bounds import all_flags
from game.engine.expr import ExprError, Flag, make_condition, walk
from game.engine.loader import shown_path
from game.engine.model import Story
from game.engine.play import CONTINUE, State, available, choice_text, start, step, view
from game.engine.yamlsource import YList, YMap, read_yaml

TEST_KEYS = {"name", "character", "path", "through", "runs", "seed", "expect"}
EXPECT_KEYS = {"ending", "holds", "visited", "not_visited", "text", "not_text", "scene"}
DEFAULT_RUNS = 2000
MAX_RUNS = 100_000
MAX_STEPS = 5000


@frozen
class Outcome:
    name: str
    location: Location
    passed: bool
    #: What failed, in words; empty when the test passed.
    failures: tuple[str, ...] = ()
    #: Runs examined (1 for a path; the runs through the scenes for ``through:``).
    runs: int = 1


def story_test_files(folders: list[Path]) -> list[Path]:
    """The ``tests/*.yaml`` of each story folder, in order."""
    out = []
    for folder in folders:
        tests = Path(folder) / "tests"
        if tests.is_dir():
            out += sorted(p for p in tests.glob("*.yaml") if p.is_file())
    return out


def run_tests(story: Story, files: list[Path], problems: Problems) -> list[Outcome]:
    """Run every test in ``files``; malformed tests go to ``problems`` (each located)."""
    outcomes = []
    for path in files:
        shown = shown_path(path)
        doc = read_yaml(path, shown, problems)
        if doc is None:
            continue
        if not isinstance(doc, YMap) or not isinstance(doc.get("tests"), YList):
            problems.error(Location(shown, 1, 1), "a test file holds 'tests:', a list of tests")
            continue
        for i, raw in enumerate(doc["tests"]):
            if not isinstance(raw, YMap):
                problems.error(doc["tests"].where(i), "each test is a mapping with 'character', 'path' or 'through', and 'expect'")
                continue
            test = _Test.read(story, raw, problems)
            if test is not None:
                outcomes.append(test.run(story))
    return outcomes


class _Test:
    def __init__(self, raw: YMap, name: str, character: str, path: list[tuple[str | None, str, Location]] | None,
                 through: list[str] | None, runs: int, seed: int, expect: dict[str, Any]):
        self.raw, self.name, self.character, self.path = raw, name, character, path
        self.through, self.runs, self.seed, self.expect = through, runs, seed, expect

    @classmethod
    def read(cls, story: Story, m: YMap, problems: Problems) -> "_Test | None":
        bad = len(problems.errors)
        for key in m:
            if key not in TEST_KEYS:
                problems.error(m.where_key(key), f"unknown key '{key}' in a test", did_you_mean(str(key), TEST_KEYS))
        name = str(m.get("name", f"test at line {m.loc.line}"))
        character = m.get("character")
        if character not in story.characters:
            problems.error(m.where("character") if "character" in m else m.loc,
                           f"test '{name}' needs a 'character' of this story",
                           did_you_mean(str(character), story.characters) or "choose from " + ", ".join(story.characters))
        if ("path" in m) == ("through" in m):
            problems.error(m.loc, f"test '{name}' needs either 'path' (the choices) or 'through' (scenes every run passes)")
        path = _steps(m, problems) if "path" in m else None
        through = None
        if "through" in m:
            through = [s for s, _ in _names(m, "through", problems)]
            for i, sid in enumerate(through):
                if sid not in story.scenes:
                    problems.error(m["through"].where(i) if isinstance(m["through"], YList) else m.where("through"),
                                   f"'{sid}' is not a scene", did_you_mean(sid, story.scenes))
        runs, seed = m.get("runs", DEFAULT_RUNS), m.get("seed", 1)
        if not isinstance(runs, int) or isinstance(runs, bool) or not 1 <= runs <= MAX_RUNS:
            problems.error(m.where("runs"), f"'runs' is a whole number from 1 to {MAX_RUNS}")
        if not isinstance(seed, int) or isinstance(seed, bool):
            problems.error(m.where("seed"), "'seed' is a whole number")
        expect = _expectations(story, m, problems)
        if len(problems.errors) > bad:
            return None
        return cls(m, name, character, path, through, runs, seed, expect)

    def run(self, story: Story) -> Outcome:
        if self.path is not None:
            state, seen, failure = self._follow(story)
            if failure:
                return Outcome(self.name, self.raw.loc, False, (failure,))
            return Outcome(self.name, self.raw.loc, not (f := self._judge(story, state, seen)), tuple(f))
        matching = failures = 0
        first: list[str] = []
        rng = random.Random(f"{self.seed}:{self.character}")
        for _ in range(self.runs):
            states = _random_run(story, self.character, rng)
            if not _passes_through([s.scene for s in states], self.through or []):
                continue
            matching += 1
            found = self._judge(story, states[-1], states)
            if found:
                failures += 1
                if not first:
                    road = " ".join(f"{s}:{c}" for s, c in states[-1].path)
                    first = [*found, f"the first failing run: {road}"]
        if not matching:
            return Outcome(self.name, self.raw.loc, False,
                           (f"none of {self.runs} random runs passed through {' -> '.join(self.through or [])}",), 0)
        if failures:
            return Outcome(self.name, self.raw.loc, False, (f"{failures} of {matching} runs through the scenes failed:", *first), matching)
        return Outcome(self.name, self.raw.loc, True, (), matching)

    def _follow(self, story: Story) -> tuple[State, list[State], str]:
        state = start(story, self.character)
        seen = [state]
        for number, (scene_id, choice_id, loc) in enumerate(self.path or [], 1):
            if scene_id is not None and state.scene != scene_id:
                return state, seen, f"{loc}: step {number}: the run is at scene '{state.scene}', not '{scene_id}'"
            offered = available(story, state)
            if choice_id not in offered:
                return state, seen, (f"{loc}: step {number}: scene '{state.scene}' does not offer '{choice_id}' now "
                                     f"(it offers {', '.join(offered)})")
            state = step(story, state, choice_id)
            seen.append(state)
        return state, seen, ""

    def _judge(self, story: Story, state: State, seen: list[State]) -> list[str]:
        e, out = self.expect, []
        if "ending" in e and state.ending != e["ending"]:
            out.append(f"expected the ending '{e['ending']}', but the run " +
                       (f"reached '{state.ending}'" if state.ending else f"stopped at scene '{state.scene}'"))
        if "scene" in e and state.scene != e["scene"]:
            out.append(f"expected the run to end at scene '{e['scene']}', but it is at '{state.scene}'")
        if "holds" in e and not e["holds"].test(state):
            values = ", ".join(f"{k} {v}" for k, v in state.named_values(story).items())
            out.append(f"expected '{e['holds'].source}' at the end; values: {values}; flags: {', '.join(sorted(state.flags)) or 'none'}")
        visited = {s.scene for s in seen}
        out += [f"expected a visit to scene '{s}'" for s in e.get("visited", []) if s not in visited]
        out += [f"expected no visit to scene '{s}'" for s in e.get("not_visited", []) if s in visited]
        if "text" in e or "not_text" in e:
            read = "\n".join(_texts_read(story, seen))
            flat = " ".join(read.split())
            out += [f"expected to read '{t}'" for t in e.get("text", []) if " ".join(t.split()) not in flat]
            out += [f"read '{t}', which this run should never see" for t in e.get("not_text", []) if " ".join(t.split()) in flat]
        return out


def _random_run(story: Story, character: str, rng: random.Random) -> list[State]:
    state = start(story, character)
    states = [state]
    while state.ending is None and len(states) < MAX_STEPS:
        state = step(story, state, rng.choice(available(story, state)))
        states.append(state)
    return states


def _passes_through(scenes: list[str], wanted: list[str]) -> bool:
    it = iter(scenes)
    return all(any(s == w for s in it) for w in wanted)


def _texts_read(story: Story, seen: list[State]) -> Iterator[str]:
    """Everything the player read in the run: scenes, places, notes, choices offered, replies, the ending."""
    for i, state in enumerate(seen):
        v = view(story, state)
        yield from (v.place, v.text, v.reply, v.note, v.ending_text, v.epilogue, v.history)
        for c in v.choices:
            yield c.text
            yield c.locked


def _names(m: YMap, key: str, problems: Problems) -> list[tuple[str, Location]]:
    value = m[key]
    if isinstance(value, str):
        return [(value, m.where(key))]
    if isinstance(value, YList) and all(isinstance(x, str) for x in value):
        return [(x, value.where(i)) for i, x in enumerate(value)]
    problems.error(m.where(key), f"'{key}' is a name or a list of names")
    return []


def _steps(m: YMap, problems: Problems) -> list[tuple[str | None, str, Location]]:
    value = m["path"]
    if isinstance(value, str):
        lines = [(line, m.where("path")) for line in value.splitlines()]
    elif isinstance(value, YList) and all(isinstance(x, str) for x in value):
        lines = [(x, value.where(i)) for i, x in enumerate(value)]
    else:
        problems.error(m.where("path"), "'path' is a list of choice ids or scene:choice steps")
        return []
    out = []
    for line, loc in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        scene, _, choice = line.rpartition(":")
        out.append((scene or None, choice.strip() if choice.strip() != "continue" else CONTINUE, loc))
    return out


def _expectations(story: Story, m: YMap, problems: Problems) -> dict[str, Any]:
    if "expect" not in m or not isinstance(m["expect"], YMap):
        problems.error(m.where("expect") if "expect" in m else m.loc, "a test needs 'expect:', a mapping of what must hold")
        return {}
    e = m["expect"]
    out: dict[str, Any] = {}
    for key in e:
        if key not in EXPECT_KEYS:
            problems.error(e.where_key(key), f"unknown key '{key}' in 'expect'", did_you_mean(str(key), EXPECT_KEYS))
    if "ending" in e:
        if story.ending(str(e["ending"])) is None:
            problems.error(e.where("ending"), f"'{e['ending']}' is not an ending", did_you_mean(str(e["ending"]), [x.id for x in story.endings]))
        out["ending"] = str(e["ending"])
    if "scene" in e:
        if str(e["scene"]) not in story.scenes:
            problems.error(e.where("scene"), f"'{e['scene']}' is not a scene", did_you_mean(str(e["scene"]), story.scenes))
        out["scene"] = str(e["scene"])
    if "holds" in e:
        try:
            out["holds"] = make_condition(str(e["holds"]), dict(story.variable_index))
        except ExprError as exc:
            problems.error(e.where("holds").shifted(exc.offset), f"in 'holds': {exc.message}", exc.hint)
        else:
            known = all_flags(story)
            for node in walk(out["holds"].tree):
                if isinstance(node, Flag) and node.name not in known:
                    problems.error(e.where("holds").shifted(node.offset), f"'{node.name}' is neither a variable nor a flag of this story",
                                   did_you_mean(node.name, [*known, *story.variable_index]))
    for key in ("visited", "not_visited"):
        if key in e:
            names = _names(e, key, problems)
            for name, loc in names:
                if name not in story.scenes:
                    problems.error(loc, f"'{name}' is not a scene", did_you_mean(name, story.scenes))
            out[key] = [n for n, _ in names]
    for key in ("text", "not_text"):
        if key in e:
            out[key] = [n for n, _ in _names(e, key, problems)]
    return out
