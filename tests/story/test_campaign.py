"""The bundled campaign: valid, historically careful in its naming, balanced, and long enough.

These are the content standards of the campaign, checked on every shipped YAML file.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from game.analysis.randomplay import coverage, playtest
from game.analysis.stats import mean_words_per_run, total_words
from game.engine.check import check_story
from game.engine.loader import read_story
from game.paths import story_dir
from tests.story.conftest import scene_texts

CHARACTERS = {"trotsky", "zinoviev", "kamenev", "bukharin"}
HISTORICAL = "alma-ata"


@pytest.fixture(scope="module")
def random_results(campaign):
    return playtest(campaign, runs=600, seed=11)


def test_passes_check_strict():
    story, problems = read_story([story_dir()])
    assert story is not None
    check_story(story, problems)
    assert [str(p) for p in problems.items] == []


def test_characters(campaign):
    assert CHARACTERS <= set(campaign.characters)
    for c in campaign.characters.values():
        assert c.bio and c.standing, c.id


def test_every_scene_has_date_place_note_and_source(campaign):
    for scene in campaign.scenes.values():
        assert re.fullmatch(r"19(2[2-9])(-\d\d(-\d\d)?)?", scene.date), (scene.id, scene.date)
        assert scene.place.all() and scene.title, scene.id
        assert len(" ".join(scene.note.text.all()).split()) >= 15, scene.id
        dated = [s for s in scene.note.sources if re.search(r"\b1[89]\d\d\b|\b20\d\d\b", s)]
        assert dated, f"{scene.id}: no source with author, title and year"


def test_every_choice_moves_a_force_or_records_an_act(campaign):
    for scene in campaign.scenes.values():
        for choice in scene.choices:
            assert choice.effects or choice.set_flags, (scene.id, choice.id)


def test_no_placeholder_text(campaign):
    pattern = re.compile(r"\b(TODO|TBD|FIXME|lorem ipsum|XXX|placeholder)\b", re.I)
    for scene in campaign.scenes.values():
        for text in [*scene_texts(scene), *scene.note.text.all()]:
            assert not pattern.search(text), scene.id
    for ending in campaign.endings:
        for text in ending.text.all() + ending.epilogue.all() + ending.history.all():
            assert not pattern.search(text), ending.id


@pytest.mark.parametrize("word, before, why", [
    ("Leningrad", "1924-01-26", "the city was Petrograd until 26 January 1924"),
    ("OGPU", "1923-11", "the GPU became the OGPU in November 1923"),
    ("VKP(b)", "1925-12-31", "the party was the RKP(b) until the Fourteenth Congress"),
    ("Stalingrad", "1925-04-10", "Tsaritsyn was renamed in April 1925"),
])
def test_names_as_they_were_on_the_date(campaign, word, before, why):
    for scene in campaign.scenes.values():
        if scene.date < before:
            for text in scene_texts(scene):
                assert word not in text, f"{scene.id} ({scene.date}): {why}"


@pytest.mark.parametrize("word", ["CPSU", "St Petersburg", "St. Petersburg", "Saint Petersburg", "KGB", "NKVD"])
def test_no_anachronistic_names_in_play(campaign, word):
    for scene in campaign.scenes.values():
        for text in scene_texts(scene):
            assert word not in text, scene.id


def test_counterfactual_scenes_say_so(campaign):
    counterfactual = [s for s in campaign.scenes.values() if s.note.counterfactual]
    assert len(counterfactual) >= 10
    for scene in counterfactual:
        assert re.search(r"real|in fact|historical|in history|actually|did not|never|counterfactual|\bno\b", " ".join(scene.note.text.all()), re.I), scene.id


def test_size(campaign):
    assert total_words(campaign) >= 60_000
    assert len(campaign.endings) >= 12
    for character in CHARACTERS:
        assert 7_000 <= mean_words_per_run(campaign, character, runs=60, seed=2) <= 12_500, character


def test_endings_are_spread_and_reachable(campaign, random_results):
    overall: Counter[str] = Counter()
    for summary in random_results:
        assert summary.unfinished == 0
        reached = {e for e, n in summary.endings.items() if n}
        assert len(reached) >= 4, summary.character
        assert HISTORICAL in reached, summary.character
        for ending, n in summary.endings.items():
            assert n / summary.runs <= 0.40, (summary.character, ending, n)
        overall.update(summary.endings)
    total = sum(overall.values())
    assert set(overall) == {e.id for e in campaign.endings}
    assert max(overall.values()) / total <= 0.40


def test_random_play_visits_every_scene(campaign, random_results):
    """A scene that random play never enters is one whose way in is mis-tuned: no reader finds it either."""
    assert coverage(campaign, random_results).unvisited == ()
