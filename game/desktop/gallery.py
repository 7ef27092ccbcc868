"""The endings gallery: which endings this player has reached, kept between runs."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from attrs import frozen

from game.paths import data_dir


@frozen
class Reached:
    """One ending as the gallery remembers it."""

    ending: str
    #: Characters with whom it was reached, in the order first reached.
    characters: tuple[str, ...]
    #: When it was first reached (ISO date and time).
    first: str
    #: The ending's text as the first run that reached it read it (it follows the run).
    text: str = ""


def gallery_path() -> Path:
    return data_dir() / "gallery.json"


def _read(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def reached(story_id: str, path: Path | None = None) -> dict[str, Reached]:
    """Endings reached in ``story_id``, by ending id; a damaged file counts as none."""
    doc = _read(path or gallery_path()).get(story_id, {})
    out: dict[str, Reached] = {}
    if isinstance(doc, dict):
        for ending, entry in doc.items():
            if isinstance(entry, dict):
                chars = entry.get("characters", [])
                text = entry.get("text", "")
                out[ending] = Reached(ending, tuple(c for c in chars if isinstance(c, str)) if isinstance(chars, list) else (),
                                     str(entry.get("first", "")), text if isinstance(text, str) else "")
    return out


def record(story_id: str, ending: str, character: str, path: Path | None = None,
           now: datetime.datetime | None = None, text: str = "") -> None:
    """Remember that ``ending`` was reached as ``character``; never raises on a write failure."""
    from game.saves import write_atomically
    path = path or gallery_path()
    doc = _read(path)
    story = doc.get(story_id) if isinstance(doc.get(story_id), dict) else {}
    entry = story.get(ending) if isinstance(story.get(ending), dict) else {}
    chars = [c for c in entry.get("characters", []) if isinstance(c, str)] if isinstance(entry.get("characters"), list) else []
    if character not in chars:
        chars.append(character)
    kept = entry.get("text") if isinstance(entry.get("text"), str) and entry.get("text") else text
    entry = {"characters": chars, "first": entry.get("first") or (now or datetime.datetime.now()).isoformat(timespec="seconds"),
             "text": kept}
    story[ending] = entry
    doc[story_id] = story
    try:
        write_atomically(path, json.dumps(doc, indent=1, ensure_ascii=False))
    except OSError:
        pass
