"""A transcript's record: the same facts as its Markdown, read back safely from a student's file."""

from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from game.classroom import record as R
from game.classroom.record import FENCE, RecordError, parse, read
from game.classroom.transcript import ADVISORY, transcript, transcript_file, write_transcript
from game.engine import replay
from tests.conftest import play


def test_the_record_tells_the_run_the_markdown_tells(lesson, tmp_path):
    state = play(lesson, "leon", "press-notes", "go-on")
    path = write_transcript(lesson, state, tmp_path / "run.md", notes={"notes-read", "plenum"})
    text = path.read_text(encoding="utf-8")
    rec = read(path)
    assert (rec.story_id, rec.story_version, rec.character, rec.character_name) == ("lesson", "1", "leon", "Leon Trotsky")
    assert rec.path == (("congress", "press-notes"), ("notes-read", "go-on"))
    assert text.count("**You chose:**") == len(rec.path)
    assert (rec.ending, rec.ending_title) == ("invented", "The notes were read") and f"## The end: {rec.ending_title}" in text
    assert [(f.id, f.start, f.end) for f in rec.forces] == [("army", 70, 80), ("cadres", 40, 30)]
    for f in rec.forces:
        assert f"| {f.name} | {f.start} | {f.end} |" in text
    assert [s.scene for s in rec.scenes] == ["congress", "notes-read", "plenum"]
    (invented,) = rec.invented
    assert (invented.scene, invented.from_scene, invented.from_choice, invented.turn) == ("notes-read", "congress", "press-notes", True)
    assert invented.choice_text == "Read Lenin's notes aloud."
    (act,) = rec.decisive
    assert (act.scene, act.choice, act.flags) == ("congress", "press-notes", ("notes_pressed",))
    assert rec.notes_opened == ("notes-read", "plenum")  # in the run's order
    assert rec.flags == ("notes_pressed",) and rec.finished and rec.student == ""


def test_the_markdown_is_unchanged_above_the_record(lesson):
    state = play(lesson, "lev", "keep-quiet")
    whole = transcript_file(lesson, state, ())
    assert whole.startswith(transcript(lesson, state))
    assert whole.count(FENCE) == 1 and whole.rstrip().endswith("```")


def test_the_epilogue_is_preceded_by_a_content_note(lesson):
    text = transcript(lesson, play(lesson, "lev", "keep-quiet"))
    assert text.index(ADVISORY) < text.index("tried and shot") and text.index("### Afterwards") < text.index(ADVISORY)


def test_an_unfinished_run_has_no_ending(lesson):
    rec = parse(transcript_file(lesson, play(lesson, "lev", "press-notes"), ()))
    assert not rec.finished and rec.ending == "" and len(rec.path) == 1


def test_a_name_written_on_the_student_line_is_read_and_damages_nothing(lesson):
    text = transcript_file(lesson, play(lesson, "lev", "keep-quiet"), ())
    named = text.replace("**Student:** \n", "**Student:** Anna <b>K.</b>\x1b[31m\n")
    assert parse(named).student == "Anna <b>K.</b>[31m"
    assert parse(text.replace("**Student:** \n", "**Student:** " + "x" * 500 + "\n")).student.endswith("…")


def test_the_record_survives_a_campaign_run(campaign):
    from game.analysis.randomplay import random_runs
    for character in campaign.characters:
        run = next(random_runs(campaign, character, 1, 3))
        state = replay(campaign, character, run.path)
        rec = parse(transcript_file(campaign, state, {run.path[0][0]}))
        assert rec.path == tuple(run.path) and rec.ending == run.ending
        assert {i.scene for i in rec.invented} == {s for s, _ in run.path if campaign.scenes[s].note.counterfactual} | (
            {run.last_scene} if campaign.scenes[run.last_scene].note.counterfactual else set())
        assert rec.notes_opened == (run.path[0][0],)


# Hostile files ----------------------------------------------------------------------------

@pytest.fixture
def good(lesson) -> str:
    return transcript_file(lesson, play(lesson, "leon", "press-notes", "go-on"), {"congress"})


def _with(good: str, change) -> str:
    """``good`` with its record's JSON changed by ``change(doc)``."""
    head, _, rest = good.partition(FENCE + "\n")
    block, _, tail = rest.partition("\n```")
    doc = json.loads(block)
    change(doc)
    return head + FENCE + "\n" + json.dumps(doc) + "\n```" + tail


def _refused(text_or_bytes, tmp_path, name="x.md") -> str:
    path = tmp_path / name
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes, encoding="utf-8")
    with pytest.raises(RecordError) as exc:
        read(path)
    message = str(exc.value)
    assert "\n" not in message and message
    return message


