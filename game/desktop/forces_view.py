"""The ending's second page: the hidden forces, one at a time, in words.

Nine tiny charts with clipped labels could not be read, and said rise and fall by colour
alone. Here a list on the left names every force with where it began and ended, in words;
the panel on the right shows the chosen one in full: what it is, a sentence on how it
moved, a chart over the years with the biggest moves marked by number and by an up or
down arrow, and those moves listed in full with the scene and date. A last entry lists the
decisive acts of the run, each as the choice that made it. Everything is set in the
reader's font at the reader's text size, and wraps rather than being cut.
"""

from __future__ import annotations

from typing import Sequence

import pygame

from game.classroom.acts import Act, _no_stop, acts, flag_words  # noqa: F401 (Act, flag_words: for other screens)
from game.classroom.forces import Force
from game.dates import pretty_date
from game.desktop.actions import Action, Kind
from game.desktop.progress import when
from game.desktop.theme import Theme
from game.desktop.widgets import Paragraphs, Scroll, glyph_text, glyph_width
from game.engine import State, Story
from game.engine.play import states_of


def signed(n: int) -> str:
    """+6 or −6 (a true minus sign, as wide as the plus)."""
    return f"{n:+d}".replace("-", "−")


def movement(f: Force) -> str:
    """How a force moved over the run, in words."""
    d = f.end - f.start
    if d > 0:
        return f"rose by {d}, from {f.start} to {f.end}"
    if d < 0:
        return f"fell by {-d}, from {f.start} to {f.end}"
    return f"ended where it began, at {f.end}"


def summary(f: Force, dates: Sequence[str]) -> str:
    """One or two sentences: the movement, then the highest and lowest points with their dates."""
    out = f"Over the run it {movement(f)}, on a scale of {f.low} to {f.high}."
    if len(set(f.values)) > 1:
        hi = max(range(len(f.values)), key=lambda k: (f.values[k], -k))
        lo = min(range(len(f.values)), key=lambda k: (f.values[k], k))
        if f.values[hi] not in (f.start, f.end) or f.values[lo] not in (f.start, f.end):
            out += (f" At its highest {f.values[hi]} ({pretty_date(dates[hi])}), "
                    f"at its lowest {f.values[lo]} ({pretty_date(dates[lo])}).")
    return out


