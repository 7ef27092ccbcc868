"""Safe YAML reading that keeps the line and column of every value.

Story files are untrusted. They are parsed as a stream of events by libyaml (or PyYAML's
pure parser when libyaml is absent), never constructed into arbitrary objects, and the
tree is built here under hard limits: file size, nesting depth, the number of nodes
after alias expansion, and the size of every number, so neither a deep document (which
would overflow the C stack of libyaml's recursive composer), an alias bomb, nor a number
of thousands of digits can take the process down. Files are opened only when they are
regular files (a FIFO or a device is refused unread) and read only up to the size limit.
Every refusal is a located problem; nothing raised by PyYAML's constructors escapes.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

from game.engine.errors import Location, Problems
from game.engine.yamlhints import explain

try:  # libyaml's C parser when present: several times faster.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000
#: A whole story with its mods, across all its files: bytes read and YAML nodes built.
#: (The campaign is under 1 MB and 21,000 nodes; a generated 10,000-scene story is 10 MB
#: and 640,000 nodes.) A located tree costs up to 300 bytes a node, so this keeps a
#: hostile story under about 600 MB.
MAX_STORY_BYTES = 64 * 1024 * 1024
MAX_STORY_NODES = 2_000_000
#: Every number in a story file lies within this bound (ten digits at most). Python
#: refuses to convert integers of more than 4,300 digits, and a variable's range near
#: 10**308 overflows a fair effect; neither can happen under this bound.
MAX_NUMBER = 1_000_000_000
#: A typed number (``!!int``, ``!!float``) longer than this is refused before conversion.
_MAX_NUMBER_CHARS = 40

_STANDARD_TAGS = {
    None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
#: The scalar tags a story may use, each with the constructor method that reads it. The
#: methods are called directly (not through ``construct_object``), so the shared
#: constructor keeps no record of the nodes it has seen.
_TYPED = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}


class ReadBudget:
    """What is left of one story's allowance of bytes and YAML nodes, shared by its files."""

    __slots__ = ("bytes", "nodes")

    def __init__(self, max_bytes: int = MAX_STORY_BYTES, max_nodes: int = MAX_STORY_NODES):
        self.bytes = max_bytes
        self.nodes = max_nodes


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
    def __init__(self, location: Location, message: str, hint: str = ""):
        self.location = location
        self.message = message
        self.hint = hint


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
            digits = value.lstrip("+-").replace("_", "").lstrip("0")
            if len(digits) > len(str(MAX_NUMBER)):  # never convert thousands of digits
                raise _Refused(_mark(shown, event.start_mark), _too_big(value))
            return _bounded(int(value.replace("_", "")), value, event, shown)
        lower = value.lower()
        if lower == "true" or lower == "false":
            return lower == "true"
        if value in _NULL:
            return None
        if _FLOAT.match(value):
            try:
                number = float(value.replace("_", ""))
            except ValueError:  # "._" matches the pattern but is no number: it is text
                return value
            return _bounded(number, value, event, shown)
        return value
    loc = _mark(shown, event.start_mark)
    if tag not in _STANDARD_TAGS:
        raise _Refused(loc, f"tag '{tag}' is not allowed in story files (plain YAML only)")
    if tag == "tag:yaml.org,2002:str" or tag == "!":
        return value
    construct = _TYPED.get(tag)
    if construct is None:  # !!map or !!seq on a plain value
        raise _Refused(loc, f"tag '{tag}' needs a {'mapping' if tag.endswith('map') else 'list'}, not a plain value")
    if tag in _NUMBER_TAGS and len(value) > _MAX_NUMBER_CHARS:
        raise _Refused(loc, _too_big(value))
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        result = construct(node)
    except Exception:  # PyYAML raises ValueError, KeyError, IndexError, AttributeError...
        kind = tag.rsplit(":", 1)[-1]
        raise _Refused(loc, f"{_clip(value)!r} is not a valid !!{kind} value", _TAG_HINTS.get(kind, "")) from None
    if isinstance(result, (datetime.date, datetime.datetime)):
        return result.isoformat()
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return _bounded(result, value, event, shown)
    return result


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_TAG_HINTS = {"int": "a whole number such as 40", "float": "a number such as 2.5", "bool": "true or false",
              "timestamp": "a real date such as 1923-03-05"}


def _clip(text: str, most: int = 40) -> str:
    """At most ``most`` characters of ``text`` for a message."""
    return text if len(text) <= most else text[: most - 10] + "..." + text[-7:]


def _too_big(text: str) -> str:
    return (f"the number {_clip(text, 24)} is too big: numbers in a story lie between -{MAX_NUMBER:,} and {MAX_NUMBER:,}"
            " (put text in quotes)")


def _bounded(number: int | float, text: str, event: ev.ScalarEvent, shown: str) -> int | float:
    """``number``, or a located refusal when it is not finite or beyond ``MAX_NUMBER``."""
    if isinstance(number, float) and not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise _Refused(_mark(shown, event.start_mark), _too_big(text))
    return number


