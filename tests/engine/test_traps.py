"""`check` proves that no run can be trapped: from every state a run can reach, an ending.

A loop whose way out can close for good (a visits() count passing a bound, a flag the loop
sets, a variable it keeps raising) strands some runs only, which no scene graph shows. The
check finds such a run, with the path that leads into the trap, or proves there is none,
or says it cannot tell -- and never passes a story some random run cannot finish.
"""

from __future__ import annotations

import random

import pytest

from game.engine import check as check_module
from game.engine.check import check_story
from game.engine.errors import Problems
from game.engine.loader import read_story
from game.engine.play import available, start, step
from tests.conftest import FIXTURES

HEAD = ("id: t\ntitle: T\nvariables: {x: {min: 0, max: 100, start: 0}}\n"
        "characters: {a: {name: A, start: s}}\nendings: [{id: e, title: E, text: E.}]\nscenes:\n")
END = "  - {id: end, title: End, text: End., resolve: true}\n"


def checked(tmp_path, scenes: str):
    (tmp_path / "story.yaml").write_text(HEAD + scenes + END)
    story, problems = read_story([tmp_path])
    assert story is not None, [str(p) for p in problems.errors]
    check_story(story, problems)
    return story, [str(p) for p in problems.errors]


def ends_always(story, runs: int = 300, seed: int = 1) -> bool:
    """Whether every one of ``runs`` random runs reaches an ending within a generous bound."""
    rng = random.Random(seed)
    for _ in range(runs):
        state = start(story, "a")
        for _ in range(2000):
            if state.finished:
                break
            state = step(story, state, rng.choice(available(story, state)))
        if not state.finished:
            return False
    return True


LOOPS = {
    # The two-scene loop: the way out closes once s has been visited twice.
    "visits": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t}]}\n"
               "  - {id: t, title: T, text: T., choices: [{id: back, text: Back., goto: s},\n"
               "      {id: out, text: Out., if: not visits(s) >= 2, goto: end}]}\n"),
    # The loop sets a flag that closes the way out.
    "flag": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t}]}\n"
             "  - {id: t, title: T, text: T., choices: [{id: back, text: Back., goto: s, set: [tired]},\n"
             "      {id: out, text: Out., if: not tired, goto: end}]}\n"),
    # The loop raises a variable past the way out's bound.
    "variable": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t, effects: {x: +30}}]}\n"
                 "  - {id: t, title: T, text: T., choices: [{id: back, text: Back., goto: s},\n"
                 "      {id: out, text: Out., if: x < 50, goto: end}]}\n"),
}


@pytest.mark.parametrize("kind", sorted(LOOPS))
def test_a_loop_whose_way_out_closes_for_good_is_an_error_with_the_path_into_it(tmp_path, kind):
    story, errors = checked(tmp_path, LOOPS[kind])
    trapped = [e for e in errors if "can be trapped" in e]
    assert trapped, errors
    assert "story.yaml:" in trapped[0] and "s:go" in trapped[0]
    assert not ends_always(story)  # the error is real: some random runs never end


SAFE = {
    # The way out opens once the loop has gone round often enough, and stays open.
    "visits-open": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t}]}\n"
                    "  - {id: t, title: T, text: T., choices: [{id: back, text: Back., goto: s},\n"
                    "      {id: out, text: Out., if: visits(s) >= 3, goto: end}]}\n"),
    # An always open way out: proved without any search.
    "always-open": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t}]}\n"
                    "  - {id: t, title: T, text: T., choices: [{id: back, text: Back., goto: s, if: x < 50},\n"
                    "      {id: out, text: Out., goto: end}]}\n"),
    # Once-only choices loop back, but run out.
    "once": ("  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: t}]}\n"
             "  - {id: t, title: T, text: T., fallback: end, choices: [{id: back, text: Back., once: true, goto: s},\n"
             "      {id: out, text: Out., if: x > 50, goto: end}]}\n"),
}


