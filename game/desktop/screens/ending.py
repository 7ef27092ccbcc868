"""The ending, in four pages: what became of you; the hidden forces revealed; what really happened;
and what in your story was real (``screens/real.py``).

The second page shows the hidden variables one at a time, in words, with a chart over the
years and the choices that moved each most (``forces_view``). The page tabs click, and keys
1-3 go to them. Reaching an ending records it in the gallery (done by the scene screen, at
the moment of the last choice); its transcript is written once per run (``transcripts``).
"""

from __future__ import annotations

import pygame

from game.analysis.why import HEADING as WHY_HEADING, explain
from game.desktop import art
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker, reading_layout, red_bar
from game.classroom.transcript import ADVISORY
from game.classroom.forces import Force, forces
from game.desktop.forces_view import ForcesPage
from game.desktop.transcripts import transcript_for
from game.desktop.screens.base import Screen
from game.dates import pretty_date
from game.engine.play import view
from game.desktop.widgets import Paragraphs, QuickBar, Scroll, fade, glyph_text, more_marker, text

PAGES = ("The end", "The hidden forces", "What really happened", "What was real")  # the last: screens/real.py


class EndingScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.scroll = Scroll()
        self.quick = QuickBar([("←", "Previous", Kind.LEFT), ("→ Enter", "Next", Kind.RIGHT),
                               ("⌫", "Undo last choice", Kind.UNDO), ("Esc", "Title", Kind.BACK)])

    def enter(self) -> None:
        run = self.app.run
        story = self.app.story
        self.state = run.state
        self.ending = story.ending(self.state.ending)
        self.scene = story.scenes[self.state.scene]
        self.who = self.state.character
        self.view = view(story, self.state)
        self.forces: list[Force] = forces(story, self.state)
        self.forces_page = ForcesPage(story, self.state, self.forces)
        # Every finished run leaves a transcript a student can hand in, as in text play: one
        # per run, however often its ending is opened again (Continue, a load, undo and redo).
        try:
            self.transcript = transcript_for(story, self.state, self.app.saves_dir())
        except OSError:
            self.transcript = None

    # Layout ------------------------------------------------------------------
    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        self.rl = reading_layout(t, size)
        self.quick.layout(t, self.rl.hints if self.page != 1 else pygame.Rect(t.px(56), size[1] - t.px(34), size[0] - t.px(112), t.px(34)))
        self.scroll.offset = 0
        [self.layout_end, self.layout_forces, self.layout_history, self.layout_real][self.page]()
        self.layout_tabs()
        self.fade = fade(self.rl.column.width + t.px(20), t.line_height, t.palette.paper, downwards=True)

    def layout_tabs(self) -> None:
        """The page tabs at the right of the bottom bar: clickable, and numbered for the keys 1-3."""
        t, p = self.theme, self.theme.palette
        w, h = self.size
        bar = self.quick.rects[0] if self.quick.rects else pygame.Rect(0, h - t.px(34), 0, t.px(34))
        font = t.label(15)
        x = w - t.px(24)
        quick_right = max((r.right for r in self.quick.rects), default=0)
        full = sum(font.size(f"{i + 1} {name.upper()}")[0] + t.px(18) for i, name in enumerate(PAGES))
        short = x - full < quick_right + t.px(12)  # in a narrow bar the tabs keep only their numbers
        self.tabs: list[tuple[pygame.Rect, str]] = []
        for i in reversed(range(len(PAGES))):
            label = f"{i + 1}" if short else f"{i + 1} {PAGES[i].upper()}"
            box = pygame.Rect(0, 0, font.width(label) + t.px(12), font.height + t.px(4))
            box.midright = (x, bar.centery)
            self.tabs.insert(0, (box, label))
            x = box.left - t.px(6)
        self.tab_font = font

    def layout_end(self) -> None:
        t, p = self.theme, self.theme.palette
        col = self.rl.column
        self.art = art.poster(f"ending:{self.ending.id}", self.rl.art.size, p, "1927")
        items = []
        place = " · ".join(x for x in (pretty_date(self.scene.date), self.view.place) if x)
        items.append(("img", kicker(t, place)))
        title_font = t.display(48)  # wrapped, so a long title fits a narrow window at any size
        items.append(("para", Paragraphs(self.scene.title.upper(), title_font, col.width, round(title_font.height * 0.92), p.ink, 0)))
        items.append(("gap", t.px(8)))
        items.append(("para", Paragraphs(self.view.text, t.body(), col.width, t.line_height, p.ink)))
        items.append(("gap", t.px(28)))
        items.append(("bar", 0))
        items.append(("img", kicker(t, "The end")))
        items.append(("para", Paragraphs(self.ending.title.upper(), t.display(64), col.width, round(t.display(64).height * 0.9), p.red, 0)))
        items.append(("gap", t.px(10)))
        items.append(("para", Paragraphs(self.view.ending_text, t.body(), col.width, t.line_height, p.ink)))
        # Why this ending: the force or act that decided it and what the nearest other lacked,
        # in the body face at the reader's own text size, so it reads at every setting.
        why = explain(self.app.story, self.state)
        if why is not None and why.paragraphs:
            items.append(("gap", t.px(24)))
            items.append(("img", kicker(t, WHY_HEADING)))
            items.append(("gap", t.px(6)))
            items.append(("para", Paragraphs("\n\n".join(why.paragraphs), t.body(), col.width, t.line_height, p.ink)))
        epilogue = self.view.epilogue
        if epilogue:
            items.append(("gap", t.px(24)))
            items.append(("img", kicker(t, "Afterwards")))
            items.append(("gap", t.px(6)))
            # Before the 1930s are told: the classroom guide promises the warning here too.
            items.append(("para", Paragraphs(ADVISORY, t.body(17, "italic"), col.width, round(t.px(17) * 1.5), p.muted)))
            items.append(("gap", t.px(10)))
            items.append(("para", Paragraphs(epilogue, t.body(), col.width, t.line_height, p.ink)))
        self.set_items(items)

    def layout_history(self) -> None:
        t, p = self.theme, self.theme.palette
        col = self.rl.column
        self.art = art.poster(f"history:{self.ending.id}", self.rl.art.size, p, "1927")
        history = self.view.history or "The story has no historical epilogue for this ending."
        items = [("img", kicker(t, "The historical epilogue")),
                 ("para", Paragraphs("WHAT REALLY HAPPENED", t.display(64), col.width, round(t.display(64).height * 0.9), p.ink, 0)),
                 ("bar", 0), ("gap", t.px(14)),
                 ("para", Paragraphs(history, t.body(), col.width, t.line_height, p.ink))]
        if self.transcript is not None:
            items += [("gap", t.px(24)), ("img", kicker(t, "A transcript of this run")), ("gap", t.px(4)),
                      ("para", Paragraphs(str(self.transcript), t.body(16, "italic"), col.width, round(t.px(16) * 1.5), p.muted))]
        self.set_items(items)

    def layout_real(self) -> None:
        """What in the run was real: each turn away from history, and what happened instead."""
        from game.desktop.screens import real
        self.art = art.poster(f"real:{self.ending.id}", self.rl.art.size, self.theme.palette, "1927")
        self.set_items(real.items(self))

    def set_items(self, items: list) -> None:
        """Stack the page's pieces top to bottom; draw blits them at these offsets."""
        t = self.theme
        y = 0
        placed = []
        for kind, thing in items:
            placed.append((kind, thing, y))
            if kind == "img":
                y += thing.get_height()
            elif kind == "para":
                y += thing.height
            elif kind == "gap":
                y += thing
            elif kind == "bar":
                y += t.px(18)
        self.items = placed
        self.scroll.set_size(y, self.rl.column.height, t.line_height)

    def layout_forces(self) -> None:
        """The hidden forces, one at a time in words (see ``forces_view``), at the reader's text size."""
        t = self.theme
        w, h = self.size
        m = t.px(56)
        self.forces_head = t.display(60)
        top = t.px(28) + t.label(17).height + self.forces_head.height
        self.forces_page.layout(t, pygame.Rect(m, top, w - 2 * m, h - top - t.px(50)))

    # Input -------------------------------------------------------------------
    def handle(self, action: Action) -> None:
        quick = self.quick.handle(action)
        if quick is not None:
            action = Action(quick)
        if action.kind == Kind.CLICK:
            for i, (box, _) in enumerate(self.tabs):
                if box.inflate(self.theme.px(6), self.theme.px(10)).collidepoint(action.pos):
                    self.show_page(i)
                    return
        if self.page == 1:
            if self.forces_page.handle(action):
                return
        elif self.scroll.handle(action):
            return
        k = action.kind
        if k in (Kind.RIGHT, Kind.CONFIRM):
            if self.page < len(PAGES) - 1:
                self.page += 1
                self.resize(self.size)
            else:
                self.to_title()
        elif k == Kind.LEFT and self.page > 0:
            self.page -= 1
            self.resize(self.size)
        elif k == Kind.CHOOSE and 1 <= action.number <= len(PAGES):
            self.show_page(action.number - 1)
        elif k == Kind.BACK:
            self.to_title()
        elif k == Kind.UNDO:
            run = self.app.run
            if run.undo():
                self.app.autosave()
                self.app.show_run()

    def show_page(self, page: int) -> None:
        if page != self.page:
            self.page = page
            self.resize(self.size)

    def to_title(self) -> None:
        from game.desktop.screens.title import TitleScreen
        self.app.reset(TitleScreen())

    # Self-voicing ------------------------------------------------------------
    def voice_text(self) -> str:
        from game.desktop.voice import join
        if self.page == 1:
            return join(["The hidden forces. Up and down choose a force"])
        paras = [" ".join(line.text for line in thing.block.lines) for kind, thing, _ in self.items if kind == "para"]
        return join([f"Page {self.page + 1} of {len(PAGES)}: {PAGES[self.page]}", *paras])

    def voice_focus(self) -> str:
        return self.forces_page.voice() if self.page == 1 else ""

    # Drawing -----------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        if self.page == 1:
            self.draw_forces(surface)
        else:
            surface.blit(self.art, (0, 0))
            col = self.rl.column
            old = surface.get_clip()
            surface.set_clip(col.inflate(t.px(20), 0))
            top = col.top - self.scroll.offset
            for kind, thing, y in self.items:
                if kind == "img":
                    surface.blit(thing, (col.left, top + y))
                elif kind == "para":
                    thing.draw(surface, col.left, top + y, clip=col)
                elif kind == "bar":
                    red_bar(surface, t, col.left, top + y, col.width)
            if self.scroll.offset < self.scroll.max_offset:  # the last line fades under the "more" tag
                surface.blit(self.fade, (col.left - t.px(10), col.bottom - self.fade.get_height()))
            surface.set_clip(old)
            pygame.draw.line(surface, p.rule, (self.rl.hints.left, self.rl.hints.top), (w - t.px(20), self.rl.hints.top))
            if self.scroll.offset < self.scroll.max_offset:
                more_marker(surface, t, (w - t.px(20), self.rl.hints.top - t.px(16)), "▼ MORE BELOW · PGDN", "midright")
        # Where we are among the pages, at the right of the bottom bar: tabs, each clickable.
        for i, (box, label) in enumerate(self.tabs):
            on = i == self.page
            if on:
                pygame.draw.rect(surface, p.red, box)
            else:
                pygame.draw.rect(surface, p.rule, box, max(1, t.px(1)))
            img = self.tab_font.render(label, p.on_red if on else p.ink)
            surface.blit(img, img.get_rect(center=box.center))
        self.quick.draw(surface, enabled=[self.page > 0, True, True, True])

    def draw_forces(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        m = t.px(56)
        pygame.draw.polygon(surface, p.red, [(w, 0), (w - t.px(300), 0), (w, t.px(120))])
        r = glyph_text(surface, t.label(17), "REVEALED AT LAST · ↑↓ CHOOSE A FORCE · PGDN READ ON", p.red,
                       (m + t.px(3), t.px(28)), "topleft")
        text(surface, self.forces_head, "THE HIDDEN FORCES", p.ink, (m, r.bottom))
        self.forces_page.draw(surface)
        pygame.draw.line(surface, p.rule, (m, h - t.px(40)), (w - t.px(20), h - t.px(40)))
