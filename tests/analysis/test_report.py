"""The console output: aligned, complete, exit status 0."""

from __future__ import annotations

import io
from types import SimpleNamespace

from game.analysis import report


def _args(**kw):
    base = dict(random=None, seed=1, character=None, exhaustive=False, max_states=100_000, time_limit=10.0)
    base.update(kw)
    return SimpleNamespace(**base)


def test_random_report(playtest_story):
    out = io.StringIO()
    assert report.playtest(playtest_story, _args(random=10), out) == 0
    text = out.getvalue()
    assert "glory         10  100.0%" in text
    assert "Scenes never visited (1):\n  secret" in text
    assert "3/4 (75.0%)" in text


def test_table_aligns_columns():
    lines = report.table([["a", "1"], ["long", "1,000"]], [False, True], indent="")
    assert lines == ["a         1", "long  1,000"]


def test_stats_report(stats_story):
    out = io.StringIO()
    assert report.stats(stats_story, out) == 0
    assert "3 scenes, 4 choices, 1 endings, 37 words in all" in out.getvalue()


def test_cli_runs_playtest_and_stats(capsys):
    from game.cli import main
    from tests.analysis.conftest import FIXTURES
    assert main(["playtest", str(FIXTURES / "playtest"), "--random", "5", "--exhaustive", "--time-limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "Random playtest of Playtest fixture" in out
    assert out.rstrip().splitlines()[-1].startswith("Summary: 2 reachable, 6 unreachable, 0 unknown of 8")
    assert main(["stats", str(FIXTURES / "stats-words")]) == 0
    assert "37 words in all" in capsys.readouterr().out
