"""Undo, the journal, and saving and loading through the UI."""

from __future__ import annotations

import json
import os

from conftest import press, screen_names, shot

from game import saves
from game.desktop.actions import Action, Kind, choose
from game.desktop.screens.confirm import ConfirmScreen
from game.desktop.screens.error import ErrorScreen
from game.desktop.screens.journal import JournalScreen
from game.desktop.screens.message import MessageScreen
from game.desktop.screens.name import NameScreen
from game.desktop.screens.saveload import SaveLoadScreen
from game.desktop.screens.scene import SceneScreen


def test_undo_steps_back_repeatedly_to_the_start_and_the_journal_follows(make_app):
    app = make_app(character="trotsky")
    app.send(choose(1), choose(2))
    assert app.run.state.scene == "square"
    press(app, Kind.JOURNAL)
    journal = app.top
    assert isinstance(journal, JournalScreen) and journal.count == 3
    shot(app, "journal")
    press(app, Kind.BACK)
    press(app, Kind.UNDO)
    assert app.run.state.scene == "congress" and len(app.run.state.path) == 1
    press(app, Kind.UNDO)
    assert app.run.state.scene == "study" and app.run.state.path == ()
    press(app, Kind.UNDO)  # at the start: nothing happens, a message says so
    assert app.run.state.scene == "study"
    assert "nothing to undo" in app.top.toast
    press(app, Kind.JOURNAL)
    assert app.top.count == 1


def test_undo_from_an_ending_returns_to_the_last_scene(make_app):
    app = make_app(character="trotsky")
    app.send(choose(2), choose(2), choose(1))
    assert app.run.state.finished
    press(app, Kind.UNDO)
    assert isinstance(app.top, SceneScreen) and app.run.state.scene == "square"


def test_journal_scrolls_with_page_keys_and_wheel(make_app):
    app = make_app(character="trotsky", size=(960, 540))
    app.send(choose(1), choose(1))
    press(app, Kind.JOURNAL)
    j = app.top
    assert j.scroll.max_offset > 0
    press(app, Kind.HOME)
    assert j.scroll.offset == 0
    press(app, Kind.PAGE_DOWN)
    assert j.scroll.offset > 0
    before = j.scroll.offset
    app.send(Action(Kind.SCROLL, number=1))
    assert j.scroll.offset < before


def save_to_slot(app, slot: int, name: str | None = None) -> None:
    press(app, Kind.SAVE)
    assert isinstance(app.top, SaveLoadScreen)
    app.send(choose(slot))
    if isinstance(app.top, ConfirmScreen):
        app.send(choose(1))  # Overwrite
    assert isinstance(app.top, NameScreen)
    if name is not None:
        for _ in range(60):
            press(app, Kind.UNDO)  # Backspace clears the suggested name
        for ch in name:
            app.send(Action(Kind.TEXT, text=ch))
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, SaveLoadScreen)
    press(app, Kind.BACK)


def test_save_to_slot_3_then_load_restores_the_scene(make_app, home):
    app = make_app(character="trotsky")
    app.send(choose(1))
    save_to_slot(app, 3, "Before the congress vote")
    doc = json.loads((home / "saves" / "slot-3.json").read_text())
    assert doc["label"] == "Before the congress vote" and doc["state"]["scene"] == "congress"
    app.send(choose(2))
    assert app.run.state.scene == "square"
    press(app, Kind.LOAD)
    shot(app, "load-screen")
    app.send(choose(3))
    assert screen_names(app) == ["TitleScreen", "SceneScreen"]
    assert app.run.state.scene == "congress" and app.run.state.path == (("study", "promise"),)
    assert app.top.v.reply.strip().startswith("Fotieva nods")


def test_saving_over_a_used_slot_asks_first(make_app, home):
    app = make_app(character="trotsky")
    save_to_slot(app, 1, "first")
    app.send(choose(2))
    press(app, Kind.SAVE)
    app.send(choose(1))
    assert isinstance(app.top, ConfirmScreen)
    shot(app, "save-overwrite-confirm")
    app.send(choose(2))  # Keep it
    assert isinstance(app.top, SaveLoadScreen)
    doc = json.loads((home / "saves" / "slot-1.json").read_text())
    assert doc["label"] == "first" and doc["path"] == []
    shot(app, "save-screen")


def test_save_cards_show_character_date_title_and_time(make_app):
    app = make_app(character="trotsky")
    save_to_slot(app, 2)
    press(app, Kind.SAVE)
    info = app.top.infos[1]
    assert info.character == "trotsky" and info.story_date == "1923-03-05"
    assert info.scene_title == "A letter from Gorki" and info.saved_at
    assert info.label.startswith("Trotsky, 5 March 1923")


