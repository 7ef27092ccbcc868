"""Trail, the run's path: reads as the tuple it replaced, and shares what came before."""

from __future__ import annotations

import pickle

from hypothesis import given, strategies as st

from game.engine import load_story, replay, start, states_of
from game.engine.trail import EMPTY, Trail
from tests.conftest import FIXTURES

STEPS = st.lists(st.tuples(st.sampled_from(["a", "b", "hall"]), st.sampled_from(["x", "y", "-continue"])), max_size=12)


@given(STEPS)
def test_a_trail_reads_as_its_tuple(steps):
    trail = Trail.of(steps)
    as_tuple = tuple(steps)
    assert trail == as_tuple and as_tuple == trail and trail == list(steps)
    assert hash(trail) == hash(as_tuple)
    assert len(trail) == len(as_tuple) and bool(trail) == bool(as_tuple)
    assert list(trail) == list(as_tuple) and list(reversed(trail)) == list(reversed(as_tuple))
    for i in range(-len(steps), len(steps)):
        assert trail[i] == as_tuple[i]
    assert trail[1:] == as_tuple[1:] and trail[:-1] == as_tuple[:-1]
    assert pickle.loads(pickle.dumps(trail)) == trail
    assert (trail + [("c", "z")]) == as_tuple + (("c", "z"),)
    assert Trail.of(trail) is trail


@given(STEPS, STEPS)
def test_trails_are_equal_exactly_when_their_steps_are(a, b):
    assert (Trail.of(a) == Trail.of(b)) == (a == b)


def test_index_out_of_range():
    trail = EMPTY.then("a", "x")
    for bad in (1, -2):
        try:
            trail[bad]
        except IndexError:
            continue
        raise AssertionError(f"trail[{bad}] did not raise")


def test_a_long_trail_is_shared_not_copied_and_pickles_flat():
    loop = load_story(FIXTURES / "visits-loop")
    state = replay(loop, "waiter", [("room", "wait")] * 50_000)
    states = states_of(loop, state)
    assert states[-1].path[:-1] == states[-2].path  # the tuple view
    assert states[-1].path._before is states[-2].path  # the shared node
    assert len(pickle.loads(pickle.dumps(state.path))) == 50_000
    assert start(loop, "waiter").path == ()
