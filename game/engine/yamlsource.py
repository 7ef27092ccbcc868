"""Safe YAML reading that keeps the line and column of every value.

Story files are untrusted. They are parsed as a stream of events by libyaml (or PyYAML's
pure parser when libyaml is absent), never constructed into arbitrary objects, and the
tree is built here under hard limits: file size, nesting depth, and the number of nodes
after alias expansion, so neither a deep document (which would overflow the C stack of
libyaml's recursive composer) nor an alias bomb can take the process down.
"""

from __future__ import annotations

import datetime
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
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YMap(dict):
    """A YAML mapping: a dict that remembers where it and each of its keys and values are."""

    __slots__ = ("loc", "key_locs", "value_locs")

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.key_locs: dict[Any, Location] = {}
        self.value_locs: dict[Any, Location] = {}

    def where(self, key: Any) -> Location:
        """Where the value of ``key`` is, or the mapping itself when the key is absent."""
        return self.value_locs.get(key, self.loc)

    def where_key(self, key: Any) -> Location:
        return self.key_locs.get(key, self.loc)


class YList(list):
    """A YAML sequence that remembers where it and each item are."""

    __slots__ = ("loc", "item_locs")

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.item_locs: list[Location] = []

    def where(self, index: int) -> Location:
        return self.item_locs[index] if index < len(self.item_locs) else self.loc


class _Refused(Exception):
    def __init__(self, location: Location, message: str):
        self.location = location
        self.message = message


def _mark(shown: str, mark: Any) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1)


def _scalar(event: ev.ScalarEvent, loc: Location) -> Any:
    if event.tag not in _STANDARD_TAGS:
        raise _Refused(loc, f"tag '{event.tag}' is not allowed in story files (plain YAML only)")
    plain, quoted = event.implicit
    if event.tag in (None, "!") and not plain:
        return event.value
    tag = event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    if tag == "tag:yaml.org,2002:bool" and event.value.lower() not in ("true", "false"):
        # YAML 1.2 rules: only true/false are booleans, so an id like `on` or `no` stays text.
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _Refused(loc, f"bad value {event.value!r}: {getattr(exc, 'problem', exc)}") from None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _build(events: Any, shown: str) -> Any:
    """Build the tree from parser events, enforcing depth and expanded-size limits."""
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[list[Any]] = []  # frames: [container, size, anchor, pending_key, key_loc]
    root: Any = None
    total = 0

    def attach(value: Any, loc: Location, size: int) -> None:
        nonlocal root, total
        total += size
        if total > MAX_NODES:
            raise _Refused(loc, f"the document expands to more than {MAX_NODES:,} YAML nodes (an alias bomb?)")
        if not stack:
            root = value
            return
        frame = stack[-1]
        frame[1] += size
        container = frame[0]
        if isinstance(container, YList):
            container.append(value)
            container.item_locs.append(loc)
        elif frame[3] is _NO_KEY:
            if isinstance(value, (YMap, YList)):
                raise _Refused(loc, "a mapping key must be a plain value, not a mapping or list")
            frame[3] = value
            frame[4] = loc
        else:
            key = frame[3]
            if key in container:
                raise _Refused(frame[4], f"key '{key}' appears twice in this mapping")
            try:
                container[key] = value
            except TypeError:
                raise _Refused(frame[4], "a mapping key must be a plain value") from None
            container.key_locs[key] = frame[4]
            container.value_locs[key] = loc
            frame[3] = _NO_KEY

    for event in events:
        kind = type(event)
        if kind is ev.ScalarEvent:
            loc = _mark(shown, event.start_mark)
            value = _scalar(event, loc)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            attach(value, loc, 1)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            loc = _mark(shown, event.start_mark)
            if event.tag not in _STANDARD_TAGS:
                raise _Refused(loc, f"tag '{event.tag}' is not allowed in story files (plain YAML only)")
            if len(stack) >= MAX_DEPTH:
                raise _Refused(loc, f"the document is nested more than {MAX_DEPTH} levels deep")
            container = YMap(loc) if kind is ev.MappingStartEvent else YList(loc)
            stack.append([container, 1, event.anchor, _NO_KEY, loc])
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            container, size, anchor, _, _ = stack.pop()
            if anchor:
                anchors[anchor] = (container, size)
            attach(container, container.loc, size)
        elif kind is ev.AliasEvent:
            loc = _mark(shown, event.start_mark)
            if event.anchor not in anchors:
                raise _Refused(loc, f"alias '*{event.anchor}' names no anchor defined before it")
            value, size = anchors[event.anchor]
            attach(value, loc, size)
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
