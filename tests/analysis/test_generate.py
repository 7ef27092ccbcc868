"""The benchmark generator writes valid stories, and random play on them always ends.

Mirrors benchmarks/generate.py. The property test is the random playtester's contract:
on any story that passes check, a random run never raises and always reaches an ending
(generated stories have no loops, so the step limit is never the way out).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks.generate import generate, layer_sizes
from game.analysis.randomplay import random_runs
from game.engine.check import check_story
from game.engine.loader import read_story


def _checked(folder: Path):
    story, problems = read_story([folder])
    assert story is not None, [str(p) for p in problems.items]
    check_story(story, problems)
    return story, problems


def test_generated_story_passes_check_without_warnings(tmp_path):
    story, problems = _checked(generate(tmp_path / "s", scenes=300, variables=5, choices=3, depth=20, seed=1))
    assert problems.items == [] or not problems.items, [str(p) for p in problems.items]
    assert 300 <= len(story.scenes) < 330
    choices = [c for s in story.scenes.values() for c in s.choices]
    conditional = sum(1 for c in choices if c.condition is not None)
    assert 0.2 < conditional / len(choices) < 0.45


def test_layers_funnel_out_from_the_start_scenes():
    sizes = layer_sizes(999, 20, 3, 2)
    assert sizes[:3] == [2, 6, 18] and len(sizes) == 20 and sum(sizes) >= 999


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes=st.integers(2, 60), variables=st.integers(1, 4), choices=st.integers(1, 3),
       depth=st.integers(1, 6), characters=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_random_play_on_generated_stories_never_raises_and_always_ends(scenes, variables, choices, depth, characters, seed):
    with tempfile.TemporaryDirectory() as tmp:
        story, problems = _checked(generate(Path(tmp) / "s", scenes, variables, choices, depth, characters, seed))
        assert not problems.errors, [str(p) for p in problems.errors]
        for character in story.characters:
            for run in random_runs(story, character, 15, seed):
                assert run.ending is not None
                assert len(run.path) == depth
