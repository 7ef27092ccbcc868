"""Loading reports every problem at once, each at its file:line:col, with a did-you-mean."""

from __future__ import annotations

import pytest

from game.engine import StoryLoadError, load_story
from game.engine.loader import read_story
from tests.conftest import FIXTURES


def messages(folder, *mods):
    story, problems = read_story([FIXTURES / folder, *[FIXTURES / m for m in mods]])
    return story, [str(p) for p in problems.items]


def test_every_problem_reported_with_its_location():
    story, found = messages("broken")
    assert story is None
    expected = [
        "broken/story.yaml:5:22: '../kitchen/scenes.yaml' leads outside the story folder",
        "broken/scenes.yaml:5:5: unknown key 'efects' in scene 'hall'",
        "broken/scenes.yaml:9:20: 'amry' in effects is not a declared variable (did you mean 'army'?)",
        "broken/scenes.yaml:9:36: effect 'x5' on 'army' is not understood",
        "broken/scenes.yaml:12:13: scene 'hall' already has a choice 'go'",
        "broken/scenes.yaml:15:9: scene id 'hall' is already used at",
        "broken/scenes.yaml:11:15: choice 'go' in scene 'hall' leads to scene 'yrd', which does not exist",
        "broken/story.yaml:11:12: character 'leon' starts at scene 'hal', which does not exist (did you mean 'hall'?)",
        "broken/story.yaml:12:15: 'armee' is not a declared variable (did you mean 'army'?)",
        "'marched' is neither a declared variable nor a flag set anywhere",
        "broken/story.yaml:14:9: the last ending, 'won', must have no 'if'",
    ]
    for want in expected:
        assert any(want in f for f in found), f"missing: {want}\nfound:\n" + "\n".join(found)
    assert len(found) == len(expected)


def test_load_story_raises_with_all_problems():
    with pytest.raises(StoryLoadError) as info:
        load_story(FIXTURES / "broken")
    assert len(info.value.problems) == 11


def test_mod_adds_scene_character_ending_and_choice():
    story = load_story(FIXTURES / "features", [FIXTURES / "mod-branch"])
    assert "olga" in story.characters and "garden" in story.scenes
    assert [e.id for e in story.endings] == ["maps", "knocked", "garden-ending", "plain"]
    assert "to-garden" in [c.id for c in story.scenes["corridor"].choices]
    assert [v.id for v in story.variables] == ["army", "cadres", "nerve"]
    assert story.mods == ("garden-branch@1",)


def test_mod_cannot_redefine_an_existing_id(tmp_path):
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "story.yaml").write_text("mod: true\nid: clash\ntitle: Clash\nfiles: [s.yaml]\n")
    (mod / "s.yaml").write_text(
        "scenes:\n  - id: yard\n    title: Y\n    text: Y.\n    resolve: true\n")
    story, problems = read_story([FIXTURES / "features", mod])
    assert story is None
    assert any("scene id 'yard' is already used at" in str(p) and ":2:9" in str(p) for p in problems.items)


def test_folder_given_as_mod_must_say_so():
    story, found = messages("features", "kitchen")
    assert story is None
    assert any("does not say 'mod: true'" in f for f in found)


def test_yaml_1_2_booleans_only():
    """`on`, `no`, `yes` are ids, not booleans, as in YAML 1.2."""
    story = load_story(FIXTURES / "features")
    assert story.scenes["commissar-room"].choices[0].id == "on"


@pytest.mark.parametrize("expr, message", [
    ("army >=", "ends too soon"),
    ("army >= 50 army", "unexpected 'army'"),
    ("army + (army > 2) > 3", "needs a number but found a condition"),
    ("army + commissar > 3", "'commissar' is not a declared variable"),
    ("army", "must be true or false"),
    ("character == 3", "cannot compare text with a number"),
    ("visits(nowhere) > 1", "visits() names scene 'nowhere'"),
    ("army > 1 > 0", "cannot be chained"),
    ("army $ 2", "unexpected character '$'"),
    ("armi >= 2", "did you mean 'army'?"),
])
def test_expression_errors_are_located(tmp_path, expr, message):
    (tmp_path / "story.yaml").write_text(
        "id: e\ntitle: E\nvariables: {army: {}}\n"
        "characters: {a: {name: A, start: s}}\n"
        "endings: [{id: x, title: X, text: X}]\n"
        "scenes:\n"
        "  - id: s\n    title: S\n    text: S.\n    choices:\n"
        f"      - id: c\n        text: C.\n        if: '{expr}'\n        goto: s\n"
        "      - id: d\n        text: D.\n        set: [commissar]\n        goto: s\n")
    story, problems = read_story([tmp_path])
    text = "\n".join(str(p) for p in problems.items)
    assert story is None and message in text
    assert "story.yaml:13:" in text


def test_a_colon_in_plain_text_gets_a_quoting_hint(tmp_path):
    import shutil
    for f in (FIXTURES / "kitchen").iterdir():
        shutil.copy(f, tmp_path)
    scenes = (tmp_path / "scenes.yaml").read_text().replace(
        'sources: ["E. H. Carr, Socialism in One Country, vol. 2 (1959)"]',
        "sources:\n        - Stephen Kotkin, Stalin, Vol. 1: Paradoxes of Power (2014)")
    (tmp_path / "scenes.yaml").write_text(scenes)
    story, problems = read_story([tmp_path])
    (problem,) = problems.items
    assert story is None and problem.location.line == 13 and "put the text in quotes" in problem.hint
