"""Minutes per chapter (`testament stats --wpm N`): words counted as each random run renders
them, notes apart, the ending on its own, and a natural break in long chapters."""

from __future__ import annotations

import io

import pytest

from game.analysis.stats import chapter_times
from game.cli import main


def test_a_chapter_counts_titles_texts_every_choice_on_offer_and_replies(stats_story):
    times, _ = chapter_times(stats_story, runs=200, seed=1)
    anna = {t.chapter: t for t in times if t.character == "anna"}
    assert set(anna) == {"1923", "ending"}
    # a: "A" + "four five" + "Go on now" + "Only for Anna" = 9; b: "B" + reply ("He nods" or "Yes") + "The end of it".
    assert 15 < anna["1923"].words < 16
    assert anna["1923"].note_words == 8  # two notes of "A note." and "A source"
    assert anna["ending"].words == 8 and anna["ending"].note_words == 0
    assert anna["1923"].minutes(150) == pytest.approx(anna["1923"].words / 150)
    assert anna["1923"].minutes(150, notes=True) == pytest.approx((anna["1923"].words + 8) / 150)


def test_stats_prints_minutes_per_chapter_at_the_speed_asked(capsys):
    assert main(["stats", "--wpm", "150"]) == 0
    out = capsys.readouterr().out
    assert "Minutes per chapter at 150 words a minute" in out
    for year in ("1923", "1924", "1925", "1926", "1927"):
        assert f"\n  {year} " in out
    assert "whole run" in out and "A natural break: before" in out


@pytest.mark.parametrize("speed", ["0", "fast", "99999"])
def test_a_reading_speed_that_is_not_one_is_refused(speed, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--wpm", speed])
    assert exc.value.code == 2
    assert "words a minute" in capsys.readouterr().err
