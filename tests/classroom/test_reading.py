"""The notes a student opened reach the transcript's record: from the terminal's ``note`` and the window's note screen."""

from __future__ import annotations

import io

import pytest
from attrs import evolve

from game.classroom import reading
from game.classroom.reading import NotesLog, note_opened, notes_opened
from game.classroom.record import read
from game.engine import load_story, start, step
from game.terminal.play import TextGame
from tests.classroom.conftest import LESSON


def test_a_note_counts_for_the_run_that_passed_where_it_was_opened(lesson):
    log = NotesLog()
    first = start(lesson, "leon")
    log.opened(lesson, first)
    invented = step(lesson, first, "press-notes")
    log.opened(lesson, invented)
    assert log.for_run(lesson, step(lesson, invented, "go-on")) == {"congress", "notes-read"}
    # Undone, and the other road taken: the invented scene's note is not this run's.
    assert log.for_run(lesson, step(lesson, first, "keep-quiet")) == {"congress"}
    # Another character's run, or another story's, shares nothing.
    assert log.for_run(lesson, start(lesson, "lev")) == frozenset()


def test_the_log_outlives_the_session_and_survives_damage(lesson, tmp_path):
    file = tmp_path / "notes-opened.json"
    state = step(lesson, start(lesson, "lev"), "press-notes")
    NotesLog(file).opened(lesson, state)
    assert NotesLog(file).for_run(lesson, state) == {"notes-read"}
    for junk in (b"[[[[", b"\xff\xfe", b'{"format": 1, "opened": [[1, 2, 3, 4], "x", ["a", "b"]]}', b"{}"):
        file.write_bytes(junk)
        assert NotesLog(file).for_run(lesson, state) == frozenset()
    file.unlink()
    file.mkdir()  # cannot be written: forgotten later, never an error now
    log = NotesLog(file)
    log.opened(lesson, state)
    assert log.for_run(lesson, state) == {"notes-read"}


def test_the_log_keeps_only_the_newest_openings(lesson, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ENTRIES", 3)
    log = NotesLog()
    s = start(lesson, "leon")
    for scene in ("a", "b", "c", "d"):
        log.opened(lesson, evolve(s, scene=scene))
    assert [e[3] for e in log.entries] == ["b", "c", "d"]


def test_the_session_log_lives_in_the_data_folder(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    state = start(lesson, "lev")
    note_opened(lesson, state)
    assert notes_opened(lesson, state) == {"congress"}
    assert (tmp_path / "home" / reading.FILE_NAME).is_file()


def test_the_terminal_note_command_is_in_the_transcript(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    lines = iter(["note", "1", "note", "1"])
    out = io.StringIO()
    TextGame(lesson, out, lambda: next(lines, None), tmp_path / "saves").run("leon")
    (written,) = (tmp_path / "transcripts").glob("leon-*.md")
    assert read(written).notes_opened == ("congress", "notes-read")
    text = out.getvalue()
    assert "Content note" in text and text.index("Content note") < text.index("tried and shot")


def test_a_run_whose_notes_were_never_opened_says_so(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    lines = iter(["2"])
    TextGame(lesson, io.StringIO(), lambda: next(lines, None), tmp_path / "saves").run("lev")
    (written,) = (tmp_path / "transcripts").glob("lev-*.md")
    assert read(written).notes_opened == ()


def test_the_window_note_screen_tells_the_run(tmp_path, monkeypatch):
    """The desktop's N key opens the note screen and records it (headless, dummy video)."""
    pytest.importorskip("pygame")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    from game.desktop.screens.scene import SceneScreen

    class App:
        def __init__(self, story, state):
            self.story = story
            self.run = type("Run", (), {"state": state})()
            self.pushed = []

        def push(self, screen):
            self.pushed.append(screen)

    story = load_story(LESSON)
    state = start(story, "lev")
    screen = SceneScreen.__new__(SceneScreen)
    screen.app = App(story, state)
    screen.v = type("V", (), {"note": "A note.", "scene": story.scenes["congress"]})()
    screen.open_note()
    assert len(screen.app.pushed) == 1
    assert notes_opened(story, state) == {"congress"}
