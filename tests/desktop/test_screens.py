"""Text reveal, notes, settings, resizing, errors, idle behaviour."""

from __future__ import annotations

import json

from conftest import press, screen_names, shot

from game.desktop.actions import Action, Kind, choose, click
from game.desktop.app import App, load
from game.desktop.screens.error import ErrorScreen
from game.desktop.screens.note import NoteScreen
from game.desktop.screens.scene import SceneScreen
from game.desktop.screens.settings import SettingsScreen
from game.desktop.settings import Settings, load_settings


def test_text_is_revealed_progressively_and_any_key_shows_it_all(make_app):
    app = make_app(character="trotsky", settings=Settings(text_speed="normal"))
    scene = app.top
    assert scene.revealing
    app.update(0.5)
    assert 0 < scene.shown < scene.total_chars
    shot(app, "scene-revealing")
    app.send(choose(1))  # shows all; does not choose
    assert not scene.revealing and app.run.state.path == ()
    app.send(choose(1))
    assert app.run.state.path == (("study", "promise"),)


def test_reveal_finishes_by_itself_and_then_nothing_moves(make_app):
    app = make_app(character="kamenev", settings=Settings(text_speed="fast"))
    scene = app.top
    for _ in range(600):
        if not app.update(1 / 60):
            break
    assert not scene.revealing
    app.draw()
    assert app.update(1 / 60) is False and app.dirty is False  # idle: the loop would draw nothing


def test_note_opens_with_sources_and_closes(make_app):
    app = make_app(character="trotsky")
    press(app, Kind.NOTE)
    note = app.top
    assert isinstance(note, NoteScreen) and len(note.sources) == 2
    shot(app, "note")
    press(app, Kind.NOTE)
    assert isinstance(app.top, SceneScreen)


def test_resize_reflows_the_text_to_the_new_window(make_app):
    app = make_app(character="trotsky")
    scene = app.top
    narrow = scene.rl.column.width
    body_px = app.theme.body_px
    shot(app, "scene-1280x720")
    app.dispatch(Action(Kind.RESIZE, pos=(1920, 1080)))
    assert app.size == (1920, 1080)
    assert scene.rl.column.width > narrow and app.theme.body_px > body_px
    # Still a comfortable measure: 55-80 characters on the longest lines.
    longest = max(len(line.text) for line in scene.body.block.lines)
    assert 55 <= longest <= 80
    shot(app, "scene-1920x1080")
    app.send(choose(1))
    shot(app, "scene-1920x1080-reply")


def test_settings_change_apply_at_once_and_persist(make_app, home):
    app = make_app(character="trotsky")
    before = app.theme.body_px
    press(app, Kind.SETTINGS)
    assert isinstance(app.top, SettingsScreen)
    press(app, Kind.RIGHT)  # text size: normal -> large
    assert app.settings.text_size == "large" and app.theme.body_px > before
    press(app, Kind.DOWN, Kind.DOWN, Kind.RIGHT)  # text speed: instant -> slow (wraps)
    assert app.settings.text_speed == "slow"
    for _ in range(2):
        press(app, Kind.DOWN)
    press(app, Kind.CONFIRM)  # high contrast on
    assert app.settings.high_contrast and app.theme.palette.paper == (0, 0, 0)
    press(app, Kind.DOWN, Kind.CONFIRM)  # dyslexia-friendly font
    assert app.settings.dyslexic_font
    shot(app, "settings")
    saved = json.loads((home / "settings.json").read_text())
    assert saved["text_size"] == "large" and saved["high_contrast"] is True
    assert load_settings() == app.settings
    press(app, Kind.BACK)
    shot(app, "scene-high-contrast-dyslexic")


def test_settings_by_mouse(make_app):
    app = make_app()
    press(app, Kind.SETTINGS)
    screen = app.top
    left, right = screen.arrows[0]
    app.send(click(*left.center))
    assert app.settings.text_size == "small"


def test_fullscreen_toggle_keeps_running(make_app):
    app = make_app()
    press(app, Kind.FULLSCREEN)
    assert app.settings.fullscreen
    press(app, Kind.FULLSCREEN)
    assert not app.settings.fullscreen
    assert screen_names(app) == ["TitleScreen"]


def test_a_broken_story_shows_file_line_and_column(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "story.yaml").write_text("id: bad\ntitle: Bad\nversion: 1\nfiles: [s.yaml]\nvariabels: {}\n", encoding="utf-8")
    (bad / "s.yaml").write_text("scenes:\n  - id: a\n    title: A\n    text: x\n    choices: [{id: b, text: B, goto: nowhere}]\n")
    story, problems = load(bad, [])
    assert story is None and problems
    app = App(story, problems, settings=Settings())
    err = app.top
    assert isinstance(err, ErrorScreen)
    assert any(":5:1:" in p and "story.yaml" in p for p in err.problems), err.problems
    shot(app, "error-broken-story")
    press(app, Kind.BACK)
    assert not app.running  # nothing to go back to: Escape quits


def test_a_missing_story_folder_is_an_error_screen_not_a_crash(tmp_path):
    story, problems = load(tmp_path / "nowhere", [])
    assert story is None and problems
    app = App(story, problems, settings=Settings())
    assert isinstance(app.top, ErrorScreen)


def test_an_unexpected_error_in_a_screen_is_shown_not_raised(make_app, monkeypatch):
    app = make_app(character="trotsky")
    def boom(action):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(app.top, "handle", boom)
    app.dispatch(Action(Kind.CONFIRM))
    assert isinstance(app.top, ErrorScreen) and "kaboom" in app.top.problems[0]
    press(app, Kind.BACK)
    assert isinstance(app.top, SceneScreen)


def test_unknown_character_on_the_command_line(make_app):
    app = make_app(character="lenin")
    assert isinstance(app.top, ErrorScreen)


def test_every_screen_renders_at_1920x1080(make_app):
    app = make_app(size=(1920, 1080))
    shot(app, "title-1920x1080")
    press(app, Kind.DOWN, Kind.CONFIRM) if app.top.menu.focus != 1 else press(app, Kind.CONFIRM)
    shot(app, "character-select-1920x1080")
    press(app, Kind.CONFIRM)
    app.send(choose(1))
    press(app, Kind.JOURNAL)
    shot(app, "journal-1920x1080")
    press(app, Kind.BACK, Kind.SAVE)
    shot(app, "save-1920x1080")
    press(app, Kind.BACK, Kind.SETTINGS)
    shot(app, "settings-1920x1080")
    press(app, Kind.BACK)
    app.send(choose(1), choose(1))
    shot(app, "ending-1920x1080")
    press(app, Kind.RIGHT)
    shot(app, "forces-1920x1080")


def test_without_a_screen_testament_points_to_text_play(tmp_path):
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["TESTAMENT_HOME"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-m", "game.cli"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "testament play --text" in run.stderr and "Traceback" not in run.stderr
    assert "pygame-ce" not in run.stdout
