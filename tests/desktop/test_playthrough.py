"""A whole run driven through the real screens by actions, with a PNG of every screen."""

from __future__ import annotations


from conftest import KITCHEN, press, screen_names, shot

from game.desktop import gallery
from game.desktop.actions import Action, Kind, choose, click
from game.desktop.screens.character import CharacterScreen
from game.desktop.screens.ending import EndingScreen
from game.desktop.screens.scene import SceneScreen
from game.desktop.screens.title import ITEMS, TitleScreen


def new_game(app, character_index: int = 1) -> None:
    """From the title: New game, pick the character by number, begin."""
    title = app.top
    assert isinstance(title, TitleScreen)
    title.menu.focus = ITEMS.index("new")
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, CharacterScreen)
    app.send(choose(character_index))
    press(app, Kind.CONFIRM)


def test_title_without_autosave_disables_continue(make_app):
    app = make_app()
    title = app.top
    assert isinstance(title, TitleScreen)
    assert title.menu.enabled[ITEMS.index("continue")] is False
    assert title.menu.focus == ITEMS.index("new")
    shot(app, "title-1280x720")


def test_full_playthrough_reaches_an_ending_and_records_it(make_app, home):
    app = make_app()
    title = app.top
    title.menu.focus = ITEMS.index("new")
    press(app, Kind.CONFIRM)
    shot(app, "character-select")
    chars = app.top
    assert chars.focused == "trotsky"
    press(app, Kind.RIGHT)
    assert chars.focused == "kamenev"
    press(app, Kind.LEFT, Kind.CONFIRM)
    assert screen_names(app) == ["TitleScreen", "SceneScreen"]
    assert app.run.character == "trotsky"
    shot(app, "scene-first")

    app.send(choose(1))
    assert app.run.state.path == (("study", "promise"),)
    assert app.run.state.scene == "congress"
    assert (home / "saves" / "autosave-1.json").exists()
    shot(app, "scene-with-reply")

    app.send(choose(1))  # march
    press(app, Kind.CONFIRM)  # the one choice on the square: Enter focuses it (it is in view)...
    assert isinstance(app.top, SceneScreen) and app.top.menu.focus == 0
    press(app, Kind.CONFIRM)  # ...and Enter again takes it
    assert isinstance(app.top, EndingScreen)
    assert app.run.state.ending == "army-ending"
    (transcript,) = (home / "transcripts").glob("trotsky-*.md")
    assert "**You chose:**" in transcript.read_text()
    shot(app, "ending-1-the-end")
    press(app, Kind.RIGHT)
    assert app.top.page == 1
    shot(app, "ending-2-forces")
    press(app, Kind.RIGHT)
    shot(app, "ending-3-history")
    press(app, Kind.RIGHT)  # the fourth page, what was real
    assert app.top.page == 3
    press(app, Kind.CONFIRM)
    assert screen_names(app) == ["TitleScreen"]
    assert "army-ending" in gallery.reached("palace-test")

    # The gallery shows it; Continue is now possible.
    title = app.top
    assert title.menu.enabled[ITEMS.index("continue")]
    title.menu.focus = ITEMS.index("endings")
    press(app, Kind.CONFIRM)
    assert screen_names(app)[-1] == "GalleryScreen"
    shot(app, "gallery")


def test_number_keys_mouse_and_arrows_choose(make_app):
    app = make_app(character="kamenev")
    scene = app.top
    assert isinstance(scene, SceneScreen)
    assert [c.enabled for c in scene.v.choices] == [True, True, False]
    # No choice is focused at first; arrow down focuses the first, then the second; the mouse
    # click on it chooses it.
    assert scene.menu.focus is None
    press(app, Kind.DOWN)
    assert scene.menu.focus == 0
    press(app, Kind.DOWN)
    assert scene.menu.focus == 1
    app.draw()
    rect = scene.menu.rects[1]
    app.send(Action(Kind.POINT, pos=rect.center))
    app.send(click(*rect.center))
    assert app.run.state.path == (("study", "decline"),)


def test_disabled_choice_shows_reason_and_cannot_be_taken(make_app):
    app = make_app(character="kamenev")
    scene = app.top
    locked = scene.v.choices[2]
    assert not locked.enabled and "not yet promised" in locked.locked
    app.send(choose(3))
    assert app.run.state.path == ()
    assert scene.choice_blocks[2][5] is not None  # the reason is laid out under it
    shot(app, "scene-disabled-choice")


def test_kitchen_fixture_plays_to_an_ending(make_app):
    app = make_app(KITCHEN)
    press(app, Kind.CONFIRM)  # New game (Continue is disabled, focus starts on New game)
    press(app, Kind.CONFIRM)  # the only character
    app.send(choose(2))
    assert isinstance(app.top, EndingScreen)
    assert app.run.state.ending == "kept-quiet"


def test_continue_loads_latest_autosave(make_app):
    app = make_app(character="trotsky")
    app.send(choose(2))
    app2 = make_app()
    title = app2.top
    assert title.menu.enabled[0]
    title.menu.focus = 0
    press(app2, Kind.CONFIRM)
    assert screen_names(app2) == ["TitleScreen", "SceneScreen"]
    assert app2.run.state.path == (("study", "decline"),)
    assert len(app2.run.states) == 2  # the history is rebuilt, so undo works after a load


def test_escape_menu_returns_to_title(make_app):
    app = make_app(character="trotsky")
    press(app, Kind.BACK)
    assert screen_names(app)[-1] == "PauseScreen"
    shot(app, "pause-menu")
    press(app, Kind.BACK)
    assert screen_names(app)[-1] == "SceneScreen"
    press(app, Kind.BACK)
    from game.desktop.screens.pause import ITEMS as MENU
    app.send(choose([item for item, _ in MENU].index("title") + 1))  # Title screen
    assert screen_names(app) == ["TitleScreen"]
