"""The title screen: continue, new game, load, settings, endings gallery, quit."""

from __future__ import annotations

import pygame

from game import saves
from game.desktop import art
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker_at
from game.desktop.screens.base import Screen
from game.dates import pretty_date
from game.desktop.widgets import Menu, button, hint_bar, shorten, text

ITEMS = ("continue", "new", "chapters", "load", "settings", "endings", "quit")
LABELS = {"continue": "Continue", "new": "New game", "chapters": "Chapters", "load": "Load", "settings": "Settings",
          "endings": "Endings", "quit": "Quit"}


class TitleScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.latest: saves.SaveInfo | None = None
        self.menu = Menu([True] * len(ITEMS), wrap=False)  # Up from the top never lands on Quit

    def enter(self) -> None:
        self.refresh()

    def resume(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Look again for an autosave to continue (one may have been written since)."""
        path = self.app.latest_autosave()
        self.latest = None
        if path is not None:
            try:
                self.latest = saves.info(path)
            except saves.SaveError:
                self.latest = None
        focus = self.menu.focus
        self.menu = Menu([item != "continue" or self.latest is not None for item in ITEMS], wrap=False)
        if self.menu.enabled[focus] and focus != 0:
            self.menu.focus = focus
        if self.size != (0, 0):
            self.resize(self.size)

    def continue_detail(self) -> str:
        """Who and when, on the Continue button's first line (the scene's title goes below)."""
        if self.latest is None:
            return "No autosave yet"
        story = self.app.story
        who = story.characters[self.latest.character].name if story and self.latest.character in story.characters else self.latest.character
        return f"{who} · {pretty_date(self.latest.story_date)}"

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        self.panel_w = max(t.px(470), int(w * 0.42))
        self.art = art.poster("title-screen", (w - self.panel_w + t.px(120), h), t.palette, "1923")
        self.kicker_font = t.label(17)
        self.title_font = t.display(118)
        self.sub_font = t.display(38)
        self.item_font = t.body(22, "bold")
        x = t.px(64)
        y = t.px(300)
        bw = self.panel_w - x - t.px(150)  # clear of the diagonal cut into the poster
        self.menu.rects = []
        small, gap = (t.px(46), t.px(8)) if len(ITEMS) <= 6 else (t.px(40), t.px(6))  # seven items still clear the hints
        for item in ITEMS:
            bh = t.px(88) if item == "continue" else small
            self.menu.rects.append(pygame.Rect(x, y, bw, bh))
            y += bh + gap

    def handle(self, action: Action) -> None:
        if action.kind == Kind.BACK:
            return
        if action.kind == Kind.LOAD:
            self.activate("load")
            return
        if action.kind == Kind.SETTINGS:
            self.activate("settings")
            return
        chosen = self.menu.handle(action)
        if chosen is not None:
            self.activate(ITEMS[chosen])

    def activate(self, item: str) -> None:
        from game.desktop.screens.character import CharacterScreen
        from game.desktop.screens.gallery import GalleryScreen
        from game.desktop.screens.saveload import SaveLoadScreen
        from game.desktop.screens.settings import SettingsScreen
        app = self.app
        if item == "continue" and self.latest is not None:
            app.load_game(self.latest.path)
        elif item == "new":
            app.push(CharacterScreen(), self.chosen)
        elif item == "chapters":
            from game.desktop.screens.chapters import ChaptersScreen
            app.push(ChaptersScreen())
        elif item == "load":
            app.push(SaveLoadScreen("load"))
        elif item == "settings":
            app.push(SettingsScreen())
        elif item == "endings":
            app.push(GalleryScreen())
        elif item == "quit":
            app.ask_quit()

    def voice_text(self) -> str:
        return "Lenin's Testament. The title screen."

    def voice_focus(self) -> str:
        item = ITEMS[self.menu.focus]
        detail = self.continue_detail() if item == "continue" else ""
        if item == "continue" and self.latest is not None:
            detail += f", {self.latest.scene_title}"
        return f"{LABELS[item]}. {detail}" if detail else LABELS[item]

    def chosen(self, character: str | None) -> None:
        if character:
            self.app.new_game(character)

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.blit(self.art, (self.panel_w - t.px(120), 0))
        # The cream panel, cut on a diagonal into the poster.
        cut = t.px(120)
        pygame.draw.polygon(surface, p.paper, [(0, 0), (self.panel_w, 0), (self.panel_w - cut, h), (0, h)])
        pygame.draw.polygon(surface, p.red, [(self.panel_w, 0), (self.panel_w + t.px(22), 0), (self.panel_w - cut + t.px(22), h),
                                             (self.panel_w - cut, h)])
        x = t.px(64)
        kicker_at(surface, t, "THE SUCCESSION STRUGGLE · 1923-1927", p.red, (x + t.px(3), t.px(54)))
        r = text(surface, self.title_font, "LENIN'S", p.ink, (x, t.px(70)))
        r2 = text(surface, self.title_font, "TESTAMENT", p.red, (x, r.bottom - t.px(30)))
        text(surface, self.sub_font, "ЗАВЕЩАНИЕ ЛЕНИНА", p.ink, (x + t.px(3), r2.bottom - t.px(26)))
        for i, item in enumerate(ITEMS):
            detail = self.continue_detail() if item == "continue" else ""
            rect = self.menu.rects[i]
            if detail:
                detail = shorten(t.body(16, "italic"), detail, rect.width - t.px(60))
            button(surface, t, rect, LABELS[item], focused=i == self.menu.focus,
                   enabled=self.menu.enabled[i], detail=detail, font=self.item_font)
            if item == "continue" and self.latest is not None:  # the scene, on a line of its own
                small = t.body(16, "italic")
                line = shorten(small, self.latest.scene_title, rect.width - t.px(60))
                y = rect.top + t.px(14) - t.px(2) + self.item_font.height + small.height
                text(surface, small, line, p.on_red if i == self.menu.focus else p.muted, (rect.left + t.px(14), y))
        hint_bar(surface, t, pygame.Rect(x, h - t.px(42), self.panel_w - x - cut, t.px(30)),
                 [("↑↓", "choose"), ("Enter", "select"), ("F11", "full screen")])
