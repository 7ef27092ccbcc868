"""Which historical notes a student opened: kept by the front ends, told to the transcript.

The engine's ``State`` knows nothing of notes being read, and should not: reading is what
a person did at the screen, not a fact of the story. So the front ends tell this module
when a note is opened (the terminal's ``note`` command, the window's note screen), and the
transcript asks it which notes were opened on the way to the state it writes.

Each opening is kept as (story id, character, a digest of the path so far, scene id). A
note counts for a run when it was opened at a state whose path begins the run's path: a
note read and then undone past still counts while the run goes back the same way, and a
note read on a road the run then left does not (its scene is not in the transcript).

The log lives in the session and, best effort, in ``notes-opened.json`` in the data
folder, so a run saved in one lesson and finished in the next keeps what was read in the
first. That file is small (the newest ``MAX_ENTRIES`` openings), read with a size bound and
checked entry by entry; a damaged one is ignored, and one that cannot be written costs
nothing but the memory of a later sitting.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

from game import savefiles
from game.engine import State, Story
from game.paths import data_dir

#: The log kept in the data folder.
FILE_NAME = "notes-opened.json"
#: Openings kept, newest last; older ones are forgotten.
MAX_ENTRIES = 3000
#: The largest log read.
MAX_BYTES = 1024 * 1024
#: Hex digits of the path digest: enough that two runs never collide in practice.
DIGEST = 20

Entry = tuple[str, str, str, str]


def _digests(path: Iterable[tuple[str, str]]) -> list[str]:
    """The digest of every prefix of ``path``, the empty one first."""
    h = hashlib.sha256(b"path")
    out = [h.hexdigest()[:DIGEST]]
    for scene, choice in path:
        h.update(scene.encode("utf-8", "surrogatepass") + b"\0" + choice.encode("utf-8", "surrogatepass") + b"\n")
        out.append(h.hexdigest()[:DIGEST])
    return out


class NotesLog:
    """The notes opened in this session (and earlier ones, when ``file`` is given)."""

    def __init__(self, file: Path | None = None):
        self.file = file
        self.entries: list[Entry] = _read(file) if file is not None else []

    def opened(self, story: Story, state: State) -> None:
        """The student opened the note of ``state``'s scene."""
        entry = (story.id, state.character, _digests(state.path)[-1], state.scene)
        if entry in self.entries:
            return
        self.entries.append(entry)
        del self.entries[:-MAX_ENTRIES]
        if self.file is not None:
            _write(self.file, self.entries)

    def for_run(self, story: Story, state: State) -> frozenset[str]:
        """The scenes whose notes were opened on the way to ``state`` (its own scene included)."""
        keys = set(_digests(state.path))
        return frozenset(scene for sid, who, key, scene in self.entries
                         if sid == story.id and who == state.character and key in keys)


def _read(file: Path) -> list[Entry]:
    try:
        raw = savefiles.read_bounded(file, MAX_BYTES)
        doc = json.loads(raw.decode("utf-8"))
    except (savefiles.Unreadable, UnicodeDecodeError, ValueError, RecursionError):
        return []
    if not isinstance(doc, dict) or type(doc.get("format")) is not int or doc["format"] != 1:
        return []
    entries = doc.get("opened")
    if not isinstance(entries, list):
        return []
    good = [tuple(e) for e in entries[-MAX_ENTRIES:]
            if type(e) is list and len(e) == 4 and all(type(x) is str and len(x) <= 200 for x in e)]
    return good  # type: ignore[return-value]


def _write(file: Path, entries: list[Entry]) -> None:
    """Replace the log; no fsync (a lost opening is harmless), and never an error."""
    data = json.dumps({"format": 1, "opened": [list(e) for e in entries]}, separators=(",", ":")).encode("utf-8")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = savefiles.temporary(file)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, file)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        pass


_logs: dict[Path, NotesLog] = {}


def session() -> NotesLog:
    """The log of this session, kept in the data folder (one per data folder, for tests)."""
    file = data_dir() / FILE_NAME
    log = _logs.get(file)
    if log is None:
        log = _logs[file] = NotesLog(file)
    return log


def note_opened(story: Story, state: State) -> None:
    """Called by a front end when the student opens the note of ``state``'s scene."""
    session().opened(story, state)


def notes_opened(story: Story, state: State) -> frozenset[str]:
    """The scenes whose notes the student opened on the way to ``state``."""
    return session().for_run(story, state)
