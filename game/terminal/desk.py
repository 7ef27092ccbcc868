"""Every file the text game writes or reads, and what it says when that fails.

The text game is played from terminals and pipes by people who type anything: names in
any script or too long for a file system, bytes that are not UTF-8, NULs, paths into
folders they cannot write. Each command here answers in words and the game goes on. When
the save folder cannot be written, it says where it could not write and offers another
place; an autosave that fails moves to that place by itself, so the run is not lost.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from game import saves
from game.classroom.transcript import transcript_path, write_transcript
from game.dates import pretty_date
from game.engine import State, Story

#: The folder made for saves when the save folder cannot be written.
FALLBACK = "lenins-testament"


def fallback_bases() -> list[Path]:
    """Where ``FALLBACK`` may be made, in order: the home folder, then the temporary one."""
    bases = []
    for base in (Path.home, lambda: Path(tempfile.gettempdir())):
        try:
            bases.append(base())
        except (OSError, RuntimeError, KeyError):  # no home folder at all
            continue
    return bases


def shown(text: str, limit: int = 80) -> str:
    """``text`` safe to echo: undecodable bytes as U+FFFD, control characters as '?', cut short."""
    text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else "?" if unicodedata.category(c) == "Cc" else c
                   for c in text[:limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reason(exc: BaseException) -> str:
    """An OS error in words, without Python's decoration."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    if isinstance(exc, ValueError):
        return "that is not a name a file can have"
    return str(exc)