@pytest.mark.parametrize("kind", sorted(SAFE))
def test_a_loop_that_every_run_can_leave_passes(tmp_path, kind):
    story, errors = checked(tmp_path, SAFE[kind])
    assert errors == []
    assert ends_always(story)


def test_a_loop_too_big_to_search_is_reported_as_unproved(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "TRAP_SEARCH_STATES", 3)
    _, errors = checked(tmp_path, SAFE["visits-open"])
    assert any("cannot prove" in e and "scene 's'" in e for e in errors), errors


def test_the_sure_escape_proof_needs_no_search_for_the_campaign_shapes(monkeypatch):
    """Forward stories, once-only loops and waiting until visits() opens a door are
    proved by the rules alone."""
    def no_search(*args):
        raise AssertionError("the exact search should not be needed")
    monkeypatch.setattr(check_module, "_find_trap", no_search)
    for name in ("features", "kitchen", "playtest", "stats-words", "search-limit", "visits-loop"):
        story, problems = read_story([FIXTURES / name])
        check_story(story, problems)
        assert not [p for p in problems.errors if "trapped" in p.message or "cannot prove" in p.message]


def test_goto_an_empty_list_is_an_error_not_a_step_error(tmp_path):
    (tmp_path / "story.yaml").write_text(
        HEAD + "  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: []}]}\n" + END)
    story, problems = read_story([tmp_path])
    assert story is None
    assert any("story.yaml:" in str(p) and "goto" in p.message for p in problems.errors)


@pytest.mark.parametrize("bound", ["1e308", "10000000000", "-99999999999999999999", "!!float .inf",
                                   "1" + "0" * 5000, "!!int 0x" + "f" * 30])
def test_a_variable_range_beyond_the_bound_is_refused_where_it_is_written(tmp_path, bound):
    (tmp_path / "story.yaml").write_text(
        HEAD.replace("max: 100", f"max: {bound}") + "  - {id: s, title: S, text: S., choices: [{id: go, text: Go., goto: end,"
        " effects: {x: '%+50'}}]}\n" + END)
    story, problems = read_story([tmp_path])
    assert story is None
    assert any(str(p).startswith(f"{tmp_path / 'story.yaml'}:3:") for p in problems.errors), problems.errors


def test_the_widest_range_allowed_plays_fair_effects_without_overflow(tmp_path):
    (tmp_path / "story.yaml").write_text(
        HEAD.replace("min: 0, max: 100, start: 0", "min: -1000000000, max: 1000000000, start: -1000000000")
        + "  - {id: s, title: S, text: S., choices: [{id: up, text: Up., goto: s, once: true, effects: {x: '%+100'}},\n"
          "      {id: down, text: Down., goto: s, once: true, effects: {x: '%-100'}},\n"
          "      {id: big, text: Big., goto: s, once: true, effects: {x: 1000000000}},\n"
          "      {id: go, text: Go., goto: end, effects: {x: '%+37'}}]}\n" + END)
    story, problems = read_story([tmp_path])
    assert story is not None, problems.errors
    check_story(story, problems)
    assert problems.errors == []
    assert ends_always(story, runs=200)


@pytest.mark.parametrize("door, safe", [("visits(s) >= 3", True), ("visits(s) > 2 or x > 5", True),
                                        ("visits(s) >= 3 and x < 50", False), ("not visits(s) >= 3", False)])
def test_waiting_in_a_scene_until_a_door_opens(tmp_path, monkeypatch, door, safe):
    searched = []
    real = check_module._find_trap
    monkeypatch.setattr(check_module, "_find_trap", lambda *a: searched.append(1) or real(*a))
    story, errors = checked(tmp_path, (
        "  - {id: s, title: S, text: S., choices: [{id: wait, text: Wait., goto: s, effects: {x: +10}},\n"
        f"      {{id: out, text: Out., if: '{door}', goto: end}}]}}\n"))
    assert (errors == []) == safe, errors
    assert ends_always(story) == safe
    if safe:  # proved by waiting: no search
        assert searched == []
