"""Quitting asks first; the window fits a small screen and opens where it was left."""

from __future__ import annotations

import json

import pygame
import pytest
from conftest import PALACE, press, screen_names, shot

from game.desktop import window
from game.desktop.actions import Action, Kind, choose
from game.desktop.app import App, load
from game.desktop.screens.confirm import ConfirmScreen
from game.desktop.screens.title import ITEMS
from game.desktop.settings import Settings


def test_quit_from_the_title_asks_first_and_up_does_not_wrap_to_it(make_app):
    app = make_app()
    title = app.top
    title.menu.focus = ITEMS.index("new")
    press(app, Kind.UP, Kind.UP, Kind.UP)  # up from the top stays at the top
    assert title.menu.focus == ITEMS.index("new")  # Continue is disabled here: New game is the top
    title.menu.focus = ITEMS.index("quit")
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, ConfirmScreen) and app.running
    assert app.top.menu.focus == 1  # the safe answer has the focus
    shot(app, "quit-question")
    press(app, Kind.CONFIRM)  # "Keep playing"
    assert app.running and screen_names(app) == ["TitleScreen"]
    press(app, Kind.CONFIRM)
    app.send(choose(1))  # Quit
    assert not app.running


def test_quit_from_the_game_menu_and_ctrl_q_ask_first(make_app):
    app = make_app(character="trotsky")
    press(app, Kind.BACK)
    from game.desktop.screens.pause import ITEMS as MENU
    app.send(choose([item for item, _ in MENU].index("quit") + 1))  # the menu's Quit
    assert isinstance(app.top, ConfirmScreen) and app.running
    assert "Continue" in app.top.detail  # it says the run is kept
    press(app, Kind.BACK)
    assert app.running
    press(app, Kind.QUIT)  # Ctrl+Q or the window's close button
    assert isinstance(app.top, ConfirmScreen) and app.running
    press(app, Kind.QUIT)  # asked again while the question is open: quit
    assert not app.running


@pytest.mark.parametrize("desktop", [(1024, 600), (1366, 768), (800, 480)])
def test_the_window_fits_the_screen(monkeypatch, desktop):
    monkeypatch.setattr(window, "desktop_size", lambda: desktop)
    story, _ = load(PALACE, [])
    app = App(story, settings=Settings(text_speed="instant"))
    w, h = app.size
    assert w <= desktop[0] and h <= desktop[1] - 40, (app.size, desktop)
    assert (w, h) == window.fit((1280, 720), desktop)
    app.draw()
    # The title menu is entirely on screen.
    for rect in app.top.menu.rects:
        assert app.surface.get_rect().contains(rect)


def test_a_big_screen_gets_the_designed_size(monkeypatch):
    monkeypatch.setattr(window, "desktop_size", lambda: (1920, 1080))
    story, _ = load(PALACE, [])
    app = App(story, settings=Settings(text_speed="instant"))
    assert app.size == (1280, 720)


def test_the_window_remembers_its_size_and_position(monkeypatch, home):
    monkeypatch.setattr(window, "desktop_size", lambda: (1600, 900))
    story, _ = load(PALACE, [])
    app = App(story, settings=Settings(text_speed="instant"))
    app.dispatch(Action(Kind.RESIZE, pos=(1100, 650)))
    monkeypatch.setattr(pygame.display, "get_window_position", lambda: (40, 30))
    app.quit()
    kept = json.loads((home / "window.json").read_text())
    assert kept == {"size": [1100, 650], "position": [40, 30]}
    pygame.display.quit()
    placed = window.placement((1600, 900))
    assert placed == window.Placement((1100, 650), (40, 30))
    app2 = App(story, settings=Settings(text_speed="instant"))
    assert app2.size == (1100, 650)
    # On a smaller screen the remembered size shrinks to fit, and a position off it is forgotten.
    assert window.placement((1024, 600)).size == window.fit((1100, 650), (1024, 600))
    window.remember((1100, 650), (3000, 30))
    assert window.placement((1600, 900)).position is None


def test_a_damaged_window_file_is_ignored(home):
    home.mkdir(parents=True, exist_ok=True)
    for junk in ("{", "[]", '{"size": [10, 10]}', '{"size": ["a", 2]}', '{"size": [1e400, 5]}'):
        (home / "window.json").write_text(junk)
        assert window.placement((1920, 1080)) == window.Placement((1280, 720))
