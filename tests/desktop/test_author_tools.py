"""The author's tools in the window, headless: live reload, the debug overlay, jump to scene."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest

from game.desktop.actions import Action, Kind, from_event
from game.desktop.app import App, load
from game.desktop.author import JUMP_KEY, OVERLAY_KEY, AuthorTools, JumpScreen, install
from game.desktop.screens.error import ErrorScreen
from game.desktop.screens.message import MessageScreen
from game.desktop.screens.scene import SceneScreen
from game.desktop.settings import Settings
from tests.desktop.conftest import PALACE, nontrivial, shot


class Clock:
    """A clock the test moves by hand, so that polling needs no waiting."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "palace"
    shutil.copytree(PALACE, copy)
    return copy


def open_app(folder: Path, *, author: bool = True, character: str = "trotsky") -> tuple[App, AuthorTools, Clock]:
    loaded, problems = load(folder, [])
    app = App(loaded, problems, size=(1280, 720), settings=Settings(text_speed="instant"), character=character)
    if type(app.top).__name__ == "ChapterCard":
        app.top.dismiss()
    clock = Clock()
    tools = install(app, [folder], author=author, clock=clock)
    return app, tools, clock


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenes.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def settle(app: App, clock: Clock) -> None:
    """Let the watcher see the change and then see it settled, as two frames half a second apart would."""
    for _ in range(3):
        clock.now += 0.6
        app.update(0.0)


def key(code: int) -> Action:
    return from_event(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))[0]


def test_saving_a_file_reloads_the_story_and_keeps_the_player_where_they_were(folder):
    app, tools, clock = open_app(folder, author=False)
    app.send(Action(Kind.CHOOSE, number=2))  # decline: to the congress
    assert app.run.state.scene == "congress"
    edit(folder, "The hall of the Bolshoi is full.", "The hall of the Bolshoi is full to the rafters.")
    settle(app, clock)
    assert tools.live.last is not None and tools.live.last.ok
    assert app.run.state.scene == "congress" and app.run.can_undo()
    assert isinstance(app.top, SceneScreen)
    assert "full to the rafters" in app.top.v.text
    assert tools.banner == ("Reloaded: the run's 1 choice replay on the new story; you are where you were, "
                            "in 'The Twelfth Congress'.")
    app.draw()


def test_a_path_that_no_longer_fits_says_where(folder):
    app, tools, clock = open_app(folder, author=False)
    app.send(Action(Kind.CHOOSE, number=2))
    edit(folder, "      - id: decline\n", "      - id: feign-illness\n")
    settle(app, clock)
    assert app.run.state.scene == "study"
    assert isinstance(app.top, MessageScreen)
    assert app.top.body == ("Reloaded, but the run no longer fits the story at step 1: scene 'study' has no choice "
                            "'decline'. The run is kept up to choice 0 of 1, in 'A letter from Gorki' (study).")


def test_a_broken_file_shows_located_errors_and_the_last_good_story_keeps_running(folder):
    app, tools, clock = open_app(folder, author=False)
    app.send(Action(Kind.CHOOSE, number=2))
    good = app.story
    edit(folder, "title: The Twelfth Congress", "title: The Twelfth Congress: day one")
    settle(app, clock)
    assert isinstance(app.top, ErrorScreen) and app.top.title == "The story could not be reloaded"
    assert len(app.top.problems) == 1
    assert app.top.problems[0].endswith("scenes.yaml:40:32: YAML syntax: the ': ' in the text of 'title' makes YAML "
                                        "read a key and a value (put the text in quotes, title: \"The Twelfth Congress: "
                                        "day one\", or write 'title: |' and the text on the lines below, indented)")
    assert app.story is good and app.run.state.scene == "congress"
    shot(app, "author-reload-error")
    app.send(Action(Kind.BACK))  # Escape: back to the game, which still runs
    assert isinstance(app.top, SceneScreen)
    edit(folder, "title: The Twelfth Congress: day one", "title: 'The Twelfth Congress: day one'")
    settle(app, clock)
    assert not any(isinstance(s, ErrorScreen) for s in app.stack)
    assert app.top.v.scene.title == "The Twelfth Congress: day one"


