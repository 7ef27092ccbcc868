"""The historical paths: each replays through the campaign to an ending, keeps to history,
and gives every chapter a real state to begin from; a path that stops fitting says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.classroom import historical
from game.classroom.aids import check_aids
from game.compiled import load_checked
from game.engine.errors import Problems


@pytest.mark.parametrize("character", ["trotsky", "zinoviev", "kamenev", "bukharin"])
def test_every_historical_path_replays_to_an_ending(campaign, character):
    path = historical.path_for(campaign, character)
    assert path is not None, f"story/{historical.FILE} has no path for {character}"
    try:
        states = historical.replay_path(campaign, path)
    except historical.PathError as exc:
        pytest.fail(f"{exc.location}: {exc}", pytrace=False)
    assert states[-1].ending is not None


@pytest.mark.parametrize("character", ["trotsky", "zinoviev", "kamenev", "bukharin"])
def test_a_historical_path_never_enters_an_invented_scene(campaign, character):
    states = historical.historical_run(campaign, character)
    invented = [s.scene for s in states if campaign.scenes[s.scene].note.counterfactual]
    assert not invented, f"the historical path of {character} passes through counterfactual scenes: {invented}"


@pytest.mark.parametrize("character", ["trotsky", "zinoviev", "kamenev", "bukharin"])
def test_each_chapter_begins_at_its_first_scene_in_the_historical_state(campaign, character):
    years = historical.chapters(campaign)
    assert years == (1923, 1924, 1925, 1926, 1927)
    run = historical.historical_run(campaign, character)
    for year in years:
        states = historical.chapter_start(campaign, character, year)
        last = states[-1]
        assert historical.chapter_of(campaign, last.scene) == year
        assert all(historical.chapter_of(campaign, s.scene) != year for s in states[:-1])
        assert states == run[: len(states)]  # a prefix of the real run: the state is history's, not a guess
    assert len(historical.chapter_start(campaign, character, 1923)) == 1


def test_the_campaign_s_aids_pass_check(campaign):
    problems = Problems()
    check_aids(campaign, problems)
    assert not problems.errors, "\n".join(str(p) for p in problems.errors)


def test_no_such_chapter(campaign):
    with pytest.raises(historical.ChapterError, match="chapters are 1923, 1924"):
        historical.chapter_start(campaign, "trotsky", 1930)


def _story_with(tmp_path: Path, paths_yaml: str):
    """The kitchen fixture with a historical.yaml of our own."""
    import shutil
    folder = tmp_path / "kitchen"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "kitchen", folder)
    (folder / historical.FILE).write_text(paths_yaml, encoding="utf-8")
    story, problems = load_checked([folder])
    assert story is not None, problems.errors
    return story


def test_a_path_that_stops_fitting_names_the_step(tmp_path):
    story = _story_with(tmp_path, "paths:\n  kamenev:\n    - {scene: supper, choice: shout, why: he did}\n")
    problems = Problems()
    historical.check(story, problems)
    [problem] = problems.errors
    assert "step 1" in str(problem) and "'shout'" in str(problem) and "on offer: agree, wait" in str(problem)
    assert problem.location.line == 3


def test_a_path_that_stops_short_says_where_the_run_goes_on(tmp_path):
    story = _story_with(tmp_path, "paths:\n  kamenev: []\n")
    problems = Problems()
    historical.check(story, problems)
    [problem] = problems.errors
    assert "ends after step 0" in str(problem) and "supper" in str(problem)


def test_a_path_for_no_such_character(tmp_path):
    story = _story_with(tmp_path, "paths:\n  kamenov: []\n")
    problems = Problems()
    historical.check(story, problems)
    assert "no character 'kamenov'" in str(problems.errors[0]) and "kamenev" in problems.errors[0].hint
