"""Word counts and reading time on a fixture whose sums are worked out by hand.

stats-words: scene a is "one two three" (anna: "four five"), choice go "Go on now" with
reply "He nods", anna-only "Only for Anna" with reply "x y z" (anna: "Yes"), boris's bob
"Bob goes" to z "Zed zed zed zed zed" whose choice is "Fine", scene b "The end of it",
and one ending "It is over" / "Later on" / "In fact no" (8 words).
"""

from __future__ import annotations

import pytest

from game.analysis.stats import count_words, story_stats


def test_count_words():
    assert count_words("") == 0
    assert count_words("Don't stop — the 1923-24 winter, comrade!") == 6


def test_totals(stats_story):
    st = story_stats(stats_story)
    assert (st.scenes, st.choices, st.endings) == (3, 4, 1)
    assert st.words == 5 + 5 + 7 + 2 + 4 + 5 + 1 + 8


def test_per_character_words(stats_story):
    anna, boris = story_stats(stats_story).characters
    assert (anna.scenes, anna.choices, anna.words) == (2, 2, 2 + 4 + 5 + 4 + 8)
    assert (boris.scenes, boris.choices, boris.words) == (3, 3, 3 + 5 + 4 + 5 + 2 + 1 + 8)


def test_reading_time_is_the_mean_of_runs(stats_story):
    anna, boris = story_stats(stats_story).characters
    # anna reads 2 + (5 or 4) + 4 + 8; boris 3 + 5 + 4 + 8 or 3 + 2 + 5 + 1 + 4 + 8.
    assert 18 < anna.words_per_run < 19
    assert 20 < boris.words_per_run < 23
    assert anna.reading_minutes == pytest.approx(anna.words_per_run / 250)
