"""Exact search: shortest witnesses that replay, completeness, limits, visit caps."""

from __future__ import annotations

from game.analysis.explore import explore, visit_caps
from game.engine import replay


def test_finds_known_endings_with_shortest_witnesses(playtest_story):
    lenin = explore(playtest_story, "lenin")
    stalin = explore(playtest_story, "stalin")
    assert lenin.complete and stalin.complete
    assert lenin.witnesses == {"glory": (("hub", "march"),)}
    assert stalin.witnesses == {"paperwork": (("hub", "wait"), ("office", "sign"))}
    for result in (lenin, stalin):
        for ending, path in result.witnesses.items():
            assert replay(playtest_story, result.character, path).ending == ending


def test_kitchen_both_endings(kitchen):
    r = explore(kitchen, "kamenev")
    assert r.complete and set(r.witnesses) == {"spoke-up", "kept-quiet"}
    assert r.states == 3


def test_visit_counts_are_capped_so_loops_finish(visits_loop):
    assert visit_caps(visits_loop) == {"room": 4}
    r = explore(visits_loop, "waiter")
    assert r.complete
    assert r.witnesses == {"patient": (("room", "wait"), ("room", "wait"), ("room", "leave"))}


def test_state_limit_stops_and_says_so(search_limit):
    r = explore(search_limit, "walker", max_states=500)
    assert not r.complete
    assert r.states == 500
    assert "state limit of 500 states" in r.stopped_by
    assert r.witnesses["done"] == (("loop", "stop"),)


def test_time_limit_stops_and_says_so(search_limit):
    r = explore(search_limit, "walker", time_limit=0.0)
    assert not r.complete and "time limit" in r.stopped_by


def test_generated_witnesses_replay(generated):
    r = explore(generated, "char1", max_states=20_000)
    for ending, path in r.witnesses.items():
        assert len(path) == 20
        assert replay(generated, "char1", path).ending == ending
