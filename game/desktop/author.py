"""The author's tools in the window: live reload, a debug overlay, and jump to scene.

``testament --author`` (or ``testament play --author``) opens the game with them; with
``--story`` or ``--mod`` alone only live reload runs. A player's game never has them: the
app holds no tools at all then, so nothing here is drawn, polled or bound to a key.

- The overlay (F3 shows or hides it) covers the scene's art with what the player cannot
  see: the scene's id and ``file:line:col``, the hidden forces now (and where they began),
  the flags set, and for each choice of the scene its condition and whether it holds, its
  effects, and its goto with the branch that would be taken; the fallback, ``assumes:``.
- F4 opens "jump to scene": type a scene id (the list narrows as you type), optionally
  followed by ``NAME=VALUE``, ``+FLAG`` and ``-FLAG``; Enter starts the run there as
  ``play --from`` does (``game.testruns.start_at``: the state of the shortest road the
  tools find, changed as asked, the changes a step set by hand, so undo walks back).
- A reload's message shows in a banner for a few seconds.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay

if TYPE_CHECKING:
    from game.desktop.app import App

#: Keys of the author's tools (they mean nothing in a player's game).
OVERLAY_KEY = pygame.K_F3
JUMP_KEY = pygame.K_F4
BANNER_SECONDS = 6.0


def install(app: "App", folders: Sequence[Path], *, author: bool, clock: Callable[[], float] = time.monotonic) -> "AuthorTools":
    """Give ``app`` its author tools: live reload always, the overlay and jumping with ``author``."""
    tools = AuthorTools(app, folders, author=author, clock=clock)
    app.tools = tools
    return tools


class AuthorTools:
    def __init__(self, app: "App", folders: Sequence[Path], *, author: bool, clock: Callable[[], float] = time.monotonic):
        from game.desktop.reload import LiveReload
        self.app = app
        self.author = author
        self.clock = clock
        self.overlay = author
        self.banner = ""
        self.banner_until = 0.0
        self.live = LiveReload(app, folders, clock=clock, notify=self.say)

    # Hooks the app calls -------------------------------------------------------------
    def poll(self) -> None:
        self.live.poll()
        if self.banner and self.clock() > self.banner_until:
            self.banner = ""
            self.app.dirty = True

    def handle(self, action: Action) -> bool:
        """Take the author's keys; False for everything else (the screen gets it)."""
        if not self.author or action.kind != Kind.KEY or self.app.stack and self.app.top.takes_text:
            return False
        if action.number == OVERLAY_KEY:
            self.overlay = not self.overlay
            self.app.dirty = True
            return True
        if action.number == JUMP_KEY and self.app.story is not None:
            if not isinstance(self.app.top, JumpScreen):
                self.app.push(JumpScreen())
            return True
        return False

    def say(self, message: str) -> None:
        self.banner = message
        self.banner_until = self.clock() + BANNER_SECONDS
        self.app.dirty = True

    def draw(self, surface: pygame.Surface) -> None:
        from game.desktop.screens.scene import SceneScreen
        app = self.app
        if self.overlay and app.run is not None and app.story is not None and app.stack and isinstance(app.top, SceneScreen):
            self.draw_overlay(surface)
        if self.banner:
            self.draw_banner(surface)

    # Drawing ----------------------------------------------------------------------------
    def panel_rect(self) -> pygame.Rect:
        w, h = self.app.size
        art = getattr(getattr(self.app.top, "rl", None), "art", None)
        width = art.width if isinstance(art, pygame.Rect) and art.width > w // 5 else int(w * 0.4)
        return pygame.Rect(0, 0, width, h)

    def lines(self) -> list[tuple[str, str]]:
        """The overlay as (style, text) lines: style is head, text, good, bad or dim."""
        from game.authoring.inspect import by_hand_steps, inspect
        app = self.app
        v = inspect(app.story, app.run.state)
        hand = by_hand_steps(app.run.state)
        out = [("head", f"AUTHOR · {v.scene}"), ("dim", _short(v.location, app.story.sources)),
               ("dim", f"{v.character}, {v.steps} choice{'s' if v.steps != 1 else ''}"
                       + (f" ({hand} set by hand)" if hand else ""))]
        if v.assumes:
            out.append(("good" if v.assumes_holds else "bad", f"assumes {v.assumes}: {'holds' if v.assumes_holds else 'FAILS'}"))
        out.append(("head", "FORCES"))
        for f in v.forces:
            moved = f.value - f.start
            out.append(("text", f"{f.id} {f.value}  ({f.low}..{f.high}, began {f.start}{f', {moved:+d}' if moved else ''})"))
        out.append(("head", "FLAGS"))
        out.append(("text", ", ".join(v.flags) if v.flags else "none"))
        out.append(("head", "CHOICES"))
        for c in v.choices:
            style = "good" if c.status == "open" else "dim" if c.status.startswith(("not for", "taken")) else "bad"
            out.append((style, f"{c.id}: {c.status}"))
            if c.condition:
                out.append(("good" if c.holds else "bad", f"   if {c.condition}: {'true' if c.holds else 'false'}"))
            if c.effects:
                out.append(("dim", f"   {c.effects}"))
            if len(c.branches) == 1:
                out.append(("text", f"   -> {c.branches[0].target}"))
            else:
                for i, b in enumerate(c.branches):
                    mark = "->" if i == c.taken else "·"
                    out.append(("good" if i == c.taken else "dim", f"   {mark} {b.condition}: {b.target}"))
        if v.fallback:
            out.append(("text", f"fallback: {v.fallback}"))
        out.append(("dim", "F3 hide · F4 jump to scene"))
        return out

    def draw_overlay(self, surface: pygame.Surface) -> None:
        t, p = self.app.theme, self.app.theme.palette
        rect = self.panel_rect()
        shade = pygame.Surface(rect.size, pygame.SRCALPHA)
        shade.fill((*p.dark[:3], 246))
        surface.blit(shade, rect.topleft)
        colours = {"head": p.red, "text": p.on_dark, "good": (150, 220, 150), "bad": (255, 150, 140), "dim": (190, 190, 180)}
        if self.app.settings.high_contrast:
            colours.update(good=(170, 255, 170), bad=(255, 180, 170), dim=p.on_dark)
        font = t.label(14)
        head = t.label(15)
        x, y = rect.left + t.px(16), rect.top + t.px(14)
        width = rect.width - t.px(28)
        line_h = font.height + t.px(2)
        for style, line in self.lines():
            use = head if style == "head" else font
            if style == "head" and y > rect.top + t.px(20):
                y += t.px(6)
            indent = t.px(14) * ((len(line) - len(line.lstrip(" "))) // 3)
            for piece in _wrap(use, line.strip(), width - indent):
                if y + line_h > rect.bottom - t.px(6):
                    surface.blit(font.render("…", colours["dim"]), (x, y))
                    return
                surface.blit(use.render(piece, colours[style]), (x + indent, y))
                y += line_h

    def draw_banner(self, surface: pygame.Surface) -> None:
        t, p = self.app.theme, self.app.theme.palette
        w, h = self.app.size
        font = t.label(15)
        width = min(w - t.px(40), t.px(760))
        pieces = _wrap(font, self.banner, width - t.px(28))[:6]
        line_h = font.height + t.px(2)
        box = pygame.Rect(t.px(20), 0, width, len(pieces) * line_h + t.px(20))
        box.bottom = h - t.px(20)
        pygame.draw.rect(surface, p.dark, box)
        pygame.draw.rect(surface, p.red, pygame.Rect(box.left, box.top, t.px(5), box.height))
        for i, piece in enumerate(pieces):
            surface.blit(font.render(piece, p.on_dark), (box.left + t.px(16), box.top + t.px(10) + i * line_h))


def _short(location: str, sources: Sequence[str]) -> str:
    """``file:line:col`` with the story's folder left out (``chapters/1925.yaml:980:9``)."""
    import os
    for source in sources:
        try:
            rel = os.path.relpath(location, source)
        except ValueError:
            continue
        if not rel.startswith(".."):
            return rel
    return location


def _wrap(font, text: str, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``; a word longer than a line is cut where it must be."""
    out: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if font.size(trial)[0] <= width:
            line = trial
            continue
        if line:
            out.append(line)
        line = word
        while font.size(line)[0] > width and len(line) > 1:  # a path or an id wider than the panel
            cut = len(line) - 1
            while cut > 1 and font.size(line[:cut])[0] > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
    if line:
        out.append(line)
    return out or [""]


class JumpScreen(Overlay):
    """Type a scene id (and NAME=VALUE, +FLAG, -FLAG); Enter starts the run there."""

    takes_text = True
    MOST = 8

    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.focus = 0
        self.error = ""
        self.armed = False

    def voice_text(self) -> str:
        return "Jump to scene. Type a scene id, then press Enter; Escape cancels."

    def matches(self) -> list[str]:
        """Scene ids that contain what is typed (those that begin with it first)."""
        story = self.app.story
        word = self.query.split(" ")[0].strip().lower()
        ids = list(story.scenes)
        if not word:
            return ids[: self.MOST]
        first = [s for s in ids if s.startswith(word)]
        rest = [s for s in ids if word in s and not s.startswith(word)]
        return (first + rest)[: self.MOST]

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        pw = min(w - t.px(80), t.px(820))
        self.panel = pygame.Rect(0, 0, pw, min(h - t.px(40), t.px(520)))
        self.panel.center = (w // 2, h // 2)
        self.field = pygame.Rect(self.panel.left + t.px(32), self.panel.top + t.px(92), pw - t.px(64), t.px(46))
        self.title_font = t.display(38)
        self.font = t.body(20)
        self.small = t.label(15)

    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.TEXT and not self.armed:
            return  # the key that opened the screen
        if k not in (Kind.TEXT, Kind.POINT, Kind.SCROLL):
            self.armed = True
        found = self.matches()
        if k == Kind.BACK:
            self.dismiss(None)
        elif k == Kind.UNDO:
            self.query = self.query[:-1]
            self.focus, self.error = 0, ""
        elif k == Kind.TEXT:
            self.query = (self.query + action.text.replace("\n", ""))[:300]
            self.focus, self.error = 0, ""
        elif k in (Kind.DOWN, Kind.UP) and found:
            self.focus = (self.focus + (1 if k == Kind.DOWN else -1)) % len(found)
        elif k == Kind.CONFIRM and action.text == "":
            self.jump(found)

    def jump(self, found: list[str]) -> None:
        """Start the run at the scene asked for (or the focused match), as ``play --from`` does."""
        from game.desktop.session import Run
        from game.testruns import StartError, parse_settings, start_at
        app = self.app
        words = self.query.split()
        scene = words[0] if words and words[0] in app.story.scenes else (found[self.focus] if found else "")
        if not scene:
            self.error = f"no scene matches '{words[0] if words else ''}'"
            return
        rest = words[1:]
        try:
            values = parse_settings(app.story, [w for w in rest if "=" in w])
            flags = [w[1:] for w in rest if w.startswith("+")]
            clear = [w[1:] for w in rest if w.startswith("-")]
            odd = [w for w in rest if "=" not in w and not w.startswith(("+", "-"))]
            if odd:
                raise StartError(f"'{odd[0]}' is not NAME=VALUE, +FLAG or -FLAG")
            character = app.run.character if app.run is not None else None
            try:
                begin = start_at(app.story, scene, character=character, values=values, flags=flags, clear=clear)
            except StartError:
                if character is None:
                    raise
                begin = start_at(app.story, scene, values=values, flags=flags, clear=clear)  # someone else's scene
        except StartError as exc:
            self.error = str(exc)
            return
        tools = app.tools
        app.run = Run(app.story, [*begin.history, begin.state])
        app.show_run()
        if tools is not None:
            tools.say(" ".join(begin.notes) or f"At scene '{scene}'.")

    def draw(self, surface: pygame.Surface) -> None:
        from game.desktop.widgets import frame, text
        super().draw(surface)
        t, p = self.theme, self.theme.palette
        pygame.draw.rect(surface, p.paper, self.panel)
        frame(surface, t, self.panel)
        pygame.draw.rect(surface, p.red, pygame.Rect(self.panel.left, self.panel.top, t.px(10), self.panel.height))
        text(surface, self.title_font, "JUMP TO SCENE", p.ink, (self.field.left, self.panel.top + t.px(26)))
        pygame.draw.rect(surface, p.highlight, self.field)
        pygame.draw.rect(surface, p.red, self.field, max(2, t.px(3)))
        r = text(surface, self.font, self.query, p.ink, (self.field.left + t.px(12), self.field.centery), "midleft")
        pygame.draw.rect(surface, p.red, pygame.Rect(r.right + t.px(3), self.field.top + t.px(9), max(2, t.px(3)),
                                                     self.field.height - t.px(18)))
        y = self.field.bottom + t.px(12)
        story = self.app.story
        for i, sid in enumerate(self.matches()):
            scene = story.scenes[sid]
            line = f"{sid}  ·  {scene.date}  ·  {scene.title}"
            colour = p.red if i == self.focus else p.ink
            if i == self.focus:
                pygame.draw.rect(surface, p.highlight, pygame.Rect(self.field.left, y - t.px(2), self.field.width,
                                                                   self.small.height + t.px(4)))
            surface.blit(self.small.render(_wrap(self.small, line, self.field.width)[0], colour), (self.field.left + t.px(6), y))
            y += self.small.height + t.px(6)
        bottom = self.panel.bottom - t.px(24)
        if self.error:
            for piece in reversed(_wrap(self.small, self.error, self.field.width)[:3]):
                bottom -= self.small.height + t.px(2)
                surface.blit(self.small.render(piece, p.red), (self.field.left, bottom))
        hint = "Enter jumps · Up/Down pick · then NAME=VALUE +FLAG -FLAG to set the state · Esc cancels"
        surface.blit(self.small.render(_wrap(self.small, hint, self.field.width)[0], p.muted),
                     (self.field.left, self.panel.bottom - t.px(24)))
