"""The window's reading aids: chapter select from the title, the glossary (G) and the
timeline (T) from any scene, and the ending's "What was real" page, at 1280x720 and 1024x600."""

from __future__ import annotations

import pytest
from conftest import PALACE, press, screen_names, shot

from game.classroom import historical
from game.desktop.actions import Action, Kind, choose, click
from game.desktop.app import App, load
from game.desktop.screens.chapters import ChaptersScreen
from game.desktop.screens.ending import PAGES, EndingScreen
from game.desktop.screens.glossary import GlossaryScreen
from game.desktop.screens.timeline import TimelineScreen
from game.desktop.screens.title import ITEMS
from game.desktop.settings import Settings
from game.engine import states_of
from game.paths import story_dir

SIZES = [(1280, 720), (1024, 600)]


@pytest.fixture(scope="module")
def campaign():
    story, problems = load(story_dir(), [])
    assert story is not None, problems
    return story


def app_for(story, size, **kw):
    return App(story, size=size, settings=Settings(text_speed="instant"), **kw)


def open_chapters(app):
    app.top.menu.focus = ITEMS.index("chapters")
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, ChaptersScreen)
    return app.top


@pytest.mark.parametrize("size", SIZES)
def test_a_chapter_begins_from_the_historical_run(campaign, size):
    app = app_for(campaign, size)
    screen = open_chapters(app)
    press(app, Kind.RIGHT)                      # Zinoviev
    app.send(choose(3))                         # 1925
    assert (screen.character, screen.year) == ("zinoviev", 1925)
    shot(app, f"chapters-{size[0]}")
    for r in screen.rows.rects + [screen.begin]:
        assert app.surface.get_rect().contains(r)
    press(app, Kind.CONFIRM)
    assert screen_names(app)[:2] == ["TitleScreen", "SceneScreen"]
    if type(app.top).__name__ == "ChapterCard":
        app.top.dismiss()
    expected = historical.chapter_start(campaign, "zinoviev", 1925)
    assert app.run.states == expected and app.run.state.scene == "1925-open"
    press(app, Kind.UNDO)  # undo walks back along what he really did
    assert app.run.state == expected[-2]


def test_a_second_click_on_a_year_begins_it(campaign):
    app = app_for(campaign, (1280, 720))
    screen = open_chapters(app)
    row = screen.rows.rects[4]
    app.send(click(*row.center))
    assert screen.year == 1927 and isinstance(app.top, ChaptersScreen)
    app.send(click(*row.center))
    assert app.run is not None and app.run.state.scene == "1927-open"


def test_a_story_without_historical_paths_offers_no_chapter(make_app):
    app = make_app()
    screen = open_chapters(app)
    assert not any(screen.rows.enabled)
    press(app, Kind.CONFIRM)
    assert isinstance(app.top, ChaptersScreen) and app.run is None
    shot(app, "chapters-no-paths")
    press(app, Kind.BACK)
    assert screen_names(app) == ["TitleScreen"]


@pytest.mark.parametrize("size", SIZES)
def test_the_glossary_opens_on_the_names_of_the_scene(campaign, size):
    app = app_for(campaign, size, character="trotsky")
    if type(app.top).__name__ == "ChapterCard":
        app.top.dismiss()
    press(app, Kind.GLOSSARY)
    g = app.top
    assert isinstance(g, GlossaryScreen)
    assert g.here >= 5 and g.rows[0] == ("head", f"In this scene ({g.here})")
    assert g.entry.name == "Natalia"  # the first name the scene mentions
    shot(app, f"glossary-{size[0]}")
    press(app, Kind.DOWN, Kind.DOWN)
    assert g.entry.name == "Trotsky"
    press(app, Kind.END)
    assert g.entry is g.rows[-1][1]
    shot(app, f"glossary-end-{size[0]}")
    press(app, Kind.GLOSSARY)
    assert screen_names(app)[-1] == "SceneScreen"


@pytest.mark.parametrize("size", SIZES)
def test_the_timeline_sets_the_run_beside_the_real_events(campaign, size):
    states = historical.chapter_start(campaign, "kamenev", 1924)
    app = app_for(campaign, size, states=states)
    press(app, Kind.TIMELINE)
    tl = app.top
    assert isinstance(tl, TimelineScreen)
    sides = {r.side for r in tl.rows}
    assert sides == {"real", "run"} and tl.rows[-1].title == "The Thirteenth Conference"
    assert tl.scroll.offset == tl.scroll.max_offset  # it opens at the present
    shot(app, f"timeline-{size[0]}")
    press(app, Kind.BACK)
    assert screen_names(app)[-1] == "SceneScreen"


def test_the_game_menu_opens_the_aids_for_the_mouse(campaign):
    from game.desktop.screens.pause import ITEMS as MENU
    app = app_for(campaign, (1024, 600), character="bukharin")
    if type(app.top).__name__ == "ChapterCard":
        app.top.dismiss()
    for item, kind in (("glossary", GlossaryScreen), ("timeline", TimelineScreen)):
        press(app, Kind.BACK)
        app.send(choose([i for i, _ in MENU].index(item) + 1))
        assert isinstance(app.top, kind)
        press(app, Kind.BACK)


@pytest.mark.parametrize("size", SIZES)
def test_the_ending_ends_with_what_was_real(campaign, size):
    end = historical.historical_run(campaign, "trotsky")[-1]
    app = app_for(campaign, size, states=states_of(campaign, end))
    ending = app.top
    assert isinstance(ending, EndingScreen) and PAGES[-1] == "What was real"
    for _ in range(len(PAGES) - 1):
        press(app, Kind.RIGHT)
    assert ending.page == len(PAGES) - 1
    words = " ".join(line.text for kind, thing, _ in ending.items if kind == "para" for line in thing.block.lines)
    assert "WHAT IN YOUR STORY WAS REAL?" in words and "kept to history" in words and "Stalin" in words
    shot(app, f"ending-real-{size[0]}")
    press(app, Kind.RIGHT)  # past the last page: the title
    assert screen_names(app) == ["TitleScreen"]