def _build(events: Any, shown: str, limit: int = MAX_NODES) -> tuple[Any, int]:
    """Build the tree from parser events, enforcing depth and expanded-size limits.

    Returns the tree and its expanded size in nodes; ``limit`` is the most allowed.
    """
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
        if total > limit:
            if limit < MAX_NODES:
                raise _Refused(Location(shown, *pos), f"the story's files together hold more than {MAX_STORY_NODES:,} YAML nodes")
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
                    first = container.places[key]
                    raise _Refused(Location(shown, *frame[4]), f"key '{_clip(str(key))}' appears twice in this mapping; "
                                   f"the first is at line {first[0]}, column {first[1]}", "keep one of them")
                container[key] = value
            except TypeError:
                raise _Refused(Location(shown, *frame[4]), "a mapping key must be a plain value") from None
            container.places[key] = frame[4] + pos
            frame[3] = _NO_KEY
    return root, total


_NO_KEY = object()


#: Characters YAML does not allow in a file (C0 and C1 controls but tab, line feed and
#: carriage return; DEL; the non-characters U+FFFE and U+FFFF). libyaml reports them
#: with a character offset only, so they are found here first, with line and column.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def read_bytes_safely(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | str:
    """The bytes of a regular file of at most ``limit`` bytes, or why it cannot be read.

    A FIFO, socket or device is refused without being opened for a blocking read (it
    could hang the reader or never end), and a file is never read past ``limit``.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # follows symbolic links, as open does
            return _not_a_file(os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except ValueError:  # a NUL byte, or a name the file system cannot encode
        return "not a valid file name"
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return _os_problem(exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
            return _not_a_file(info.st_mode)
        if info.st_size > limit:
            return f"file is {info.st_size / 1048576:.1f} MB; story files may be at most {limit // 1048576} MB"
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            return f"file is over {limit // 1048576} MB; story files may be at most {limit // 1048576} MB"
        return b"".join(chunks)
    except OSError as exc:
        return _os_problem(exc)
    finally:
        os.close(fd)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "expected a YAML file but found a folder"
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"expected a YAML file but found {kind}; it was not read"


def _os_problem(exc: OSError) -> str:
    """A short message for an operating-system error on a path (without the path)."""
    import errno
    if exc.errno == errno.ELOOP:
        return "cannot read file: a loop of symbolic links"
    if exc.errno == errno.ENAMETOOLONG:
        return "cannot read file: the path or one of its names is too long"
    if isinstance(exc, PermissionError):
        return "cannot read file: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "expected a YAML file but found a folder"
    return f"cannot read file: {exc.strerror or type(exc).__name__}"


def read_yaml(path: Path, shown: str, problems: Problems, budget: ReadBudget | None = None) -> Any:
    """Read one story file; return its tree, or ``None`` after recording why it cannot be read.

    ``shown`` is the path as the author should see it in messages. ``budget``, shared by
    the files of one story, bounds the bytes and nodes of them all together.
    """
    where = Location(shown)
    limit = MAX_FILE_BYTES if budget is None else max(0, min(MAX_FILE_BYTES, budget.bytes))
    data = read_bytes_safely(path, limit)
    if isinstance(data, str):
        if budget is not None and limit < MAX_FILE_BYTES and data.startswith("file is"):
            data = f"the story's files together are over {MAX_STORY_BYTES // 1048576} MB"
        problems.error(where, data)
        return None
    if budget is not None:
        budget.bytes -= len(data)
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
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        problems.error(Location(shown, *_line_column(text, bad.start())),
                       f"control character U+{ord(bad.group()):04X} is not allowed in YAML",
                       "remove it, or write it as an escape such as \\t inside double quotes")
        return None
    nodes = MAX_NODES if budget is None else max(0, min(MAX_NODES, budget.nodes))
    try:
        root, size = _build(yaml.parse(text, Loader=_Loader), shown, nodes)
        if budget is not None:
            budget.nodes -= size
        return root
    except _Refused as exc:
        problems.error(exc.location, exc.message, exc.hint)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _mark(shown, mark) if mark is not None else where
        context = exc.context_mark
        hinted = explain(text, exc.problem or "", loc.line, loc.column, exc.context or "",
                         (context.line + 1, context.column + 1) if context is not None else None) if mark is not None else None
        if hinted is not None:  # a mistake we can name, with what to write instead
            problems.error(Location(shown, hinted[2], hinted[3]), hinted[0], hinted[1])
            return None
        problems.error(loc, f"YAML syntax: {exc.problem or exc.context}")
    except yaml.reader.ReaderError as exc:  # located by character offset only
        problems.error(Location(shown, *_line_column(text, max(0, exc.position))), f"YAML: {exc.reason}")
    except yaml.YAMLError as exc:
        problems.error(where, f"YAML: {exc}")
    return None
