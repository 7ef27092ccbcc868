"""The campaign's own story tests (story/tests/*.yaml): one run per ending, and the continuity cases."""

from __future__ import annotations

from pathlib import Path

from game.analysis.storytests import run_tests, story_test_files
from game.engine.errors import Problems

STORY = Path(__file__).resolve().parents[2] / "story"


def test_the_campaign_s_story_tests_pass(campaign):
    problems = Problems()
    outcomes = run_tests(campaign, story_test_files([STORY]), problems)
    assert not problems.items, [str(p) for p in problems.items]
    failed = [f"{o.location}: {o.name}: {'; '.join(o.failures)}" for o in outcomes if not o.passed]
    assert not failed, failed


def test_every_ending_has_a_story_test(campaign):
    problems = Problems()
    outcomes = run_tests(campaign, [STORY / "tests" / "endings.yaml"], problems)
    assert len(outcomes) >= len(campaign.endings)
    text = (STORY / "tests" / "endings.yaml").read_text(encoding="utf-8")
    for ending in campaign.endings:
        assert f"ending: {ending.id}\n" in text, ending.id