def test_files_that_are_not_transcripts_are_refused_in_a_line(tmp_path, good):
    assert "not a transcript" in _refused(b"", tmp_path)
    assert "UTF-8" in _refused(good.encode("utf-8").replace(b"Leon", b"L\xe9on"), tmp_path)
    assert "without a record" in _refused(good.partition("\n---\n")[0], tmp_path)
    assert "cut off" in _refused(good[: good.index(FENCE) + 200], tmp_path)
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(RecordError, match="folder"):
        read(tmp_path / "folder.md")
    with pytest.raises(RecordError, match="no such file"):
        read(tmp_path / "missing.md")


def test_special_files_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere")
    t = time.monotonic()
    for name in ("pipe.md", "zero.md"):
        with pytest.raises(RecordError, match="regular file"):
            read(tmp_path / name)
    with pytest.raises(RecordError, match="does not exist"):
        read(tmp_path / "dangling.md")
    assert time.monotonic() - t < 2


def test_huge_and_deep_files_are_refused(tmp_path, good):
    with open(tmp_path / "huge.md", "wb") as f:
        f.truncate(R.MAX_FILE_BYTES + 1)
    with pytest.raises(RecordError, match="too large"):
        read(tmp_path / "huge.md")
    deep = good.replace(FENCE + "\n", FENCE + "\n" + "[" * 200_000, 1)
    assert "nested" in _refused(deep, tmp_path)
    wide = good.replace('"flags": [', '"flags": [' + '"a",' * 600_000, 1)
    assert "characters long" in _refused(wide, tmp_path)


def test_a_scan_of_quotes_and_backslashes_stays_linear(tmp_path, good):
    nasty = good.replace(FENCE + "\n", FENCE + "\n" + '"\\' * 900_000, 1)
    t = time.monotonic()
    _refused(nasty, tmp_path)
    assert time.monotonic() - t < 3


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(testament_record=2), "newer version"),
    (lambda d: d.update(testament_record="1"), "not a whole number"),
    (lambda d: d.update(testament_record=0), "not one this game wrote"),
    (lambda d: d.update(path="congress:press-notes"), "not a list"),
    (lambda d: d.update(path=["congress"]), "scene:choice"),
    (lambda d: d.update(path=[7]), "not a short text"),
    (lambda d: d["forces"][0].update(end=1000), "outside its range"),
    (lambda d: d["forces"][0].update(end=True), "not a whole number"),
    (lambda d: d["forces"][0].update(end=10 ** 40), "digits"),
    (lambda d: d["forces"][0].update(end=1.5), "fraction"),
    (lambda d: d.update(character=None), "not an object"),
    (lambda d: d.pop("ending"), "has no 'ending'"),
    (lambda d: d["scenes"][0].update(note="yes"), "not true or false"),
    (lambda d: d.update(notes_opened=["somewhere-else"]), "never reached"),
    (lambda d: d.update(counterfactual=[]), "disagree"),
    (lambda d: d["story"].update(title="x" * 5000), "characters long"),
    (lambda d: d.update(decisive=[{"scene": "nowhere", "scene_title": "", "choice": "c", "text": "", "flags": []}]),
     "not on its path"),
])
def test_a_record_with_a_field_wrong_is_refused_naming_it(tmp_path, good, change, words):
    assert words in _refused(_with(good, change), tmp_path)


def test_nan_and_infinity_are_refused(tmp_path, good):
    assert "not a number" in _refused(good.replace('"low": 0', '"low": NaN', 1), tmp_path)


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10 ** 15, 10 ** 15) | st.text(max_size=30),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_field_replaced_by_anything_is_a_record_or_one_refusal(good, data):
    doc = json.loads(good.partition(FENCE + "\n")[2].partition("\n```")[0])
    target = doc
    keys = []
    while isinstance(target, (dict, list)) and target and data.draw(st.booleans(), "deeper"):
        key = data.draw(st.sampled_from(sorted(target) if isinstance(target, dict) else list(range(len(target)))), "key")
        keys.append(key)
        if not isinstance(target[key], (dict, list)):
            break
        target = target[key]
    value = data.draw(_JSON, "value")
    holder = doc
    for k in keys[:-1]:
        holder = holder[k]
    if keys:
        holder[keys[-1]] = value
    else:
        doc = value
    text = good.partition(FENCE + "\n")[0] + FENCE + "\n" + json.dumps(doc) + "\n```\n"
    try:
        rec = parse(text)
    except RecordError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(rec, R.Record)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.text(max_size=400))
def test_any_text_in_the_block_is_a_record_or_one_refusal(good, junk):
    try:
        parse(good.partition(FENCE + "\n")[0] + FENCE + "\n" + junk + "\n```\n")
    except RecordError:
        pass
