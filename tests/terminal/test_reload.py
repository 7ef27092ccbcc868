"""The terminal's `reload` command: edit a story file while playing, and the run goes on on the new story."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from game.engine import load_story
from game.terminal.play import TextGame
from tests.conftest import FIXTURES


class Session:
    """A TextGame fed one line at a time, so the story files can be edited between lines."""

    def __init__(self, folder: Path, character: str):
        self.out = io.StringIO()
        self.lines: list[str] = []
        self.game = TextGame(load_story(folder), self.out, self.read)
        self.game.state = None
        from game.engine import start
        self.game.state = start(self.game.story, character)
        self.mark = 0

    def read(self) -> str | None:
        return self.lines.pop(0) if self.lines else None

    def type(self, line: str) -> str:
        """Act on one line as the game loop would; what the game printed."""
        self.mark = len(self.out.getvalue())
        self.game.command(line)
        return self.out.getvalue()[self.mark:]


@pytest.fixture
def story(tmp_path) -> Path:
    folder = tmp_path / "features"
    shutil.copytree(FIXTURES / "features", folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenes.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_reload_keeps_the_player_where_they_were_on_the_new_text(story, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    s = Session(story, "lev")
    s.type("1")  # Rally the army: to the corridor
    assert s.game.state.scene == "corridor"
    edit(story, "text: A long corridor.", "text: A long corridor, newly painted.")
    out = s.type("reload")
    assert "Reloaded: the run's 1 choice replay on the new story; you are where you were, in 'The corridor'." in out
    assert "A long corridor, newly painted." in out
    assert s.game.state.scene == "corridor" and len(s.game.history) == 1
    assert s.type("undo").count("THE HALL") == 1  # undo walks back along the replayed run


def test_reload_says_what_an_edit_changed_in_the_run(story, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    s = Session(story, "lev")
    s.type("3")  # Reset: army =10, cadres +3
    edit(story, 'effects: { army: "=10", cadres: +3 }', 'effects: { army: "=20", cadres: +3 }')
    out = s.type("reload")
    assert "you are where you were, in 'The corridor' (now army 20, was 10)." in out


def test_a_path_that_no_longer_fits_is_kept_up_to_where_it_stops(story, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    s = Session(story, "lev")
    s.type("3")
    edit(story, "      - id: set\n", "      - id: reset\n")
    out = s.type("reload")
    assert ("Reloaded, but the run no longer fits the story at step 1: scene 'hall' has no choice 'set'. "
            "The run is kept up to choice 0 of 1, in 'The hall' (hall).") in out
    assert s.game.state.scene == "hall" and s.game.history == []


def test_a_broken_file_shows_its_errors_and_the_last_good_story_keeps_running(story, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    s = Session(story, "lev")
    s.type("1")
    before = s.game.story
    edit(story, "title: The corridor", "title: The corridor: east wing")
    out = s.type("reload")
    assert "The story could not be reloaded: 1 error. The last good story keeps running; fix the file and save it again." in out
    assert "scenes.yaml:36:24: YAML syntax: the ': ' in the text of 'title' makes YAML read a key and a value" in out
    assert s.game.story is before and s.game.state.scene == "corridor"
    edit(story, "title: The corridor: east wing", "title: 'The corridor: east wing'")
    out = s.type("reload")
    assert "you are where you were, in 'The corridor: east wing'" in out
    assert "THE CORRIDOR: EAST WING" in out


def test_reload_is_in_the_help():
    from game.terminal.play import HELP
    assert "reload (read the story files again, after an edit)" in HELP
