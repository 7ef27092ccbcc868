"""Goal-directed search: distances, and witnesses the exact search cannot afford."""

from __future__ import annotations

from game.analysis.explore import explore
from game.analysis.witness import distance, find_witness, goal
from game.engine import replay, start
from game.engine.expr import make_condition


def test_distance_sums_shortfalls_and_takes_the_best_of_or(playtest_story):
    state = start(playtest_story, "stalin")  # army 20, money 10
    index = playtest_story.variable_index
    assert distance(make_condition("army >= 60 and money >= 15", index).tree)(state) == 45
    assert distance(make_condition("army >= 60 or money >= 15", index).tree)(state) == 5
    assert distance(make_condition("not (army < 25)", index).tree)(state) == 5
    assert distance(make_condition("army >= 10", index).tree)(state) == 0


def test_goal_excludes_earlier_endings(playtest_story):
    assert "Not" in repr(goal(playtest_story, "lenin", "quiet"))


def test_witness_for_every_ending_random_play_reaches(generated):
    exact = explore(generated, "char0", max_states=2_000)
    assert not exact.complete
    for ending in ("ending-0", "ending-1", "ending-last"):
        w = find_witness(generated, "char0", ending, time_limit=5.0)
        assert w.path is not None, w
        assert replay(generated, "char0", w.path).ending == ending


def test_no_witness_is_not_a_proof_unless_nothing_was_dropped(search_limit, playtest_story):
    w = find_witness(search_limit, "walker", "split", time_limit=0.5)
    assert w.path is None and not w.exhaustive and "beam search" in w.stopped_by
    small = find_witness(playtest_story, "lenin", "quiet", time_limit=1.0)
    assert small.path is None and small.exhaustive


def test_look_ahead_never_prunes_a_state_on_a_real_run(generated):
    """Soundness of the pruning: along any real run, the state never looks hopeless for the ending it reaches."""
    from game.analysis.explore import reducer
    from game.analysis.randomplay import random_runs
    from game.analysis.witness import NEVER, outlook
    from game.engine import step
    _, bare = reducer(generated)
    for character in generated.characters:
        look = outlook(generated, character)
        goals = {x.id: distance(goal(generated, character, x.id), True, look) for x in generated.endings}
        for run in random_runs(generated, character, 60, seed=11):
            state = start(generated, character)
            for _, choice in run.path[:-1]:
                state = step(generated, state, choice)
                assert goals[run.ending](bare(state)) != NEVER


def test_outlook_knows_what_can_still_move(playtest_story):
    from game.analysis.witness import outlook
    look = outlook(playtest_story, "stalin")
    assert look.rise["hub"] == (10, 6)  # march +10 army; wait +1 then sign +5 money
    assert look.rise["office"] == (10, 5)  # dream +5 then go +5 (conditions ignored)
    assert look.rise["end"] == (0, 0)