class ForcesPage:
    """The list of forces and the panel of the chosen one; its own focus and scrolling."""

    def __init__(self, story: Story, state: State, forces: Sequence[Force]):
        self.story = story
        self.forces = list(forces)
        states = states_of(story, state)
        self.dates = [story.scenes[s.scene].date for s in states]
        self.acts = acts(story, states)
        self.focus = 0
        self.list_scroll = Scroll()
        self.detail_scroll = Scroll()
        self.rows_count = len(self.forces) + 1  # the forces, then the decisive acts

    # Layout ------------------------------------------------------------------------
    def layout(self, theme: Theme, area: pygame.Rect) -> None:
        """Lay the list and the panel out in ``area``, at the reader's text size."""
        t, p = theme, theme.palette
        self.theme = t
        self.area = area
        gap = t.px(32)
        list_w = max(int(area.width * 0.32), min(int(area.width * 0.42), t.body(weight="bold").width("The Old Bolsheviks of the") + t.px(40)))
        self.list_rect = pygame.Rect(area.left, area.top, list_w, area.height)
        self.detail_rect = pygame.Rect(area.left + list_w + gap, area.top, area.width - list_w - gap, area.height)
        name_font = t.body(weight="bold")
        sub_font = t.body(round(t.settings.body_px * 0.86))
        pad = t.px(10)
        inner = list_w - 2 * pad - t.px(8)
        self.rows = []
        y = 0
        for i in range(self.rows_count):
            if i < len(self.forces):
                f = self.forces[i]
                name = Paragraphs(f.name, name_font, inner, round(name_font.height * 1.1), p.ink, 0)
                name_on = Paragraphs(f.name, name_font, inner, round(name_font.height * 1.1), p.on_red, 0)
                words = movement(f)
                words = words[0].upper() + words[1:]
            else:
                name = Paragraphs("Decisive acts", name_font, inner, round(name_font.height * 1.1), p.ink, 0)
                name_on = Paragraphs("Decisive acts", name_font, inner, round(name_font.height * 1.1), p.on_red, 0)
                words = f"{len(self.acts)} in this run" if self.acts else "None in this run"
            sub = Paragraphs(words, sub_font, inner, round(sub_font.height * 1.15), p.muted, 0)
            sub_on = Paragraphs(words, sub_font, inner, round(sub_font.height * 1.15), p.on_red, 0)
            h = pad + name.height + sub.height + pad
            self.rows.append((y, h, name, name_on, sub, sub_on))
            y += h + t.px(4)
        self.list_scroll.set_size(y, self.list_rect.height, name_font.height)
        self.reveal_focus()
        self.layout_detail()

    def reveal_focus(self) -> None:
        y, h, *_ = self.rows[self.focus]
        self.list_scroll.reveal(y, y + h, self.theme.px(4))

    def layout_detail(self) -> None:
        t, p = self.theme, self.theme.palette
        d = self.detail_rect
        width = d.width - t.px(40)
        body = t.body()
        lh = t.line_height
        items: list[tuple[str, object, int]] = []
        y = 0

        def add(kind: str, thing: object, height: int) -> None:
            nonlocal y
            items.append((kind, thing, y))
            y += height

        heading = t.display(44)
        self.chart = None
        if self.focus < len(self.forces):
            f = self.forces[self.focus]
            title = Paragraphs(f.name.upper(), heading, width, round(heading.height * 0.95), p.ink, 0)
            add("para", title, title.height + t.px(4))
            if f.description:
                desc = Paragraphs(f.description, t.body(weight="italic"), width, lh, p.muted)
                add("para", desc, desc.height + t.px(12))
            said = Paragraphs(summary(f, self.dates), body, width, lh, p.ink)
            add("para", said, said.height + t.px(14))
            chart_h = max(t.px(110), min(t.px(200), lh * 5))
            axis = t.label(15)
            add("chart", None, chart_h + axis.height + t.px(20))
            self.chart = self.chart_geometry(f, pygame.Rect(t.px(36), 0, width - t.px(44), chart_h), axis)
            kicker = t.label(17).render("MOVED MOST BY" if f.top_moves else "NO CHOICE MOVED IT", p.red)
            add("img", kicker, kicker.get_height() + t.px(6))
            for n, mv in enumerate(f.top_moves, 1):
                date = pretty_date(self.dates[mv.step - 1]) if mv.step - 1 < len(self.dates) else ""
                verb = "raised it" if mv.delta > 0 else "lowered it"
                where = f"“{mv.scene_title}”" + (f", {date}" if date else "")
                line = Paragraphs(f"{signed(mv.delta)}, {verb}: “{_no_stop(mv.choice_text)}” ({where})", body,
                                  width - t.px(44), lh, p.ink)
                add("move", (n, mv.delta, line), line.height + t.px(10))
        else:
            title = Paragraphs("DECISIVE ACTS", heading, width, round(heading.height * 0.95), p.ink, 0)
            add("para", title, title.height + t.px(4))
            intro = ("What this run did that the endings can turn on, each with the choice that did it."
                     if self.acts else "This run took none of the acts the endings can turn on.")
            para = Paragraphs(intro, t.body(weight="italic"), width, lh, p.muted)
            add("para", para, para.height + t.px(14))
            for act in self.acts:
                name = Paragraphs(act.words, t.body(weight="bold"), width, lh, p.ink, 0)
                add("para", name, name.height)
                how = Paragraphs(act.how, body, width - t.px(22), lh, p.ink)
                add("indent", how, how.height + t.px(12))
        self.detail_items = items
        self.detail_top = d.top + t.px(16)
        self.detail_scroll.set_size(y + t.px(16), d.bottom - self.detail_top, lh)

    def chart_geometry(self, f: Force, box: pygame.Rect, axis) -> dict:
        """The chart's step line, year ticks and numbered marks, relative to ``box``."""
        n = len(f.values)
        times = [when(d) for d in self.dates[:n]]
        known = [x for x in times if x is not None]
        by_time = len(known) == n and known[-1] > known[0]
        if by_time:
            for k in range(1, n):  # a scene dated before the one before it keeps its place in the run
                times[k] = max(times[k], times[k - 1])
            t0, t1 = times[0], times[-1]
            xs = [box.left + round((x - t0) / (t1 - t0) * box.width) for x in times]
        else:
            xs = [box.left + box.width * k // max(1, n - 1) for k in range(n)]
        span = max(1, f.high - f.low)

        def y_of(v: int) -> int:
            return box.bottom - (v - f.low) * box.height // span

        pts = []
        for k, v in enumerate(f.values):
            end = xs[k + 1] if k + 1 < n else box.right
            pts += [(xs[k], y_of(v)), (end, y_of(v))]
        ticks = []
        if by_time:
            import math
            room = axis.width("0000") + self.theme.px(6)
            for year in range(math.ceil(times[0]), math.floor(times[-1]) + 1):
                tx = box.left + round((year - times[0]) / (times[-1] - times[0]) * box.width)
                if tx + room <= box.right:  # a year that would be cut at the right edge is left out
                    ticks.append((tx, str(year)))
            first_year = str(int(times[0]))
            if not ticks or ticks[0][0] - box.left > axis.width(first_year) + self.theme.px(12):
                ticks.insert(0, (box.left, first_year))
        marks = []
        for number, mv in enumerate(f.top_moves, 1):
            if 0 < mv.step < n:
                marks.append((number, mv.delta, xs[mv.step], y_of(f.values[mv.step])))
        return {"box": box, "pts": pts, "ticks": ticks, "marks": marks, "low": f.low, "high": f.high,
                "axis": axis, "start": (xs[0], y_of(f.values[0])), "end": (box.right, y_of(f.values[-1]))}

    # Input ------------------------------------------------------------------------
    def handle(self, action: Action) -> bool:
        """Up/Down (or a click) choose the force; PgUp/PgDn, Home/End and the wheel scroll the
        panel (the wheel over the list scrolls the list). True if the action was used."""
        k = action.kind
        if k in (Kind.UP, Kind.DOWN):
            new = max(0, min(self.rows_count - 1, self.focus + (1 if k == Kind.DOWN else -1)))
            self.select(new)
            return True
        if k == Kind.CLICK:
            for i, (y, h, *_) in enumerate(self.rows):
                r = pygame.Rect(self.list_rect.left, self.list_rect.top + y - self.list_scroll.offset, self.list_rect.width, h)
                if r.collidepoint(action.pos) and self.list_rect.collidepoint(action.pos):
                    self.select(i)
                    return True
            return False
        if k == Kind.SCROLL:
            pointer = pygame.mouse.get_pos() if pygame.display.get_init() and pygame.display.get_surface() else (0, 0)
            target = self.list_scroll if self.list_rect.collidepoint(pointer) else self.detail_scroll
            return target.handle(action)
        return self.detail_scroll.handle(action, arrows=False)

    def select(self, i: int) -> None:
        if i != self.focus:
            self.focus = i
            self.detail_scroll.offset = 0
            self.reveal_focus()
            self.layout_detail()

    # Drawing ----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        old = surface.get_clip()
        lr = self.list_rect
        surface.set_clip(lr)
        pad = t.px(10)
        for i, (y, h, name, name_on, sub, sub_on) in enumerate(self.rows):
            r = pygame.Rect(lr.left, lr.top + y - self.list_scroll.offset, lr.width, h)
            if r.bottom < lr.top or r.top > lr.bottom:
                continue
            on = i == self.focus
            pygame.draw.rect(surface, p.red if on else p.highlight, r)
            if not on and i == len(self.forces):
                pygame.draw.rect(surface, p.rule, r, max(1, t.px(1)))
            (name_on if on else name).draw(surface, r.left + pad, r.top + pad)
            (sub_on if on else sub).draw(surface, r.left + pad, r.top + pad + name.height)
        surface.set_clip(old)
        if self.list_scroll.max_offset:
            self._bar(surface, lr, self.list_scroll)
        d = self.detail_rect
        pygame.draw.rect(surface, p.red, pygame.Rect(d.left, d.top, t.px(6), d.height))
        view = pygame.Rect(d.left + t.px(20), self.detail_top, d.width - t.px(20), d.bottom - self.detail_top)
        surface.set_clip(view)
        x = view.left + t.px(8)
        top = view.top - self.detail_scroll.offset
        for kind, thing, y in self.detail_items:
            at = top + y
            if at > view.bottom:
                break
            if kind == "para":
                thing.draw(surface, x, at, clip=view)
            elif kind == "indent":
                thing.draw(surface, x + t.px(22), at, clip=view)
            elif kind == "img":
                surface.blit(thing, (x, at))
            elif kind == "chart" and self.chart is not None:
                self.draw_chart(surface, x, at)
            elif kind == "move":
                number, delta, line = thing
                self._mark(surface, number, delta, (x + t.px(14), at + line.line_height // 2))
                line.draw(surface, x + t.px(44), at, clip=view)
        surface.set_clip(old)
        if self.detail_scroll.max_offset:
            self._bar(surface, view, self.detail_scroll)

    def draw_chart(self, surface: pygame.Surface, x: int, y: int) -> None:
        t, p = self.theme, self.theme.palette
        c = self.chart
        box = c["box"].move(x, y)
        dx, dy = x, y
        axis = c["axis"]
        pygame.draw.rect(surface, p.highlight, box)
        mid = box.top + box.height // 2
        pygame.draw.line(surface, p.rule, (box.left, mid), (box.right, mid))
        for value, yy in ((c["high"], box.top), (c["low"], box.bottom)):
            img = axis.render(str(value), p.muted)
            surface.blit(img, img.get_rect(midright=(box.left - t.px(6), yy)))
        for tx, label in c["ticks"]:
            pygame.draw.line(surface, p.muted, (tx + dx, box.bottom), (tx + dx, box.bottom + t.px(6)), max(1, t.px(1)))
            img = axis.render(label, p.muted)
            surface.blit(img, (tx + dx + t.px(3), box.bottom + t.px(4)))
        pts = [(px + dx, py + dy) for px, py in c["pts"]]
        if len(pts) > 1:
            area = [(pts[0][0], box.bottom)] + pts + [(pts[-1][0], box.bottom)]
            pygame.draw.polygon(surface, p.rule, area)
            pygame.draw.lines(surface, p.red, False, pts, max(2, t.px(3)))
        for px, py in (c["start"], c["end"]):
            pygame.draw.circle(surface, p.ink, (px + dx, py + dy), t.px(5))
        for number, delta, mx, my in c["marks"]:
            self._mark(surface, number, delta, (mx + dx, my + dy - t.px(16) if delta > 0 else my + dy + t.px(16)))

    def _mark(self, surface: pygame.Surface, number: int, delta: int, center: tuple[int, int]) -> None:
        """A numbered tag with an up or down arrow: rise and fall told by shape, not colour."""
        t, p = self.theme, self.theme.palette
        font = t.label(15)
        label = f"{'↑' if delta > 0 else '↓'}{number}"
        box = pygame.Rect(0, 0, glyph_width(font, label) + t.px(8), font.height + t.px(2))
        box.center = center
        pygame.draw.rect(surface, p.dark if delta > 0 else p.paper, box)
        pygame.draw.rect(surface, p.ink, box, max(1, t.px(2)))
        glyph_text(surface, font, label, p.on_dark if delta > 0 else p.ink, box.center)

    def _bar(self, surface: pygame.Surface, rect: pygame.Rect, scroll: Scroll) -> None:
        t, p = self.theme, self.theme.palette
        track = pygame.Rect(rect.right + t.px(6), rect.top, t.px(4), rect.height)
        pygame.draw.rect(surface, p.rule, track)
        knob = max(t.px(24), track.height * scroll.viewport // max(1, scroll.content))
        ky = track.top + (track.height - knob) * scroll.offset // max(1, scroll.max_offset)
        pygame.draw.rect(surface, p.red, pygame.Rect(track.left, ky, track.width, knob))

    def voice(self) -> str:
        """What the panel says, for self-voicing."""
        if self.focus < len(self.forces):
            f = self.forces[self.focus]
            moves = "; ".join(f"{m.delta:+d}: {m.choice_text}" for m in f.top_moves)
            return f"{f.name}. {summary(f, self.dates)} " + (f"Moved most by: {moves}" if moves else "")
        return "Decisive acts. " + " ".join(f"{a.words}. {a.how}" for a in self.acts)