def test_a_fix_while_the_error_screen_is_up_takes_it_away(folder):
    app, tools, clock = open_app(folder, author=False)
    edit(folder, "  - id: congress", "\t- id: congress")
    settle(app, clock)
    assert isinstance(app.top, ErrorScreen)
    assert "a tab character in the indentation" in app.top.problems[0]
    edit(folder, "\t- id: congress", "  - id: congress")
    settle(app, clock)
    assert isinstance(app.top, SceneScreen)


def test_polling_looks_at_the_files_at_a_low_rate(folder, monkeypatch):
    app, tools, clock = open_app(folder, author=False)
    looks = []
    original = tools.live.watcher._look
    monkeypatch.setattr(tools.live.watcher, "_look", lambda: looks.append(1) or original())
    for _ in range(30):  # half a second of frames at 60 a second
        clock.now += 1 / 60
        app.update(1 / 60)
    assert len(looks) <= 1


def test_the_overlay_shows_the_hidden_state_conditions_and_the_goto_arm(folder):
    app, tools, clock = open_app(folder)
    lines = [text for _, text in tools.lines()]
    assert lines[0] == "AUTHOR · study"
    assert lines[1] == "scenes.yaml:2:9"
    assert "army 70  (0..100, began 70)" in lines
    assert "secret: locked" in lines and "   if pressed: false" in lines
    assert "promise: open" in lines and "   army +5, cells +10, +pressed" in lines
    assert "   -> congress" in lines
    app.send(Action(Kind.CHOOSE, number=1))  # promise: army 75, pressed
    lines = [text for _, text in tools.lines()]
    assert "army 75  (0..100, began 70, +5)" in lines and "pressed" in lines
    path = shot(app, "author-overlay")
    assert path.exists()


def test_the_overlay_names_the_branch_a_computed_goto_takes(folder):
    app, tools, clock = open_app(folder)
    app.send(Action(Kind.CHOOSE, number=1))
    view = [text for _, text in tools.lines()]
    branches = [line for line in view if line.startswith("   ->") or line.startswith("      ")]
    assert any(line.startswith("   -> ") for line in branches)


def test_f3_hides_the_overlay_and_a_players_game_has_none(folder, make_app):
    app, tools, clock = open_app(folder)
    assert tools.overlay
    app.send(key(OVERLAY_KEY))
    assert not tools.overlay
    player = make_app(PALACE, character="trotsky")
    assert player.tools is None  # no tools at all: nothing to draw, poll or bind
    before = player.top
    player.send(key(OVERLAY_KEY), key(JUMP_KEY))
    assert player.top is before and not isinstance(player.top, JumpScreen)


def test_story_without_author_reloads_but_shows_no_overlay(folder):
    app, tools, clock = open_app(folder, author=False)
    app.send(key(OVERLAY_KEY), key(JUMP_KEY))
    assert not tools.overlay and not isinstance(app.top, JumpScreen)


def test_f4_jumps_to_a_scene_with_the_state_set_by_hand(folder):
    app, tools, clock = open_app(folder)
    app.send(key(JUMP_KEY))
    assert isinstance(app.top, JumpScreen)
    app.send(Action(Kind.KEY), *[Action(Kind.TEXT, text=c) for c in "cong army=20 +marched"])
    assert app.top.matches()[0] == "congress"
    shot(app, "author-jump")
    app.send(Action(Kind.CONFIRM))
    assert isinstance(app.top, SceneScreen)
    state = app.run.state
    assert state.scene == "congress" and "marched" in state.flags
    assert state.named_values(app.story)["army"] == 20
    assert app.run.can_undo()  # the changes are a step set by hand: undo takes them back
    assert tools.banner


def test_jump_says_what_is_wrong(folder):
    app, tools, clock = open_app(folder)
    app.send(key(JUMP_KEY), Action(Kind.KEY), *[Action(Kind.TEXT, text=c) for c in "congress army=500"])
    app.send(Action(Kind.CONFIRM))
    assert isinstance(app.top, JumpScreen)
    assert app.top.error == "--set army=500 is refused: army runs from 0 to 100"


def test_a_broken_story_at_launch_comes_alive_when_fixed(folder):
    edit(folder, "  - id: congress", "\t- id: congress")
    app, tools, clock = open_app(folder, author=True, character=None)
    assert app.story is None and isinstance(app.top, ErrorScreen)
    edit(folder, "\t- id: congress", "  - id: congress")
    settle(app, clock)
    assert app.story is not None and type(app.top).__name__ == "TitleScreen"
    assert nontrivial(app.draw())
