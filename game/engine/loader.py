"""Loading a story folder (and its mods) into a validated ``Story``.

Two stages, as ink does it: first every file is read into author-shaped data with the
location of each value; then references are resolved and every broken link, unknown key
and undeclared name is reported at once, each with ``file:line:col`` and a did-you-mean.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat

import attrs
from pathlib import Path
from typing import Any, Iterable, Iterator

from game.engine.errors import Location, Problem, Problems, StoryLoadError, did_you_mean, hint_budget
from game.engine.expr import Condition, ExprError, make_condition, walk, Flag, Str, Visits, character_names
from game.engine.inline import parse_parts
from game.engine.model import (NO_TEXT, Block, Branch, Character, Choice, Effect, Ending, Note, Part, Scene, Story,
                                Text, Variable)
from game.engine.yamlsource import MAX_NUMBER, ReadBudget, YList, YMap, read_yaml

MANIFEST = "story.yaml"
# \Z, not $: "$" also matches before a final newline, which would let "abc\n" be an id.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\Z")
_EFFECT = re.compile(r"^\s*(%?)\s*([+\-=]?)\s*([0-9]+)\s*$")
_RESERVED = {"and", "or", "not", "true", "false", "character", "visits"}

MANIFEST_KEYS = {"id", "title", "version", "files", "variables", "characters", "endings", "scenes", "extend", "mod"}
FILE_KEYS = {"scenes", "endings", "extend"}
VARIABLE_KEYS = {"name", "description", "min", "max", "start", "hidden"}
CHARACTER_KEYS = {"name", "title", "born", "bio", "standing", "start", "values", "flags"}
SCENE_KEYS = {"id", "date", "place", "title", "for", "text", "note", "choices", "fallback", "resolve", "assumes"}
CHOICE_KEYS = {"id", "text", "if", "locked", "once", "for", "effects", "set", "clear", "reply", "goto"}
NOTE_KEYS = {"text", "sources", "counterfactual"}
ENDING_KEYS = {"id", "title", "if", "text", "epilogue", "history", "before", "assumes"}
BLOCK_KEYS = {"text", "if", "for", "else"}
EXTEND_KEYS = {"scene", "choices"}
BRANCH_KEYS = {"if", "to"}


def shown_path(path: Path) -> str:
    """A path as the author typed it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


