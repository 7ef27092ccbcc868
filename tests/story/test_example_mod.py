"""The example mod in examples/mods loads onto the campaign and can be played into."""

from pathlib import Path

from game.engine import load_story
from game.engine.check import check_story
from game.engine.loader import read_story
from game.paths import story_dir

MOD = Path(__file__).resolve().parents[2] / "examples" / "mods" / "factory-gate"


def test_example_mod_passes_check_with_the_campaign():
    story, problems = read_story([story_dir(), MOD])
    assert story is not None
    check_story(story, problems)
    assert [str(p) for p in problems.items] == []


def test_example_mod_choice_leads_to_its_scene():
    story = load_story(story_dir(), [MOD])
    assert "go-to-the-gate" in [c.id for c in story.scenes["1924-enrolment"].choices]
    assert story.scenes["1924-gate-trekhgorka"].only_for == {"kamenev", "bukharin"}
    assert story.mods == ("factory-gate@1",)
