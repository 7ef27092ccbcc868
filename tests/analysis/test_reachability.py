"""The combined verdicts of playtest --exhaustive."""

from __future__ import annotations

import io
from types import SimpleNamespace

from game.analysis import report
from game.analysis.reachability import REACHABLE, UNKNOWN, UNREACHABLE, prove_endings
from game.engine import replay


def _verdicts(result):
    return {(v.character, v.ending): v for v in result.verdicts}


def test_exact_search_decides_small_story(playtest_story):
    v = _verdicts(prove_endings(playtest_story))
    assert v["lenin", "glory"].status == REACHABLE and v["lenin", "glory"].path == (("hub", "march"),)
    assert v["lenin", "glory"].shortest
    assert v["stalin", "paperwork"].status == REACHABLE
    assert all(x.status == UNREACHABLE and x.method == "exact search"
               for k, x in v.items() if k not in {("lenin", "glory"), ("stalin", "paperwork")})


def test_interval_bounds_prove_when_exact_search_is_stopped(playtest_story):
    v = _verdicts(prove_endings(playtest_story, max_states=1, time_limit=5))
    never = v["lenin", "never"]
    assert never.status == UNREACHABLE and never.method == "interval bounds"
    assert "army >= 95" in never.reason
    assert v["stalin", "paperwork"].status == REACHABLE  # found by the witness search instead
    assert replay(playtest_story, "stalin", v["stalin", "paperwork"].path).ending == "paperwork"


def test_search_limit_gives_unknown_with_the_reason(search_limit):
    result = prove_endings(search_limit, max_states=1_000, time_limit=2)
    v = _verdicts(result)
    assert v["walker", "split"].status == UNKNOWN
    assert "state limit of 1,000 states" in v["walker", "split"].reason
    assert "beam search" in v["walker", "split"].reason
    assert v["walker", "done"].status == REACHABLE
    assert result.seconds < 2.5


def test_report_prints_table_and_summary(playtest_story):
    out = io.StringIO()
    args = SimpleNamespace(random=None, seed=1, character="stalin", exhaustive=True, max_states=1000, time_limit=5.0)
    assert report.playtest(playtest_story, args, out) == 0
    text = out.getvalue()
    assert "stalin     paperwork  REACHABLE    exact search        2  wait > sign" in text
    assert text.rstrip().splitlines()[-1].startswith("Summary: 1 reachable, 3 unreachable, 0 unknown of 4")
    assert "lenin" not in text
