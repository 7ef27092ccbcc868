"""No line of input ends a text session: hostile lines, odd names, folders that cannot be written.

The game is driven in-process (``TextGame`` reads from a list), which is what lets
hypothesis try hundreds of sessions; one subprocess test pipes raw bytes through the real
command line as a student's terminal would.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from game import saves
from game.engine import Story, load_story
from game.terminal import desk
from game.terminal.play import HELP, TextGame, number
from tests.conftest import FIXTURES

FEATURES = FIXTURES / "features"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(FEATURES)


@pytest.fixture(autouse=True)
def _private_home_folder(tmp_path, monkeypatch):
    """The other places a save may go (home, temporary folder) are inside the test's folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setattr(desk, "fallback_bases", lambda: [tmp_path / "user", tmp_path / "tmp"])


class Session:
    """One text game fed ``lines``; ``out`` is everything it wrote, ``read`` how many lines it took."""

    def __init__(self, story: Story, lines: list[str], folder: Path, character: str = "lev"):
        self.lines = list(lines)
        self.taken = 0
        self.buffer = io.StringIO()
        self.game = TextGame(story, self.buffer, self.next_line, folder)
        self.code = self.game.run(character)

    def next_line(self) -> str | None:
        if self.taken >= len(self.lines):
            return None
        self.taken += 1
        return self.lines[self.taken - 1] + "\n"

    @property
    def out(self) -> str:
        return self.buffer.getvalue()

    def after(self, line_number: int) -> str:
        """What the game wrote after reading line ``line_number`` (counted from 1)."""
        return self.out.split("> ")[line_number]


def test_numbers_of_any_kind_never_stop_the_game(story, tmp_path):
    s = Session(story, ["²", "①", "9" * 5000, "0", "00000000000000000001", "-1", "1.5", "٢"], tmp_path / "saves")
    assert s.code == 0 and s.taken == 8
    for n in (1, 2, 3, 4):
        assert "Type a number from 1 to" in s.after(n) or "not a choice" in s.after(n)
    assert "THE CORRIDOR" in s.after(8)  # ٢ is Arabic-Indic two: the second choice


def test_number_reads_decimals_only():
    assert number("12") == 12 and number("٣") == 3 and number("１") == 1
    assert number("²") is None and number("①") is None and number("") is None and number("+1") is None
    assert number("9" * 5000) == 0


def test_a_line_that_is_not_utf8_is_asked_again(story, tmp_path):
    lines = iter([b"\xff\xfe\n", b"save first\n", None])

    def strict_read():
        raw = next(lines)
        return None if raw is None else raw.decode("utf-8")

    out = io.StringIO()
    assert TextGame(story, out, strict_read, tmp_path / "saves").run("lev") == 0
    assert "not readable text" in out.getvalue() and "Saved as 'first'." in out.getvalue()


def test_save_names_in_any_script_are_distinct_and_readable(story, tmp_path):
    folder = tmp_path / "saves"
    s = Session(story, ["1", "save Троцкий", "undo", "save Бухарин", "save a b", "save a/b", "saves",
                        "load Троцкий"], folder)
    files = sorted(p.name for p in folder.glob("*.json") if not p.name.startswith("autosave"))
    assert len(files) == 4 and any(f.startswith("Троцкий") for f in files)
    listing = s.after(7)
    for name in ("Троцкий", "Бухарин", "a b", "a/b"):
        assert f"  {name} " in listing
    assert "THE CORRIDOR" in s.after(8)


def test_autosave_names_are_refused(story, tmp_path):
    folder = tmp_path / "saves"
    s = Session(story, ["save autosave 5", "save Autosave-1", "1"], folder)
    assert "autosave" in s.after(1).lower() and "Saved" not in s.after(1)
    assert "Saved" not in s.after(2)
    assert sorted(p.name for p in folder.glob("*.json")) == ["autosave-1.json"]


def test_overwriting_a_save_asks_first(story, tmp_path):
    folder = tmp_path / "saves"
    s = Session(story, ["save first", "1", "save first", "no", "save first", "yes"], folder)
    assert "Overwrite it?" in s.after(3) and "old save is kept" in s.after(4)
    assert "Saved as 'first'." in s.after(6)
    assert json.loads((folder / "first.json").read_text())["path"] == [["hall", "fair-up"]]


