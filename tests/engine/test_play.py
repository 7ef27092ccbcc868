"""The engine's rules of play, each checked directly and after a save/load round trip."""

from __future__ import annotations

import pytest

from game.engine import StepError, replay, start, step, view
from game.engine.play import CONTINUE, available


def take(story, state, rt, *choices):
    for choice in choices:
        state = rt(story, step(story, state, choice))
    return state


def test_start_uses_character_values_and_flags(features, roundtrip):
    leon = roundtrip(features, start(features, "leon"))
    lev = roundtrip(features, start(features, "lev"))
    assert leon.named_values(features) == {"army": 80, "cadres": 0}
    assert lev.named_values(features) == {"army": 50, "cadres": 0}
    assert "commissar" in leon.flags and not lev.flags


def test_per_character_text(features):
    assert view(features, start(features, "leon")).text == "The hall falls silent as you enter."
    assert view(features, start(features, "lev")).text == "The hall is full."


def test_choices_limited_to_characters(features):
    assert [c.id for c in view(features, start(features, "leon")).choices] == ["fair-up", "fair-down", "set", "commissar-only"]
    assert [c.id for c in view(features, start(features, "lev")).choices] == ["fair-up", "fair-down", "set"]
    with pytest.raises(StepError):
        step(features, start(features, "lev"), "commissar-only")


def test_fair_changes_move_a_share_of_the_remaining_distance(features, roundtrip):
    up = take(features, start(features, "lev"), roundtrip, "fair-up")
    down = take(features, start(features, "lev"), roundtrip, "fair-down")
    assert up.value(features, "army") == 75  # 50 + 50% of 50
    assert down.value(features, "army") == 25  # 50 - 50% of 50
    assert down.value(features, "cadres") == -10  # clamped at min


def test_set_and_flags(features, roundtrip):
    s = take(features, start(features, "lev"), roundtrip, "set")
    assert s.named_values(features) == {"army": 10, "cadres": 3}
    assert "reset_done" in s.flags


def test_locked_choice_is_shown_disabled_with_reason(features):
    s = step(features, start(features, "lev"), "fair-down")
    strong = view(features, s).choices[0]
    assert (strong.id, strong.enabled, strong.locked) == ("strong", False, "The army is not strong enough.")
    with pytest.raises(StepError):
        step(features, s, "strong")


def test_computed_goto_and_reply(features, roundtrip):
    s = take(features, start(features, "leon"), roundtrip, "fair-up", "strong")
    assert s.scene == "commissar-room"
    assert view(features, s).reply == "The officers salute."
    s = take(features, s, roundtrip, "on")
    assert s.ending == "maps"


def test_once_only_choice_and_visit_counts(features, roundtrip):
    s = take(features, start(features, "lev"), roundtrip, "fair-up", "once-knock")
    assert s.scene == "corridor" and s.visits["corridor"] == 2
    ids = [c.id for c in view(features, s).choices]
    assert "once-knock" not in ids and "wander" in ids
    s = take(features, s, roundtrip, "wander")
    assert s.ending == "knocked"
    assert view(features, s).ending_text == "You knocked, Lev."


def test_fallback_when_every_choice_is_unavailable(features, roundtrip):
    s = take(features, start(features, "leon"), roundtrip, "set")  # army 10, reset_done: knock hidden
    v = view(features, s)
    assert [c.id for c in v.choices] == ["strong", CONTINUE]
    assert available(features, s) == [CONTINUE]
    s = take(features, s, roundtrip, CONTINUE)
    assert s.scene == "yard" and s.ending == "plain"


def test_no_step_after_the_end(features):
    s = step(features, step(features, start(features, "leon"), "set"), CONTINUE)
    assert s.finished and available(features, s) == []
    with pytest.raises(StepError):
        step(features, s, CONTINUE)


def test_replay_reproduces_the_state_exactly(features):
    s = start(features, "lev")
    for choice in ("fair-down", "once-knock", "wander"):
        s = step(features, s, choice)
    again = replay(features, "lev", s.path)
    assert again == s and again.visits == s.visits


def test_replay_names_the_step_that_no_longer_fits(features):
    with pytest.raises(StepError, match="step 2"):
        replay(features, "lev", [("hall", "fair-down"), ("corridor", "strong")])


def test_unknown_character():
    from game.engine import load_story
    from tests.conftest import FIXTURES
    with pytest.raises(StepError, match="no character"):
        start(load_story(FIXTURES / "kitchen"), "stalin")


def test_place_per_character(features):
    leon = step(features, start(features, "leon"), "fair-down")
    lev = step(features, start(features, "lev"), "fair-down")
    assert view(features, leon).place == "Moscow"
    assert view(features, lev).place == "Moscow, the corridor by the Sverdlov Hall"


def test_states_of_a_run_replay_it_from_the_start(features):
    from game.engine import states_of
    s = start(features, "lev")
    for choice in ("fair-up", "once-knock", "wander"):
        s = step(features, s, choice)
    states = states_of(features, s)
    assert states[0] == start(features, "lev") and states[-1] == s
    assert [len(x.path) for x in states] == [0, 1, 2, 3]
