"""Save files: small JSON documents, written atomically, replayed on load.

A save records the story id and version, the character and the choice path, plus a
snapshot of the state for checking. Loading replays the path on the story as it is now;
when the story has changed so that the path no longer fits, the run is restored up to
the last step that still fits and the reason is said plainly.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path

from attrs import frozen

from game.engine import State, StepError, Story, replay, start, step
from game.paths import data_dir

FORMAT = 1
#: Autosaves kept, newest first.
AUTOSAVES_KEPT = 5
MAX_SAVE_BYTES = 4 * 1024 * 1024


class SaveError(ValueError):
    """A save file that cannot be used, with the reason in words."""


@frozen
class SaveInfo:
    """What a save menu shows without replaying the run."""

    path: Path
    label: str
    character: str
    scene_title: str
    story_date: str
    saved_at: str
    story_id: str


@frozen
class Loaded:
    """A restored run; ``problem`` explains where an old save stopped fitting the story."""

    state: State
    info: SaveInfo
    problem: str = ""


def saves_dir() -> Path:
    """The user's save folder, inside ``game.paths.data_dir()``."""
    return data_dir() / "saves"


def to_document(story: Story, state: State, label: str, now: datetime.datetime | None = None) -> dict:
    scene = story.scenes[state.scene]
    return {
        "format": FORMAT,
        "story": {"id": story.id, "version": story.version, "mods": list(story.mods)},
        "character": state.character,
        "path": [list(p) for p in state.path],
        "state": {
            "scene": state.scene,
            "values": state.named_values(story),
            "flags": sorted(state.flags),
            "ending": state.ending,
        },
        "label": label,
        "scene_title": scene.title,
        "story_date": scene.date,
        "saved_at": (now or datetime.datetime.now()).isoformat(timespec="seconds"),
    }


def write_atomically(path: Path, text: str) -> None:
    """Write so that a crash leaves either the old file or the new one, never half of one."""
    write_atomically_bytes(path, text.encode("utf-8"))


def write_atomically_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save(path: Path, story: Story, state: State, label: str = "") -> Path:
    write_atomically(path, json.dumps(to_document(story, state, label), indent=1, ensure_ascii=False))
    return path


def slot_path(slot: str | int, folder: Path | None = None) -> Path:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(slot)).strip("-") or "slot"
    return (folder or saves_dir()) / f"{name}.json"


def autosave(story: Story, state: State, folder: Path | None = None) -> Path:
    """Save to ``autosave-1`` after shifting the older autosaves down; keep the last few."""
    folder = folder or saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(AUTOSAVES_KEPT - 1, 0, -1):
        older = folder / f"autosave-{n}.json"
        if older.exists():
            os.replace(older, folder / f"autosave-{n + 1}.json")
    return save(folder / "autosave-1.json", story, state, "Autosave")


def read_document(path: Path) -> dict:
    """The JSON of a save, or ``SaveError`` saying in words what is wrong with it."""
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a save file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise SaveError(f"{path}: damaged or truncated, not a readable save{where}") from None
    if not isinstance(doc, dict) or "format" not in doc or "path" not in doc:
        raise SaveError(f"{path}: not a save file of this game")
    if not isinstance(doc.get("format"), int) or doc["format"] > FORMAT:
        raise SaveError(f"{path}: saved by a newer version of the game (format {doc.get('format')}); update the game to load it")
    path_ok = isinstance(doc["path"], list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in doc["path"])
    if not path_ok or not isinstance(doc.get("character"), str):
        raise SaveError(f"{path}: damaged: its list of choices is unreadable")
    return doc


def info(path: Path) -> SaveInfo:
    return _info_of(path, read_document(path))


def _info_of(path: Path, doc: dict) -> SaveInfo:
    story = doc.get("story") if isinstance(doc.get("story"), dict) else {}
    return SaveInfo(path, str(doc.get("label", "")), doc["character"], str(doc.get("scene_title", "")),
                    str(doc.get("story_date", "")), str(doc.get("saved_at", "")), str(story.get("id", "")))


def list_saves(folder: Path | None = None) -> list[SaveInfo | SaveError]:
    """Every save in the folder, newest first; unreadable ones as their errors."""
    folder = folder or saves_dir()
    if not folder.is_dir():
        return []
    out: list[SaveInfo | SaveError] = []
    for p in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            out.append(info(p))
        except SaveError as exc:
            out.append(exc)
    return out


def load(path: Path, story: Story) -> Loaded:
    """Restore a run on ``story``; ``SaveError`` if nothing of it can be used."""
    doc = read_document(path)
    meta = _info_of(path, doc)
    saved_story = doc.get("story") if isinstance(doc.get("story"), dict) else {}
    if saved_story.get("id") != story.id:
        raise SaveError(f"{path}: belongs to the story '{saved_story.get('id')}', not to '{story.id}'")
    if doc["character"] not in story.characters:
        raise SaveError(f"{path}: plays '{doc['character']}', who is not in this story")
    steps = [tuple(p) for p in doc["path"]]
    try:
        state = replay(story, doc["character"], steps)
    except StepError as exc:
        fits = _longest_fitting(story, doc["character"], steps)
        changed = "" if str(saved_story.get("version")) == story.version else \
            f" (saved with story version {saved_story.get('version')}, this is version {story.version})"
        message = (f"The story has changed since this game was saved{changed}. {exc}. "
                   f"The run is restored up to choice {len(fits.path)} of {len(steps)}, in '{story.scenes[fits.scene].title}'.")
        return Loaded(fits, meta, message)
    snapshot = doc.get("state") if isinstance(doc.get("state"), dict) else {}
    if snapshot.get("values") not in (None, state.named_values(story)) and str(saved_story.get("version")) == story.version:
        return Loaded(state, meta, "The saved values differ from the replayed run; the replayed run is used.")
    return Loaded(state, meta)


def _longest_fitting(story: Story, character: str, steps: list[tuple[str, str]]) -> State:
    """Replay is deterministic, so the steps that still fit form a prefix: walk it once."""
    state = start(story, character)
    for scene_id, choice_id in steps:
        if state.scene != scene_id:
            break
        try:
            state = step(story, state, choice_id)
        except StepError:
            break
    return state
