"""Save files: small JSON documents, written atomically, replayed on load.

A save records the story id and version, the character and the choice path, plus a
snapshot of the state for checking. Loading replays the path on the story as it is now;
when the story has changed so that the path no longer fits, the run is restored up to
the last step that still fits and the reason is said plainly.

Whatever is in the save folder, one bad file never stops the game: reading is bounded in
size and never blocks (``game.savefiles``), the JSON is parsed with bounds on numbers and
nesting, and every document is checked field by field before it is trusted. Anything that
fails is a ``SaveError`` saying what is wrong, listed as damaged beside the good saves.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

from attrs import frozen

from game import savefiles, savenames
from game.engine import State, StepError, Story, replay, start, step
from game.engine.loader import gc_paused
from game.paths import data_dir

#: The save format this game writes, and the only one it reads.
FORMAT = 1
#: Autosaves kept, newest first.
AUTOSAVES_KEPT = 5
#: The largest save read or written: about 100,000 choices with the campaign's ids.
MAX_SAVE_BYTES = 4 * 1024 * 1024
#: Digits allowed in a number in a save: story values are far smaller, and Python refuses
#: to read integers of more than 4,300 digits with an error of its own.
MAX_DIGITS = 30
#: Shown in place of names of the autosaves, which players cannot take.
AUTOSAVE_LABEL = "Autosave"


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
    #: The id of the scene the run was in, for a thumbnail ("" if the save does not say).
    scene: str = ""


@frozen
class Loaded:
    """A restored run; ``problem`` explains where an old save stopped fitting the story."""

    state: State
    info: SaveInfo
    problem: str = ""


def saves_dir() -> Path:
    """The user's save folder, inside ``game.paths.data_dir()``."""
    return data_dir() / "saves"


# Writing ---------------------------------------------------------------------------------

def to_document(story: Story, state: State, label: str, now: datetime.datetime | None = None) -> dict:
    scene = story.scenes[state.scene]
    return {
        "format": FORMAT,
        "story": {"id": story.id, "version": story.version, "mods": list(story.mods)},
        "character": state.character,
        "state": {
            "scene": state.scene,
            "values": state.named_values(story),
            "flags": sorted(state.flags),
            "ending": state.ending,
        },
        "label": readable(label),
        "scene_title": scene.title,
        "story_date": scene.date,
        "saved_at": (now or datetime.datetime.now()).isoformat(timespec="seconds"),
        "path": [list(p) for p in state.path],
    }


#: JSON's own string encoder (C-accelerated), as json.dumps(..., ensure_ascii=False) writes strings.
_encode_string = json.encoder.encode_basestring


def encode(doc: dict) -> bytes:
    """The document as UTF-8 JSON: indented, with one choice of the path to a line.

    ``SaveError`` if it would be larger than a save may be, so that nothing is written that
    could not be read back.
    """
    head = json.dumps({k: v for k, v in doc.items() if k != "path"}, indent=1, ensure_ascii=False)
    # Each step written by the C string encoder (json.dumps per step took 0.1 s for 20,000
    # steps); a step is built from its parts, so an id such as '],[' cannot fake a boundary.
    quote = _encode_string
    steps = ",\n  ".join("[" + ",".join(quote(x) if isinstance(x, str) else json.dumps(x) for x in step) + "]"
                         for step in doc["path"])
    text = head[:-2] + ',\n "path": [' + (f"\n  {steps}\n " if steps else "") + "]\n}\n"
    data = text.encode("utf-8")
    if len(data) > MAX_SAVE_BYTES:
        raise SaveError(f"this run of {len(doc['path']):,} choices is too long to save "
                        f"(a save is at most {MAX_SAVE_BYTES // (1024 * 1024)} MB)")
    return data


def write_atomically(path: Path, text: str) -> None:
    """Write so that a crash leaves either the old file or the new one, never half of one."""
    savefiles.write_atomically(path, text.encode("utf-8"))


def write_atomically_bytes(path: Path, data: bytes) -> None:
    savefiles.write_atomically(path, data)


def save(path: Path, story: Story, state: State, label: str = "") -> Path:
    """Write ``state`` to ``path``; ``SaveError`` if the run is too long, ``OSError`` if it cannot be written."""
    savefiles.write_atomically(path, encode(to_document(story, state, label)))
    return path


