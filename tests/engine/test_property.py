"""Property: random playthroughs of any story that passes `check` never raise and always end.

Hypothesis writes small stories as YAML text, with every feature mixed at random: per-
character text and choices, conditions on variables, flags, visits and the character,
locked choices, once-only choices that loop back, computed gotos, fair effects, flags
set and cleared, fallbacks. Ordinary choices lead forward, so a run that ends is
guaranteed only by the engine keeping its promises (once-only loops stay once-only,
fallbacks are taken, resolution picks an ending).

Some stories also have the shapes `check` must refuse or prove: repeatable choices that
loop back, with ways out that may close for good (a visits() bound passed, a flag set, a
variable raised), `goto: []`, variable ranges and effects at and beyond the bound on
numbers. Whatever passes `check` must still play every random run to an ending.
"""

from __future__ import annotations

import random

import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from game.engine import start, step, view
from game.engine.check import check_story
from game.engine.loader import read_story
from game.engine.play import available

CHARACTERS = ["ann", "ben"]
VARIABLES = ["army", "cadres"]
FLAGS = ["met", "spoke"]
#: Variable ranges: the default, the widest allowed, and beyond the bound (refused).
RANGES = [{}] * 10 + [{"min": -1_000_000_000, "max": 1_000_000_000, "start": 0}, {"min": 0, "max": 1_000_000_000},
                      {"min": 0, "max": 10**308}, {"min": -(10**10), "max": 100}]
#: Random runs per character of each story that passes check: 200 examples, about a third of
#: which pass, make well over 10,000 runs in all.
RUNS = 80


@st.composite
def conditions(draw, n_scenes: int):
    kind = draw(st.sampled_from(["var", "flag", "character", "visits", "and", "not"]))
    if kind == "var":
        return f"{draw(st.sampled_from(VARIABLES))} {draw(st.sampled_from(['<', '>=', '==', '!=']))} {draw(st.integers(-5, 105))}"
    if kind == "flag":
        return draw(st.sampled_from(FLAGS))
    if kind == "character":
        return f'character == "{draw(st.sampled_from(CHARACTERS))}"'
    if kind == "visits":
        return f"visits(s{draw(st.integers(0, n_scenes - 1))}) >= {draw(st.integers(1, 2))}"
    if kind == "not":
        return f"not ({draw(conditions(n_scenes))})"
    return f"({draw(conditions(n_scenes))}) and ({draw(conditions(n_scenes))})"


@st.composite
def stories(draw):
    n = draw(st.integers(2, 7))
    resolving = set(draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=2))) | {n - 1}
    scenes = []
    for i in range(n):
        scene: dict = {"id": f"s{i}", "title": f"Scene {i}", "date": "1923-03-05", "place": "Moscow",
                       "note": {"text": "A note.", "sources": ["E. H. Carr, The Interregnum (1954)"]}}
        if draw(st.booleans()):
            scene["text"] = {"default": f"Scene {i}.", draw(st.sampled_from(CHARACTERS)): f"Your scene {i}."}
        else:
            scene["text"] = f"Scene {i}."
        if i in resolving:
            scene["resolve"] = True
            scenes.append(scene)
            continue
        later = list(range(i + 1, n))
        choices = []
        plain_first = draw(st.booleans())  # half the scenes keep one way forward for everyone
        for c in range(draw(st.integers(1, 3))):
            choice: dict = {"id": f"c{c}", "text": f"Choice {c}."}
            if plain_first and c == 0:
                choice.update(effects={"army": "+1"}, goto=f"s{draw(st.sampled_from(later))}")
                choices.append(choice)
                continue
            once = draw(st.booleans())
            loops = not once and draw(st.integers(0, 3)) == 2  # a repeatable choice that may lead back
            targets = list(range(n)) if once or loops else later
            if once:
                choice["once"] = True
            if draw(st.booleans()):
                choice["if"] = draw(conditions(n))
                if draw(st.booleans()):
                    choice["locked"] = "Not now."
            if draw(st.booleans()):
                choice["for"] = [draw(st.sampled_from(CHARACTERS))]
            effects = {}
            for var in VARIABLES:
                if draw(st.booleans()):
                    effects[var] = draw(st.sampled_from(["+5", "-7", "=50", "%+30", "%-40", "+200", "%+100",
                                                         "+1000000000", "=1000000000", "-1000000001"]))
            if effects:
                choice["effects"] = effects
            if draw(st.booleans()):
                choice["set"] = [draw(st.sampled_from(FLAGS))]
            if draw(st.booleans()):
                choice["clear"] = [draw(st.sampled_from(FLAGS))]
            if draw(st.booleans()):
                choice["reply"] = "It is done."
            if draw(st.integers(0, 40)) == 17:  # (hypothesis favours the ends of a range)
                choice["goto"] = []
            elif draw(st.booleans()):
                choice["goto"] = [{"if": draw(conditions(n)), "to": f"s{draw(st.sampled_from(targets))}"},
                                  {"to": f"s{draw(st.sampled_from(targets))}"}]
            else:
                choice["goto"] = f"s{draw(st.sampled_from(targets))}"
            choices.append(choice)
        scene["choices"] = choices
        if draw(st.booleans()):
            scene["fallback"] = f"s{draw(st.sampled_from(later))}"
        scenes.append(scene)
    manifest = {
        "id": "generated", "title": "Generated", "version": 1,
        "variables": {v: {"name": v, **draw(st.sampled_from(RANGES))} for v in VARIABLES},
        "characters": {c: {"name": c.title(), "bio": "B.", "standing": "S.", "start": "s0", "flags": [flag]}
                       for c, flag in zip(CHARACTERS, FLAGS)},
        "endings": [{"id": "high", "title": "High", "if": "army >= 60", "text": "High."},
                    {"id": "flagged", "title": "Flagged", "if": "met and not spoke", "text": "Flagged."},
                    {"id": "other", "title": "Other", "text": "Other."}],
        "scenes": scenes,
    }
    return manifest


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(stories(), st.integers(0, 1000))
def test_random_play_of_a_checked_story_never_raises_and_always_ends(tmp_path_factory, manifest, seed):
    folder = tmp_path_factory.mktemp("story")
    (folder / "story.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    story, problems = read_story([folder])
    if story is None:
        return
    check_story(story, problems)
    if problems.errors:
        return
    event("passes check")  # hypothesis --hypothesis-show-statistics shows how often
    rng = random.Random(seed)
    # Loops can go round many times before a way out is taken; a run that has not ended
    # after this many steps is trapped (check said it could not be).
    bound = 100 * sum(1 + len(s.choices) for s in story.scenes.values())
    for character in story.characters:
        for _ in range(RUNS):
            state = start(story, character)
            for _ in range(bound):
                if state.finished:
                    break
                v = view(story, state)
                ids = available(story, state)
                assert ids and set(ids) <= {c.id for c in v.choices if c.enabled}
                state = step(story, state, rng.choice(ids))
            assert state.finished, f"{character} did not finish within {bound} steps: {state.path}"
            assert view(story, state).ending is not None
