"""Shared page furniture: the reading layout (art panel + text column) and headings.

Keeping the geometry here means every reading screen has the same margins and measure,
and a change of text size reflows all of them the same way.
"""

from __future__ import annotations

import pygame
from attrs import frozen

from game.desktop.text_layout import IDEAL_CHARS, measure_width
from game.desktop.theme import Theme


@frozen
class ReadingLayout:
    """Where the art panel, the text column and the hint bar go in a window."""

    art: pygame.Rect
    column: pygame.Rect
    hints: pygame.Rect

    @property
    def width(self) -> int:
        return self.column.width


def reading_layout(theme: Theme, size: tuple[int, int], art_share: float = 0.34) -> ReadingLayout:
    """An art panel on the left and a text column of about 66 characters on the right.

    The column takes the measure it needs (capped by the window); the art takes the rest,
    but never less than a sliver, so the poster is always there.
    """
    w, h = size
    m = theme.margin
    hint_h = theme.px(34)
    ideal = measure_width(theme.body().width, IDEAL_CHARS)
    art_w = max(int(w * 0.18), min(int(w * art_share), w - ideal - 2 * m))
    col_w = min(ideal, w - art_w - 2 * m)
    left = art_w + max(m, (w - art_w - col_w) // 2)
    column = pygame.Rect(left, m, col_w, h - m - hint_h - theme.px(8))
    return ReadingLayout(pygame.Rect(0, 0, art_w, h), column, pygame.Rect(art_w + theme.px(20), h - hint_h, w - art_w - theme.px(40), hint_h))


def side_band(surface: pygame.Surface, theme: Theme, band: pygame.Rect, word: str,
              wedge: tuple[float, float, float, float], word_px: float = 64, bottom: float = 36) -> None:
    """The dark band down the left of a page you look things up in (the journal, the glossary,
    the timeline): a red wedge across it, its corners at these fractions of the band's height
    (left top, right top, right bottom, left bottom), and the page's word written up it."""
    p = theme.palette
    pygame.draw.rect(surface, p.dark, band)
    a, b, c, d = wedge
    h = band.height
    pygame.draw.polygon(surface, p.red, [(band.left, h * a), (band.right, h * b), (band.right, h * c), (band.left, h * d)])
    vert = pygame.transform.rotate(theme.display(word_px).render(word, p.on_dark), 90)
    surface.blit(vert, vert.get_rect(midbottom=(band.centerx, band.bottom - theme.px(bottom))))


def heading_height(theme: Theme, title_font, sub_font) -> int:
    """How far below its top a ``page_heading`` ends."""
    return title_font.height - theme.px(8) + sub_font.height


def page_heading(surface: pygame.Surface, theme: Theme, pos: tuple[int, int], title_font, title: str,
                 sub_font, subtitle: str, indent: float = 3) -> None:
    """A page's title in ink at ``pos`` and, tucked under it, its subtitle in red."""
    x, y = pos
    image = title_font.render(title, theme.palette.ink)
    surface.blit(image, image.get_rect(topleft=(x, y)))
    surface.blit(sub_font.render(subtitle, theme.palette.red), (x + theme.px(indent), y + title_font.height - theme.px(8)))


def kicker(theme: Theme, text: str) -> pygame.Surface:
    """The small red line above a title: date and place, or a section name."""
    return theme.label(17).render(text.upper(), theme.palette.red)


def red_bar(surface: pygame.Surface, theme: Theme, x: int, y: int, width: int | None = None) -> int:
    """The short thick red rule under a title; returns its height."""
    h = theme.px(6)
    pygame.draw.rect(surface, theme.palette.red, pygame.Rect(x, y, width or theme.px(96), h))
    return h


def kicker_at(surface: pygame.Surface, theme: Theme, text: str, colour, pos: tuple[int, int], design_px: float = 17) -> pygame.Rect:
    """A kicker over a heading, with its top at ``pos`` as designed; when the player's label
    size makes it larger it grows upwards, so it never runs into the heading below."""
    from game.desktop.theme import FONT_FILES, Font, _load
    font = theme.label(design_px)
    designed = Font(_load(FONT_FILES["label"], max(12, theme.px(design_px)))).height
    image = font.render(text, colour)
    rect = image.get_rect(bottomleft=(pos[0], pos[1] + designed))
    surface.blit(image, rect)
    return rect
