"""Save and load: named slots (eight a page, four pages) plus the autosaves, each with who,
when in the story, and when.

Saving over a used slot asks first; the player names each save, and can rename (R) or
delete (Delete, after asking) it. Loading goes through
``App.load_game``, which explains an old save that the story can only partly replay and
shows a broken one on the error screen.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pygame

from game import saves
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker_at
from game.desktop.screens.base import Screen
from game.desktop.screens.message import MessageScreen
from game.dates import pretty_date
from game.desktop.widgets import Menu, hint_bar, shorten, text

SLOTS = 8
#: Pages of slots (PgUp/PgDn): 32 slots in all.
PAGES = 4


def slot_file(n: int, folder: Path) -> Path:
    return saves.slot_path(f"slot-{n}", folder)


def real_time(iso: str) -> str:
    try:
        return datetime.datetime.fromisoformat(iso).strftime("%d %b %Y, %H:%M")
    except ValueError:
        return iso


class SaveLoadScreen(Screen):
    def __init__(self, mode: str):
        super().__init__()
        assert mode in ("save", "load")
        self.mode = mode
        self.toast = ""
        self.toast_left = 0.0
        self.page = 0

    def slot_number(self, i: int) -> int:
        """The number of the slot shown at position ``i`` of this page (1 to PAGES * SLOTS)."""
        return self.page * SLOTS + i + 1

    def enter(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        folder = self.app.saves_dir()
        self.paths = [slot_file(self.slot_number(i), folder) for i in range(SLOTS)]
        self.thumbs = []
        if self.mode == "load":
            self.paths += [folder / f"autosave-{n}.json" for n in range(1, saves.AUTOSAVES_KEPT + 1)]
        self.infos: list[saves.SaveInfo | saves.SaveError | None] = []
        self.scene_ids: list[str] = []
        for path in self.paths:
            scene_id = ""
            if not os.path.lexists(path):  # a link to nothing is a damaged save, not an empty slot
                self.infos.append(None)
            else:
                try:
                    info = saves.info(path)
                    self.infos.append(info)
                    scene_id = info.scene
                except saves.SaveError as exc:
                    self.infos.append(exc)
            self.scene_ids.append(scene_id)
        focus = getattr(self, "menu", None).focus if hasattr(self, "menu") else 0
        enabled = [True] * SLOTS if self.mode == "save" else [i is not None for i in self.infos]
        self.menu = Menu(enabled, numbered=True)
        if 0 <= focus < len(enabled) and enabled[focus]:
            self.menu.focus = focus
        if self.size != (0, 0):
            self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        m = t.px(56)
        top = t.px(130)
        bottom = h - t.px(60)
        gap = t.px(12)
        autos = len(self.paths) - SLOTS
        cols = 2
        grid_w = w - 2 * m - (int((w - 2 * m) * 0.3) + gap if autos else 0)
        card_w = (grid_w - gap) // cols
        card_h = (bottom - top - 3 * gap) // 4
        rects = []
        for i in range(SLOTS):
            r, c = divmod(i, cols)
            rects.append(pygame.Rect(m + c * (card_w + gap), top + r * (card_h + gap), card_w, card_h))
        if autos:
            ax = m + grid_w + gap
            aw = w - m - ax
            ah = (bottom - top - t.px(34) - (autos - 1) * t.px(8)) // autos
            for j in range(autos):
                rects.append(pygame.Rect(ax, top + t.px(34) + j * (ah + t.px(8)), aw, ah))
            self.autos_label = (ax, top)
        self.menu.rects = rects
        # A thumbnail of each saved scene's poster, so slots are told apart at a glance.
        from game.desktop import art
        story = self.app.story
        self.thumbs = []
        for scene_id, rect in zip(self.scene_ids, rects):
            if scene_id and story is not None and scene_id in story.scenes:
                size = (int(rect.height * 0.8), rect.height - 2)
                self.thumbs.append(art.poster(scene_id, size, t.palette, story.scenes[scene_id].date[:4]))
            else:
                self.thumbs.append(None)
        self.title_font = t.display(64)
        self.label = t.label(17)
        self.line = t.body(18)
        self.strong = t.body(19, "bold")
        self.small = t.body(15, "italic")

    # Input -------------------------------------------------------------------
    def handle(self, action: Action) -> None:
        if action.kind == Kind.BACK:
            self.dismiss()
            return
        if action.kind == Kind.SAVE and self.mode == "load" and self.app.run is not None:
            self.mode = "save"
            self.refresh()
            return
        if action.kind == Kind.LOAD and self.mode == "save":
            self.mode = "load"
            self.refresh()
            return
        if action.kind in (Kind.PAGE_UP, Kind.PAGE_DOWN):  # another page of slots
            self.page = (self.page + (1 if action.kind == Kind.PAGE_DOWN else -1)) % PAGES
            self.refresh()
            return
        if action.kind in (Kind.DELETE, Kind.RENAME):
            self.delete_or_rename(action.kind)
            return
        chosen = self.menu.handle(action)
        if chosen is not None:
            self.activate(chosen)

    def delete_or_rename(self, kind: Kind) -> None:
        """Delete (after asking) or rename the focused save; autosaves can only be deleted."""
        i = self.menu.focus
        if i is None or i >= len(self.infos) or self.infos[i] is None:
            return
        info, path = self.infos[i], self.paths[i]
        where = f"slot {self.slot_number(i)}" if i < SLOTS else f"autosave {i - SLOTS + 1}"
        if kind == Kind.DELETE:
            from game.desktop.screens.confirm import ConfirmScreen
            held = f"“{info.label}”, {info.scene_title}" if isinstance(info, saves.SaveInfo) else "a damaged save"
            self.app.push(ConfirmScreen(f"Delete {where}?", f"It holds {held}. A deleted save cannot be brought back.",
                                        "Delete", "Keep it"), lambda yes: self.delete(path, where) if yes else None)
        elif i < SLOTS and isinstance(info, saves.SaveInfo):
            from game.desktop.screens.name import NameScreen
            self.app.push(NameScreen(f"Rename the save in {where}", info.label), lambda name: self.rename(path, name, where))

    def delete(self, path: Path, where: str) -> None:
        try:
            path.unlink()
            self.flash(f"Deleted {where}")
        except OSError as exc:
            self.app.push(MessageScreen("Not deleted", f"Could not delete {path}: {exc.strerror or exc}."))
        self.refresh()

    def rename(self, path: Path, name: str | None, where: str) -> None:
        """A new name in the save itself; what it holds and when it was saved stay as they were."""
        if not name:
            return
        try:
            doc = saves.read_document(path)
            doc["label"] = name
            saves.write_atomically_bytes(path, saves.encode(doc))
            self.flash(f"Renamed {where}")
        except (OSError, ValueError) as exc:
            self.app.push(MessageScreen("Not renamed", f"{exc}. The save keeps its old name."))
        self.refresh()

    def activate(self, i: int) -> None:
        info = self.infos[i]
        if self.mode == "load":
            self.app.load_game(self.paths[i])
            return
        if info is not None:
            from game.desktop.screens.confirm import ConfirmScreen
            detail = (f"It holds “{info.label}”: {info.scene_title}, {pretty_date(info.story_date)}."
                      if isinstance(info, saves.SaveInfo) else "It holds a damaged save.")
            self.app.push(ConfirmScreen(f"Overwrite slot {self.slot_number(i)}?", detail, "Overwrite", "Keep it"),
                          lambda yes: self.ask_name(i) if yes else None)
        else:
            self.ask_name(i)

    def ask_name(self, i: int) -> None:
        from game.desktop.screens.name import NameScreen
        run = self.app.run
        story = self.app.story
        who = story.characters[run.character].name
        scene = story.scenes[run.state.scene]
        default = f"{who.split()[-1]}, {pretty_date(scene.date)}"
        self.app.push(NameScreen(f"Name the save in slot {self.slot_number(i)}", default), lambda name: self.write(i, name))

    def write(self, i: int, name: str | None) -> None:
        if not name:
            return
        path = self.paths[i]
        try:
            saves.save(path, self.app.story, self.app.run.state, name)
            self.flash(f"Saved in slot {self.slot_number(i)}")
        except saves.SaveError as exc:
            self.app.push(MessageScreen("Not saved", f"{exc}. The slot keeps what it held; the game goes on."))
        except (OSError, ValueError) as exc:
            why = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.app.push(MessageScreen("Not saved", f"Could not write {path}: {why}. "
                                        "The slot keeps what it held, and the game goes on."))
        self.refresh()

    def flash(self, message: str) -> None:
        self.toast, self.toast_left = message, 2.5

    def update(self, dt: float) -> bool:
        if self.toast_left > 0:
            self.toast_left -= dt
            if self.toast_left <= 0:
                self.toast = ""
            return True
        return False

    # Drawing -----------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        pygame.draw.polygon(surface, p.red, [(w, 0), (w - t.px(260), 0), (w, t.px(110))])
        pygame.draw.polygon(surface, p.dark, [(w, t.px(110)), (w - t.px(60), t.px(85)), (w, t.px(60))])
        m = t.px(56)
        kicker_at(surface, t, "THE RECORD OF YOUR RUN", p.red, (m + t.px(3), t.px(22)))  # grows upwards
        text(surface, self.title_font, "SAVE" if self.mode == "save" else "LOAD", p.ink, (m, t.px(44)))
        if len(self.paths) > SLOTS:
            text(surface, self.label, "AUTOSAVES", p.red, self.autos_label)
        for i, (info, rect) in enumerate(zip(self.infos, self.menu.rects)):
            self.draw_card(surface, i, info, rect)
        hints = [("1-8", "slot"), ("Arrows Enter", "choose"), ("PgUp/PgDn", f"page {self.page + 1}/{PAGES}"),
                 ("Del", "delete"), ("R", "rename"), ("Esc", "back")]
        if self.app.run is not None:
            hints.insert(2, ("S / L", "save / load"))
        hint_bar(surface, t, pygame.Rect(m, h - t.px(46), w - 2 * m, t.px(30)), hints)
        if self.toast:
            img = t.label(17).render(self.toast, p.on_dark)
            box = img.get_rect(midtop=(w // 2, t.px(16))).inflate(t.px(28), t.px(12))
            pygame.draw.rect(surface, p.dark, box)
            surface.blit(img, img.get_rect(center=box.center))

    def draw_card(self, surface: pygame.Surface, i: int, info, rect: pygame.Rect) -> None:
        t, p = self.theme, self.theme.palette
        thumb = self.thumbs[i] if i < len(self.thumbs) else None
        focused = i == self.menu.focus and self.menu.enabled[i]
        bg, fg, sub = (p.red, p.on_red, p.on_red) if focused else (p.highlight, p.ink, p.muted)
        if not self.menu.enabled[i]:
            bg, fg, sub = p.paper, p.disabled, p.disabled
        pygame.draw.rect(surface, bg, rect)
        pygame.draw.rect(surface, p.rule if not focused else p.red, rect, max(1, t.px(1)))
        if thumb is not None and rect.width > 3 * thumb.get_width():
            surface.blit(thumb, (rect.right - thumb.get_width() - 1, rect.top + 1))
            rect = pygame.Rect(rect.left, rect.top, rect.width - thumb.get_width() - 2, rect.height)
        pad = t.px(14)
        x, y = rect.left + pad, rect.top + pad - t.px(2)
        auto = i >= SLOTS
        name = f"AUTOSAVE {i - SLOTS + 1}" if auto else f"SLOT {self.slot_number(i)}"
        tag = self.label.render(name, p.on_red if not focused else p.red)
        box = tag.get_rect(topleft=(x, y)).inflate(t.px(10), t.px(2))
        box.topleft = (x, y)
        pygame.draw.rect(surface, p.on_red if focused else (p.red if self.menu.enabled[i] else p.disabled), box)
        surface.blit(tag, tag.get_rect(center=box.center))
        right = rect.right - pad
        if info is None:
            text(surface, self.small, "Empty", sub, (box.right + t.px(12), box.centery), "midleft")
            return
        if isinstance(info, saves.SaveError):
            text(surface, self.strong, "Damaged save", fg, (x, box.bottom + t.px(8)))
            text(surface, self.small, "It cannot be read; loading it explains why.", sub, (x, box.bottom + t.px(8) + self.strong.height))
            return
        story = self.app.story
        who = story.characters[info.character].name if info.character in story.characters else info.character
        width = right - x
        if not auto and info.label:
            text(surface, self.strong, shorten(self.strong, info.label, right - box.right - t.px(12)), fg,
                 (box.right + t.px(12), box.centery), "midleft")
        y = box.bottom + t.px(6)
        # An autosave's small card leads with its date and scene (what tells autosaves apart).
        first = f"{pretty_date(info.story_date)} · {info.scene_title}" if auto else f"{who} · {pretty_date(info.story_date)}"
        text(surface, self.line, shorten(self.line, first, width), fg, (x, y))
        y += self.line.height
        if y + self.line.height <= rect.bottom - t.px(4):
            text(surface, self.strong, shorten(self.strong, who if auto else info.scene_title, width), fg, (x, y))
            y += self.strong.height
        if y + self.small.height <= rect.bottom - t.px(2):
            text(surface, self.small, f"Saved {real_time(info.saved_at)}", sub, (x, y))
        else:
            text(surface, self.small, real_time(info.saved_at), sub, (right, box.centery), "midright")
