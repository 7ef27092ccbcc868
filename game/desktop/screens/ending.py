"""The ending, in three pages: what became of you; the hidden forces revealed; what really happened.

The second page draws each hidden variable over the run (recomputed by replaying the
path) with the choices that moved it most. Reaching an ending records it in the gallery
(done by the scene screen, at the moment of the last choice).
"""

from __future__ import annotations

import pygame

from game.analysis.why import HEADING as WHY_HEADING, explain
from game.desktop import art
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker, reading_layout, red_bar
from game.classroom.forces import Force, forces
from game.classroom.transcript import transcript_path, write_transcript
from game.desktop.screens.base import Screen
from game.dates import pretty_date
from game.engine.play import view
from game.desktop.widgets import Paragraphs, QuickBar, Scroll, more_marker, text

PAGES = ("The end", "The hidden forces", "What really happened")


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
        # Every finished run leaves a transcript a student can hand in, as in text play.
        try:
            self.transcript = write_transcript(story, self.state, transcript_path(self.app.saves_dir(), self.who))
        except OSError:
            self.transcript = None

    # Layout ------------------------------------------------------------------
    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        self.rl = reading_layout(t, size)
        self.quick.layout(t, self.rl.hints if self.page != 1 else pygame.Rect(t.px(56), size[1] - t.px(34), size[0] - t.px(112), t.px(34)))
        self.scroll.offset = 0
        [self.layout_end, self.layout_forces, self.layout_history][self.page]()

    def layout_end(self) -> None:
        t, p = self.theme, self.theme.palette
        col = self.rl.column
        self.art = art.poster(f"ending:{self.ending.id}", self.rl.art.size, p, "1927")
        items = []
        place = " · ".join(x for x in (pretty_date(self.scene.date), self.view.place) if x)
        items.append(("img", kicker(t, place)))
        items.append(("img", t.display(40).render(self.scene.title.upper(), p.ink)))
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
        t, p = self.theme, self.theme.palette
        w, h = self.size
        m = t.px(56)
        self.grid_top = t.px(130)
        cols = 3 if w >= t.px(1000) else 2
        gap = t.px(24)
        cell_w = (w - 2 * m - (cols - 1) * gap) // cols
        self.name_font = t.label(17)
        self.value_font = t.display(30)
        move_font = t.body(14)
        self.move_font = move_font
        self.desc_font = t.body(14, "italic")
        self.axis_font = t.label(12)
        flags = sorted(self.state.flags)
        self.flags_text = Paragraphs("Decisive acts: " + (", ".join(x.replace("_", " ") for x in flags) if flags else "none."),
                                     t.body(16, "italic"), w - 2 * m, round(t.px(16) * 1.4), p.muted)
        rows = (len(self.forces) + cols - 1) // cols
        fixed = self.name_font.height + self.desc_font.height + t.px(6) + t.px(8) + 2 * (move_font.height + t.px(2)) + t.px(6)
        # Charts shrink (down to a readable minimum) so that every force fits on one page.
        room = h - self.grid_top - t.px(40) - self.flags_text.height - rows * (fixed + gap)
        chart_h = max(t.px(36), min(t.px(86), room // max(1, rows)))
        cell_h = fixed + chart_h
        self.cells = []
        for i, f in enumerate(self.forces):
            r, c = divmod(i, cols)
            cell = pygame.Rect(m + c * (cell_w + gap), r * (cell_h + gap), cell_w, cell_h)
            chart = pygame.Rect(cell.left + t.px(26), cell.top + self.name_font.height + self.desc_font.height + t.px(6),
                                cell.width - t.px(26), chart_h)
            n = len(f.values)
            span = max(1, f.high - f.low)
            # A step line: each value holds until the choice that changes it.
            xs = [chart.left + chart.width * k // max(1, n) for k in range(n + 1)]
            ys = [chart.bottom - (v - f.low) * chart.height // span for v in f.values]
            pts = []
            for k, y in enumerate(ys):
                pts += [(xs[k], y), (xs[k + 1], y)]
            moves = []
            for mv in f.top_moves[:2]:
                label = f"{mv.delta:+d}  {mv.choice_text}"
                moves.append(_clip(move_font, label, cell.width))
            if not moves:
                moves.append("No choice moved it.")
            desc = _clip(self.desc_font, f.description, cell.width) if f.description else ""
            self.cells.append((f, cell, chart, pts, moves, desc))
        content = rows * (cell_h + gap) + self.flags_text.height
        self.forces_view = pygame.Rect(0, self.grid_top, w, h - self.grid_top - t.px(40))
        self.scroll.set_size(content, self.forces_view.height, t.line_height)
        self.rows_h = rows * (cell_h + gap)

    # Input -------------------------------------------------------------------
    def handle(self, action: Action) -> None:
        quick = self.quick.handle(action)
        if quick is not None:
            action = Action(quick)
        if self.scroll.handle(action):
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
            self.page = action.number - 1
            self.resize(self.size)
        elif k == Kind.BACK:
            self.to_title()
        elif k == Kind.UNDO:
            run = self.app.run
            if run.undo():
                self.app.autosave()
                self.app.show_run()

    def to_title(self) -> None:
        from game.desktop.screens.title import TitleScreen
        self.app.reset(TitleScreen())

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
            surface.set_clip(old)
            pygame.draw.line(surface, p.rule, (self.rl.hints.left, self.rl.hints.top), (w - t.px(20), self.rl.hints.top))
            if self.scroll.offset < self.scroll.max_offset:
                more_marker(surface, t, (w - t.px(20), self.rl.hints.top - t.px(16)), "▼ MORE BELOW · PGDN", "midright")
        # Where we are among the pages, at the right of the bottom bar.
        bar = self.quick.rects[0] if self.quick.rects else pygame.Rect(0, h - t.px(34), 0, t.px(34))
        font = t.label(15)
        x = w - t.px(24)
        quick_right = max((r.right for r in self.quick.rects), default=0)
        full = sum(font.size(f"{i + 1} {name.upper()}")[0] + t.px(18) for i, name in enumerate(PAGES))
        short = x - full < quick_right + t.px(12)  # in a narrow bar the tabs keep only their numbers
        for i in reversed(range(len(PAGES))):
            on = i == self.page
            label = f"{i + 1}" if short else f"{i + 1} {PAGES[i].upper()}"
            img = font.render(label, p.on_red if on else p.muted)
            box = img.get_rect(midright=(x, bar.centery)).inflate(t.px(12), t.px(4))
            box.right = x
            if on:
                pygame.draw.rect(surface, p.red, box)
            surface.blit(img, img.get_rect(center=box.center))
            x = box.left - t.px(6)
        self.quick.draw(surface, enabled=[self.page > 0, True, True, True])

    def draw_forces(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        m = t.px(56)
        pygame.draw.polygon(surface, p.red, [(w, 0), (w - t.px(300), 0), (w, t.px(120))])
        r = text(surface, t.label(17), "REVEALED AT LAST", p.red, (m + t.px(3), t.px(28)))
        text(surface, t.display(60), "THE HIDDEN FORCES", p.ink, (m, r.bottom))
        view = self.forces_view
        old = surface.get_clip()
        surface.set_clip(view)
        oy = view.top - self.scroll.offset
        for f, cell, chart, pts, moves, desc in self.cells:
            c = cell.move(0, oy)
            ch = chart.move(0, oy)
            text(surface, self.name_font, f.name.upper(), p.ink, (c.left, c.top))
            if desc:
                text(surface, self.desc_font, desc, p.muted, (c.left, c.top + self.name_font.height))
            for value, y in ((f.high, ch.top), (f.low, ch.bottom)):
                text(surface, self.axis_font, str(value), p.muted, (ch.left - t.px(4), y), "midright")
            v = f"{f.start} TO {f.end}"
            text(surface, self.name_font, v, p.red if f.end >= f.start else p.muted, (c.right, c.top), "topright")
            pygame.draw.rect(surface, p.highlight, ch)
            mid = ch.top + ch.height // 2
            pygame.draw.line(surface, p.rule, (ch.left, mid), (ch.right, mid))
            shifted = [(x, y + oy) for x, y in pts]
            if len(shifted) > 1:
                area = [(shifted[0][0], ch.bottom)] + shifted + [(shifted[-1][0], ch.bottom)]
                pygame.draw.polygon(surface, p.rule, area)
                pygame.draw.lines(surface, p.red, False, shifted, max(2, t.px(3)))
            for x, y in shifted[:1] + shifted[-1:]:
                pygame.draw.circle(surface, p.ink, (x, y), t.px(4))
            y = ch.bottom + t.px(6)
            for line in moves:
                text(surface, self.move_font, line, p.muted, (c.left, y))
                y += self.move_font.height + t.px(2)
        self.flags_text.draw(surface, m, oy + self.rows_h)
        surface.set_clip(old)
        if self.scroll.offset < self.scroll.max_offset:
            more_marker(surface, t, (w - t.px(20), self.forces_view.bottom - t.px(14)), "▼ MORE BELOW · PGDN", "midright")


def _clip(font, s: str, width: int) -> str:
    if font.width(s) <= width:
        return s
    while s and font.width(s + "…") > width:
        s = s[:-1]
    return s + "…"
