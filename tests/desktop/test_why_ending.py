"""The ending's first page says why the run ended so, under the ending text, at every text size."""

from __future__ import annotations

import pytest
from conftest import shot

from game.desktop.actions import choose
from game.desktop.screens.ending import EndingScreen
from game.desktop.settings import TEXT_SIZES, Settings
from tests.conftest import FIXTURES


def first_page_text(screen: EndingScreen) -> str:
    return "\n".join(line.text for kind, thing, _ in screen.items if kind == "para" for line in thing.block.lines)


@pytest.mark.parametrize("size", sorted(TEXT_SIZES))
@pytest.mark.parametrize("window", [(1280, 720), (1024, 600)])
def test_why_this_ending_follows_the_ending_text(make_app, size, window):
    app = make_app(FIXTURES / "why", size=window, settings=Settings(text_speed="instant", text_size=size), character="leon")
    app.send(choose(1), choose(1))  # print the Platform, then offer to dissolve the faction
    screen = app.top
    assert isinstance(screen, EndingScreen) and screen.page == 0
    words = " ".join(first_page_text(screen).split())
    ending_at = words.index("The station is full.")
    why_at = words.index("It was decided at")
    assert ending_at < why_at
    assert "Platform Victory, needed the industrial workers and the Moscow organisation together at 150; you had 131." in words
    # Every line fits the reading column at this size.
    col = screen.rl.column
    for kind, thing, _ in screen.items:
        if kind == "para":
            assert all(thing.font.width(line.text) <= col.width for line in thing.block.lines)
    shot(app, f"why-ending-{window[0]}x{window[1]}-{size}")
