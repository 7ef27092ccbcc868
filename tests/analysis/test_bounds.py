"""Interval bounds: they prove the impossible ending, and every real run stays inside them."""

from __future__ import annotations

from game.analysis.bounds import bounds
from game.analysis.randomplay import random_runs
from game.engine import replay


def test_ending_out_of_reach_is_proved_impossible(playtest_story):
    lenin = bounds(playtest_story, "lenin")
    assert lenin.scenes["end"].box == ((50, 60), (10, 10))
    assert "never" in lenin.impossible and "army 50..60" in lenin.impossible["never"]
    assert lenin.possible["glory"] == ("end",)
    stalin = bounds(playtest_story, "stalin")
    assert "secret" not in stalin.scenes  # the dream needs army >= 90: never taken
    assert set(stalin.impossible) == {"glory", "never"}


def test_earlier_ending_that_always_applies_shadows_later(visits_loop):
    r = bounds(visits_loop, "waiter")
    assert r.impossible == {}  # visits are not tracked: nothing is ruled out, and nothing wrongly


def test_random_runs_stay_inside_the_bounds(generated):
    for character in generated.characters:
        b = bounds(generated, character)
        for run in random_runs(generated, character, 100, seed=5):
            final = replay(generated, character, run.path)
            box = b.scenes[final.scene].box
            assert all(lo <= v <= hi for v, (lo, hi) in zip(final.values, box))
            assert run.ending not in b.impossible
            for name, (can_unset, can_set) in b.scenes[final.scene].flags.items():
                assert (name in final.flags and can_set) or (name not in final.flags and can_unset)
