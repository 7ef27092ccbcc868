"""Reusable pieces of screens: focusable menus, scroll views, wrapped text, buttons.

Widgets keep their own small state (focus, scroll offset) and change it only in
``handle``; their ``draw`` methods only read it.
"""

from __future__ import annotations

from typing import Sequence

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.text_layout import Block, layout, visible
from game.desktop.theme import Color, Font, Theme


class Menu:
    """A list of items chosen by arrows and Enter, number keys, or the mouse.

    ``rects`` are set by the owning screen's layout; ``handle`` returns the index of an
    item the player activated, or None.
    """

    def __init__(self, enabled: Sequence[bool], numbered: bool = False, wrap: bool = True, focused: bool = True):
        self.enabled = list(enabled)
        self.numbered = numbered
        self.wrap = wrap
        self.rects: list[pygame.Rect] = [pygame.Rect(0, 0, 0, 0) for _ in self.enabled]
        #: The focused item, or None (when ``focused`` is False) until the player moves to one:
        #: then Enter cannot take an item the player has not yet looked at.
        self.focus: int | None = next((i for i, ok in enumerate(self.enabled) if ok), 0) if focused else None
        #: Whether the pointer is over an item (hover shows focus too).
        self.hover: int | None = None

    def __len__(self) -> int:
        return len(self.enabled)

    def move(self, direction: int) -> None:
        n = len(self.enabled)
        if not n or not any(self.enabled):
            return
        if self.focus is None:  # the first move from nowhere lands on the first (or last) item
            i = -1 if direction > 0 else n
        else:
            i = self.focus
        for _ in range(n):
            i += direction
            if not self.wrap and not 0 <= i < n:
                return
            i %= n
            if self.enabled[i]:
                self.focus = i
                return

    def hit(self, pos: tuple[int, int]) -> int | None:
        for i, r in enumerate(self.rects):
            if r.collidepoint(pos):
                return i
        return None

    def handle(self, action: Action) -> int | None:
        k = action.kind
        if k in (Kind.UP, Kind.LEFT):
            self.move(-1)
        elif k in (Kind.DOWN, Kind.RIGHT):
            self.move(1)
        elif k == Kind.CONFIRM:
            if self.enabled and self.focus is not None and self.enabled[self.focus]:
                return self.focus
        elif k == Kind.CHOOSE and self.numbered:
            i = action.number - 1
            if 0 <= i < len(self.enabled) and self.enabled[i]:
                self.focus = i
                return i
        elif k == Kind.POINT:
            i = self.hit(action.pos)
            self.hover = i
            if i is not None and self.enabled[i]:
                self.focus = i
        elif k == Kind.CLICK:
            i = self.hit(action.pos)
            if i is not None and self.enabled[i]:
                self.focus = i
                return i
        return None


ARROWS = {"←": 180, "→": 0, "↑": 270, "↓": 90, "▼": 90}
WORDS = {"⌫": "Bksp"}


def _pieces(label: str) -> list[str]:
    """A key label split into text runs and single arrow glyphs (which the fonts lack)."""
    out: list[str] = []
    run = ""
    for ch in label:
        if ch in ARROWS:
            if run:
                out.append(run)
                run = ""
            out.append(ch)
        else:
            run += WORDS.get(ch, ch)
    if run:
        out.append(run)
    return out


def glyph_width(font: Font, label: str) -> int:
    """Width of ``label`` with arrows drawn as triangles."""
    arrow = font.height * 0.55
    return int(sum(arrow + 2 if p in ARROWS else font.width(p) for p in _pieces(label)))


def glyph_text(surface: pygame.Surface, font: Font, label: str, colour: Color, pos: tuple[int, int], anchor: str = "center") -> pygame.Rect:
    """Draw ``label`` (text with arrow glyphs drawn as shapes) anchored at ``pos``."""
    import math
    w = glyph_width(font, label)
    rect = pygame.Rect(0, 0, w, font.height)
    setattr(rect, anchor, pos)
    x = rect.left
    arrow = font.height * 0.55
    for piece in _pieces(label):
        if piece in ARROWS:
            a = math.radians(ARROWS[piece])
            cx, cy = x + arrow / 2 + 1, rect.centery
            r = arrow * 0.42
            pts = [(cx + math.cos(a + k * 2.094) * r, cy + math.sin(a + k * 2.094) * r) for k in range(3)]
            pygame.draw.polygon(surface, colour, pts)
            x += arrow + 2
        else:
            img = font.render(piece, colour)
            surface.blit(img, img.get_rect(midleft=(x, rect.centery)))
            x += img.get_width()
    return rect


