"""Random playtests: deterministic per seed, exact on forced fixtures, plausible on coin flips."""

from __future__ import annotations

from game.analysis import randomplay
from game.analysis.randomplay import coverage, playtest, playtest_character, random_runs
from game.engine import replay


def test_same_seed_same_runs(generated):
    a = [r.path for r in random_runs(generated, "char0", 50, seed=7)]
    b = [r.path for r in random_runs(generated, "char0", 50, seed=7)]
    c = [r.path for r in random_runs(generated, "char0", 50, seed=8)]
    assert a == b
    assert a != c


def test_one_character_plays_as_in_a_full_playtest(generated):
    alone = playtest(generated, 40, seed=3, characters=["char1"])[0]
    together = playtest(generated, 40, seed=3)[1]
    assert alone == together


def test_runs_replay_to_their_ending(generated):
    for run in random_runs(generated, "char1", 20, seed=1):
        assert len(run.path) == 20  # the generator's layers: exactly 20 choices a run
        assert replay(generated, "char1", run.path).ending == run.ending


def test_forced_runs_give_exact_distribution(playtest_story):
    lenin, stalin = playtest(playtest_story, 25, seed=1)
    assert lenin.endings == {"glory": 25}
    assert stalin.endings == {"paperwork": 25}
    assert lenin.runs == stalin.runs == 25 and lenin.unfinished == 0
    assert lenin.steps == 25 and stalin.steps == 50


def test_coverage_counts_and_lists_unvisited(playtest_story):
    summaries = playtest(playtest_story, 10, seed=1)
    lenin = coverage(playtest_story, [summaries[0]], "lenin")
    assert (lenin.scenes_visited, lenin.scenes_total, lenin.choices_taken, lenin.choices_total) == (2, 4, 1, 5)
    overall = coverage(playtest_story, summaries)
    assert (overall.scenes_visited, overall.scenes_total, overall.choices_taken, overall.choices_total) == (3, 4, 3, 5)
    assert overall.unvisited == ("secret",)


def test_coverage_lists_goto_arms_never_followed(playtest_story):
    # Stalin signs every run with money 15: the arm 'if money >= 90' could hold, but never does.
    summaries = playtest(playtest_story, 10, seed=1)
    overall = coverage(playtest_story, summaries)
    assert (overall.branches_taken, overall.branches_total) == (2, 3)
    assert [(sid, cid, b.target) for sid, cid, b in overall.untaken] == [("office", "sign", "secret")]


def test_coverage_ignores_arms_shadowed_for_the_character(playtest_story):
    # Lenin marches, and 'character == "lenin"' always holds for him: the arm after it is not his to follow.
    lenin = coverage(playtest_story, [playtest(playtest_story, 10, seed=1)[0]], "lenin")
    assert (lenin.branches_taken, lenin.branches_total, lenin.untaken) == (1, 1, ())


def test_coin_flip_is_roughly_even(kitchen):
    s = playtest_character(kitchen, "kamenev", 2000, seed=1)
    assert s.endings["spoke-up"] + s.endings["kept-quiet"] == 2000
    assert 900 < s.endings["spoke-up"] < 1100


def test_looping_run_is_stopped_and_counted(kitchen, monkeypatch):
    s = randomplay.summarise("kamenev", random_runs(kitchen, "kamenev", 3, seed=1, max_steps=0))
    assert s.unfinished == 3 and s.endings == {}
