"""The ending's pages: tabs that click, one transcript per run, and a hidden-forces page
that can be read in full, in words, at every text size."""

from __future__ import annotations

import pytest
from conftest import press, shot

from game.desktop.actions import Kind, choose, click
from game.desktop.screens.ending import EndingScreen
from game.desktop.settings import TEXT_SIZES, Settings


def finish(app):
    app.send(choose(1), choose(1))  # promise, march
    app.send(choose(1))  # wait for the morning
    assert isinstance(app.top, EndingScreen)
    return app.top


def test_the_page_tabs_can_be_clicked(make_app):
    app = make_app(character="trotsky")
    ending = finish(app)
    app.draw()
    for page in (2, 1, 0):
        box, label = ending.tabs[page]
        app.send(click(*box.center))
        assert ending.page == page, label
    shot(app, "ending-tabs-after-clicks")


def test_one_transcript_per_run_however_often_the_ending_opens(make_app, home):
    app = make_app(character="trotsky")
    finish(app)
    press(app, Kind.UNDO)  # back to the square
    app.send(choose(1))  # the same last choice: the same run
    press(app, Kind.BACK)  # to the title
    app.run = None
    app2 = make_app()
    title = app2.top
    title.menu.focus = 0
    press(app2, Kind.CONFIRM)  # Continue opens the finished run's ending again
    assert isinstance(app2.top, EndingScreen)
    files = sorted((home / "transcripts").glob("trotsky-*.md"))
    assert len(files) == 1, files
    assert app2.top.transcript == files[0]
    # Another run that ends is another transcript.
    press(app2, Kind.UNDO)
    press(app2, Kind.UNDO)
    app2.send(choose(2), choose(1))  # speak instead of marching, then wait
    assert isinstance(app2.top, EndingScreen)
    assert len(list((home / "transcripts").glob("trotsky-*.md"))) == 2


@pytest.mark.parametrize("size", sorted(TEXT_SIZES))
@pytest.mark.parametrize("window", [(1280, 720), (1024, 600)])
def test_the_hidden_forces_read_in_full_and_in_words(make_app, size, window):
    app = make_app(size=window, settings=Settings(text_speed="instant", text_size=size), character="trotsky")
    ending = finish(app)
    press(app, Kind.RIGHT)
    page = ending.forces_page
    assert ending.page == 1
    body_px = app.theme.body_px
    seen = []
    for i in range(page.rows_count):
        page.select(i)
        for _, _, name, _, sub, _ in page.rows:
            for para in (name, sub):
                assert para.font.height >= 0.8 * app.theme.body().height  # the reader's text size, not a caption
                assert all(para.font.width(line.text) <= page.list_rect.width for line in para.block.lines)
        for kind, thing, _ in page.detail_items:
            para = thing[2] if kind == "move" else thing
            if kind in ("para", "indent", "move"):
                for line in para.block.lines:
                    assert "…" not in line.text, line.text
                    assert para.font.width(line.text) <= page.detail_rect.width - app.theme.px(40)
                    seen.append(line.text)
        assert any(k == "para" and t.font.height >= body_px * 0.8 for k, t, _ in page.detail_items)
        # Rise and fall are told in words (and arrows), not by colour alone.
    words = " ".join(seen)
    assert "rose by" in words or "fell by" in words
    assert "raised it" in words or "lowered it" in words
    # The decisive acts are words with the choice that made them, never flag ids.
    assert "Marched" in words and "You chose “Call the Moscow garrison out”" in words
    assert "_" not in words
    shot(app, f"forces-{window[0]}x{window[1]}-{size}")


def test_the_forces_page_answers_keys_and_the_mouse(make_app):
    app = make_app(character="trotsky", size=(1024, 600), settings=Settings(text_speed="instant", text_size="huge"))
    ending = finish(app)
    app.send(choose(2))  # key 2: the forces page
    page = ending.forces_page
    assert ending.page == 1 and page.focus == 0
    press(app, Kind.DOWN, Kind.DOWN)
    assert page.focus == 2
    press(app, Kind.UP)
    assert page.focus == 1
    y, h, *_ = page.rows[0]
    app.send(click(page.list_rect.centerx, page.list_rect.top + y - page.list_scroll.offset + h // 2))
    assert page.focus == 0
    if page.detail_scroll.max_offset:
        press(app, Kind.PAGE_DOWN)
        assert page.detail_scroll.offset > 0
    press(app, Kind.RIGHT)
    assert ending.page == 2