class Scroll:
    """A vertical scroll offset over content taller than its viewport."""

    def __init__(self) -> None:
        self.offset = 0
        self.content = 0
        self.viewport = 0
        self.line = 40

    def set_size(self, content: int, viewport: int, line: int) -> None:
        self.content, self.viewport, self.line = content, viewport, line
        self.offset = max(0, min(self.offset, self.max_offset))

    @property
    def max_offset(self) -> int:
        return max(0, self.content - self.viewport)

    def scroll_to(self, offset: int) -> None:
        self.offset = max(0, min(int(offset), self.max_offset))

    def reveal(self, top: int, bottom: int, pad: int = 0) -> None:
        """Scroll just enough that content rows ``top``..``bottom`` are in view."""
        if bottom + pad > self.offset + self.viewport:
            self.scroll_to(bottom + pad - self.viewport)
        if top - pad < self.offset:
            self.scroll_to(top - pad)

    def handle(self, action: Action, arrows: bool = True) -> bool:
        """Scroll for wheel, PageUp/PageDown, Home/End (and arrows if asked); True if it was a scroll key."""
        k = action.kind
        page = max(self.line, self.viewport - 2 * self.line)
        if k == Kind.SCROLL:
            self.scroll_to(self.offset - action.number * self.line * 2)
        elif k == Kind.PAGE_UP:
            self.scroll_to(self.offset - page)
        elif k == Kind.PAGE_DOWN:
            self.scroll_to(self.offset + page)
        elif k == Kind.HOME:
            self.scroll_to(0)
        elif k == Kind.END:
            self.scroll_to(self.max_offset)
        elif arrows and k == Kind.UP:
            self.scroll_to(self.offset - self.line)
        elif arrows and k == Kind.DOWN:
            self.scroll_to(self.offset + self.line)
        else:
            return False
        return True


