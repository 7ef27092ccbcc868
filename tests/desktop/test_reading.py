"""Reading a long scene with the keyboard: nothing is chosen unseen, Space and the arrows
read on until the choices are in view, and keys typed during the reveal are not lost."""

from __future__ import annotations

from conftest import HERE, press, screen_names, shot

from game.desktop.actions import Action, Kind, choose
from game.desktop.screens.chapter import ChapterCard
from game.desktop.screens.journal import JournalScreen
from game.desktop.screens.note import NoteScreen
from game.desktop.screens.pause import PauseScreen
from game.desktop.screens.scene import SceneScreen
from game.desktop.settings import Settings

LONG = HERE / "fixtures" / "longread"


def long_scene(make_app, **settings):
    app = make_app(LONG, character="trotsky", settings=Settings(**{"text_speed": "instant", **settings}))
    scene = app.top
    assert isinstance(scene, SceneScreen) and scene.scroll.max_offset > 0, "the fixture must overflow the window"
    return app, scene


def test_space_reads_on_and_never_takes_a_choice_unseen(make_app):
    app, scene = long_scene(make_app)
    assert scene.menu.focus is None and not scene.choices_in_view()
    pages = 0
    while not scene.choices_in_view():
        press(app, Kind.CONFIRM)  # Space: a page further
        pages += 1
        assert app.run.state.path == () and pages < 20
    assert pages >= 1 and scene.menu.focus is None
    shot(app, "reading-choices-in-view-unfocused")
    press(app, Kind.CONFIRM)  # the choices are in view: Space focuses the first, still takes nothing
    assert scene.menu.focus == 0 and app.run.state.path == ()
    shot(app, "reading-first-choice-focused")
    press(app, Kind.CONFIRM)  # now it takes it
    assert app.run.state.path == (("long", "stand"),)


def test_arrows_scroll_the_text_until_the_choices_are_in_view(make_app):
    app, scene = long_scene(make_app)
    offsets = [scene.scroll.offset]
    while not scene.choices_in_view():
        press(app, Kind.DOWN)
        assert scene.menu.focus is None, "Down must read the text, not jump to a choice"
        offsets.append(scene.scroll.offset)
        assert len(offsets) < 200
    steps = [b - a for a, b in zip(offsets, offsets[1:])]
    assert steps and max(steps) <= scene.scroll.line  # line by line: no paragraph is skipped
    press(app, Kind.DOWN)
    assert scene.menu.focus == 0
    press(app, Kind.DOWN)
    assert scene.menu.focus == 1
    press(app, Kind.DOWN)  # the third is locked: focus stays on the second
    assert scene.menu.focus == 1
    press(app, Kind.UP, Kind.UP)  # back past the first choice: no focus, the text scrolls up
    assert scene.menu.focus is None
    top = scene.scroll.offset
    press(app, Kind.UP)
    assert scene.scroll.offset < top
    assert app.run.state.path == ()


def test_a_number_key_brings_its_choice_into_view_before_taking_it(make_app):
    app, scene = long_scene(make_app)
    app.send(choose(2))
    assert app.run.state.path == () and scene.menu.focus == 1 and scene.choice_visible(1)
    assert "again" in scene.toast
    app.send(choose(2))
    assert app.run.state.path == (("long", "yield"),)


def test_a_locked_choice_says_why_when_its_number_is_pressed(make_app):
    app, scene = long_scene(make_app)
    press(app, Kind.END)
    app.send(choose(3))
    assert app.run.state.path == () and "closed" in scene.toast


def test_keys_during_the_reveal_act_at_once(make_app):
    app, scene = long_scene(make_app, text_speed="slow")
    assert scene.revealing
    press(app, Kind.BACK)  # Escape opens the menu straight away
    assert isinstance(app.top, PauseScreen)
    press(app, Kind.BACK)
    assert scene.revealing
    press(app, Kind.NOTE)
    assert isinstance(app.top, NoteScreen)
    press(app, Kind.BACK, Kind.JOURNAL)
    assert isinstance(app.top, JournalScreen)
    press(app, Kind.BACK)
    app.send(choose(1))  # a number shows the text and brings choice 1 into view, focused
    assert not scene.revealing and scene.menu.focus == 0 and app.run.state.path == ()
    app.send(choose(1))
    assert app.run.state.path == (("long", "stand"),)
    assert isinstance(app.top, ChapterCard)
    press(app, Kind.CONFIRM)  # the 1924 card
    assert app.top is scene and scene.revealing
    press(app, Kind.UNDO)  # Backspace undoes, it does not only finish the reveal
    assert app.run.state.path == ()


def test_a_reading_key_during_the_reveal_only_shows_the_text(make_app):
    app, scene = long_scene(make_app, text_speed="slow")
    press(app, Kind.CONFIRM)
    assert not scene.revealing and scene.menu.focus is None and app.run.state.path == ()


def test_the_wheel_rolls_back_past_the_top_and_forward_again(make_app):
    app, scene = long_scene(make_app)
    press(app, Kind.END)
    app.send(choose(1))
    assert app.run.state.scene == "next-year"
    assert isinstance(app.top, ChapterCard) and app.top.year == 1924  # a new year opens on its card
    app.update(0.6)  # slid in
    shot(app, "chapter-card-1924")
    app.send(Action(Kind.SCROLL, number=1))  # the wheel does not close it...
    assert isinstance(app.top, ChapterCard)
    press(app, Kind.CONFIRM)  # ...a key does, and does nothing else
    assert app.top is scene and app.run.state.scene == "next-year" and scene.menu.focus is None
    app.update(1.0)
    app.send(Action(Kind.SCROLL, number=1))  # the short scene does not scroll: roll back
    assert app.run.state.path == () and app.run.can_redo()
    assert scene.scroll.offset == scene.scroll.max_offset  # back where the reader left it, at the choices
    app.update(1.0)
    app.send(Action(Kind.SCROLL, number=-1))  # at the end: roll forward
    assert app.run.state.path == (("long", "stand"),)
    press(app, Kind.UNDO)
    press(app, Kind.REDO)
    assert app.run.state.path == (("long", "stand"),)
    press(app, Kind.UNDO)
    press(app, Kind.END)
    app.send(choose(2))  # another choice: nothing left to redo
    assert not app.run.can_redo()
    assert screen_names(app)[-1] == "ChapterCard"  # into 1924 again


def test_a_new_run_opens_on_its_chapter_card_which_closes_by_itself(make_app):
    app = make_app(LONG, character="trotsky", chapter_card=True)
    card = app.top
    assert isinstance(card, ChapterCard) and card.number == 1 and card.year == 1923
    assert "Chapter One" in card.voice_text()
    app.update(1.0)
    assert app.top is card
    app.update(3.0)
    assert isinstance(app.top, SceneScreen)


def test_with_reduced_motion_the_card_does_not_slide_and_the_text_does_not_scroll_itself(make_app):
    app = make_app(LONG, character="trotsky", chapter_card=True,
                   settings=Settings(text_speed="fast", reduce_motion=True))
    assert app.top.slide == 1.0
    press(app, Kind.BACK)  # closes the card
    scene = app.top
    for _ in range(200):
        app.update(1 / 30)
    assert scene.scroll.offset == 0  # the reveal went on below the fold without moving the page
