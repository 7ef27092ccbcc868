"""Continuity: assumptions proved, violated with a witness that replays, or unknown; text-block warnings."""

from __future__ import annotations

import pytest

from game.analysis.continuity import Analysis, check_texts, prove_assumptions, witness_lines
from game.engine import load_story, replay
from game.engine.errors import Problems
from game.engine.loader import read_story
from tests.conftest import FIXTURES

MANIFEST = """id: c
title: C
files: [s.yaml]
variables:
  army: {name: Army, start: 50}
  cadres: {name: Cadres, start: 50}
characters:
  a: {name: A, bio: b, standing: s, start: s1}
  b: {name: B, bio: b, standing: s, start: s1, flags: [born_lucky]}
endings:
  - {id: won, title: Won, if: removed, text: You won.}
  - {id: lost, title: Lost, text: You lost.}
"""

SCENES = """scenes:
  - id: s1
    title: One
    text: The plenum.
    choices:
      - {id: remove, text: Remove him., set: [removed], effects: {army: +10, cadres: -10}, goto: s2}
      - {id: keep, text: Keep him., effects: {army: -10, cadres: +10}, goto: s2}
  - id: s2
    title: Two
    text: The list.
    choices:
      - id: on
        text: Go on.
        effects: {army: +1}
        goto:
          - {if: removed, to: counter}
          - {to: historical}
  - id: historical
    title: Historical
    assumes: ASSUME_HISTORICAL
    text: Stalin reads the list.
    resolve: true
  - id: counter
    title: Counter
    assumes: removed
    text: Rykov reads the list.
    resolve: true
"""


def story_with(tmp_path, assume: str, extra: str = ""):
    (tmp_path / "story.yaml").write_text(MANIFEST)
    (tmp_path / "s.yaml").write_text(SCENES.replace("ASSUME_HISTORICAL", assume) + extra)
    story, problems = read_story([tmp_path])
    assert story is not None, [str(p) for p in problems.items]
    return story


def verdicts(story):
    return {v.where: v for v in prove_assumptions(story)}


def test_assumptions_that_follow_the_gotos_are_proved(tmp_path):
    found = verdicts(story_with(tmp_path, "not removed"))
    assert found["historical"].status == "proved" and found["counter"].status == "proved"


def test_a_violation_has_a_witness_that_replays_to_it(tmp_path):
    story = story_with(tmp_path, "not born_lucky")
    v = verdicts(story)["historical"]
    assert v.status == "violated" and v.character == "b"
    state = replay(story, v.character, v.witness)
    assert state.scene == "historical" and not story.scenes["historical"].assumes.test(state)
    lines = witness_lines(v)
    assert lines[0] == "# character: b" and all(":" in line for line in lines[1:])


def test_visits_are_followed_exactly(tmp_path):
    found = verdicts(story_with(tmp_path, "visits(counter) == 0 and visits(s1) > 0"))
    assert found["historical"].status == "proved"


def test_an_assumption_the_intervals_cannot_settle_is_unknown_not_proved(tmp_path):
    # army + cadres stays 100 on every road, but intervals see army 40..61 and cadres 40..60.
    v = verdicts(story_with(tmp_path, "army + cadres >= 100"))["historical"]
    assert v.status == "unknown" and v.reason


def test_ending_assumptions_are_proved_where_the_ending_can_be_reached(tmp_path):
    (tmp_path / "story.yaml").write_text(MANIFEST.replace("if: removed, text: You won.}", "if: removed, assumes: army >= 41, text: You won.}"))
    (tmp_path / "s.yaml").write_text(SCENES.replace("ASSUME_HISTORICAL", "true"))
    story, _ = read_story([tmp_path])
    assert verdicts(story)["ending:won"].status == "proved"
    (tmp_path / "story.yaml").write_text(MANIFEST.replace("if: removed, text: You won.}", "if: removed, assumes: army > 70, text: You won.}"))
    story, _ = read_story([tmp_path])
    v = verdicts(story)["ending:won"]
    assert v.status == "violated" and replay(story, v.character, v.witness).ending == "won"


def test_check_reports_violations_as_errors_and_counts_proofs(tmp_path):
    from game.compiled import load_checked
    story_with(tmp_path, "not born_lucky")
    _, problems = load_checked([tmp_path], min_bytes=10**9)
    assert any("historical" in str(p) and "born_lucky" in str(p) for p in problems.errors)
    assert any(p.severity == "note" and "1 proved, 1 violated, 0 unknown" in p.message for p in problems.items)


def test_blocks_that_never_or_always_show_and_empty_texts_are_reported(tmp_path):
    extra = """  - id: s3
    title: Three
    text:
      - if: army > 100
        text: Impossible.
      - if: army >= 0
        text: Always.
    resolve: true
  - id: s4
    title: Four
    text:
      - if: removed
        text: Only when removed.
    resolve: true
"""
    story = story_with(tmp_path, "true", extra)
    # Reach s3 and s4 from s2 for the analysis: send the goto there too.
    import attrs
    from game.engine.model import Branch
    s2 = story.scenes["s2"]
    choice = attrs.evolve(s2.choices[0], goto=(Branch("s3", s2.choices[0].goto[0].condition), Branch("s4")))
    scenes = dict(story.scenes)
    scenes["s2"] = attrs.evolve(s2, choices=(choice,))
    story = attrs.evolve(story, scenes=scenes)
    messages = [f.message for f in check_texts(story, Analysis(story))]
    assert any("s3" in m and "never show" in m for m in messages), messages
    assert any("s3" in m and "always shows" in m for m in messages), messages
    assert any("s4" in m and "can be empty" in m for m in messages), messages
    assert not any("s3" in m and "can be empty" in m for m in messages), messages


def test_complementary_blocks_are_never_empty(tmp_path):
    extra = """  - id: s3
    title: Three
    text:
      - if: army >= 55
        text: Strong.
      - if: army < 55
        text: Weak.
      - if: removed
        text: Removed.
        else: Kept.
    resolve: true
"""
    story = story_with(tmp_path, "true", extra)
    import attrs
    from game.engine.model import Branch
    s2 = story.scenes["s2"]
    choice = attrs.evolve(s2.choices[0], goto=(Branch("s3"),))
    scenes = dict(story.scenes)
    scenes["s2"] = attrs.evolve(s2, choices=(choice,))
    story = attrs.evolve(story, scenes=scenes)
    assert [f.message for f in check_texts(story, Analysis(story)) if "s3" in f.message] == []


def test_the_fixture_is_clean(tmp_path):
    story = load_story(FIXTURES / "remembers")
    assert all(v.status == "proved" for v in prove_assumptions(story))
    assert check_texts(story) == []


def test_random_playtest_counts_runs_that_arrive_with_an_assumption_false(tmp_path):
    from game.analysis.randomplay import playtest
    story = story_with(tmp_path, "not born_lucky")
    by = {s.character: s for s in playtest(story, 50, 1)}
    assert by["a"].broken == {}
    assert 0 < by["b"].broken["historical"] <= 50
    assert by["b"].broken.get("counter", 0) == 0
