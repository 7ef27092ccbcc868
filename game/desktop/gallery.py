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


@frozen
class Hint:
    """What a locked ending turns on, read from its condition (and, where it asks whether a
    resolution scene was visited, from the conditions of the roads that lead there).
    ``characters`` are those the conditions name; they are not a proof of who can reach it,
    so the words leave them out."""

    forces: tuple[str, ...]
    acts: tuple[str, ...]
    characters: tuple[str, ...]

    def words(self) -> str:
        """The hint as a sentence or two, or "" when the condition names nothing."""
        acts = ("the act " if len(self.acts) == 1 else "the acts ") + _join([f"“{a}”" for a in self.acts])
        if self.forces and self.acts:
            return f"It turns on {_join(self.forces)}, and on {acts}."
        if self.forces or self.acts:
            return f"It turns on {_join(self.forces) if self.forces else acts}."
        return ""


def _join(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def hint(story, ending) -> Hint:
    """The forces, acts and characters an ending's condition names, one road deep."""
    from game.engine import expr as E
    variables: list[str] = []
    flags: list[str] = []
    characters: list[str] = []

    def walk(node, negated: bool = False) -> list[str]:
        visits = []
        if node is None:
            return visits
        if isinstance(node, E.Var):
            if node.name not in variables:
                variables.append(node.name)
        elif isinstance(node, E.Flag):
            if not negated and node.name not in flags:
                flags.append(node.name)
        elif isinstance(node, E.Visits):
            visits.append(node.scene)
        elif isinstance(node, E.Not):
            visits += walk(node.operand, not negated)
        elif isinstance(node, E.Compare):
            sides = (node.left, node.right)
            if any(isinstance(s, E.CharacterRef) for s in sides):
                named = [s.value for s in sides if isinstance(s, E.Str)]
                if node.op == "==" and not negated:
                    characters.extend(c for c in named if c not in characters)
            else:
                visits += walk(node.left, negated) + walk(node.right, negated)
        elif isinstance(node, (E.BoolOp, E.Arith)):
            visits += walk(node.left, negated) + walk(node.right, negated)
        return visits

    scenes = walk(ending.condition.tree if ending.condition is not None else None)
    for target in scenes:
        if target in story.scenes and story.scenes[target].only_for:
            characters.extend(c for c in sorted(story.scenes[target].only_for) if c not in characters)
        for scene in story.scenes.values():
            for choice in scene.choices:
                for branch in choice.goto:
                    if branch.target == target and branch.condition is not None:
                        walk(branch.condition.tree)
    names = [story.variable(v).name or v for v in variables]
    from game.desktop.forces_view import flag_words
    return Hint(tuple(_lower(n) for n in names), tuple(flag_words(story, f) for f in flags),
                tuple(story.characters[c].name for c in characters if c in story.characters))


def _lower(name: str) -> str:
    """"The Red Army" as "the Red Army" inside a sentence."""
    return name[0].lower() + name[1:] if name.startswith(("The ", "A ", "An ")) else name
