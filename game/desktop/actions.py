"""The player's intentions as actions, mapped from keys and mouse in this one place.

Screens never see a pygame event: they receive ``Action`` values, so a test can drive
any screen by sending actions, and a new key binding is a one-line change here.
"""

from __future__ import annotations

import enum
from typing import Any

from attrs import frozen


class Kind(enum.Enum):
    CHOOSE = "choose"          # number keys 1-9: pick the Nth item
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    CONFIRM = "confirm"        # Enter, Space
    BACK = "back"              # Escape, right click: close, cancel, open the game menu
    UNDO = "undo"              # Backspace: step back one choice (deletes a letter in a text field)
    REDO = "redo"              # Ctrl+Y, Shift+Backspace: take again the choice just undone
    JOURNAL = "journal"        # J
    NOTE = "note"              # N
    GLOSSARY = "glossary"      # G: the glossary and who's who, this scene's names first
    TIMELINE = "timeline"      # T: the real events beside the run
    SAVE = "save"              # S: the save screen
    LOAD = "load"              # L: the load screen
    QUICK_SAVE = "quick_save"  # F5: save at once in the quick slot
    QUICK_LOAD = "quick_load"  # F9: load the quick slot at once
    VOICE = "voice"            # V: self-voicing on or off (read the screen aloud)
    HELP = "help"              # F1: the keys, in a panel
    DELETE = "delete"          # Delete: delete the focused save (after asking)
    RENAME = "rename"          # R: rename the focused save
    SETTINGS = "settings"      # O (options), F2
    PAGE_UP = "page_up"
    PAGE_DOWN = "page_down"
    HOME = "home"
    END = "end"
    SCROLL = "scroll"          # mouse wheel: number > 0 scrolls up
    POINT = "point"            # the mouse moved to pos
    CLICK = "click"            # left button pressed at pos
    TEXT = "text"              # typed text, for naming saves
    FULLSCREEN = "fullscreen"  # F11, Alt+Enter
    QUIT = "quit"              # window closed, Ctrl+Q
    KEY = "key"                # any other key: enough to finish revealing text
    RESIZE = "resize"          # the window changed size to pos


@frozen
class Action:
    """One thing the player asked for; ``number``, ``pos`` and ``text`` as the kind needs."""

    kind: Kind
    number: int = 0
    pos: tuple[int, int] = (0, 0)
    text: str = ""

    @property
    def is_pointer(self) -> bool:
        return self.kind in (Kind.POINT, Kind.SCROLL)


def choose(n: int) -> Action:
    return Action(Kind.CHOOSE, number=n)


def click(x: int, y: int) -> Action:
    return Action(Kind.CLICK, pos=(x, y))


def point(x: int, y: int) -> Action:
    return Action(Kind.POINT, pos=(x, y))


def of(kind: Kind) -> Action:
    return Action(kind)


def _key_table() -> dict[int, Action]:
    import pygame as pg
    table = {
        pg.K_UP: of(Kind.UP), pg.K_DOWN: of(Kind.DOWN), pg.K_LEFT: of(Kind.LEFT), pg.K_RIGHT: of(Kind.RIGHT),
        pg.K_RETURN: of(Kind.CONFIRM), pg.K_KP_ENTER: of(Kind.CONFIRM), pg.K_SPACE: Action(Kind.CONFIRM, text=" "),  # text tells a name field it was Space
        pg.K_ESCAPE: of(Kind.BACK), pg.K_BACKSPACE: of(Kind.UNDO),
        pg.K_j: of(Kind.JOURNAL), pg.K_n: of(Kind.NOTE), pg.K_g: of(Kind.GLOSSARY), pg.K_t: of(Kind.TIMELINE),
        pg.K_s: of(Kind.SAVE), pg.K_F5: of(Kind.QUICK_SAVE), pg.K_l: of(Kind.LOAD), pg.K_F9: of(Kind.QUICK_LOAD),
        pg.K_v: of(Kind.VOICE), pg.K_F1: of(Kind.HELP), pg.K_DELETE: of(Kind.DELETE), pg.K_r: of(Kind.RENAME),
        pg.K_o: of(Kind.SETTINGS), pg.K_F2: of(Kind.SETTINGS),
        pg.K_PAGEUP: of(Kind.PAGE_UP), pg.K_PAGEDOWN: of(Kind.PAGE_DOWN),
        pg.K_HOME: of(Kind.HOME), pg.K_END: of(Kind.END), pg.K_F11: of(Kind.FULLSCREEN),
    }
    for n in range(1, 10):
        table[getattr(pg, f"K_{n}")] = choose(n)
        table[getattr(pg, f"K_KP{n}")] = choose(n)
    return table


_KEYS: dict[int, Action] | None = None


def from_event(event: Any) -> list[Action]:
    """The actions a pygame event means; most events mean none."""
    import pygame as pg
    global _KEYS
    if _KEYS is None:
        _KEYS = _key_table()
    t = event.type
    if t == pg.QUIT:
        return [of(Kind.QUIT)]
    if t == pg.KEYDOWN:
        mods = event.mod
        if event.key == pg.K_q and mods & pg.KMOD_CTRL:
            return [of(Kind.QUIT)]
        if event.key in (pg.K_RETURN, pg.K_KP_ENTER) and mods & pg.KMOD_ALT:
            return [of(Kind.FULLSCREEN)]
        if (event.key == pg.K_y and mods & pg.KMOD_CTRL) or (event.key == pg.K_BACKSPACE and mods & pg.KMOD_SHIFT):
            return [of(Kind.REDO)]
        if event.key == pg.K_TAB:
            return [of(Kind.UP if mods & pg.KMOD_SHIFT else Kind.DOWN)]
        if mods & (pg.KMOD_CTRL | pg.KMOD_ALT | pg.KMOD_META) and event.key not in (pg.K_LCTRL, pg.K_RCTRL):
            return []
        return [_KEYS.get(event.key) or Action(Kind.KEY, number=event.key)]  # the key code, for the author's F3/F4
    if t == pg.TEXTINPUT:
        return [Action(Kind.TEXT, text=event.text)]
    if t == pg.MOUSEMOTION:
        return [Action(Kind.POINT, pos=tuple(event.pos))]
    if t == pg.MOUSEBUTTONDOWN:
        if event.button == 1:
            return [Action(Kind.CLICK, pos=tuple(event.pos))]
        if event.button == 3:
            return [of(Kind.BACK)]
        return []
    if t == pg.MOUSEWHEEL:
        return [Action(Kind.SCROLL, number=int(event.y))] if event.y else []
    if t == pg.VIDEORESIZE:
        return [Action(Kind.RESIZE, pos=(int(event.w), int(event.h)))]
    return []