def autosave(story: Story, state: State, folder: Path | None = None) -> Path:
    """Save to ``autosave-1`` after shifting the older autosaves down; keep the last few.

    A kill at any moment leaves a complete ``autosave-1`` (see ``savefiles.rotate``), and
    temporaries left by earlier killed games are removed.
    """
    names = [f"autosave-{n}.json" for n in range(1, AUTOSAVES_KEPT + 1)]
    return savefiles.rotate(folder or saves_dir(), names, encode(to_document(story, state, AUTOSAVE_LABEL)),
                            MAX_SAVE_BYTES)


# Names -----------------------------------------------------------------------------------

def name_path(name: str, folder: Path | None = None) -> Path:
    """The file of the save the player calls ``name``: a distinct file for every distinct name.

    ``SaveError`` for a name that cannot be used (empty, too long, an autosave's).
    """
    try:
        checked = savenames.check(name)
    except savenames.BadName as exc:
        raise SaveError(str(exc)) from None
    return (folder or saves_dir()) / f"{savenames.file_stem(checked)}.json"


def slot_path(slot: str | int, folder: Path | None = None) -> Path:
    """The file of a named slot (``slot-3``, ``quicksave``); see ``name_path``."""
    return name_path(str(slot), folder)


def find(name: str, folder: Path | None = None) -> Path:
    """The save a player means by ``name``, to load it: the save of that name, else the file
    whose name (without ``.json``) it is, as ``saves`` lists it, else the file an earlier
    version of the game gave that name. ``SaveError`` for a name no save can have."""
    folder = folder or saves_dir()
    auto = re.fullmatch(r"autosave[\s_-]*([1-9][0-9]?)?", name.strip().casefold())
    if auto:  # autosaves can be loaded, never saved to
        return folder / f"autosave-{auto[1] or 1}.json"
    path = name_path(name, folder)
    candidates = [path]
    stem = name.strip()
    if stem and not stem.startswith(".") and not any(c in stem for c in "/\\\0:") and len(stem.encode("utf-8", "replace")) < 250:
        candidates.append(folder / f"{stem}.json")
        candidates.append(folder / f"{savenames.legacy_stem(stem)}.json")
    for candidate in candidates:
        if os.path.lexists(candidate):
            return candidate
    return path


# Reading ---------------------------------------------------------------------------------

class _Refused(Exception):
    """Raised from inside the JSON parser for a value no save holds."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number of {len(text.lstrip('-')):,} digits, longer than any save holds")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise _Refused(f"a number {len(text):,} characters long, longer than any save holds")
    return float(text)


def _constant(text: str) -> float:
    raise _Refused(f"'{text}', which is not a number a save can hold")


def read_document(path: Path) -> dict:
    """The JSON of a save, or ``SaveError`` saying in words what is wrong with it."""
    try:
        raw = savefiles.read_bounded(path, MAX_SAVE_BYTES)
    except savefiles.Missing:
        raise SaveError(f"{path}: no such save") from None
    except savefiles.Unreadable as exc:
        raise SaveError(f"{path}: not a readable save: {exc.reason}") from None
    try:
        doc = json.loads(raw.decode("utf-8"), parse_int=_int, parse_float=_float, parse_constant=_constant)
    except UnicodeDecodeError:
        raise SaveError(f"{path}: damaged or truncated, not a readable save (it is not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path}: damaged or truncated, not a readable save at line {exc.lineno}, column {exc.colno}") from None
    except _Refused as exc:
        raise SaveError(f"{path}: damaged, not a readable save: it holds {exc}") from None
    except RecursionError:
        raise SaveError(f"{path}: damaged, not a readable save: it is nested far deeper than any save") from None
    except ValueError as exc:  # anything else the parser refuses
        raise SaveError(f"{path}: damaged or truncated, not a readable save ({exc})") from None
    if not isinstance(doc, dict) or "format" not in doc or "path" not in doc:
        raise SaveError(f"{path}: not a save file of this game")
    problem = format_problem(doc["format"])
    if problem:
        raise SaveError(f"{path}: {problem}")
    steps = doc["path"]
    path_ok = isinstance(steps, list) and all(
        type(p) is list and len(p) == 2 and type(p[0]) is str and type(p[1]) is str for p in steps)
    if not path_ok or not isinstance(doc.get("character"), str):
        raise SaveError(f"{path}: damaged: its list of choices is unreadable")
    return doc


def format_problem(value: Any) -> str:
    """Why a save's ``format`` is not one this game reads, or "" if it is exactly ``FORMAT``."""
    if type(value) is int:  # not bool, not float: "1", 1.0 and true are not versions
        if value == FORMAT:
            return ""
        if value > FORMAT:
            return f"saved by a newer version of the game (format {value}); update the game to load it"
        return f"damaged: format {value} is not a save format of this game (it writes format {FORMAT})"
    shown = json.dumps(value)[:40] if isinstance(value, (str, float, bool)) or value is None else type(value).__name__
    return f"damaged: its format is {shown}, not the whole number {FORMAT}"


