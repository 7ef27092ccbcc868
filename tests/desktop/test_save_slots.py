"""Quick save aside, the save screens: pages of slots, delete and rename."""

from __future__ import annotations

import json

from conftest import press, shot

from game import saves
from game.desktop.actions import Action, Kind, choose
from game.desktop.screens.confirm import ConfirmScreen
from game.desktop.screens.name import NameScreen
from game.desktop.screens.saveload import SLOTS, SaveLoadScreen


def save_in(app, number: int, name: str) -> None:
    screen = app.top
    app.send(choose(number))
    assert isinstance(app.top, NameScreen)
    name_screen = app.top
    name_screen.name = name
    press(app, Kind.CONFIRM)
    assert app.top is screen


def test_pages_of_slots(make_app, home):
    app = make_app(character="trotsky")
    press(app, Kind.SAVE)
    screen = app.top
    assert isinstance(screen, SaveLoadScreen) and screen.page == 0
    press(app, Kind.PAGE_DOWN)
    assert screen.page == 1 and screen.slot_number(0) == SLOTS + 1
    save_in(app, 2, "On page two")
    assert screen.toast == f"Saved in slot {SLOTS + 2}"
    assert (home / "saves" / f"slot-{SLOTS + 2}.json").exists()
    shot(app, "save-page-2")
    press(app, Kind.PAGE_UP)
    assert screen.page == 0 and screen.infos[1] is None  # slot 2 is still empty


def test_rename_keeps_the_save_and_its_time(make_app, home):
    app = make_app(character="trotsky")
    press(app, Kind.SAVE)
    save_in(app, 1, "First try")
    path = home / "saves" / "slot-1.json"
    before = json.loads(path.read_text())
    screen = app.top
    screen.menu.focus = 0
    press(app, Kind.RENAME)
    assert isinstance(app.top, NameScreen) and app.top.name == "First try"
    app.top.name = "The Georgian road"
    press(app, Kind.CONFIRM)
    after = json.loads(path.read_text())
    assert after["label"] == "The Georgian road"
    assert after["saved_at"] == before["saved_at"] and after["path"] == before["path"]
    assert saves.info(path).label == "The Georgian road"


def test_delete_asks_first(make_app, home):
    app = make_app(character="trotsky")
    press(app, Kind.SAVE)
    save_in(app, 3, "To be deleted")
    screen = app.top
    screen.menu.focus = 2
    press(app, Kind.DELETE)
    assert isinstance(app.top, ConfirmScreen)
    press(app, Kind.CONFIRM)  # the focus is on "Keep it"
    assert (home / "saves" / "slot-3.json").exists()
    press(app, Kind.DELETE)
    app.send(choose(1))  # Delete
    assert not (home / "saves" / "slot-3.json").exists()
    assert screen.infos[2] is None and "Deleted slot 3" in screen.toast
    press(app, Kind.DELETE)  # an empty slot: nothing to ask
    assert app.top is screen
