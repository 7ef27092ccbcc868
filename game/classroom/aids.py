"""Reading aids kept beside a story: the glossary, the timeline of real events, the historical paths.

Each is one YAML file in the story folder, and optionally one more in each mod folder, so
a mod can add its own entries: ``glossary.yaml`` (``game.classroom.glossary``),
``timeline.yaml`` (``game.classroom.timeline``) and ``historical.yaml``
(``game.classroom.historical``). They are not part of the story format: the engine never
reads them, a story plays the same without them, and ``testament check`` checks them after
the story itself (``check_aids``), each problem with its ``file:line:column``.

The files are read with the story's own safe YAML reader (size, depth and node limits,
no tags, every value located) and kept per loaded story, so a screen opened twice reads
its file once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

from game.engine.errors import Location, Problems, did_you_mean
from game.engine.loader import shown_path
from game.engine.model import Story
from game.engine.yamlsource import YList, YMap, read_yaml

T = TypeVar("T")

_CACHE: dict[tuple[int, str], tuple[Story, Any]] = {}


def folders(story: Story) -> list[Path]:
    """The story's folders, the campaign first, then its mods.

    ``Story.sources`` holds the folders as they were named when the story was first read,
    and a story served from the compiled cache keeps them: a relative name from another
    working folder. The campaign's folder is then found where the game keeps it.
    """
    out = []
    for i, source in enumerate(story.sources):
        folder = Path(source)
        if not folder.is_absolute() and not (folder / "story.yaml").is_file() and i == 0:
            from game.paths import story_dir
            folder = story_dir()
        out.append(folder)
    return out


def trees(story: Story, name: str, problems: Problems) -> list[Any]:
    """The YAML tree of ``name`` in each folder that has the file (none is not a problem)."""
    out = []
    for folder in folders(story):
        path = folder / name
        try:
            present = path.is_file()
        except OSError:
            present = False
        if not present:
            continue
        tree = read_yaml(path, shown_path(path), problems)
        if tree is not None:
            out.append(tree)
    return out


def cached(story: Story, name: str, build: Callable[[Story, Problems], T]) -> T:
    """``build(story, problems)`` once per loaded story (problems are dropped: ``check`` reports them)."""
    key = (id(story), name)
    kept = _CACHE.get(key)
    if kept is not None and kept[0] is story:
        return kept[1]
    if len(_CACHE) > 24:
        _CACHE.clear()
    value = build(story, Problems())
    _CACHE[key] = (story, value)
    return value


class Fields:
    """Typed getters over one located mapping; every complaint goes to ``problems``."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def mapping(self, value: Any, loc: Location, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.problems.error(loc, f"{what} must be a mapping of keys to values")
        return None

    def seq(self, value: Any, loc: Location, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.problems.error(loc, f"{what} must be a list")
        return None

    def keys(self, m: YMap, allowed: set[str], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.problems.error(m.where_key(key), f"unknown key '{key}' in {what}",
                                    did_you_mean(str(key), allowed) or "allowed: " + ", ".join(sorted(allowed)))

    def text(self, m: YMap, key: str, what: str, required: bool = True) -> str:
        if key not in m:
            if required:
                self.problems.error(m.loc, f"{what} has no '{key}'")
            return ""
        value = m[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problems.error(m.where(key), f"'{key}' of {what} must be text",
                                "quote it: a colon followed by a space starts a key" if isinstance(value, YMap) else "")
            return ""
        if required and not value.strip():
            self.problems.error(m.where(key), f"'{key}' of {what} is empty")
        return " ".join(value.split()) if "\n\n" not in value else value.strip()

    def texts(self, m: YMap, key: str, what: str) -> list[str]:
        """A list of strings (a single string is a list of one)."""
        if key not in m:
            return []
        value = m[key]
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        items = self.seq(value, m.where(key), f"'{key}' of {what}")
        if items is None:
            return []
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                out.append(" ".join(item.split()))
            else:
                self.problems.error(items.where(i), f"each of '{key}' of {what} must be non-empty text")
        return out


def paragraphs(text: str) -> list[str]:
    """``text`` as paragraphs, each on one line."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def check_aids(story: Story, problems: Problems) -> None:
    """Check the glossary, the timeline and the historical paths of ``story`` (whichever it has)."""
    from game.classroom import glossary, historical, timeline
    glossary.check(story, problems)
    timeline.check(story, problems)
    historical.check(story, problems)
