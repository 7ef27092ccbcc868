"""Self-voicing (V), the keys panel (F1), quick save and load (F5, F9)."""

from __future__ import annotations

import shutil

from conftest import press, shot

from game.desktop.actions import Action, Kind, choose
from game.desktop.screens.help import HelpScreen
from game.desktop.screens.name import NameScreen
from game.desktop.screens.scene import SceneScreen
from game.desktop.voice import Voice


def quiet(app) -> Voice:
    """A voice with no engine: it records what it would say."""
    app.voice = Voice(command=None)
    return app.voice


def test_v_turns_self_voicing_on_and_the_scene_and_focus_are_read(make_app):
    app = make_app(character="kamenev")
    voice = quiet(app)
    press(app, Kind.VOICE)
    assert app.settings.self_voicing
    press(app, Kind.DOWN)  # an action after V: the new screen is read, then the focus
    said = " ".join(voice.said)
    assert "A letter from Gorki" in said and "Fotieva" in said and "Choice 1:" in said
    press(app, Kind.DOWN)
    assert voice.said[-1].startswith("Choice 2:")
    press(app, Kind.NOTE)
    assert voice.said[-1].startswith("Historical note.") and "Moshe Lewin" in voice.said[-1]
    press(app, Kind.BACK, Kind.VOICE)
    assert not app.settings.self_voicing
    count = len(voice.said)
    press(app, Kind.UP)
    assert len(voice.said) == count  # off: nothing more is said


def test_v_is_a_letter_in_a_save_name(make_app):
    app = make_app(character="trotsky")
    app.push(NameScreen("Name the save", "x"))
    press(app, Kind.UNDO)  # arms the field
    app.send(Action(Kind.VOICE), Action(Kind.TEXT, text="v"))
    assert not app.settings.self_voicing and app.top.name.endswith("v")


def test_a_missing_or_broken_speech_engine_is_harmless():
    silent = Voice(command=None)
    silent.say("Nothing happens.")
    assert silent.said == ["Nothing happens."] and silent.process is None
    broken = Voice(command=lambda text: ["/nonexistent/espeak-ng", text])
    broken.say("Still nothing.")
    assert broken.command is None  # it stops trying
    if shutil.which("true"):
        ok = Voice(command=lambda text: ["true"])
        ok.say("A child process that ends at once.")
        ok.say("And another, which stops the first.")
        ok.stop()


def test_f1_shows_the_keys(make_app):
    app = make_app(character="trotsky")
    press(app, Kind.HELP)
    assert isinstance(app.top, HelpScreen)
    shot(app, "help-keys")
    press(app, Kind.HELP)
    assert isinstance(app.top, SceneScreen)


def test_quick_save_and_quick_load(make_app, home):
    app = make_app(character="trotsky")
    press(app, Kind.QUICK_LOAD)
    assert "No quick save" in app.top.toast
    app.send(choose(1))
    press(app, Kind.QUICK_SAVE)
    assert (home / "saves").glob("quicksave*") and "Quick-saved" in app.top.toast
    app.send(choose(2))
    assert app.run.state.scene == "square"
    press(app, Kind.QUICK_LOAD)
    assert app.run.state.scene == "congress" and isinstance(app.top, SceneScreen)
    assert app.top.toast == "Quick save loaded"


def test_the_keys_panel_opens_with_the_mouse_from_the_quick_bar(make_app):
    app = make_app(character="trotsky")
    scene = app.top
    app.draw()
    rect = scene.quick.rects[-1]
    app.send(Action(Kind.CLICK, pos=rect.center))
    assert isinstance(app.top, HelpScreen)
