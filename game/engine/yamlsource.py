"""Safe YAML reading that keeps the line and column of every value.

Story files are untrusted. They are parsed as a stream of events by libyaml (or PyYAML's
pure parser when libyaml is absent), never constructed into arbitrary objects, and the
tree is built here under hard limits: file size, nesting depth, and the number of nodes
after alias expansion, so neither a deep document (which would overflow the C stack of
libyaml's recursive composer) nor an alias bomb can take the process down.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

from game.engine.errors import Location, Problems

try:  # libyaml's C parser when present: several times faster.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000

_STANDARD_TAGS = {
    None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YMap(dict):
    """A YAML mapping: a dict that remembers where it and each of its keys and values are.

    Positions are kept as numbers and turned into ``Location`` only when a message needs
    one: a big story has hundreds of thousands of values and few problems. Each key has
    one (key line, key column, value line, value column) tuple, in one dict per mapping,
    because every story's located trees are alive at once while it is built and two
    dicts of pairs cost a third more memory.
    """

    __slots__ = ("path", "pos", "places")

    def __init__(self, path: str, pos: tuple[int, int]):
        super().__init__()
        self.path = path
        self.pos = pos
        self.places: dict[Any, tuple[int, int, int, int]] = {}

    @property
    def loc(self) -> Location:
        return Location(self.path, *self.pos)

    def where(self, key: Any) -> Location:
        """Where the value of ``key`` is, or the mapping itself when the key is absent."""
        place = self.places.get(key)
        return Location(self.path, place[2], place[3]) if place else Location(self.path, *self.pos)

    def where_key(self, key: Any) -> Location:
        place = self.places.get(key)
        return Location(self.path, place[0], place[1]) if place else Location(self.path, *self.pos)


class YList(list):
    """A YAML sequence that remembers where it and each item are."""

    __slots__ = ("path", "pos", "item_pos")

    def __init__(self, path: str, pos: tuple[int, int]):
        super().__init__()
        self.path = path
        self.pos = pos
        self.item_pos: list[tuple[int, int]] = []

    @property
    def loc(self) -> Location:
        return Location(self.path, *self.pos)

    def where(self, index: int) -> Location:
        return Location(self.path, *(self.item_pos[index] if index < len(self.item_pos) else self.pos))


class _Refused(Exception):
    def __init__(self, location: Location, message: str):
        self.location = location
        self.message = message


def _mark(shown: str, mark: Any) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1)


_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_MAYBE_TYPED = set("0123456789-+.~tfTFnN")


def _scalar(event: ev.ScalarEvent, shown: str) -> Any:
    """The value of a scalar under YAML 1.2's core rules: only true/false are booleans,
    so ids such as `on` or `no` stay text, and dates stay text (ISO strings)."""
    value = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if event.style or not event.implicit[0] or not value or value[0] not in _MAYBE_TYPED:
            return value if (value or event.style) else None
        if _INT.match(value):
            return int(value.replace("_", ""))
        lower = value.lower()
        if lower == "true" or lower == "false":
            return lower == "true"
        if value in _NULL:
            return None
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
        return value
    loc = _mark(shown, event.start_mark)
    if tag not in _STANDARD_TAGS:
        raise _Refused(loc, f"tag '{tag}' is not allowed in story files (plain YAML only)")
    if tag == "tag:yaml.org,2002:str":
        return value
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        result = _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _Refused(loc, f"bad value {value!r}: {getattr(exc, 'problem', exc)}") from None
    if isinstance(result, (datetime.date, datetime.datetime)):
        return result.isoformat()
    return result


def _build(events: Any, shown: str) -> Any:
    """Build the tree from parser events, enforcing depth and expanded-size limits."""
    anchors: dict[str, tuple[Any, int]] = {}
    # frames: [container, expanded size, anchor, pending key or _NO_KEY, key position]
    stack: list[list[Any]] = []
    root: Any = None
    total = 0
    Scalar, MapStart, SeqStart = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    MapEnd, SeqEnd, Alias = ev.MappingEndEvent, ev.SequenceEndEvent, ev.AliasEvent

    for event in events:
        kind = type(event)
        if kind is Scalar:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            total += 1
            value = event.value
            if event.tag is not None or (not event.style and (not value or value[0] in _MAYBE_TYPED)):
                value = _scalar(event, shown)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            size = 1
        elif kind is MapStart or kind is SeqStart:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if event.tag not in _STANDARD_TAGS:
                raise _Refused(Location(shown, *pos), f"tag '{event.tag}' is not allowed in story files (plain YAML only)")
            if len(stack) >= MAX_DEPTH:
                raise _Refused(Location(shown, *pos), f"the document is nested more than {MAX_DEPTH} levels deep")
            total += 1
            container = YMap(shown, pos) if kind is MapStart else YList(shown, pos)
            stack.append([container, 1, event.anchor, _NO_KEY, pos])
            continue
        elif kind is MapEnd or kind is SeqEnd:
            value, size, anchor, _, _ = stack.pop()
            pos = value.pos
            if anchor:
                anchors[anchor] = (value, size)
        elif kind is Alias:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if event.anchor not in anchors:
                raise _Refused(Location(shown, *pos), f"alias '*{event.anchor}' names no anchor defined before it")
            value, size = anchors[event.anchor]
            total += size
        else:
            continue
        if total > MAX_NODES:
            raise _Refused(Location(shown, *pos), f"the document expands to more than {MAX_NODES:,} YAML nodes (an alias bomb?)")
        # Attach the finished value to its parent.
        if not stack:
            root = value
            continue
        frame = stack[-1]
        frame[1] += size
        container = frame[0]
        if type(container) is YList:
            container.append(value)
            container.item_pos.append(pos)
        elif frame[3] is _NO_KEY:
            if isinstance(value, (YMap, YList)):
                raise _Refused(Location(shown, *pos), "a mapping key must be a plain value, not a mapping or list")
            frame[3] = value
            frame[4] = pos
        else:
            key = frame[3]
            try:
                if key in container:
                    raise _Refused(Location(shown, *frame[4]), f"key '{key}' appears twice in this mapping")
                container[key] = value
            except TypeError:
                raise _Refused(Location(shown, *frame[4]), "a mapping key must be a plain value") from None
            container.places[key] = frame[4] + pos
            frame[3] = _NO_KEY
    return root


_NO_KEY = object()


def read_yaml(path: Path, shown: str, problems: Problems) -> Any:
    """Read one story file; return its tree, or ``None`` after recording why it cannot be read.

    ``shown`` is the path as the author should see it in messages.
    """
    where = Location(shown)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(where, f"file is {size / 1048576:.1f} MB; story files may be at most {MAX_FILE_BYTES // 1048576} MB")
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        problems.error(where, "file not found")
        return None
    except IsADirectoryError:
        problems.error(where, "expected a YAML file but found a folder")
        return None
    except OSError as exc:
        problems.error(where, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.error(Location(shown, line, column), f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        problems.error(where, "file is empty")
        return None
    try:
        return _build(yaml.parse(text, Loader=_Loader), shown)
    except _Refused as exc:
        problems.error(exc.location, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _mark(shown, mark) if mark is not None else where
        problems.error(loc, f"YAML syntax: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        problems.error(where, f"YAML: {exc}")
    return None