def test_a_broken_save_shows_the_error_screen_and_the_game_goes_on(make_app, home):
    app = make_app(character="trotsky")
    (home / "saves").mkdir(parents=True, exist_ok=True)
    (home / "saves" / "slot-5.json").write_text('{"format": 1, "path": [[', encoding="utf-8")
    press(app, Kind.LOAD)
    assert app.top.menu.enabled[4]
    app.send(choose(5))
    err = app.top
    assert isinstance(err, ErrorScreen)
    assert "slot-5.json" in err.problems[0] and "line 1" in err.problems[0]
    shot(app, "error-broken-save")
    press(app, Kind.BACK)
    assert isinstance(app.top, SaveLoadScreen)


def test_an_old_save_loads_as_far_as_it_fits_and_says_why(make_app, home):
    app = make_app(character="trotsky")
    app.send(choose(1))
    save_to_slot(app, 4, "old")
    path = home / "saves" / "slot-4.json"
    doc = json.loads(path.read_text())
    doc["path"].append(["congress", "a-choice-since-removed"])
    doc["story"]["version"] = 1
    path.write_text(json.dumps(doc))
    press(app, Kind.LOAD)
    app.send(choose(4))
    msg = app.top
    assert isinstance(msg, MessageScreen)
    assert "changed since this game was saved" in msg.body and "version 1" in msg.body
    shot(app, "old-save-explained")
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, SceneScreen) and app.run.state.scene == "congress"


def test_the_key_that_opens_the_name_field_is_not_typed_into_it(make_app):
    app = make_app(character="trotsky")
    press(app, Kind.SAVE)
    app.send(choose(3), Action(Kind.TEXT, text="3"))  # a real key 3 sends both
    name = app.top
    assert isinstance(name, NameScreen) and not name.name.endswith("19233")
    app.send(Action(Kind.KEY), Action(Kind.TEXT, text="!"))
    assert name.name.endswith("!")


def _fill_with_damage(folder) -> None:
    """Every kind of bad file a save folder can hold, under the names the game reads."""
    (folder / "slot-1.json").write_text('{"format": 1, "character": "trotsky", "path": ' + "[" * 50_000 + "]" * 50_000 + "}")
    (folder / "slot-2.json").symlink_to(folder / "nowhere.json")
    (folder / "slot-3.json").write_text('{"format": 1, "character": "trotsky", "path": [], "n": ' + "9" * 5000 + "}")
    (folder / "slot-4.json").mkdir()
    (folder / "slot-5.json").write_bytes(b'{"format": 1, "character": "tr\xffotsky", "path": []}')
    (folder / "slot-6.json").write_text('{"format": "1", "character": "trotsky", "path": []}')
    os.mkfifo(folder / "autosave-2.json")
    (folder / "autosave-3.json").symlink_to("/dev/zero")


def test_a_save_folder_full_of_damage_still_starts_lists_and_continues(make_app, home):
    first = make_app(character="trotsky")
    first.send(choose(1))
    _fill_with_damage(home / "saves")
    app = make_app()
    title = app.top
    assert type(title).__name__ == "TitleScreen" and title.menu.enabled[0]
    press(app, Kind.LOAD)
    screen = app.top
    assert isinstance(screen, SaveLoadScreen)
    assert all(isinstance(i, saves.SaveError) for i in screen.infos[:6])
    assert isinstance(screen.infos[8], saves.SaveInfo)  # autosave-1
    assert all(isinstance(i, saves.SaveError) for i in screen.infos[9:11])
    shot(app, "load-screen-damaged")
    app.send(choose(2))
    assert isinstance(app.top, ErrorScreen) and "slot-2.json" in app.top.problems[0]
    press(app, Kind.BACK, Kind.BACK)
    title.menu.focus = 0
    press(app, Kind.CONFIRM)  # Continue
    assert screen_names(app) == ["TitleScreen", "SceneScreen"] and app.run.state.path == (("study", "promise"),)


def test_saving_where_nothing_can_be_written_says_where_and_keeps_the_game(make_app, home, monkeypatch):
    app = make_app(character="trotsky")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saves.savefiles, "write_atomically", refuse)
    press(app, Kind.SAVE)
    app.send(choose(1))
    press(app, Kind.CONFIRM)
    message = app.top
    assert isinstance(message, MessageScreen) and "slot-1.json" in message.body
    press(app, Kind.CONFIRM)
    press(app, Kind.BACK)
    assert isinstance(app.top, SceneScreen) and app.run.state.scene == "study"
