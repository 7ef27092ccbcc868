"""Text that follows the run: blocks with conditions, else, character filters, inline phrases."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from game.engine import load_story, start, step, view
from game.engine.expr import ExprError, make_condition
from game.engine.inline import parse_parts
from game.engine.loader import read_story
from game.engine.model import Inline
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def story():
    return load_story(FIXTURES / "remembers")


def play(story, character, *choices, first="hurry"):
    state = step(story, start(story, character), first)
    for c in choices:
        state = step(story, state, c)
    return state


def test_a_block_shows_only_for_its_condition_and_character(story):
    leon, lev = view(story, play(story, "leon")), view(story, play(story, "lev"))
    assert leon.text == "You read the letter twice.\n\nThe army is with you."
    assert view(story, play(story, "leon", first="linger")).text == "You read the letter twice."
    assert lev.text == "The letter lies on the table."


def test_inline_phrases_follow_the_flags(story):
    removed = view(story, play(story, "lev", "vote"))
    kept = view(story, play(story, "lev", "bury"))
    assert removed.text == "Rykov reads the new Politburo list."
    assert kept.text == "Stalin reads the new Politburo list in his flat, unhurried voice."


def test_one_line_fields_join_blocks_with_a_space(story):
    assert view(story, play(story, "lev", "vote")).place == "Moscow, the Sovnarkom"
    assert view(story, play(story, "lev", "bury")).place == "Moscow, the Secretariat"


def test_choice_text_and_locked_reason_follow_the_run(story):
    leon = {c.id: c for c in view(story, play(story, "leon")).choices}
    lev = {c.id: c for c in view(story, play(story, "lev", first="linger")).choices}
    assert leon["vote"].text == "Move a vote with the army behind you."
    assert lev["vote"].text == "Move a vote alone."
    lev_later = {c.id: c for c in view(story, play(story, "lev", "bury", first="linger")).choices}
    assert not lev_later["object"].enabled
    assert lev_later["object"].locked == "Only a man who won the plenum can object, and the army has gone over."


def test_reply_reads_the_flags_its_own_choice_set(story):
    assert play(story, "lev", "read-aloud").reply == "The hall hears every word, and the army's men applaud."
    assert play(story, "lev", "read-aloud", first="linger").reply == "The hall hears every word."
    assert play(story, "lev", "vote").reply == ""


def test_note_follows_the_run(story):
    assert "Rykov" in view(story, play(story, "lev", "vote")).note
    assert "Rykov" not in view(story, play(story, "lev", "bury")).note


def test_ending_text_distinguishes_how_the_run_got_there(story):
    read = view(story, play(story, "lev", "read-aloud", "listen"))
    voted = view(story, play(story, "lev", "vote", "listen"))
    buried = view(story, play(story, "leon", "bury", "listen"))
    quiet = view(story, play(story, "lev", "bury", "listen", first="linger"))
    assert read.ending.id == voted.ending.id == "honoured"
    assert "read to the whole congress" in read.ending_text and "closed plenum" not in read.ending_text
    assert "closed plenum" in voted.ending_text
    assert buried.ending_text == "He stays, and the army watches."
    assert quiet.ending_text == "He stays, and nobody watches."


def test_assumes_is_loaded(story):
    assert story.scenes["plenum"].assumes is None
    assert story.ending("honoured").assumes.source == "removed"


@pytest.mark.parametrize("text, expected", [
    ("plain", ("plain",)),
    ("a {{literal}} brace", ("a {literal} brace",)),
    ("{f yes|no}!", (("f", "yes", "no"), "!")),
    ("{not f yes}", (("not f", "yes", ""),)),
    ("x {(a >= 3 and f) big|small} y", ("x ", ("a >= 3 and f", "big", "small"), " y")),
    ("{f |only otherwise}", (("f", "", "only otherwise"),)),
])
def test_inline_parsing(text, expected):
    parts = parse_parts(text, lambda src: make_condition(src, {"a": 0}))
    shown = tuple(p if isinstance(p, str) else (p.condition.source, p.then, p.otherwise) for p in parts)
    assert shown == expected


@pytest.mark.parametrize("text", ["{f yes", "a } b", "{f a|b|c}", "{(a >= 3 yes}", "{ yes}", "{f {g x} y}", "{a yes}"])
def test_broken_inline_phrases_are_refused(text):
    with pytest.raises(ExprError):
        parse_parts(text, lambda src: make_condition(src, {"a": 0}))


@given(st.text(max_size=60))
def test_inline_parsing_never_crashes(text):
    try:
        parts = parse_parts(text, lambda src: make_condition(src, {"a": 0}))
    except ExprError as exc:
        assert 0 <= exc.offset <= len(text)
    else:
        literal = "".join(p for p in parts if isinstance(p, str))
        assert all(isinstance(p, (str, Inline)) for p in parts) and len(literal) <= len(text)


MANIFEST = """id: t
title: T
files: [s.yaml]
variables: {army: {name: Army}}
characters: {a: {name: A, bio: b, standing: s, start: s}}
endings: [{id: e, title: E, text: T}]
"""


def problems(tmp_path, scene: str) -> list[str]:
    (tmp_path / "story.yaml").write_text(MANIFEST)
    (tmp_path / "s.yaml").write_text("scenes:\n  - id: s\n    title: S\n    resolve: true\n" + scene)
    _, found = read_story([tmp_path])
    return [str(p) for p in found.errors]


@pytest.mark.parametrize("scene, wanted", [
    ("    text:\n      - if: stalin_removd\n        text: x\n", "s.yaml:6:13: "),
    ("    text: 'The {stalin_removd x|y} list'\n", "s.yaml:5:11: "),
    ("    text:\n      - iff: army > 3\n        text: x\n", "unknown key 'iff'"),
    ("    text:\n      - if: army > 3\n", "has no 'text'"),
    ("    text:\n      - text: x\n        else: y\n", "'else' but no 'if'"),
    ("    text:\n      - [nested]\n", "each block"),
    ("    text:\n      - for: [nobody]\n        text: x\n", "'nobody' in 'for' is not a character"),
    ("    assumes: army >\n    text: x\n", "s.yaml:5:"),
])
def test_located_errors_in_blocks(tmp_path, scene, wanted):
    found = problems(tmp_path, scene)
    assert any(wanted in f for f in found), found


def test_unknown_flag_in_a_block_gets_a_did_you_mean(tmp_path):
    (tmp_path / "story.yaml").write_text(MANIFEST)
    (tmp_path / "s.yaml").write_text(
        "scenes:\n  - id: s\n    title: S\n    text: {text: x, if: vetoed}\n    choices:\n"
        "      - {id: c, text: Go, set: [veto], goto: t}\n"
        "  - id: t\n    title: T\n    text: 'The {vetod x|y} list'\n    resolve: true\n")
    _, found = read_story([tmp_path])
    messages = [str(p) for p in found.errors]
    assert any("'vetoed'" in m and "did you mean 'veto'" in m for m in messages), messages
    assert any("'vetod'" in m and "did you mean 'veto'" in m for m in messages), messages