class SaveDesk:
    """The save folder of one text session and the file commands, answering through ``say``.

    ``ask`` puts a yes/no question to the player and returns the answer (no at the end of input).
    """

    def __init__(self, story: Story, folder: Path | None, say: Callable[[str], None], ask: Callable[[str], bool]):
        self.story = story
        self.folder = folder
        self.say = say
        self.ask = ask
        #: True while the run has changed since anything last saved it (an autosave failed).
        self.unsaved = False
        self._too_long_said = False

    @property
    def where(self) -> Path:
        return self.folder or saves.saves_dir()

    # Saving --------------------------------------------------------------------------------
    def save(self, state: State, name: str) -> None:
        label = name or "Quicksave"
        try:
            path = saves.name_path(name or "quicksave", self.where)
        except saves.SaveError as exc:
            self.say(f"Cannot save under that name: {exc}.")
            return
        if os.path.lexists(path) and not self.ask(f"A save called '{shown(label)}' already exists "
                                                  f"({self.describe(path)}). Overwrite it? (yes/no)"):
            self.say("Nothing was saved; the old save is kept.")
            return
        try:
            saves.save(path, self.story, state, label)
        except saves.SaveError as exc:
            self.say(f"Cannot save: {exc}.")
            return
        except (OSError, ValueError) as exc:
            self.cannot_write(path, exc)
            return
        self.unsaved = False
        self.say(f"Saved as '{shown(label)}'.")

    def describe(self, path: Path) -> str:
        try:
            info = saves.info(path)
        except saves.SaveError:
            return "a damaged save"
        who = self.story.characters[info.character].name if info.character in self.story.characters else info.character
        return ", ".join(x for x in (shown(who, 40), pretty_date(info.story_date), shown(info.scene_title, 60),
                                     f"saved {info.saved_at}" if info.saved_at else "") if x)

    def autosave(self, state: State) -> None:
        try:
            saves.autosave(self.story, state, self.where)
        except saves.SaveError as exc:
            self.unsaved = True
            if not self._too_long_said:
                self.say(f"(No autosave: {exc}. Earlier autosaves are kept; the game goes on.)")
                self._too_long_said = True
            return
        except (OSError, ValueError) as exc:
            self._autosave_elsewhere(state, exc)
            return
        self.unsaved = False

    def _autosave_elsewhere(self, state: State, exc: BaseException) -> None:
        failed = self.where
        for other in self.elsewhere():
            try:
                saves.autosave(self.story, state, other)
            except (OSError, ValueError):
                continue
            self.folder = other
            self.unsaved = False
            self.say(f"(Could not autosave in {shown(str(failed), 200)}: {reason(exc)}. Autosaves and saves now "
                     f"go to {shown(str(other), 200)}; type 'folder PATH' to choose another place.)")
            return
        self.unsaved = True
        self.say(f"(Could not autosave in {shown(str(failed), 200)}: {reason(exc)}. The game goes on, but this run "
                 f"is not saved: type 'folder PATH' with a folder you can write to.)")

    def cannot_write(self, path: Path, exc: BaseException) -> None:
        self.say(f"Could not write {shown(str(path), 200)}: {reason(exc)}.")
        others = [p for p in self.elsewhere() if p != self.where]
        if others:
            self.say(f"Type 'folder {others[0]}' to save there instead, then save again.")
        else:
            self.say("Type 'folder PATH' with a folder you can write to, then save again.")

    def elsewhere(self) -> list[Path]:
        """Save folders that can be written, other than this one: in the home folder, else the temporary one."""
        out = []
        for base in fallback_bases():
            candidate = base / FALLBACK / "saves"
            try:
                candidate.mkdir(parents=True, exist_ok=True)
            except (OSError, RuntimeError, ValueError):
                continue
            if candidate != self.where and os.access(candidate, os.W_OK | os.X_OK):
                out.append(candidate)
        return out

    def move(self, arg: str, state: State | None) -> None:
        """``folder PATH``: save in PATH from now on (and autosave there at once)."""
        if not arg:
            self.say(f"Saves go to {shown(str(self.where), 300)}. Type 'folder PATH' to change that.")
            return
        try:
            folder = Path(arg).expanduser()
            folder.mkdir(parents=True, exist_ok=True)
            usable = folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
        except (OSError, RuntimeError, ValueError) as exc:
            self.say(f"Cannot use {shown(arg, 200)} as the save folder: {reason(exc)}.")
            return
        if not usable:
            self.say(f"Cannot use {shown(arg, 200)} as the save folder: it cannot be written.")
            return
        self.folder = folder
        self.say(f"Saves now go to {shown(str(folder), 300)}.")
        if state is not None:
            self.autosave(state)

    # Loading -------------------------------------------------------------------------------
    def load(self, name: str) -> saves.Loaded | None:
        try:
            return saves.load(saves.find(name or "quicksave", self.where), self.story)
        except saves.SaveError as exc:
            self.say(f"Cannot load: {shown(str(exc), 400)}")
            return None

    def list(self) -> None:
        items = saves.list_saves(self.where)
        if not items:
            self.say(f"There are no saves in {shown(str(self.where), 300)}.")
            return
        for item in items:
            if isinstance(item, saves.SaveError):
                self.say(f"  (damaged) {shown(str(item), 300)}")
                continue
            name = item.path.stem
            if item.label and not item.path.stem.startswith("autosave"):
                try:
                    if saves.name_path(item.label, self.where) == item.path:
                        name = item.label
                except saves.SaveError:
                    pass
            self.say(f"  {shown(name, 30):<16} {shown(item.character, 16):<10} {pretty_date(item.story_date):<18} "
                     f"{shown(item.scene_title, 40)} ({shown(item.saved_at, 20)})")
        self.say("Type 'load NAME' with a name from the first column.")

    # Transcripts ---------------------------------------------------------------------------
    def transcripts(self) -> Path:
        """Transcripts go beside a folder called ``saves``, else into the save folder's ``transcripts``."""
        where = self.where
        return where.parent / "transcripts" if where.name == "saves" else where / "transcripts"

    def transcript(self, state: State, name: str | None) -> Path | None:
        """Write the run as Markdown: NAME in the transcripts folder, or an explicit path; never over a save."""
        if not name:
            path = self.transcripts() / transcript_path(Path("saves"), state.character).name
            stem, n = path.stem, 1
            while os.path.lexists(path):
                n += 1
                path = path.with_name(f"{stem}-{n}.md")
        else:
            path = self._target(name)
            if path is None:
                return None
            if os.path.lexists(path):
                if not os.path.isfile(path) or os.path.islink(path):
                    self.say(f"Cannot write the transcript to {shown(str(path), 200)}: something other than a file is there.")
                    return None
                if not self.ask(f"{shown(str(path), 200)} already exists. Overwrite it? (yes/no)"):
                    self.say("Nothing was written; the file is kept.")
                    return None
        try:
            write_transcript(self.story, state, path)
        except (OSError, ValueError) as exc:
            self.say(f"Cannot write the transcript to {shown(str(path), 200)}: {reason(exc)}.")
            return None
        return path

    def _target(self, name: str) -> Path | None:
        explicit = any(sep and sep in name for sep in (os.sep, os.altsep)) or name.startswith("~")
        try:
            path = Path(name).expanduser() if explicit else self.transcripts() / name
            if not path.suffix:
                path = path.with_suffix(".md")
            if path.suffix.lower() == ".json":
                self.say("A transcript is Markdown; give it a name ending in .md, not .json, so it is never taken for a save.")
                return None
            home = (self.where.resolve(), saves.saves_dir().resolve())
            if path.parent.resolve() in home:
                self.say("Transcripts are not written into the save folder; give another place, "
                         f"or just a name to write it in {shown(str(self.transcripts()), 200)}.")
                return None
        except (OSError, RuntimeError, ValueError) as exc:
            self.say(f"Cannot write the transcript to {shown(name, 200)}: {reason(exc)}.")
            return None
        return path
