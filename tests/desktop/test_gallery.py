"""The endings gallery: the text of a reached ending can be read to its end, and a locked one
says so once and gives a hint."""

from __future__ import annotations

import pytest
from conftest import HERE, press, shot

from game.desktop.actions import Action, Kind, choose, point
from game.desktop.screens.gallery import GalleryScreen
from game.desktop.settings import TEXT_SIZES, Settings

LONG = HERE / "fixtures" / "longread"


def open_gallery(app) -> GalleryScreen:
    app.push(GalleryScreen())
    return app.top


@pytest.mark.parametrize("size", sorted(TEXT_SIZES))
def test_a_reached_ending_reads_to_its_end(make_app, size):
    app = make_app(LONG, size=(1024, 600), character="trotsky", settings=Settings(text_speed="instant", text_size=size))
    press(app, Kind.END)
    app.send(choose(1), Action(Kind.CONFIRM), choose(1))  # stand by the army, (the 1924 card), go to the funeral
    assert app.run.state.ending == "held"
    g = open_gallery(app)
    assert g.menu.focus == 0 and g.detail_text.block.lines
    # Rows are at the reader's text size.
    assert g.row_font.height == app.theme.body(weight="bold").height
    if size in ("large", "huge"):
        assert g.detail_scroll.max_offset > 0
    press(app, Kind.END)
    assert g.detail_scroll.offset == g.detail_scroll.max_offset
    # At the end of the scroll the last line of the text is inside the panel.
    last = g.detail_text.block.lines[-1]
    y = g.detail_top - g.detail_scroll.offset + g.detail_body_y + last.y + g.detail_text.line_height
    assert y <= g.detail.bottom
    press(app, Kind.HOME)
    assert g.detail_scroll.offset == 0
    press(app, Kind.PAGE_DOWN)
    assert g.detail_scroll.offset > 0 or g.detail_scroll.max_offset == 0
    shot(app, f"gallery-reached-{size}")


def test_the_wheel_scrolls_what_it_is_over(make_app):
    app = make_app(LONG, size=(1024, 600), character="trotsky", settings=Settings(text_speed="instant", text_size="huge"))
    press(app, Kind.END)
    app.send(choose(1), Action(Kind.CONFIRM), choose(1))
    g = open_gallery(app)
    app.send(point(*g.detail.center), Action(Kind.SCROLL, number=-1))
    assert g.detail_scroll.offset > 0 and g.menu.focus == 0
    app.send(point(*g.list_view.center), Action(Kind.SCROLL, number=-1))
    assert g.menu.focus == 0  # the wheel over the list does not move the selection


def test_a_locked_ending_says_so_once_and_gives_a_hint(make_app):
    app = make_app(LONG, character="trotsky")
    g = open_gallery(app)
    assert g.menu.focus == 0
    words = " ".join(line.text for para in (g.detail_heading, g.detail_meta, g.detail_text) for line in para.block.lines)
    assert words.lower().count("not yet reached") == 1
    assert "A hint: it turns on the act “Army stood”." in words
    shot(app, "gallery-locked-hint")