class Paragraphs:
    """Text laid out once in paragraphs and pre-rendered line by line.

    Built in a screen's layout step, so drawing it (fully or partly revealed) only
    blits; the one partly revealed line is rendered fresh each frame.
    """

    def __init__(self, text: str, font: Font, width: int, line_height: int, colour: Color, paragraph_gap: int | None = None):
        self.font = font
        self.colour = colour
        self.line_height = line_height
        gap = line_height // 2 if paragraph_gap is None else paragraph_gap
        self.block: Block = layout(text, font.width, width, line_height, gap)
        self.images = [font.render(line.text, colour) for line in self.block.lines]
        self.offset = max(0, (line_height - font.height) // 2)

    @property
    def height(self) -> int:
        return self.block.height

    @property
    def chars(self) -> int:
        return self.block.chars

    def draw(self, surface: pygame.Surface, x: int, y: int, shown: float | None = None, clip: pygame.Rect | None = None) -> None:
        for line, image in zip(self.block.lines, self.images):
            top = y + line.y + self.offset
            if clip is not None and (top + self.line_height < clip.top or top > clip.bottom):
                continue
            if shown is None or shown >= line.end:
                surface.blit(image, (x, top))
            else:
                part = visible(line, shown)
                if part:
                    surface.blit(self.font.render(part, self.colour), (x, top))


def text(surface: pygame.Surface, font: Font, s: str, colour: Color, pos: tuple[int, int], anchor: str = "topleft") -> pygame.Rect:
    """Blit one line of text anchored at ``pos``; returns where it went."""
    image = font.render(s, colour)
    rect = image.get_rect(**{anchor: pos})
    surface.blit(image, rect)
    return rect


def shorten(font: Font, s: str, width: int) -> str:
    """``s`` cut with an ellipsis to fit ``width`` pixels ("" when there is no room at all)."""
    if width <= 0:
        return ""
    if font.width(s) <= width:
        return s
    while s and font.width(s + "…") > width:
        s = s[:-1]
    return s + "…"


def fit(font_for: "callable", s: str, width: int, start: float, smallest: float = 10) -> Font:
    """The largest font (from ``font_for(size)``) at which ``s`` fits in ``width``."""
    size = start
    font = font_for(size)
    while font.width(s) > width and size > smallest:
        size *= 0.92
        font = font_for(size)
    return font


def button(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, label: str, *, focused: bool, enabled: bool = True,
           number: int | None = None, detail: str = "", font: Font | None = None, dark: bool = False) -> None:
    """A menu or choice button in the poster style: a red wedge marks focus."""
    p = theme.palette
    font = font or theme.body(weight="bold")
    bg = p.dark if dark else p.paper
    fg = p.on_dark if dark else p.ink
    if focused and enabled:
        pygame.draw.rect(surface, p.red, rect)
        fg = p.on_red
    elif not dark:
        pygame.draw.rect(surface, p.highlight if enabled else bg, rect)
    if not enabled:
        fg = p.disabled
    pad = theme.px(14)
    x = rect.left + pad
    if number is not None:
        badge = pygame.Rect(0, 0, theme.px(30), theme.px(30))
        badge.midleft = (x, rect.centery if not detail else rect.top + pad + theme.px(15))
        pygame.draw.rect(surface, (p.on_red if focused and enabled else (p.disabled if not enabled else p.red)), badge)
        num = theme.label(18).render(str(number), p.red if focused and enabled else p.on_red)
        surface.blit(num, num.get_rect(center=badge.center))
        x = badge.right + pad
    image = font.render(label, fg)
    if detail:
        surface.blit(image, (x, rect.top + pad - theme.px(2)))
        small = theme.body(16, "italic")
        surface.blit(small.render(detail, p.on_red if focused and enabled else p.muted), (x, rect.top + pad + image.get_height()))
    else:
        surface.blit(image, image.get_rect(midleft=(x, rect.centery)))
    if focused and enabled:
        tip = rect.right - theme.px(10)
        pygame.draw.polygon(surface, p.on_red, [(tip, rect.centery), (tip - theme.px(14), rect.centery - theme.px(8)),
                                                (tip - theme.px(14), rect.centery + theme.px(8))])


def hint_bar(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, hints: Sequence[tuple[str, str]], dark: bool = False) -> None:
    """Key hints along the bottom ("N note", ...), so keyboard use is discoverable."""
    p = theme.palette
    font = theme.label(15)
    x = rect.left
    for key, what in hints:
        box = pygame.Rect(x, 0, glyph_width(font, key) + theme.px(10), font.height + theme.px(2))
        box.centery = rect.centery
        pygame.draw.rect(surface, p.red, box)
        glyph_text(surface, font, key, p.on_red, box.center)
        w = font.render(what, p.on_dark if dark else p.muted)
        surface.blit(w, w.get_rect(midleft=(box.right + theme.px(6), rect.centery)))
        x = box.right + theme.px(6) + w.get_width() + theme.px(18)
        if x > rect.right:
            break


class QuickBar:
    """Clickable key hints ("J Journal", ...): the mouse way to every keyboard command."""

    def __init__(self, items: Sequence[tuple[str, str, Kind]]):
        self.items = list(items)
        self.rects: list[pygame.Rect] = []
        self.key_rects: list[pygame.Rect] = []

    def layout(self, theme: Theme, rect: pygame.Rect) -> None:
        self.font = theme.label(15)
        self.theme = theme
        self.rects, self.key_rects = [], []
        x = rect.left
        for key, label, _ in self.items:
            kw = glyph_width(self.font, key) + theme.px(10)
            lw = self.font.width(label)
            h = self.font.height + theme.px(2)
            box = pygame.Rect(x, rect.centery - h // 2, kw, h)
            self.key_rects.append(box)
            self.rects.append(pygame.Rect(x, rect.top, kw + theme.px(6) + lw, rect.height))
            x += kw + theme.px(6) + lw + theme.px(16)

    def handle(self, action: Action) -> Kind | None:
        if action.kind == Kind.CLICK:
            for r, (_, _, kind) in zip(self.rects, self.items):
                if r.collidepoint(action.pos):
                    return kind
        return None

    def draw(self, surface: pygame.Surface, dark: bool = False, enabled: Sequence[bool] | None = None) -> None:
        p = self.theme.palette
        for i, ((key, label, _), box, r) in enumerate(zip(self.items, self.key_rects, self.rects)):
            on = enabled is None or enabled[i]
            pygame.draw.rect(surface, p.red if on else p.disabled, box)
            glyph_text(surface, self.font, key, p.on_red, box.center)
            w = self.font.render(label, (p.on_dark if dark else p.muted) if on else p.disabled)
            surface.blit(w, w.get_rect(midleft=(box.right + self.theme.px(6), r.centery)))


def more_marker(surface: pygame.Surface, theme: Theme, anchor: tuple[int, int], label: str = "▼ MORE · PGDN", where: str = "bottomright") -> None:
    """A small red tag saying that the content goes on below."""
    p = theme.palette
    font = theme.label(14)
    box = pygame.Rect(0, 0, glyph_width(font, label) + theme.px(14), font.height + theme.px(4))
    setattr(box, where, anchor)
    pygame.draw.rect(surface, p.red, box)
    glyph_text(surface, font, label, p.on_red, box.center)


def dialog_panel(surface: pygame.Surface, theme: Theme, panel: pygame.Rect, title_font: Font, title: str, top: int) -> pygame.Rect:
    """The paper panel of a dialog with its red edge and upper-case title; returns the title's rect."""
    pygame.draw.rect(surface, theme.palette.paper, panel)
    pygame.draw.rect(surface, theme.palette.red, pygame.Rect(panel.left, panel.top, theme.px(10), panel.height))
    frame(surface, theme, panel)
    return text(surface, title_font, title.upper(), theme.palette.ink, (panel.left + theme.px(40), panel.top + top))


def frame(surface: pygame.Surface, theme: Theme, panel: pygame.Rect) -> None:
    """A panel's edge: in high contrast a white frame, so a black panel over the dimmed black
    page is seen as a panel; in the poster colours a thin dark line."""
    if theme.settings.high_contrast:
        pygame.draw.rect(surface, theme.palette.ink, panel, max(2, theme.px(3)))
    else:
        pygame.draw.rect(surface, theme.palette.rule, panel, max(1, theme.px(1)))


def fade(width: int, height: int, colour: Color, *, downwards: bool) -> pygame.Surface:
    """A strip that fades into ``colour``: laid over the edge of scrolling text, it shows
    that the text goes on. ``downwards`` grows opaque towards the bottom."""
    strip = pygame.Surface((width, height), pygame.SRCALPHA)
    for y in range(height):
        alpha = int(255 * (y if downwards else height - 1 - y) / max(1, height - 1))
        pygame.draw.line(strip, (*colour[:3], alpha), (0, y), (width, y))
    return strip
