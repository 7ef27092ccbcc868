"""Chapter select: begin any year as any character, where his real history stood then.

Opened from the title screen ("Chapters"). Left and right (or the tabs) choose the man,
up and down (or 1-5, or a click) the year, Enter (or the Begin button) starts: the run is
his documented historical path (``game.classroom.historical``) replayed to the chapter's
first scene, so the forces are where history left them and undo walks back along what he
really did. The year's real events, from the story's timeline, say what the chapter holds.
"""

from __future__ import annotations

import pygame

from game.classroom import historical, timeline
from game.dates import pretty_date
from game.desktop import art
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker, reading_layout
from game.desktop.screens.base import Screen
from game.desktop.widgets import Menu, Paragraphs, Scroll, button, fade, hint_bar, more_marker, shorten, text
from game.engine import State


class ChaptersScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()
        self.message = ""

    def enter(self) -> None:
        story = self.app.story
        self.ids = list(story.characters)
        self.years = list(historical.chapters(story))
        self.tabs = Menu([True] * len(self.ids))
        #: Each character's historical run, or why he has none (the rows then say so).
        self.runs: dict[str, list[State] | str] = {}
        for cid in self.ids:
            try:
                self.runs[cid] = historical.historical_run(story, cid)
            except historical.ChapterError as exc:
                self.runs[cid] = str(exc)
        first = next((i for i, c in enumerate(self.ids) if isinstance(self.runs[c], list)), 0)
        self.tabs.focus = first
        self.rows = Menu([True] * len(self.years), numbered=True, wrap=False)

    # ---- what is chosen ------------------------------------------------------------------
    @property
    def character(self) -> str:
        return self.ids[self.tabs.focus or 0]

    @property
    def year(self) -> int:
        return self.years[self.rows.focus or 0]

    def start_of(self, cid: str, year: int) -> State | None:
        """The state the chapter begins in for ``cid``, or None."""
        run = self.runs.get(cid)
        if not isinstance(run, list):
            return None
        return next((s for s in run if historical.chapter_of(self.app.story, s.scene) == year), None)

    # ---- layout --------------------------------------------------------------------------
    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        self.layout()

    def layout(self) -> None:
        t, p = self.theme, self.theme.palette
        story = self.app.story
        rl = reading_layout(t, self.size, art_share=0.34)
        self.rl = rl
        col = rl.column
        self.poster = art.poster(f"chapter:{self.year}", rl.art.size, p, str(self.year))
        self.title_font = t.display(54)
        self.kicker_img = kicker(t, "Begin a chapter where history stood")
        self.title_y = col.top + self.kicker_img.get_height()
        top = self.title_y + self.title_font.height + t.px(4)
        n = len(self.ids)
        gap = t.px(8)
        tab_w = (col.width - gap * (n - 1)) // max(1, n)
        self.tabs.rects = [pygame.Rect(col.left + i * (tab_w + gap), top, tab_w, t.px(40)) for i in range(n)]
        self.tab_font = t.label(17)
        y = top + t.px(40) + t.px(14)
        # One row a chapter: the year, and the scene it opens with for this man.
        self.row_font = t.body(19, "bold")
        row_h = max(t.px(42), self.row_font.height + t.px(12))
        self.rows.enabled = [self.start_of(self.character, yr) is not None for yr in self.years]
        if self.rows.focus is not None and not self.rows.enabled[self.rows.focus]:
            self.rows.focus = next((i for i, ok in enumerate(self.rows.enabled) if ok), None)
        self.rows.rects = []
        for _ in self.years:
            self.rows.rects.append(pygame.Rect(col.left, y, col.width, row_h))
            y += row_h + t.px(6)
        self.begin = pygame.Rect(col.left, col.bottom - t.px(48), max(t.px(240), min(col.width - t.px(170), t.px(440))),
                                 t.px(48))
        # What the chapter holds: the year's real events, and where the run begins.
        self.viewport = pygame.Rect(col.left, y + t.px(8), col.width, max(t.px(20), self.begin.top - t.px(12) - y - t.px(8)))
        self.section = t.label(16)
        events = [e.title for e in timeline.events(story) if e.date.startswith(str(self.year))]
        who = story.characters[self.character]
        run = self.runs.get(self.character)
        if isinstance(run, str):
            about = f"There is no historical run to begin from for {who.name}: {run}"
        else:
            begin = self.start_of(self.character, self.year)
            scene = story.scenes[begin.scene] if begin else None
            where = f"“{scene.title}”, {pretty_date(scene.date)}" if scene else "the chapter's first scene"
            taken = len(begin.path) if begin else 0
            about = (f"You begin at {where}, with every choice before it the one {who.name.split()[-1]} really made "
                     f"({taken} of them): the forces stand where history left them.")
            if events:
                about += " That year: " + " · ".join(events) + "."
        body = t.small(factor=0.85)
        self.about = Paragraphs(about, body, col.width, round(body.height * 1.35), p.ink)
        self.scroll.set_size(self.about.height, self.viewport.height, round(body.height * 1.35))
        self.fades = (fade(col.width, t.px(18), p.paper, downwards=False), fade(col.width, t.px(18), p.paper, downwards=True))

    # ---- input ---------------------------------------------------------------------------
    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.BACK:
            self.dismiss(None)
            return
        if self.scroll.handle(action, arrows=False):
            return
        if k in (Kind.LEFT, Kind.RIGHT):
            self.tabs.move(-1 if k == Kind.LEFT else 1)
            self.changed()
            return
        if k in (Kind.UP, Kind.DOWN):
            self.rows.move(-1 if k == Kind.UP else 1)
            self.changed()
            return
        if k == Kind.CLICK:
            if self.begin.collidepoint(action.pos):
                self.start()
                return
            tab = self.tabs.hit(action.pos)
            if tab is not None:
                self.tabs.focus = tab
                self.changed()
                return
            row = self.rows.hit(action.pos)
            if row is not None and self.rows.enabled[row]:
                if row == self.rows.focus:
                    self.start()  # a second click on the chosen year begins it
                else:
                    self.rows.focus = row
                    self.changed()
            return
        if k == Kind.POINT:
            self.rows.hover = self.rows.hit(action.pos)
            return
        if k == Kind.CHOOSE:
            i = action.number - 1
            if 0 <= i < len(self.years) and self.rows.enabled[i]:
                self.rows.focus = i
                self.changed()
            return
        if k == Kind.CONFIRM:
            self.start()

    def changed(self) -> None:
        self.message = ""
        self.scroll.offset = 0
        self.layout()

    def start(self) -> None:
        """Begin the chosen chapter as the chosen man, from his historical run."""
        from game.desktop.screens.chapter import ChapterCard
        from game.desktop.session import Run
        from game.engine import view
        app = self.app
        try:
            states = historical.chapter_start(app.story, self.character, self.year)
        except historical.ChapterError as exc:
            self.message = str(exc)
            return
        app.run = Run(app.story, states)
        app.show_run()
        card = ChapterCard.for_scene(app.story, view(app.story, app.run.state))
        if card is not None:
            app.push(card)

    # ---- voice ---------------------------------------------------------------------------
    def voice_text(self) -> str:
        from game.desktop.voice import join
        return join(["Chapters. Left and right choose the man, up and down the year, Enter begins",
                     " ".join(line.text for line in self.about.block.lines)])

    def voice_focus(self) -> str:
        who = self.app.story.characters[self.character].name
        return f"{self.year}, as {who}"

    # ---- drawing -------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        story = self.app.story
        surface.fill(p.paper)
        surface.blit(self.poster, self.rl.art.topleft)
        col = self.rl.column
        surface.blit(self.kicker_img, (col.left, col.top))
        text(surface, self.title_font, "CHAPTERS", p.ink, (col.left, self.title_y))
        for i, cid in enumerate(self.ids):
            r = self.tabs.rects[i]
            on = i == self.tabs.focus
            pygame.draw.rect(surface, p.red if on else p.highlight, r)
            name = story.characters[cid].name.split()[-1].upper()
            img = self.tab_font.render(name, p.on_red if on else p.ink)
            surface.blit(img, img.get_rect(center=r.center))
        for i, year in enumerate(self.years):
            r = self.rows.rects[i]
            begin = self.start_of(self.character, year)
            scene = story.scenes[begin.scene] if begin else None
            label = f"{year}  ·  {scene.title if scene else 'no historical run reaches it'}"
            button(surface, t, r, shorten(self.row_font, label, r.width - t.px(100)), focused=i == self.rows.focus,
                   enabled=self.rows.enabled[i], number=i + 1, font=self.row_font)
        old = surface.get_clip()
        surface.set_clip(self.viewport)
        self.about.draw(surface, self.viewport.left, self.viewport.top - self.scroll.offset, clip=self.viewport)
        if self.scroll.offset > 0:
            surface.blit(self.fades[0], self.viewport.topleft)
        if self.scroll.offset < self.scroll.max_offset:
            surface.blit(self.fades[1], (self.viewport.left, self.viewport.bottom - self.fades[1].get_height()))
        surface.set_clip(old)
        who = story.characters[self.character].name.split()[-1]
        can = self.rows.focus is not None and self.rows.enabled[self.rows.focus]
        button(surface, t, self.begin, f"Begin {self.year} as {who}", focused=can, enabled=can)
        if self.scroll.offset < self.scroll.max_offset:
            more_marker(surface, t, (col.right, self.begin.centery), "▼ MORE · PGDN", "midright")
        if self.message:
            img = t.label(15).render(shorten(t.label(15), self.message, col.width), p.red)
            surface.blit(img, (col.left, self.begin.top - img.get_height() - t.px(4)))
        hint_bar(surface, t, self.rl.hints, [("←→", "who"), (f"↑↓ 1-{len(self.years)}", "year"), ("Enter", "begin"), ("Esc", "back")])
