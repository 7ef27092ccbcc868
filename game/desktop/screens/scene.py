"""The scene: date and place, title, text revealed at the chosen speed, then numbered choices.

It shows ``view(story, state)`` and nothing else, and moves the story only through the
run (which calls the engine's ``step``). Keys 1-9, arrows and Enter, or the mouse choose;
N opens the historical note, J the journal, Backspace undoes, S and L save and load.
"""

from __future__ import annotations

import pygame

from game.desktop import art, progress
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker, reading_layout, red_bar
from game.desktop.screens.base import Screen
from game.dates import pretty_date
from game.desktop.widgets import Menu, Paragraphs, QuickBar, Scroll, fade, more_marker
from game.engine import View, view

QUICK = [("⌫", "Undo", Kind.UNDO), ("J", "Journal", Kind.JOURNAL), ("N", "Note", Kind.NOTE), ("S", "Save", Kind.SAVE),
         ("L", "Load", Kind.LOAD), ("O", "Settings", Kind.SETTINGS), ("Esc", "Menu", Kind.BACK), ("F1", "Keys", Kind.HELP)]
TOAST_SECONDS = 2.5
#: Commands that act at once, even while the text is still being revealed.
COMMANDS = frozenset({Kind.UNDO, Kind.REDO, Kind.NOTE, Kind.JOURNAL, Kind.SAVE, Kind.LOAD, Kind.SETTINGS, Kind.BACK,
                      Kind.QUICK_SAVE, Kind.QUICK_LOAD, Kind.HELP, Kind.GLOSSARY, Kind.TIMELINE})
#: Seconds the wheel must rest at the top (or end) of the text before it rolls back (or forward).
WHEEL_REST = 0.35


class SceneScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()
        self.shown: float | None = None
        self.toast = ""
        self.toast_left = 0.0
        self.quick = QuickBar(QUICK)
        self.menu = Menu([])
        self.v: View | None = None
        #: Seconds since the screen opened, and when the wheel last moved the text.
        self.clock = 0.0
        self.wheel_moved = -WHEEL_REST

    # Building ---------------------------------------------------------------
    def enter(self) -> None:
        self.v = view(self.app.story, self.app.run.state)
        self.start_reveal()

    def resume(self) -> None:
        """Back from a menu or overlay: the run may have been undone or changed under us."""
        if self.app.run is None:
            return
        fresh = view(self.app.story, self.app.run.state)
        if fresh != self.v:
            self.v = fresh
            self.shown = None
            self.scroll.offset = 0
            self.resize(self.size)

    def start_reveal(self) -> None:
        self.shown = 0.0 if self.app.settings.chars_per_second is not None else None
        self.scroll.offset = 0

    @property
    def revealing(self) -> bool:
        return self.shown is not None and self.shown < self.total_chars

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        v = self.v
        assert v is not None
        scene = v.scene
        rl = reading_layout(t, size)
        self.rl = rl
        col = rl.column
        year = scene.date[:4] if scene.date[:4].isdigit() else ""
        self.art = art.poster(scene.id, rl.art.size, p, year)
        who = self.app.story.characters[self.app.run.character].name
        self.who = t.label(17).render(f"AS {who.upper()}", p.on_dark)
        self.layout_progress()
        self.quick.layout(t, rl.hints)
        # Content, in content coordinates (0 = top of the scrolled area).
        y = 0
        place = " · ".join(x for x in (pretty_date(scene.date), self.v.place) if x)
        self.kicker = kicker(t, place)
        y += self.kicker.get_height() + t.px(4)
        self.title_font = t.display(60)
        self.title = Paragraphs(scene.title.upper(), self.title_font, col.width, round(self.title_font.height * 0.92), p.ink, 0)
        self.title_y = y
        y += self.title.height + t.px(6)
        self.bar_y = y
        y += t.px(6) + t.px(22)
        self.reply = None
        if v.reply:
            self.reply = Paragraphs(v.reply, t.body(weight="italic"), col.width - t.px(22), t.line_height, p.muted)
            self.reply_y = y
            y += self.reply.height + t.px(22)
        self.body = Paragraphs(v.text, t.body(), col.width, t.line_height, p.ink)
        self.body_y = y
        y += self.body.height + t.px(26)
        # Choices: wrapped, numbered; disabled ones greyed with their reason.
        self.choices_y = y
        self.choice_blocks = []
        pad = t.px(12)
        badge = t.px(30)
        inner = col.width - badge - 3 * pad - t.px(20)
        font = t.body()
        reason_font = t.body(17, "italic")
        for cv in v.choices:
            label = Paragraphs(cv.text, font, inner, round(t.body_px * 1.3), p.ink)
            label_on = Paragraphs(cv.text, font, inner, round(t.body_px * 1.3), p.on_red)
            label_off = Paragraphs(cv.text, font, inner, round(t.body_px * 1.3), p.disabled)
            reason = Paragraphs(cv.locked, reason_font, inner, round(reason_font.height * 1.25), p.muted) if not cv.enabled and cv.locked else None
            h = label.height + 2 * pad + (reason.height + t.px(4) if reason else 0)
            h = max(h, badge + 2 * pad)
            self.choice_blocks.append((y, h, label, label_on, label_off, reason))
            y += h + t.px(10)
        self.content_h = y
        focus = self.menu.focus if len(self.menu) == len(v.choices) else None
        # No choice has the focus until the player has the choices in view and moves to one:
        # Space and Enter read on (scroll) until then, and never take a choice unseen.
        self.menu = Menu([c.enabled for c in v.choices], numbered=True, wrap=False, focused=False)
        if focus is not None and self.menu.enabled[focus]:
            self.menu.focus = focus
        self.total_chars = (self.reply.chars + 1 if self.reply else 0) + self.body.chars
        self.scroll.set_size(self.content_h, col.height, t.line_height)
        self.place_choices()
        # A fade over the last line above the bar, when the text goes on below it.
        self.fade = fade(col.width + t.px(30), t.line_height, p.paper, downwards=True)
        self.note_rect = pygame.Rect(0, 0, 0, 0)

    def layout_progress(self) -> None:
        """The band at the foot of the art: who you are, the chapter, and where in the story's
        years (1923-1927) the run stands, as a filled line with a tick at each new year."""
        t, p = self.theme, self.theme.palette
        sp = progress.span(self.app.story)
        art = self.rl.art
        date = self.v.scene.date
        chapter = sp.chapter(date)
        self.chapter_img = (t.label(15).render(f"CHAPTER {chapter} OF {len(sp.years)}", p.on_dark)
                            if chapter and len(sp.years) > 1 else None)
        pad = t.px(18)
        line_h = max(self.who.get_height(), self.chapter_img.get_height() if self.chapter_img else 0)
        self.band = pygame.Rect(0, art.bottom - line_h - t.px(36), art.width, line_h + t.px(36))
        fraction = sp.fraction(date)
        x0, x1 = pad, art.width - pad
        self.timeline = None
        if fraction is not None and len(sp.years) > 1 and x1 - x0 > t.px(60):
            ticks = [x0 + round((y - sp.first) / (sp.last - sp.first) * (x1 - x0)) for y in sp.years[1:]
                     if sp.first < y < sp.last]
            self.timeline = (x0, x1, self.band.bottom - t.px(14), x0 + round(fraction * (x1 - x0)), ticks)
        # The chapter's label goes at the right when both fit on one line, else it is left out.
        if self.chapter_img and self.who.get_width() + self.chapter_img.get_width() + 3 * pad > art.width:
            self.chapter_img = None

    def draw_progress(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        band = self.band
        pygame.draw.rect(surface, p.dark, band)
        pad = t.px(18)
        mid = band.top + t.px(6) + self.who.get_height() // 2
        surface.blit(self.who, self.who.get_rect(midleft=(pad, mid)))
        if self.chapter_img is not None:
            surface.blit(self.chapter_img, self.chapter_img.get_rect(midright=(band.right - pad, mid)))
        if self.timeline is not None:
            x0, x1, y, at, ticks = self.timeline
            thick = max(2, t.px(4))
            pygame.draw.line(surface, p.art_grey, (x0, y), (x1, y), thick)
            pygame.draw.line(surface, p.red, (x0, y), (at, y), thick)
            for x in ticks:
                pygame.draw.line(surface, p.on_dark, (x, y - t.px(6)), (x, y + t.px(6)), max(1, t.px(2)))
            pygame.draw.circle(surface, p.on_dark, (at, y), t.px(6))
            pygame.draw.circle(surface, p.red, (at, y), t.px(4))

    def place_choices(self) -> None:
        """Choice hit boxes on screen, from content positions and the scroll offset."""
        col = self.rl.column
        top = col.top - self.scroll.offset
        self.menu.rects = [pygame.Rect(col.left, top + y, col.width, h).clip(col) for y, h, *_ in self.choice_blocks]

    # Input ------------------------------------------------------------------
    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.POINT:
            self.menu.handle(action)
            return
        if k in (Kind.TEXT, Kind.RESIZE):
            return
        quick = self.quick.handle(action)
        if quick is not None:
            action = Action(quick)
            k = quick
        if self.revealing and k not in COMMANDS and k != Kind.SCROLL:
            # A reading key or a click shows the whole text; a command (undo, menu, note,
            # journal, save...) acts at once. A number brings its choice into view, focused.
            self.shown = None
            if k == Kind.CHOOSE:
                self.choose_key(action.number, seen=False)
            return
        if k == Kind.SCROLL:
            self.wheel(action)
            return
        if self.scroll.handle(action, arrows=False):
            self.place_choices()
            return
        if k == Kind.CONFIRM:
            self.advance()
        elif k == Kind.DOWN:
            self.arrow(1)
        elif k == Kind.UP:
            self.arrow(-1)
        elif k == Kind.CHOOSE:
            self.choose_key(action.number)
        elif k == Kind.CLICK:
            chosen = self.menu.handle(action)
            if chosen is not None:
                self.choose(chosen)
        elif k == Kind.REDO:
            self.redo()
        elif k == Kind.UNDO:
            self.undo()
        elif k == Kind.NOTE:
            self.open_note()
        elif k == Kind.JOURNAL:
            from game.desktop.screens.journal import JournalScreen
            self.app.push(JournalScreen())
        elif k in (Kind.GLOSSARY, Kind.TIMELINE):  # the reading aids (game/desktop/screens/glossary.py, timeline.py)
            from game.desktop.screens.glossary import GlossaryScreen
            from game.desktop.screens.timeline import TimelineScreen
            self.app.push(GlossaryScreen() if k == Kind.GLOSSARY else TimelineScreen())
        elif k == Kind.SAVE:
            from game.desktop.screens.saveload import SaveLoadScreen
            self.app.push(SaveLoadScreen("save"))
        elif k == Kind.LOAD:
            from game.desktop.screens.saveload import SaveLoadScreen
            self.app.push(SaveLoadScreen("load"))
        elif k == Kind.SETTINGS:
            from game.desktop.screens.settings import SettingsScreen
            self.app.push(SettingsScreen())
        elif k == Kind.BACK:
            from game.desktop.screens.pause import PauseScreen
            self.app.push(PauseScreen())
        elif k == Kind.HELP:  # the quick bar's "F1 Keys", clicked (the key itself is the app's)
            from game.desktop.screens.help import HelpScreen
            self.app.push(HelpScreen())
        elif k == Kind.QUICK_SAVE:
            self.flash(self.app.quick_save())
        elif k == Kind.QUICK_LOAD:
            message = self.app.quick_load()
            if message:
                self.flash(message)

    # Self-voicing ------------------------------------------------------------------
    def voice_text(self) -> str:
        from game.desktop.voice import join
        v = self.v
        place = ", ".join(x for x in (pretty_date(v.scene.date), v.place) if x)
        choices = [f"Choice {i + 1}: {c.text}" + ("" if c.enabled else f" Closed: {c.locked}")
                   for i, c in enumerate(v.choices)]
        return join([place, v.scene.title, v.reply, v.text, *choices])

    def voice_focus(self) -> str:
        if self.menu.focus is None or not self.v.choices:
            return ""
        return f"Choice {self.menu.focus + 1}: {self.v.choices[self.menu.focus].text}"

    # Reading on, and coming to the choices -----------------------------------
    def choices_in_view(self) -> bool:
        """Whether the whole of the first choice is on screen (the text is read down to it)."""
        if self.revealing or not self.choice_blocks:
            return False
        y, h, *_ = self.choice_blocks[0]
        return y + h <= self.scroll.offset + self.scroll.viewport

    def show_focus(self) -> None:
        """Scroll so the focused choice is in view."""
        if self.menu.focus is not None and self.choice_blocks:
            y, h, *_ = self.choice_blocks[self.menu.focus]
            self.scroll.reveal(y, y + h, self.theme.px(10))
        self.place_choices()

    def advance(self) -> None:
        """Space or Enter: read on a page while the choices are below; then focus the first
        choice; only then take the focused one. Nothing is ever chosen unseen."""
        if self.menu.focus is not None:
            self.choose(self.menu.focus)
        elif not self.choices_in_view():
            self.scroll.handle(Action(Kind.PAGE_DOWN))
            self.place_choices()
        else:
            self.menu.move(1)
            self.show_focus()

    def arrow(self, direction: int) -> None:
        """Down reads on line by line until the choices are in view, then steps through them;
        Up steps back through them, then scrolls the text back up."""
        line = self.scroll.line
        first = next((i for i, ok in enumerate(self.menu.enabled) if ok), None)
        if direction > 0:
            if not self.choices_in_view():
                self.scroll.scroll_to(self.scroll.offset + line)
                self.place_choices()
            elif first is not None:
                self.menu.move(1)
                self.show_focus()
        else:
            if self.menu.focus is not None and self.menu.focus != first:
                self.menu.move(-1)
                self.show_focus()
            else:
                self.menu.focus = None
                self.scroll.scroll_to(self.scroll.offset - line)
                self.place_choices()

    def choose_key(self, number: int, seen: bool = True) -> None:
        """A number key takes its choice when that choice is on screen (``seen``: it was
        drawn before the key came); otherwise it brings the choice into view, focused, for a
        second press (or Enter) to take it. Nothing is chosen unseen."""
        i = number - 1
        if not 0 <= i < len(self.menu):
            return
        cv = self.v.choices[i]
        if seen and not self.revealing and (self.choice_visible(i) or self.menu.focus == i):
            if cv.enabled:
                self.choose(i)
            else:
                self.flash(f"Choice {number} is closed to you; the reason is under it")
            return
        if cv.enabled:
            self.menu.focus = i
        y, h, *_ = self.choice_blocks[i]
        self.scroll.reveal(y, y + h, self.theme.px(10))
        self.place_choices()
        self.flash(f"Choice {number}: press {number} again, or Enter, to take it" if cv.enabled
                   else f"Choice {number} is closed to you; the reason is under it")

    def choice_visible(self, i: int) -> bool:
        y, h, *_ = self.choice_blocks[i]
        return self.scroll.offset <= y and y + h <= self.scroll.offset + self.scroll.viewport

    def wheel(self, action: Action) -> None:
        """The wheel scrolls the text; past its top it rolls back one choice, as Ren'Py does,
        and past the end of the choices it rolls forward again after a rollback."""
        before = self.scroll.offset
        self.scroll.handle(action)
        self.place_choices()
        if self.scroll.offset != before:
            self.wheel_moved = self.clock
            return
        if self.clock - self.wheel_moved < WHEEL_REST:
            return  # the same flick that scrolled the text to its edge: do not roll over it
        self.wheel_moved = self.clock
        if action.number > 0 and before == 0 and not self.revealing:
            self.undo(rollback=True)
        elif action.number < 0 and self.app.run.can_redo() and not self.revealing:
            self.redo()

    def choose(self, index: int) -> None:
        """Take the choice at ``index`` through the engine, autosave, and show what follows."""
        cv = self.v.choices[index]
        if not cv.enabled:
            return
        run = self.app.run
        run.choose(cv.id)
        problem = self.app.autosave()
        if run.state.finished:
            self.app.record_ending()
            self.app.show_run()
            if problem:
                from game.desktop.screens.message import MessageScreen
                self.app.push(MessageScreen("Autosave failed", problem))
            return
        before = self.v
        self.v = view(self.app.story, run.state)
        self.menu = Menu([])
        self.start_reveal()
        self.resize(self.size)
        if problem:
            self.flash(problem)
        span = progress.span(self.app.story)
        if span.chapter(self.v.scene.date) != span.chapter(before.scene.date):
            from game.desktop.screens.chapter import ChapterCard
            card = ChapterCard.for_scene(self.app.story, self.v)
            if card is not None:
                self.app.push(card)  # a new year: its card first, then the scene types out

    def undo(self, rollback: bool = False) -> None:
        """Step back one choice (Backspace, or the wheel past the top: then the scene opens
        at its choices, where the reader left it)."""
        if self.app.run.undo():
            self.show_state(at_choices=rollback)
            self.flash("One choice undone · wheel down or Ctrl+Y to redo" if rollback else "One choice undone")
        else:
            self.flash("This is the start of the run: nothing to undo")

    def redo(self) -> None:
        """Take again the choice just undone (Ctrl+Y, Shift+Backspace, or the wheel)."""
        run = self.app.run
        if not run.redo():
            self.flash("Nothing to redo")
            return
        self.app.autosave()
        if run.state.finished:
            self.app.show_run()
            return
        self.show_state()
        self.flash("One choice redone")

    def show_state(self, at_choices: bool = False) -> None:
        """Show the run's current state at once, without the typewriter."""
        self.v = view(self.app.story, self.app.run.state)
        self.menu = Menu([])
        self.shown = None
        self.scroll.offset = 0
        self.resize(self.size)
        if at_choices:
            self.scroll.scroll_to(self.scroll.max_offset)
            self.place_choices()

    def open_note(self) -> None:
        from game.classroom.reading import note_opened
        from game.desktop.screens.note import NoteScreen
        if self.v.note:
            self.app.push(NoteScreen(self.v.scene, self.v.note))
            note_opened(self.app.story, self.app.run.state)  # the transcript's record shows the teacher what was read
        else:
            self.flash("This scene has no historical note")

    def flash(self, message: str) -> None:
        self.toast = message
        self.toast_left = TOAST_SECONDS

    # Time -------------------------------------------------------------------
    def update(self, dt: float) -> bool:
        moving = False
        self.clock += dt
        if self.revealing:
            cps = self.app.settings.chars_per_second
            self.shown = None if cps is None else self.shown + cps * dt
            if self.shown is not None and self.shown >= self.total_chars:
                self.shown = None
            else:
                self.follow_reveal()
            moving = True
        if self.toast_left > 0:
            self.toast_left -= dt
            if self.toast_left <= 0:
                self.toast = ""
            moving = True
        return moving

    def follow_reveal(self) -> None:
        """Keep the line being revealed in view when the text is taller than the window
        (not with reduced motion: then the page stays still and the cue says to read on)."""
        if self.shown is None or self.app.settings.reduce_motion:
            return
        offset = self.shown - (self.reply.chars + 1 if self.reply else 0)
        for line in self.body.block.lines:
            if line.start <= offset <= line.end + 1:
                y = self.body_y + line.y
                self.scroll.reveal(y, y + self.body.line_height, self.body.line_height)
                break

    # Drawing ----------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        surface.blit(self.art, (0, 0))
        self.draw_progress(surface)
        col = self.rl.column
        old = surface.get_clip()
        surface.set_clip(pygame.Rect(col.left - t.px(15), 0, col.width + t.px(30), self.rl.hints.top - t.px(4)))
        top = col.top - self.scroll.offset
        surface.blit(self.kicker, (col.left, top))
        self.title.draw(surface, col.left, top + self.title_y)
        red_bar(surface, t, col.left, top + self.bar_y)
        if self.v.scene.note.counterfactual:
            stamp = t.label(15).render("COUNTERFACTUAL", p.red)
            box = stamp.get_rect(topright=(col.right, top + 2)).inflate(t.px(12), t.px(4))
            pygame.draw.rect(surface, p.red, box, max(1, t.px(2)))
            surface.blit(stamp, stamp.get_rect(center=box.center))
        shown = self.shown
        if self.reply:
            pygame.draw.rect(surface, p.red, pygame.Rect(col.left, top + self.reply_y, t.px(4), self.reply.height))
            self.reply.draw(surface, col.left + t.px(22), top + self.reply_y, shown, clip=col)
            if shown is not None:
                shown -= self.reply.chars + 1
        if shown is None or shown > 0:
            self.body.draw(surface, col.left, top + self.body_y, shown, clip=col)
        if not self.revealing:
            self.draw_choices(surface, top)
        surface.set_clip(old)
        if self.scroll.offset < self.scroll.max_offset and (self.menu.focus is None or not self.choices_in_view()):
            # The text goes on below: its last line fades (never over a focused choice card).
            surface.blit(self.fade, (col.left - t.px(15), self.rl.hints.top - t.px(4) - self.fade.get_height()))
        if not self.revealing and self.choice_blocks:
            # What Space does next: read on, or come to the choices (never take one unseen).
            if not self.choices_in_view():
                cue = "▼ READ ON · SPACE"
            elif self.menu.focus is None:
                cue = f"CHOOSE · 1-{len(self.choice_blocks)} OR ↓" if len(self.choice_blocks) > 1 else "CHOOSE · 1 OR ↓"
            else:
                cue = ""
            if cue:
                more_marker(surface, t, (w - t.px(20), self.rl.hints.centery), cue, "midright")
        pygame.draw.line(surface, p.rule, (self.rl.hints.left, self.rl.hints.top), (w - t.px(20), self.rl.hints.top))
        self.quick.draw(surface, enabled=[self.app.run.can_undo(), True, bool(self.v.note), True, True, True, True, True])
        if self.toast:
            img = t.label(17).render(self.toast, p.on_dark)
            box = img.get_rect(midtop=(col.centerx, t.px(12))).inflate(t.px(28), t.px(12))
            pygame.draw.rect(surface, p.dark, box)
            surface.blit(img, img.get_rect(center=box.center))

    def draw_choices(self, surface: pygame.Surface, top: int) -> None:
        t, p = self.theme, self.theme.palette
        col = self.rl.column
        pad = t.px(12)
        badge = t.px(30)
        num_font = t.label(18)
        for i, (cv, (y, h, label, label_on, label_off, reason)) in enumerate(zip(self.v.choices, self.choice_blocks)):
            r = pygame.Rect(col.left, top + y, col.width, h)
            focused = i == self.menu.focus and cv.enabled
            if focused:
                pygame.draw.rect(surface, p.red, r)
            elif cv.enabled:
                pygame.draw.rect(surface, p.highlight, r)
            else:
                pygame.draw.rect(surface, p.rule, r, max(1, t.px(1)))
            b = pygame.Rect(r.left + pad, r.top + pad, badge, badge)
            pygame.draw.rect(surface, p.on_red if focused else (p.red if cv.enabled else p.disabled), b)
            n = num_font.render(str(i + 1), p.red if focused else p.on_red)
            surface.blit(n, n.get_rect(center=b.center))
            tx = b.right + pad
            (label_on if focused else label if cv.enabled else label_off).draw(surface, tx, r.top + pad - t.px(2))
            if reason is not None:
                reason.draw(surface, tx, r.top + pad + label.height + t.px(2))
            if focused:
                tip = r.right - t.px(12)
                pygame.draw.polygon(surface, p.on_red, [(tip, r.centery), (tip - t.px(12), r.centery - t.px(8)),
                                                        (tip - t.px(12), r.centery + t.px(8))])
