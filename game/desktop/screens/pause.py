"""The game menu over a scene (Escape): resume, save, load, journal, settings, title, quit."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import button, frame, Menu, text

ITEMS = (("resume", "Return to the story"), ("save", "Save"), ("load", "Load"), ("journal", "Journal"),
         ("glossary", "Who's who and glossary"), ("timeline", "Timeline"),
         ("settings", "Settings"), ("title", "Title screen"), ("quit", "Quit"))


class PauseScreen(Overlay):
    def __init__(self) -> None:
        super().__init__()
        self.menu = Menu([True] * len(ITEMS), numbered=True)

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        bh, gap = t.px(46), t.px(8)
        pw = t.px(420)
        ph = t.px(110) + len(ITEMS) * (bh + gap) + t.px(30)
        self.panel = pygame.Rect(0, 0, pw, ph)
        self.panel.center = (w // 2, h // 2)
        y = self.panel.top + t.px(110)
        self.menu.rects = []
        for _ in ITEMS:
            self.menu.rects.append(pygame.Rect(self.panel.left + t.px(36), y, pw - t.px(72), bh))
            y += bh + gap
        self.title_font = t.display(52)
        self.item_font = t.body(20, "bold")

    def handle(self, action: Action) -> None:
        if action.kind == Kind.BACK:
            self.dismiss()
            return
        chosen = self.menu.handle(action)
        if chosen is None:
            return
        item = ITEMS[chosen][0]
        app = self.app
        from game.desktop.screens.journal import JournalScreen
        from game.desktop.screens.saveload import SaveLoadScreen
        from game.desktop.screens.settings import SettingsScreen
        from game.desktop.screens.title import TitleScreen
        if item == "resume":
            self.dismiss()
        elif item == "save":
            self.dismiss()
            app.push(SaveLoadScreen("save"))
        elif item == "load":
            self.dismiss()
            app.push(SaveLoadScreen("load"))
        elif item == "journal":
            self.dismiss()
            app.push(JournalScreen())
        elif item in ("glossary", "timeline"):  # the reading aids, for the mouse too (keys G and T)
            from game.desktop.screens.glossary import GlossaryScreen
            from game.desktop.screens.timeline import TimelineScreen
            self.dismiss()
            app.push(GlossaryScreen() if item == "glossary" else TimelineScreen())
        elif item == "settings":
            self.dismiss()
            app.push(SettingsScreen())
        elif item == "title":
            app.reset(TitleScreen())  # the run is autosaved after every choice: Continue finds it
        elif item == "quit":
            app.ask_quit()

    def voice_text(self) -> str:
        return "Menu."

    def voice_focus(self) -> str:
        return f"{self.menu.focus + 1}: {ITEMS[self.menu.focus][1]}"

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t, p = self.theme, self.theme.palette
        pygame.draw.rect(surface, p.paper, self.panel)
        frame(surface, t, self.panel)
        pygame.draw.polygon(surface, p.red, [self.panel.topleft, (self.panel.left + t.px(150), self.panel.top),
                                             (self.panel.left, self.panel.top + t.px(90))])
        text(surface, self.title_font, "MENU", p.ink, (self.panel.left + t.px(60), self.panel.top + t.px(30)))
        for i, (_, label) in enumerate(ITEMS):
            button(surface, t, self.menu.rects[i], label, focused=i == self.menu.focus, number=i + 1, font=self.item_font)
