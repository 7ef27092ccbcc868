"""Character select: each playable Old Bolshevik with a portrait, biography, and 1923 in words.

The hidden numbers are never shown here: the ``standing`` text says where he stands.
Hands the chosen character id (or None) back to the screen that opened it.
"""

from __future__ import annotations

import pygame

from game.desktop import art
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker, reading_layout, red_bar
from game.desktop.screens.base import Screen
from game.desktop.widgets import Menu, Paragraphs, Scroll, button, fade, hint_bar, more_marker, text


class CharacterScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.scroll = Scroll()

    def enter(self) -> None:
        self.ids = list(self.app.story.characters)
        self.tabs = Menu([True] * len(self.ids), numbered=True)

    @property
    def focused(self) -> str:
        return self.ids[self.tabs.focus]

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        self.layout()

    def layout(self) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        rl = reading_layout(t, self.size, art_share=0.36)
        self.rl = rl
        col = rl.column
        self.portrait = art.portrait(self.focused, rl.art.size, p)
        # Tabs: one per character, across the top of the column.
        n = len(self.ids)
        gap = t.px(8)
        tab_w = (col.width - gap * (n - 1)) // max(1, n)
        top = col.top + t.px(30)
        self.tabs.rects = [pygame.Rect(col.left + i * (tab_w + gap), top, tab_w, t.px(44)) for i in range(n)]
        self.tab_font = t.label(17) if tab_w < t.px(170) else t.label(19)
        # Details.
        who = self.app.story.characters[self.focused]
        self.name_font = t.display(60)
        self.detail_top = top + t.px(44) + t.px(24)
        self.begin = pygame.Rect(col.left, col.bottom - t.px(50), max(t.px(260), min(col.width - t.px(160), t.px(420))), t.px(50))
        self.fades = (fade(col.width, t.line_height, p.paper, downwards=False), fade(col.width, t.line_height, p.paper, downwards=True))
        self.viewport = pygame.Rect(col.left, self.detail_top, col.width, self.begin.top - t.px(16) - self.detail_top)
        born = f"Born {who.born}" if who.born else ""
        self.subtitle = " · ".join(x for x in (who.title, born) if x)
        self.sub = Paragraphs(self.subtitle, t.body(18, "italic"), col.width, round(t.px(18) * 1.4), p.muted)
        self.bio = Paragraphs(who.bio, t.body(), col.width, t.line_height, p.ink)
        self.standing = Paragraphs(who.standing, t.body(), col.width, t.line_height, p.ink)
        self.section = t.label(17)
        content = (self.name_font.height + self.sub.height + t.px(32) + self.section.height + t.px(8) + self.bio.height
                   + t.px(24) + self.section.height + t.px(8) + self.standing.height)
        self.scroll.set_size(content, self.viewport.height, t.line_height)

    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.BACK:
            self.dismiss(None)
            return
        if k in (Kind.UP, Kind.DOWN):  # arrows across the tabs are left/right; up/down scroll the text
            self.scroll.handle(action)
            return
        if self.scroll.handle(action, arrows=False):
            return
        if k == Kind.CONFIRM or (k == Kind.CLICK and self.begin.collidepoint(action.pos)):
            self.dismiss(self.focused)
            return
        before = self.tabs.focus
        self.tabs.handle(action)
        if self.tabs.focus != before:
            self.scroll.offset = 0
            self.layout()

    def voice_text(self) -> str:
        from game.desktop.voice import join
        who = self.app.story.characters[self.focused]
        return join(["Choose your Old Bolshevik", who.name, self.subtitle, who.bio, "Where you stand in 1923", who.standing,
                     "Enter begins; left and right choose another"])

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        surface.blit(self.portrait, self.rl.art.topleft)
        col = self.rl.column
        surface.blit(kicker(t, "Choose your Old Bolshevik"), (col.left, col.top - t.px(6)))
        for i, cid in enumerate(self.ids):
            r = self.tabs.rects[i]
            on = i == self.tabs.focus
            pygame.draw.rect(surface, p.red if on else p.highlight, r)
            name = self.app.story.characters[cid].name
            label = f"{i + 1}  {name.split()[-1].upper()}" if len(name) > 0 else str(i + 1)
            img = self.tab_font.render(label, p.on_red if on else p.ink)
            surface.blit(img, img.get_rect(center=r.center))
        who = self.app.story.characters[self.focused]
        old = surface.get_clip()
        surface.set_clip(self.viewport)
        y = self.viewport.top - self.scroll.offset
        r = text(surface, self.name_font, who.name.upper(), p.ink, (col.left, y))
        y = r.bottom
        self.sub.draw(surface, col.left, y)
        y += self.sub.height + t.px(10)
        red_bar(surface, t, col.left, y)
        y += t.px(22)
        surface.blit(self.section.render("WHO HE IS", p.red), (col.left, y))
        y += self.section.height + t.px(8)
        self.bio.draw(surface, col.left, y, clip=self.viewport)
        y += self.bio.height + t.px(24)
        surface.blit(self.section.render("WHERE YOU STAND IN 1923", p.red), (col.left, y))
        y += self.section.height + t.px(8)
        self.standing.draw(surface, col.left, y, clip=self.viewport)
        # Text scrolled past either edge fades out rather than being cut through a line; the
        # "more" tag sits beside the Begin button, below the text, never over it.
        if self.scroll.offset > 0:
            surface.blit(self.fades[0], self.viewport.topleft)
        if self.scroll.offset < self.scroll.max_offset:
            surface.blit(self.fades[1], (self.viewport.left, self.viewport.bottom - self.fades[1].get_height()))
        surface.set_clip(old)
        if self.scroll.offset < self.scroll.max_offset:
            more_marker(surface, t, (col.right, self.begin.centery), "▼ MORE · PGDN", "midright")
        button(surface, t, self.begin, f"Begin as {who.name}", focused=True)
        hint_bar(surface, t, self.rl.hints, [("1-9 ←→", "choose"), ("Enter", "begin"), ("PgUp/PgDn", "scroll"), ("Esc", "back")])