def test_the_end_of_input_at_the_question_keeps_the_old_save(story, tmp_path):
    folder = tmp_path / "saves"
    Session(story, ["save first", "1", "save first"], folder)
    assert json.loads((folder / "first.json").read_text())["path"] == []


@pytest.mark.parametrize("name", ["x" * 300, "Ж" * 250, "a\0b", "bad\udcffbytes", "   "])
def test_unusable_save_names_get_an_answer(story, tmp_path, name):
    s = Session(story, [f"save {name}", "help"], tmp_path / "saves")
    assert "Cannot save under that name" in s.after(1) or "Saved as" in s.after(1)
    assert HELP in s.after(2)


def test_a_long_unicode_name_is_saved_and_loaded(story, tmp_path):
    name = "Жданов" * 33
    s = Session(story, ["1", f"save {name}", "undo", f"load {name}"], tmp_path / "saves")
    assert "Saved as" in s.after(2) and "THE CORRIDOR" in s.after(4)


def _unwritable(tmp_path: Path) -> Path:
    """A save folder no one can create: its parent is a file."""
    (tmp_path / "a-file").write_text("")
    return tmp_path / "a-file" / "saves"


def test_an_autosave_that_cannot_be_written_moves_elsewhere_and_says_where(story, tmp_path):
    s = Session(story, ["1", "save mine", "help"], _unwritable(tmp_path))
    elsewhere = tmp_path / "user" / "lenins-testament" / "saves"
    said = s.after(1)
    assert "a-file" in said and str(elsewhere) in said
    assert saves.load(elsewhere / "autosave-1.json", story).state == s.game.state
    assert "Saved as 'mine'." in s.after(2) and (elsewhere / "mine.json").exists()


def test_a_save_that_cannot_be_written_says_where_and_offers_another_place(story, tmp_path, monkeypatch):
    folder = tmp_path / "saves"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    s_lines = ["save mine"]
    monkeypatch.setattr(saves.savefiles, "write_atomically", refuse)
    s = Session(story, s_lines, folder)
    said = s.after(1)
    assert str(folder / "mine.json") in said and "folder " in said
    assert str(tmp_path / "user" / "lenins-testament" / "saves") in said


def test_when_nowhere_can_be_written_quitting_asks_and_the_run_goes_on(story, tmp_path, monkeypatch):
    (tmp_path / "user").write_text("")  # the only other place is a file: nothing can be made there
    monkeypatch.setattr(desk, "fallback_bases", lambda: [tmp_path / "user"])
    s = Session(story, ["1", "quit", "no", "folder " + str(tmp_path / "mine"), "quit"], _unwritable(tmp_path))
    assert "not saved" in s.after(1)
    assert "Quit anyway?" in s.after(2)
    assert "Saves now go to" in s.after(4) and s.taken == 5
    assert saves.load(tmp_path / "mine" / "autosave-1.json", story).state == s.game.state


def test_a_read_only_folder(story, tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):
        pytest.skip("running with the power to write anywhere (root)")
    try:
        s = Session(story, ["1", "save x"], folder)
        assert str(folder) in s.after(1) and "lenins-testament" in s.after(1)
    finally:
        folder.chmod(0o700)


def test_transcripts_go_to_their_folder_never_over_a_save(story, tmp_path):
    folder = tmp_path / "saves"
    transcripts = tmp_path / "transcripts"
    s = Session(story, ["1", "save first", "transcript mine", "transcript mine", "no",
                        f"transcript {folder / 'first.json'}", f"transcript {folder / 'notes.md'}",
                        "transcript a\0b", f"transcript {tmp_path / 'out' / 'run.md'}", "help"], folder)
    assert (transcripts / "mine.md").exists() and "Overwrite it?" in s.after(4)
    assert "Nothing was written" in s.after(5)
    assert json.loads((folder / "first.json").read_text())["label"] == "first"
    assert not (folder / "notes.md").exists() and "save folder" in s.after(7)
    assert "Cannot write the transcript" in s.after(8)
    assert (tmp_path / "out" / "run.md").exists()
    assert HELP in s.after(10)