class _Reader:
    """Holds the problems and the names gathered so far while one story is read."""

    def __init__(self) -> None:
        self.problems = Problems()
        self.variables: dict[str, Variable] = {}
        self.variable_locs: dict[str, Location] = {}
        self.characters: dict[str, Character] = {}
        self.character_text: dict[str, YMap] = {}
        self.raw_scenes: list[tuple[YMap, bool]] = []  # (scene, from_mod)
        self.raw_extends: list[YMap] = []
        self.raw_endings: list[tuple[YMap, bool]] = []
        self.ids: dict[str, Location] = {}
        self.story_id = ""
        self.title = ""
        self.version = ""
        self.sources: list[str] = []
        self.mods: list[str] = []
        #: Where each character's ``start`` is written, for messages about it.
        self.start_locs: dict[str, Location] = {}
        #: What all the story's files together may still take (bytes, YAML nodes).
        self.budget = ReadBudget()
        #: Every file opened, manifests first: what the compiled cache's key must cover.
        self.files_read: list[Path] = []

    @property
    def manifest(self) -> Location:
        """The story's own ``story.yaml``: where problems of the story as a whole are reported."""
        return Location(shown_path(self.files_read[0]) if self.files_read else "")

    # ---- small typed getters ------------------------------------------------------------

    def check_keys(self, m: YMap, allowed: set[str], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.problems.error(m.where_key(key), f"unknown key '{key}' in {what}",
                                    did_you_mean(str(key), allowed) or "allowed: " + ", ".join(sorted(allowed)))

    def mapping(self, value: Any, loc: Location, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.problems.error(loc, f"{what} must be a mapping of keys to values, found {_kind(value)}")
        return None

    def seq(self, value: Any, loc: Location, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.problems.error(loc, f"{what} must be a list, found {_kind(value)}")
        return None

    def string(self, m: YMap, key: str, what: str, required: bool = True, default: str = "") -> str:
        if key not in m:
            if required:
                self.problems.error(m.loc, f"{what} has no '{key}'")
            return default
        value = m[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problems.error(m.where(key), f"'{key}' of {what} must be text, found {_kind(value)}", _COLON_HINT if isinstance(value, YMap) else "")
            return default
        if required and not value.strip():  # an empty start scene or goto target would name nothing
            self.problems.error(m.where(key), f"'{key}' of {what} is empty")
            return default
        return value

    def integer(self, m: YMap, key: str, what: str, default: int) -> int:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.error(m.where(key), f"'{key}' of {what} must be a whole number, found {_kind(value)}")
            return default
        return value

    def boolean(self, m: YMap, key: str, what: str, default: bool = False) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.problems.error(m.where(key), f"'{key}' of {what} must be true or false, found {_kind(value)}")
            return default
        return value

    def names(self, m: YMap, key: str, what: str, pattern: re.Pattern[str]) -> list[tuple[str, Location]]:
        if key not in m:
            return []
        value = m[key]
        if isinstance(value, str):
            items = [(value, m.where(key))]
        elif isinstance(value, YList):
            items = [(v, value.where(i)) for i, v in enumerate(value)]
        else:
            self.problems.error(m.where(key), f"'{key}' of {what} must be a name or a list of names")
            return []
        good = []
        for name, loc in items:
            if not isinstance(name, str) or not pattern.match(name):
                self.problems.error(loc, f"'{name}' is not a valid name in '{key}'",
                                    "use lower case letters, digits and " + ("underscores" if pattern is NAME_PATTERN else "hyphens"))
            else:
                good.append((name, loc))
        return good

    def claim_id(self, ident: Any, loc: Location, what: str) -> bool:
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            self.problems.error(loc, f"{what} id {ident!r} is not valid", "use lower case letters, digits and hyphens, e.g. 'twelfth-congress'")
            return False
        if ident in self.ids:
            self.problems.error(loc, f"{what} id '{ident}' is already used at {self.ids[ident]}")
            return False
        self.ids[ident] = loc
        return True

    # ---- manifests ----------------------------------------------------------------------

    def read_folder(self, folder: Path, is_mod: bool) -> list[tuple[Path, str]]:
        """Read one manifest; return the scene files it lists.

        Nothing under the folder is walked: only its ``story.yaml`` and the files that
        lists are ever opened, so a huge folder (``/``) costs no more than a small one.
        """
        found = manifest_of(folder)
        if isinstance(found, Problem):
            self.problems.error(found.location, found.message, found.hint)
            return []
        manifest_path, root = found
        shown = shown_path(manifest_path)
        self.files_read.append(manifest_path)
        data = read_yaml(manifest_path, shown, self.problems, self.budget)
        if data is None:
            return []
        m = self.mapping(data, Location(shown, 1, 1), "the manifest")
        if m is None:
            return []
        self.check_keys(m, MANIFEST_KEYS, "the manifest")
        declared_mod = self.boolean(m, "mod", "the manifest")
        if is_mod and not declared_mod:
            self.problems.error(m.loc, "this folder is given as a mod, but its manifest does not say 'mod: true'")
        if not is_mod and declared_mod:
            self.problems.error(m.where("mod"), "this is a mod; load it with --mod after a story folder")
        ident = self.string(m, "id", "the manifest")
        if ident and not ID_PATTERN.match(ident):
            self.problems.error(m.where("id"), f"story id {ident!r} is not valid", "use lower case letters, digits and hyphens")
        if is_mod:
            self.mods.append(f"{ident}@{self.string(m, 'version', 'the manifest', False, '1')}")
        else:
            self.story_id = ident
            self.title = self.string(m, "title", "the manifest")
            self.version = self.string(m, "version", "the manifest", False, "1")
        self.sources.append(str(root))
        if "variables" in m:
            self.read_variables(m["variables"], m.where("variables"))
        if "characters" in m:
            chars = self.mapping(m["characters"], m.where("characters"), "'characters'")
            if chars is not None:
                for cid, body in chars.items():
                    self.read_character(cid, body, chars.where_key(cid), chars.where(cid))
        self.collect(m, is_mod)
        files: list[tuple[Path, str]] = []
        if "files" in m:
            listed = self.seq(m["files"], m.where("files"), "'files'")
            if listed is not None and len(listed) > MAX_FILES:
                self.problems.error(m.where("files"), f"'files' lists {len(listed):,} files; a manifest may list at most {MAX_FILES:,}")
                listed = None
            seen: dict[Path, Location] = {}
            top = Path(os.path.realpath(root))
            for i, name in enumerate(listed or []):
                loc = listed.where(i)
                if not isinstance(name, str) or not name.strip():
                    self.problems.error(loc, "each entry of 'files' must be a path relative to the story folder")
                    continue
                bad = _bad_file_name(name)
                if bad:
                    self.problems.error(loc, f"{_clip(name)!r} {bad}")
                    continue
                target = Path(os.path.realpath(root / name))  # never raises, even on a loop of links
                if os.path.isabs(name) or not target.is_relative_to(top):
                    self.problems.error(loc, f"'{_clip(name)}' leads outside the story folder", "story files must lie inside the folder that holds story.yaml")
                    continue
                if target in seen:
                    self.problems.error(loc, f"'{_clip(name)}' is listed twice (first at {seen[target]})")
                    continue
                seen[target] = loc
                try:
                    os.stat(target)
                except FileNotFoundError:
                    dangling = os.path.lexists(root / name)
                    self.problems.error(loc, f"file '{_clip(name)}' {'is a symbolic link to nothing' if dangling else 'not found'}",
                                        "" if dangling else did_you_mean(name, _yaml_files(root)))
                    continue
                except (OSError, ValueError) as exc:
                    self.problems.error(loc, f"file '{_clip(name)}': {_path_problem(exc)}")
                    continue
                files.append((target, shown_path(root / name)))
                self.files_read.append(target)
        return files

    def read_variables(self, value: Any, loc: Location) -> None:
        variables = self.mapping(value, loc, "'variables'")
        if variables is None:
            return
        for name, body in variables.items():
            kloc = variables.where_key(name)
            if not isinstance(name, str) or not NAME_PATTERN.match(name) or name in _RESERVED:
                self.problems.error(kloc, f"variable name {name!r} is not valid", "use lower case letters, digits and underscores, not a keyword")
                continue
            if name in self.variables:
                self.problems.error(kloc, f"variable '{name}' is already declared at {self.variable_locs[name]}")
                continue
            self.variable_locs[name] = kloc
            if body is None:
                body = YMap(kloc.path, (kloc.line, kloc.column))
            body = self.mapping(body, variables.where(name), f"variable '{name}'")
            if body is None:
                continue
            what = f"variable '{name}'"
            self.check_keys(body, VARIABLE_KEYS, what)
            low = self.integer(body, "min", what, 0)
            high = self.integer(body, "max", what, 100)
            if low >= high:
                self.problems.error(body.where("max"), f"{what}: max ({high}) must be greater than min ({low})")
                high = low + 1
            start = self.integer(body, "start", what, (low + high) // 2)
            if not low <= start <= high:
                self.problems.error(body.where("start"), f"{what}: start {start} is outside {low}..{high}")
                start = max(low, min(high, start))
            self.variables[name] = Variable(
                id=name, name=self.string(body, "name", what, False, name.replace("_", " ")),
                description=self.string(body, "description", what, False),
                min=low, max=high, start=start, hidden=self.boolean(body, "hidden", what, True),
                index=len(self.variables))

    def read_character(self, cid: Any, body: Any, kloc: Location, vloc: Location) -> None:
        if not self.claim_id(cid, kloc, "character"):
            return
        m = self.mapping(body, vloc, f"character '{cid}'")
        if m is None:
            return
        what = f"character '{cid}'"
        self.check_keys(m, CHARACTER_KEYS, what)
        values: dict[str, int] = {}
        if "values" in m:
            vm = self.mapping(m["values"], m.where("values"), f"'values' of {what}")
            for name, amount in (vm or {}).items():
                if isinstance(amount, bool) or not isinstance(amount, int):
                    self.problems.error(vm.where(name), f"start value of '{name}' must be a whole number")
                else:
                    values[name] = amount
            self.character_text[cid] = vm if vm is not None else m
        born = m.get("born")
        self.characters[cid] = Character(
            id=cid, name=self.string(m, "name", what), title=self.string(m, "title", what, False),
            born=born if isinstance(born, int) and not isinstance(born, bool) else None,
            bio=self.string(m, "bio", what, False).strip(), standing=self.string(m, "standing", what, False).strip(),
            start=self.string(m, "start", what), values=values,
            flags=frozenset(n for n, _ in self.names(m, "flags", what, NAME_PATTERN)), location=kloc)
        self.start_locs[cid] = m.where("start")

    def collect(self, m: YMap, is_mod: bool) -> None:
        """Gather the scenes, endings and extensions of a manifest or scene file."""
        for key, bucket in (("scenes", self.raw_scenes), ("endings", self.raw_endings)):
            if key in m:
                items = self.seq(m[key], m.where(key), f"'{key}'")
                for i, item in enumerate(items or []):
                    entry = self.mapping(item, items.where(i), f"each of '{key}'")
                    if entry is not None:
                        bucket.append((entry, is_mod))
        if "extend" in m:
            items = self.seq(m["extend"], m.where("extend"), "'extend'")
            for i, item in enumerate(items or []):
                entry = self.mapping(item, items.where(i), "each of 'extend'")
                if entry is not None:
                    self.raw_extends.append(entry)

    def read_file(self, path: Path, shown: str, is_mod: bool) -> bool:
        """Gather one scene file; False when it could not be read at all."""
        data = read_yaml(path, shown, self.problems, self.budget)
        if data is None:
            return False
        m = self.mapping(data, Location(shown, 1, 1), "a scene file")
        if m is None:
            return True
        self.check_keys(m, FILE_KEYS, "a scene file")
        self.collect(m, is_mod)
        return True


#: The one empty flag set shared by every choice that sets or clears none (most of them):
#: an empty frozenset built from a generator is a new 200-byte object each time.
_NO_FLAGS: frozenset[str] = frozenset()

_COLON_HINT = "a ': ' inside plain text makes YAML read a key and a value; put the text in quotes, or use '|'"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, dict):
        return "a mapping"
    return "a list"


def _yaml_files(root: Path, most: int = 500, entries: int = 5000, depth: int = 4) -> list[str]:
    """Some ``.yaml`` files under ``root``, for a did-you-mean: at most ``most`` of them,
    looking at no more than ``entries`` folder entries, ``depth`` folders down, following
    no symbolic link (a huge or looping folder costs no more than a small one)."""
    found: list[str] = []
    stack = [(root, 0)]
    while stack and entries > 0 and len(found) < most:
        folder, level = stack.pop()
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    entries -= 1
                    if entries <= 0:
                        break
                    if entry.is_dir(follow_symlinks=False):
                        if level + 1 < depth:
                            stack.append((Path(entry.path), level + 1))
                    elif entry.name.endswith(".yaml"):
                        found.append(os.path.relpath(entry.path, root))
        except (OSError, ValueError):
            continue
    return sorted(found)[:most]


#: The most files one manifest may list.
MAX_FILES = 1000
#: The longest name of one file or folder most file systems accept, in bytes.
_NAME_MAX = 255
_PATH_MAX = 4096


def _clip(text: str, most: int = 60) -> str:
    """At most ``most`` characters of ``text`` for a message."""
    return text if len(text) <= most else text[: most - 12] + "..." + text[-9:]


def _bad_file_name(name: str) -> str:
    """Why ``name`` (an entry of ``files:``) can never name a file, or ``""``."""
    if "\0" in name:
        return "holds a NUL byte, which no file name can"
    try:
        encoded = os.fsencode(name)
    except (UnicodeError, ValueError):
        return "cannot be encoded as a file name"
    if len(encoded) > _PATH_MAX or any(len(part) > _NAME_MAX for part in encoded.split(b"/")):
        return f"is too long for a file name (at most {_NAME_MAX} bytes a name, {_PATH_MAX} in all)"
    return ""


def _path_problem(exc: BaseException) -> str:
    """A short message for what went wrong with a path (without the path)."""
    import errno
    if isinstance(exc, ValueError):
        return "not a valid path (a NUL byte, or a name that cannot be encoded)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "the path or one of its names is too long"
    return f"cannot be read: {getattr(exc, 'strerror', None) or type(exc).__name__}"


def manifest_of(folder: Path) -> tuple[Path, Path] | Problem:
    """(manifest, root folder) for a story folder given on the command line, or the problem.

    ``folder`` may be the folder or its ``story.yaml``. Anything else (another file, a
    FIFO, a path that cannot exist) is one located problem, found without opening it.
    """
    hint = f"a story folder needs a {MANIFEST} manifest; see docs/story-format.md"
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        dangling = os.path.lexists(folder)
        return Problem(Location(shown_path(folder)), "is a symbolic link to nothing" if dangling else "no such folder", hint)
    except (OSError, ValueError) as exc:
        return Problem(Location(_shown_safely(folder)), _path_problem(exc), hint)
    if stat.S_ISREG(mode) and folder.name == MANIFEST:
        return folder, folder.parent
    if not stat.S_ISDIR(mode):
        kind = "a file" if stat.S_ISREG(mode) else "not a folder"
        return Problem(Location(shown_path(folder)), f"{kind}; give the story folder that holds {MANIFEST}", hint)
    manifest = folder / MANIFEST
    try:
        os.stat(manifest)
    except FileNotFoundError:
        dangling = os.path.lexists(manifest)
        return Problem(Location(shown_path(manifest)), f"{MANIFEST} is a symbolic link to nothing" if dangling else f"no {MANIFEST} here", hint)
    except (OSError, ValueError) as exc:
        return Problem(Location(shown_path(manifest)), _path_problem(exc), hint)
    return manifest, folder


def _shown_safely(path: Path) -> str:
    """``shown_path``, clipped: a path that cannot be used may be thousands of characters."""
    return _clip(shown_path(path), 200)


class _Builder:
    """Second stage: turn gathered raw data into model values, resolving every name."""

    def __init__(self, r: _Reader):
        self.r = r
        self.p = r.problems
        self.var_index = {name: v.index for name, v in r.variables.items()}
        self.flags_set: dict[str, Location] = {}
        self.flags_tested: list[tuple[str, Location]] = []
        self.visit_refs: list[tuple[str, Location]] = []
        #: Texts compared with ``character`` (``character == "trotsky"``) and where.
        self.character_refs: list[tuple[str, Location]] = []
        self.scene_refs: list[tuple[str, Location, str]] = []
        self.conditions: dict[str, Condition] = {}
        self.condition_names: dict[str, list[Flag | Visits]] = {}

    def compiled(self, source: str) -> Condition:
        """Parse each distinct condition once: stories repeat the same tests many times."""
        cached = self.conditions.get(source)
        if cached is None:
            cached = self.conditions[source] = make_condition(source, self.var_index)
        return cached

    def condition(self, m: YMap, key: str, what: str) -> Condition | None:
        if key not in m:
            return None
        source = m[key]
        loc = m.where(key)
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not isinstance(source, str):
            self.p.error(loc, f"'{key}' of {what} must be a condition such as 'army >= 50'")
            return None
        try:
            cond = self.compiled(source)
        except ExprError as exc:
            self.p.error(loc.shifted(exc.offset), f"in '{key}': {exc.message}", exc.hint)
            return None
        self.note_names(cond, loc)
        return cond

    def names_in(self, source: str, cond: Condition) -> list[Flag | Visits | Str]:
        """The flags, visited scenes and character ids a condition reads, found once per distinct text."""
        found = self.condition_names.get(source)
        if found is None:
            found = self.condition_names[source] = [n for n in walk(cond.tree) if isinstance(n, (Flag, Visits))]
            found += character_names(cond.tree)
        return found

    # ---- text that follows the run --------------------------------------------------------

    def text(self, m: YMap, key: str, what: str, required: bool = True, joiner: str = "\n\n") -> Text:
        """A text: a string, a list of blocks, one block, or a mapping of character to either."""
        if key not in m:
            if required:
                self.p.error(m.loc, f"{what} has no '{key}'")
            return NO_TEXT
        value, loc = m[key], m.where(key)
        label = f"'{key}' of {what}"
        if isinstance(value, YMap) and "text" not in value:
            default: tuple[Block, ...] = ()
            variants: dict[str, tuple[Block, ...]] = {}
            for who, body in value.items():
                blocks = self.blocks(body, value.where(who), f"the '{who}' {key} of {what}")
                if blocks is None:
                    continue
                if who == "default":
                    default = blocks
                elif who not in self.r.characters and not (isinstance(who, str) and ID_PATTERN.match(who)):
                    self.p.error(value.where_key(who), f"the ': ' after '{_clip(str(who))}' in '{key}' of {what} makes YAML read a key and a value",
                                 "put the text in quotes, or use '|'")
                elif who not in self.r.characters:
                    self.p.error(value.where_key(who), f"'{who}' in '{key}' of {what} is not a character",
                                 did_you_mean(str(who), list(self.r.characters) + ["default"])
                                 or "a mapping here names characters; a block has 'text' and 'if'")
                else:
                    variants[who] = blocks
            return Text(default, variants, joiner)
        blocks = self.blocks(value, loc, label)
        return Text(blocks or (), {}, joiner)

    def blocks(self, value: Any, loc: Location, what: str) -> tuple[Block, ...] | None:
        if isinstance(value, str):
            block = self.block_text(value, loc, what) if value.strip() else ()
            return () if not block else (Block(block, location=loc),)
        if isinstance(value, YMap):
            block = self.block(value, what)
            return None if block is None else (block,)
        if isinstance(value, YList):
            out = []
            for i, item in enumerate(value):
                if isinstance(item, str):
                    parts = self.block_text(item, value.where(i), what)
                    if parts is not None:
                        out.append(Block(parts, location=value.where(i)))
                elif isinstance(item, YMap):
                    block = self.block(item, what)
                    if block is not None:
                        out.append(block)
                else:
                    self.p.error(value.where(i), f"each block of {what} must be text or a mapping with 'text' and 'if', "
                                 f"found {_kind(item)}")
            return tuple(out)
        self.p.error(loc, f"{what} must be text, a list of blocks, or a mapping of character to text, found {_kind(value)}",
                     _COLON_HINT if isinstance(value, YMap) else "")
        return None

    def block(self, m: YMap, what: str) -> Block | None:
        if len(m) == 1 and not set(m) & BLOCK_KEYS:  # "- Stalin says: no" is a mapping to YAML
            self.p.error(m.where_key(next(iter(m))), f"the ': ' after '{_clip(str(next(iter(m))))}' in {what} makes YAML read a key and a value",
                         "put the text in quotes, or use '|'")
            return None
        self.r.check_keys(m, BLOCK_KEYS, f"a text block of {what}")
        if "text" not in m:
            self.p.error(m.loc, f"a text block of {what} has no 'text'", "a block is {text: ..., if: condition}")
            return None
        if "else" in m and "if" not in m and "for" not in m:
            self.p.error(m.where("else"), f"a text block of {what} has 'else' but no 'if' or 'for'")
        parts = self.text_value(m, "text", what)
        otherwise = self.text_value(m, "else", what) if "else" in m else ()
        if parts is None or otherwise is None:
            return None
        return Block(parts, self.condition(m, "if", f"a text block of {what}"), self.characters_filter(m, what),
                     otherwise, m.loc)

    def text_value(self, m: YMap, key: str, what: str) -> tuple[Part, ...] | None:
        value = m[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.p.error(m.where(key), f"'{key}' of a text block of {what} must be text, found {_kind(value)}",
                         _COLON_HINT if isinstance(value, YMap) else "")
            return None
        return self.block_text(value, m.where(key), what)

    def block_text(self, value: str, loc: Location, what: str) -> tuple[Part, ...] | None:
        """The parts of one string: literal text and inline phrases, their conditions checked."""
        value = value.strip()
        try:
            parts = parse_parts(value, lambda source: self.compiled(source))
        except ExprError as exc:
            where = loc if "\n" in value[:exc.offset] else loc.shifted(exc.offset)
            shown = value[max(0, exc.offset - 12):exc.offset + 20].replace("\n", " ")
            self.p.error(where, f"in the text of {what}, at '{shown}': {exc.message}", exc.hint)
            return None
        for part in parts:
            if not isinstance(part, str):
                self.note_names(part.condition, loc)
        return parts

    def note_names(self, cond: Condition, loc: Location) -> None:
        """Record the flags and scenes a condition reads, so unknown ones are reported."""
        for node in self.names_in(cond.source, cond):
            if isinstance(node, Flag):
                self.flags_tested.append((node.name, loc.shifted(node.offset)))
            elif isinstance(node, Str):
                self.character_refs.append((node.value, loc.shifted(node.offset + 1)))
            else:
                self.visit_refs.append((node.scene, loc.shifted(node.offset)))

    def effects(self, m: YMap, what: str) -> tuple[Effect, ...]:
        if "effects" not in m:
            return ()
        em = self.r.mapping(m["effects"], m.where("effects"), f"'effects' of {what}")
        out = []
        for name, raw in (em or {}).items():
            loc = em.where(name)
            if name not in self.var_index:
                self.p.error(em.where_key(name), f"'{name}' in effects is not a declared variable", did_you_mean(str(name), self.var_index))
                continue
            if isinstance(raw, bool):
                raw = None
            if isinstance(raw, int):
                out.append(Effect(name, self.var_index[name], "+", raw))
                continue
            match = _EFFECT.match(raw) if isinstance(raw, str) else None
            if not match:
                self.p.error(loc, f"effect {raw!r} on '{name}' is not understood", "write +5, -5, =40, \"%+20\" or \"%-20\"")
                continue
            fair, sign, digits = match.groups()
            digits = digits.lstrip("0") or "0"
            if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
                self.p.error(loc, f"effect {_clip(raw)!r} on '{name}' is too big: an amount is at most {MAX_NUMBER:,}")
                continue
            amount = int(digits)
            if fair:
                if sign == "=":
                    self.p.error(loc, f"effect {raw!r}: a fair change is %+n or %-n")
                    continue
                if amount > 100:
                    self.p.error(loc, f"effect {raw!r}: a fair change moves at most 100 percent of the way")
                    continue
                out.append(Effect(name, self.var_index[name], "%", -amount if sign == "-" else amount))
            elif sign == "=":
                out.append(Effect(name, self.var_index[name], "=", amount))
            else:
                out.append(Effect(name, self.var_index[name], "+", -amount if sign == "-" else amount))
        return tuple(out)

    def characters_filter(self, m: YMap, what: str) -> frozenset[str] | None:
        if "for" not in m:
            return None
        names = self.r.names(m, "for", what, ID_PATTERN)
        good = set()
        for name, loc in names:
            if name not in self.r.characters:
                self.p.error(loc, f"'{name}' in 'for' is not a character", did_you_mean(name, self.r.characters))
            else:
                good.add(name)
        return frozenset(good)

    def goto(self, m: YMap, what: str) -> tuple[Branch, ...]:
        if "goto" not in m:
            self.p.error(m.loc, f"{what} has no 'goto'", "every choice must lead to a scene")
            return ()
        raw = m["goto"]
        loc = m.where("goto")
        if isinstance(raw, str):
            if not raw.strip():
                self.p.error(loc, f"'goto' of {what} is empty", "name the scene it leads to")
                return ()
            self.scene_refs.append((raw, loc, what))
            return (Branch(raw, None, loc),)
        arms = self.r.seq(raw, loc, f"'goto' of {what}")
        if arms is not None and not arms:
            self.p.error(loc, f"'goto' of {what} is an empty list, so the choice leads nowhere",
                         "name a scene, or give branches with 'to:'")
            return ()
        branches = []
        for i, arm in enumerate(arms or []):
            am = self.r.mapping(arm, arms.where(i), f"each branch of the goto of {what}")
            if am is None:
                continue
            self.r.check_keys(am, BRANCH_KEYS, f"a goto branch of {what}")
            target = self.r.string(am, "to", f"a goto branch of {what}")
            cond = self.condition(am, "if", f"a goto branch of {what}")
            if not target.strip():
                if "to" in am:
                    self.p.error(am.where("to"), f"'to' of a goto branch of {what} is empty", "name the scene it leads to")
                continue
            self.scene_refs.append((target, am.where("to"), what))
            branches.append(Branch(target, cond, am.loc))
            if "if" not in am and i != len(arms) - 1:
                self.p.error(am.loc, "a branch without 'if' must be the last; the branches after it can never be taken")
        if branches and isinstance(arms[-1], YMap) and "if" in arms[-1]:
            self.p.error(arms.where(len(arms) - 1), "the last branch of a computed goto must have no 'if'",
                         "so the choice always leads somewhere")
        return tuple(branches)

    def choice(self, c: YMap, scene_id: str) -> Choice | None:
        cid = c.get("id")
        what = f"choice '{cid}' in scene '{scene_id}'"
        self.r.check_keys(c, CHOICE_KEYS, what)
        if not isinstance(cid, str) or not ID_PATTERN.match(cid):
            self.p.error(c.where("id") if "id" in c else c.loc, f"choice in scene '{scene_id}' needs a valid 'id'",
                         "lower case letters, digits and hyphens")
            return None
        flags = []
        for key in ("set", "clear"):
            for name, loc in self.r.names(c, key, what, NAME_PATTERN):
                if name in self.var_index:
                    self.p.error(loc, f"'{name}' is a variable, not a flag", "change it with effects")
                elif name in _RESERVED:
                    self.p.error(loc, f"'{name}' is a keyword and cannot be a flag")
                else:
                    flags.append((key, name))
                    if key == "set":
                        self.flags_set.setdefault(name, loc)
        locked = self.text(c, "locked", what, False, " ")
        cond = self.condition(c, "if", what)
        if locked and "if" not in c:
            self.p.error(c.where("locked"), f"{what} has 'locked' but no 'if'", "'locked' says why the choice is unavailable while its 'if' is false")
        return Choice(
            id=cid, text=self.text(c, "text", what, True, " "), goto=self.goto(c, what), effects=self.effects(c, what),
            set_flags=frozenset(n for k, n in flags if k == "set") or _NO_FLAGS,
            clear_flags=frozenset(n for k, n in flags if k == "clear") or _NO_FLAGS,
            condition=cond, locked=locked, once=self.r.boolean(c, "once", what),
            only_for=self.characters_filter(c, what), reply=self.text(c, "reply", what, required=False),
            location=c.loc)

    def choices(self, items: Any, loc: Location, scene_id: str, existing: dict[str, Location]) -> list[Choice]:
        seq = self.r.seq(items, loc, f"'choices' of scene '{scene_id}'")
        out = []
        for i, raw in enumerate(seq or []):
            cm = self.r.mapping(raw, seq.where(i), f"each choice of scene '{scene_id}'")
            if cm is None:
                continue
            choice = self.choice(cm, scene_id)
            if choice is None:
                continue
            if choice.id in existing:
                self.p.error(cm.where("id"), f"scene '{scene_id}' already has a choice '{choice.id}' at {existing[choice.id]}",
                             "give one of them another id")
                continue
            existing[choice.id] = choice.location
            out.append(choice)
        return out

    def identified(self, m: YMap, kind: str, keys: set[str]) -> str | None:
        """The id of a scene or ending, claimed as unique, with its keys checked; None if unusable."""
        if "id" not in m:
            self.p.error(m.loc, f"{kind} has no 'id'")
            return None
        ident = m["id"]
        if not self.r.claim_id(ident, m.where("id"), kind):
            return None
        self.r.check_keys(m, keys, f"{kind} '{ident}'")
        return ident

    def scene(self, s: YMap) -> Scene | None:
        sid = self.identified(s, "scene", SCENE_KEYS)
        if sid is None:
            return None
        what = f"scene '{sid}'"
        note = Note()
        if "note" in s:
            nm = self.r.mapping(s["note"], s.where("note"), f"'note' of {what}")
            if nm is not None:
                self.r.check_keys(nm, NOTE_KEYS, f"the note of {what}")
                sources: list[str] = []
                if "sources" in nm:
                    raw = nm["sources"]
                    if isinstance(raw, str):
                        sources = [raw]
                    elif isinstance(raw, YList) and all(isinstance(x, str) for x in raw):
                        sources = [x.strip() for x in raw]
                    else:
                        at, bad = nm.where("sources"), raw
                        if isinstance(raw, YList):
                            i = next(i for i, x in enumerate(raw) if not isinstance(x, str))
                            at, bad = raw.where(i), raw[i]
                        self.p.error(at, "each source must be a reference such as 'E. H. Carr, The Interregnum (1954)'",
                                     _COLON_HINT if isinstance(bad, YMap) else "")
                note = Note(self.text(nm, "text", f"the note of {what}", False), tuple(sources),
                            self.r.boolean(nm, "counterfactual", f"the note of {what}"))
        resolve = self.r.boolean(s, "resolve", what)
        choices: list[Choice] = []
        if "choices" in s:
            choices = self.choices(s["choices"], s.where("choices"), sid, {})
        if resolve and choices:
            self.p.error(s.where("resolve"), f"{what} resolves the story, so it cannot also have choices")
        if not resolve and "choices" not in s:
            self.p.error(s.loc, f"{what} has no choices and does not resolve", "add choices, or 'resolve: true' for an ending point")
        fallback = None
        if "fallback" in s:
            fallback = self.r.string(s, "fallback", what)
            self.scene_refs.append((fallback, s.where("fallback"), what))
        date = self.r.string(s, "date", what, False)
        if date:
            wrong = date_problem(date)
            if wrong:
                self.p.error(s.where("date"), f"the date of {what}, {_clip(date)!r}, {wrong[0]}", wrong[1])
        only_for = self.characters_filter(s, what)
        text = self.text(s, "text", what)
        self.check_text_covers(text, only_for, s.where("text") if "text" in s else s.loc, what)
        return Scene(
            id=sid, title=self.r.string(s, "title", what, False).strip(), date=date,
            place=self.text(s, "place", what, False, " "), text=text, choices=tuple(choices),
            note=note, only_for=only_for, fallback=fallback, resolve=resolve, location=s.where("id"),
            assumes=self.condition(s, "assumes", what))

    def check_text_covers(self, text: Text, only_for: frozenset[str] | None, loc: Location, what: str) -> None:
        if text.default:
            return
        audience = only_for if only_for is not None else frozenset(self.r.characters)
        missing = sorted(c for c in audience if c not in text.by_character)
        if missing:
            self.p.error(loc, f"{what} has no text for {', '.join(missing)}", "add a 'default' text or one for each character")

    def ending(self, e: YMap) -> tuple[Ending, str | None, Location] | None:
        eid = self.identified(e, "ending", ENDING_KEYS)
        if eid is None:
            return None
        what = f"ending '{eid}'"
        before = self.r.string(e, "before", what, False) or None
        ending = Ending(
            id=eid, title=self.r.string(e, "title", what).strip(), text=self.text(e, "text", what),
            epilogue=self.text(e, "epilogue", what, required=False), history=self.text(e, "history", what, required=False),
            condition=self.condition(e, "if", what), location=e.where("id"), assumes=self.condition(e, "assumes", what))
        for field_name, text in (("text", ending.text), ("epilogue", ending.epilogue), ("history", ending.history)):
            if text.by_character or field_name == "text":
                self.check_text_covers(text, None, e.where(field_name), what)
        return ending, before, e.where("before")

    def build(self) -> Story | None:
        r = self.r
        scenes: dict[str, Scene] = {}
        for raw, _ in r.raw_scenes:
            scene = self.scene(raw)
            if scene is not None:
                scenes[scene.id] = scene
        for ext in r.raw_extends:
            self.r.check_keys(ext, EXTEND_KEYS, "an 'extend' entry")
            target = self.r.string(ext, "scene", "an 'extend' entry")
            if not target:
                continue
            if target not in scenes:
                self.p.error(ext.where("scene"), f"'extend' names scene '{target}', which does not exist", did_you_mean(target, scenes))
                continue
            base = scenes[target]
            if base.resolve:
                self.p.error(ext.where("scene"), f"scene '{target}' resolves the story, so it cannot take choices")
                continue
            added = self.choices(ext.get("choices"), ext.where("choices"), target, {c.id: c.location for c in base.choices})
            scenes[target] = attrs.evolve(base, choices=base.choices + tuple(added))
        endings: list[Ending] = []
        placements: list[tuple[Ending, str | None, Location, bool]] = []
        for raw, from_mod in r.raw_endings:
            built = self.ending(raw)
            if built is not None:
                placements.append((*built, from_mod))
        for ending, before, loc, from_mod in placements:
            if not from_mod:
                if before:
                    self.p.error(loc, "'before' is only for endings added by a mod")
                endings.append(ending)
        for ending, before, loc, from_mod in placements:
            if from_mod:
                ids = [e.id for e in endings]
                if before is None:
                    at = max(len(endings) - 1, 0)
                elif before in ids:
                    at = ids.index(before)
                else:
                    self.p.error(loc, f"'before' names ending '{before}', which does not exist", did_you_mean(before, ids))
                    continue
                endings.insert(at, ending)
        self.resolve_names(scenes, endings)
        if r.problems.errors:
            return None
        return Story(
            id=r.story_id, title=r.title, version=r.version, variables=tuple(r.variables.values()),
            characters=dict(r.characters), scenes=scenes, endings=tuple(endings),
            sources=tuple(r.sources), mods=tuple(r.mods))

    def resolve_names(self, scenes: dict[str, Scene], endings: list[Ending]) -> None:
        r = self.r
        ending_ids = {e.id for e in endings}
        for target, loc, what in self.scene_refs:
            if target and target in ending_ids and target not in scenes:
                self.p.error(loc, f"{what} leads to '{target}', which is an ending, not a scene", _through_resolve(target, scenes))
            elif target and target not in scenes:
                self.p.error(loc, f"{what} leads to scene '{target}', which does not exist", did_you_mean(target, scenes))
        for target, loc in self.visit_refs:
            if target not in scenes:
                self.p.error(loc, f"visits() names scene '{target}', which does not exist", did_you_mean(target, scenes))
        for cid, character in r.characters.items():
            loc = r.start_locs.get(cid, character.location)
            if character.start and character.start not in scenes:
                self.p.error(loc, f"character '{cid}' starts at scene '{character.start}', which does not exist", did_you_mean(character.start, scenes))
            elif character.start and scenes[character.start].only_for is not None and cid not in scenes[character.start].only_for:
                self.p.error(loc, f"character '{cid}' starts at scene '{character.start}', which is not for him")
            for name in character.values:
                if name not in r.variables:
                    vloc = r.character_text[cid].where_key(name) if cid in r.character_text else loc
                    self.p.error(vloc, f"'{name}' is not a declared variable", did_you_mean(name, r.variables))
                else:
                    var = r.variables[name]
                    if not var.min <= character.values[name] <= var.max:
                        self.p.error(r.character_text[cid].where(name), f"start value {character.values[name]} of '{name}' is outside {var.min}..{var.max}")
            for flag in character.flags:
                self.flags_set.setdefault(flag, character.location)
        for name, loc in self.character_refs:
            if name not in r.characters:
                self.p.error(loc, f"'{name}' is not a character of this story",
                             did_you_mean(name, r.characters) or "the characters are " + ", ".join(r.characters))
        for name, loc in self.flags_tested:
            if name not in self.flags_set:
                known = list(self.flags_set) + list(self.var_index)
                self.p.error(loc, f"'{name}' is neither a declared variable nor a flag set anywhere", did_you_mean(name, known))
        if not r.characters and not r.problems.errors:
            self.p.error(r.manifest, "the story has no characters")
        if not endings:
            if any(s.resolve for s in scenes.values()):
                self.p.error(r.manifest, "the story resolves but declares no endings")
        elif endings[-1].condition is not None:
            self.p.error(endings[-1].location, f"the last ending, '{endings[-1].id}', must have no 'if'", "so every run ends somewhere")


_ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_WORDS_DATE = re.compile(r"^(?:([0-9]{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(?:([0-9]{1,2})(?:st|nd|rd|th)?,?\s+)?([0-9]{4})$")


def date_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not a scene date (YYYY-MM-DD, YYYY-MM or YYYY), with what to write; None if it is one."""
    import datetime
    m = _ISO_DATE.match(text.strip())
    usual = "write it as 1923-03-05, or 1923-03 or 1923 when only the month or the year is known"
    if m is None:
        words = _WORDS_DATE.match(text.strip())
        month = words and next((i + 1 for i, name in enumerate(_MONTHS) if len(words.group(2)) >= 3
                                and name.startswith(words.group(2).lower())), None)
        short = re.match(r"^([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?$", text.strip())
        if short:
            iso = f"{short.group(1)}-{int(short.group(2)):02d}" + (f"-{int(short.group(3)):02d}" if short.group(3) else "")
            if date_problem(iso) is None:
                return "is not a date the story can read", f"write {iso}"
        if words and month:
            day = words.group(1) or words.group(3)
            iso = f"{words.group(4)}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            if date_problem(iso) is None:
                return "is not a date the story can read", f"write {iso}"
        return "is not a date", usual
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return f"is not a date: there is no month {int(month)}", usual
    if day:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            return f"is not a date: {_MONTHS[int(month) - 1].title()} {year} has no day {int(day)}", usual
    return None


def _through_resolve(ending: str, scenes: dict[str, Scene]) -> str:
    """The hint for a ``goto`` that names an ending: how endings are reached."""
    import difflib
    resolving = [sid for sid, s in scenes.items() if s.resolve]
    hint = "endings are reached through a scene with 'resolve: true'"
    if resolving:
        near = difflib.get_close_matches(ending, resolving, n=1, cutoff=0) or resolving
        hint += f", such as '{near[0]}'"
    return hint + ": lead there, and the first ending whose 'if' holds is the one the player reaches"


def read_story(folders: Iterable[str | os.PathLike[str]], *,
               files_read: list[Path] | None = None) -> tuple[Story | None, Problems]:
    """Read a story folder followed by mod folders; return the story (or None) and every problem.

    ``files_read``, when given, receives the path of every file opened, manifests first
    (whatever their names end with): what a cache of the result depends on.
    """
    with gc_paused(), hint_budget(HINT_COMPARISONS):
        return _read_story(folders, files_read)


#: How many names the did-you-mean hints of one load may compare in all (a few seconds'
#: worth): a story with thousands of misspelt names gets hints for the first of them.
HINT_COMPARISONS = 500_000


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a story is built.

    Loading makes hundreds of thousands of small objects and no reference cycles, so the
    collector only costs time there (a third of a big story's load).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _read_story(folders: Iterable[str | os.PathLike[str]],
                files_read: list[Path] | None = None) -> tuple[Story | None, Problems]:
    r = _Reader()
    paths = [Path(f) for f in folders]
    files: list[tuple[Path, str, bool]] = []
    for i, folder in enumerate(paths):
        for path, shown in r.read_folder(folder, is_mod=i > 0):
            files.append((path, shown, i > 0))
    unreadable = False
    for path, shown, is_mod in files:
        unreadable |= not r.read_file(path, shown, is_mod)
    if files_read is not None:
        files_read.extend(r.files_read)
    if r.problems.errors and (unreadable or not (r.characters or r.raw_scenes)):
        # A file that cannot be read (its YAML is broken) may define any scene, flag or
        # character: resolving names without it would only report follow-on errors.
        return None, r.problems
    story = _Builder(r).build()
    return story, r.problems


def load_story(folder: str | os.PathLike[str], mods: Iterable[str | os.PathLike[str]] = ()) -> Story:
    """Load a story for play; raise ``StoryLoadError`` listing every error if it is broken."""
    story, problems = read_story([folder, *mods])
    if story is None:
        raise StoryLoadError(problems.errors)
    return story