def info(path: Path) -> SaveInfo:
    return _info_of(path, read_document(path))


def _text(value: Any, limit: int = 200) -> str:
    """A string field of a save for display: strings only, cut to ``limit`` characters."""
    return readable(value[:limit]) if isinstance(value, str) else ""


def readable(text: str) -> str:
    """``text`` without lone surrogates, which could not be written as UTF-8 (JSON's ``\\ud800``
    escapes make them; a save or a transcript's record may hold them)."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def _info_of(path: Path, doc: dict) -> SaveInfo:
    story = doc.get("story") if isinstance(doc.get("story"), dict) else {}
    snapshot = doc.get("state") if isinstance(doc.get("state"), dict) else {}
    date = _text(doc.get("story_date"), 40)
    if re.fullmatch(r"[\d-]+", date) and not re.fullmatch(r"\d{1,4}(-\d{1,2}){0,2}", date):
        date = ""  # digits no calendar holds (pretty_date would overflow on them)
    return SaveInfo(path, _text(doc.get("label")), _text(doc["character"]), _text(doc.get("scene_title")),
                    date, _text(doc.get("saved_at"), 40), _text(story.get("id")), _text(snapshot.get("scene")))


def list_saves(folder: Path | None = None) -> list[SaveInfo | SaveError]:
    """Every save in the folder, newest first; unreadable ones as their errors."""
    folder = folder or saves_dir()
    if not os.path.isdir(folder):
        return []
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".json") and not e.name.startswith(".")]
    except OSError as exc:
        return [SaveError(f"{folder}: the save folder cannot be read ({exc.strerror or exc})")]
    out: list[SaveInfo | SaveError] = []
    for entry in sorted(entries, key=_mtime, reverse=True):
        try:
            out.append(info(Path(entry.path)))
        except SaveError as exc:
            out.append(exc)
    return out


def _mtime(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def load(path: Path, story: Story) -> Loaded:
    """Restore a run on ``story``; ``SaveError`` if nothing of it can be used.

    The cyclic collector is paused throughout: a long save is a few hundred thousand small
    objects with no cycles, and its passes over them only cost time.
    """
    with gc_paused():
        return _load(path, story)


def _load(path: Path, story: Story) -> Loaded:
    doc = read_document(path)
    meta = _info_of(path, doc)
    saved_story = doc.get("story") if isinstance(doc.get("story"), dict) else {}
    if saved_story.get("id") != story.id:
        raise SaveError(f"{path}: belongs to the story '{_text(saved_story.get('id'), 80)}', not to '{story.id}'")
    if doc["character"] not in story.characters:
        raise SaveError(f"{path}: plays '{_text(doc['character'], 80)}', who is not in this story")
    steps = [(p[0], p[1]) for p in doc["path"]]
    version = saved_story.get("version")
    saved_version = _text(str(version), 80) if isinstance(version, (str, int, float)) else ""
    try:
        state = replay(story, doc["character"], steps)
    except StepError as exc:
        fits = _longest_fitting(story, doc["character"], steps)
        changed = "" if saved_version == story.version else \
            f" (saved with story version {saved_version}, this is version {story.version})"
        message = (f"The story has changed since this game was saved{changed}. {exc}. "
                   f"The run is restored up to choice {len(fits.path)} of {len(steps)}, in '{story.scenes[fits.scene].title}'.")
        return Loaded(fits, meta, message)
    snapshot = doc.get("state") if isinstance(doc.get("state"), dict) else {}
    if snapshot.get("values") not in (None, state.named_values(story)) and saved_version == story.version:
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
