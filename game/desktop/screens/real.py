"""The ending's last page: "What in your story was real?" (``game.classroom.real``).

Each turn the run took away from history, under its title and date: what led there, what
the player chose, what really happened instead and where it is told; then the debrief on
why the game lets Stalin lose more often than history suggests. ``items`` lays the page
out as the ending screen lays out its other pages (kicker images, paragraphs, gaps, a red
bar), so ``EndingScreen`` shows it with its own scrolling, tabs and keys.
"""

from __future__ import annotations

from typing import Any

from game.classroom import real
from game.desktop.chrome import kicker
from game.desktop.widgets import Paragraphs

#: The tab's name among the ending's pages.
PAGE = "What was real"


def items(screen: Any) -> list[tuple[str, Any]]:
    """The page for ``screen`` (an ``EndingScreen``: its theme, reading column, story and state)."""
    t, p = screen.theme, screen.theme.palette
    width = screen.rl.column.width
    display = t.display(56)
    out: list[tuple[str, Any]] = [
        ("img", kicker(t, "After the ending")),
        ("para", Paragraphs(real.HEADING.upper(), display, width, round(display.height * 0.9), p.ink, 0)),
        ("bar", 0), ("gap", t.px(14))]
    body = t.body()
    bold = t.body(weight="bold")
    italic = t.body(weight="italic")
    small = t.small()
    for kind, text in real.paragraphs(screen.app.story, screen.state):
        if kind == "heading":
            out += [("gap", t.px(26)), ("img", kicker(t, text)), ("gap", t.px(6))]
        elif kind == "turn":
            out += [("gap", t.px(22)), ("para", Paragraphs(text, bold, width, t.line_height, p.red)), ("gap", t.px(4))]
        elif kind == "label":
            out += [("para", Paragraphs(text, italic, width, t.line_height, p.muted)), ("gap", t.px(6))]
        elif kind == "source":
            out += [("para", Paragraphs(text, small, width, round(small.height * 1.35), p.muted)), ("gap", t.px(4))]
        else:
            out += [("para", Paragraphs(text, body, width, t.line_height, p.ink)), ("gap", t.px(8))]
    return out