def test_the_end_of_a_run_never_overwrites_a_transcript(story, tmp_path):
    folder = tmp_path / "saves"
    first = Session(story, ["1", "1", "1"], folder, character="leon")
    second = Session(story, ["1", "1", "1"], folder, character="leon")
    assert first.game.state.finished and second.game.state.finished
    assert len(list((tmp_path / "transcripts").glob("leon-*.md"))) == 2


def test_a_damaged_folder_still_lists_and_loads(story, tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "deep.json").write_text("[" * 50_000)
    (folder / "huge.json").write_text('{"format": 1, "path": [], "character": "lev", "n": ' + "9" * 5000 + "}")
    (folder / "gone.json").symlink_to(folder / "nowhere")
    (folder / "zero.json").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.json")
    s = Session(story, ["1", "save good", "saves", "load deep", "load pipe", "load zero", "load good"], folder)
    listing = s.after(3)
    assert listing.count("(damaged)") == 5 and "  good " in listing
    for n in (4, 5, 6):
        assert "Cannot load" in s.after(n)
    assert "THE CORRIDOR" in s.after(7)


# Hypothesis: sessions of hostile lines ------------------------------------------------------

_SAFE_ARG = st.text(max_size=300).filter(lambda a: not any(c in a for c in "/\\~") and a.strip() not in (".", ".."))
_ESCAPED = st.text(st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF), min_size=1, max_size=5)
_DIGITS = st.one_of(st.integers(-5, 10**6).map(str), st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
                    st.integers(1, 6000).map(lambda n: "7" * n))
_COMMANDS = st.sampled_from(["save", "load", "transcript", "folder", "saves", "undo", "note", "help", "SAVE", "Load", "yes", "no"])
_LINE = st.one_of(
    _DIGITS,
    st.text(max_size=200),
    st.builds(lambda w, a: f"{w} {a}", _COMMANDS, st.one_of(_SAFE_ARG, _ESCAPED, _DIGITS)),
    _COMMANDS,
).filter(lambda line: line.strip().lower() not in ("quit", "q", "exit"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=25))
def test_hostile_lines_never_end_the_session(story, tmp_path, monkeypatch, lines):
    monkeypatch.chdir(tmp_path)
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "saves"
    s = Session(story, lines + ["no", "help"], folder)  # "no" answers a question the last line may have put
    assert s.code == 0
    finished = s.game.state is not None and s.game.state.finished
    assert finished or s.taken == len(lines) + 2, "the session stopped reading before its input ended"
    if not finished:
        assert HELP in s.out.rsplit("> ", 2)[-2]


# Through the real command line ----------------------------------------------------------------

def test_raw_bytes_through_the_command_line(tmp_path):
    lines = [b"\xff\xfe", b"save \xc3\x28bad", "save Троцкий".encode(), b"9" * 5000, "²".encode(), b"transcript a\0b",
             b"save " + b"x" * 300, b"load " + b"\x80" * 10, b"1", b"help"]
    env = dict(os.environ, TESTAMENT_HOME=str(tmp_path), HOME=str(tmp_path / "user"), PYTHONIOENCODING="utf-8:surrogateescape")
    run = subprocess.run([sys.executable, "-m", "game.cli", "play", "--text", "--story", str(FEATURES), "--character", "lev"],
                         input=b"\n".join(lines) + b"\n", capture_output=True, timeout=120, env=env)
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode("utf-8", "replace")
    out = run.stdout.decode("utf-8", "replace")
    assert "THE CORRIDOR" in out and HELP in out.split("> ")[-2]
    assert "Saved as 'Троцкий'." in out and "not UTF-8" in out


def test_stdin_line_survives_bytes_that_are_not_utf8_in_a_strict_terminal(tmp_path):
    script = "from game.terminal.play import stdin_line\nwhile (l := stdin_line()) is not None: print(ascii(l))"
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict")
    run = subprocess.run([sys.executable, "-c", script], input=b"a\n\xff\xfe\nb\nc\n", capture_output=True, timeout=60, env=env)
    assert run.returncode == 0 and run.stdout.decode().split() == ["'a\\n'", "'\\udcff\\udcfe\\n'", "'b\\n'", "'c\\n'"]
