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
    assert r.impossible == {}  # visit counts on the road are not tracked: nothing is ruled out, and nothing wrongly


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


def test_visits_to_scenes_that_cannot_lead_here_are_zero(features):
    """At a resolution scene, only scenes with a road to it can have been visited."""
    import attrs

    from game.engine.expr import make_condition
    from game.engine.model import Ending

    cond = make_condition("visits(commissar-room) > 0", features.variable_index)
    story = attrs.evolve(features, endings=(Ending("maps-room", "Maps", features.endings[0].text, condition=cond),
                                            *features.endings))
    leon, lev = bounds(story, "leon"), bounds(story, "lev")
    assert leon.possible["maps-room"] == ("yard",)  # Leon's road to the yard may pass the room
    assert "maps-room" in lev.impossible  # the room is Leon's alone: Lev never visits it
