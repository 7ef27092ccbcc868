"""The machine-readable record at the end of a transcript, and reading it back safely.

A transcript is Markdown for people. Below it, in a fenced block marked
``testament-record``, is the same run as JSON for ``testament class-report``: the story and
its version, the character, the path of ``scene:choice`` steps, the ending, each hidden
force's start and end, the scenes passed through (with which had a note and which depart
from history), the counterfactual scenes and the choices that led into them, the choices
that set a flag (the decisive acts), and the notes the student opened. Above the block is a
``**Student:**`` line for the student's name; it lies outside the JSON, so writing a name
can never damage the record.

The file is the student's, so nothing in it is trusted. Reading is bounded in size (of the
file and of the block) and in nesting (checked before the JSON parser sees the text), the
parser refuses numbers longer than a record holds and ``NaN``, and every field is checked for
its type, its length and its agreement with the rest before a ``Record`` is made. Anything
wrong is one ``RecordError`` whose message says what, in words. Nothing is ever evaluated.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any, Iterable

from attrs import frozen

from game import savefiles
from game.engine import State, Story, states_of, view
from game.engine.play import choice_text
from game.saves import readable

#: The record format this game writes, and the only one it reads.
FORMAT = 1
#: The fence's info string: ``json`` first, so viewers colour it, then our mark.
FENCE = "```json testament-record"
#: The largest transcript read (a full campaign run is about 0.2 MB).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: The largest record block read.
MAX_RECORD_BYTES = 2 * 1024 * 1024
#: Nesting deeper than this is refused before parsing (a record nests four deep).
MAX_DEPTH = 8
#: Steps in a path; far beyond any campaign run.
MAX_STEPS = 20_000
#: Longest id, and longest text, kept from a record.
MAX_ID, MAX_TEXT = 200, 2_000
#: The longest student name kept.
MAX_NAME = 80
#: The line a student writes a name on.
STUDENT = "**Student:**"


class RecordError(ValueError):
    """A file that is not a readable transcript record; the message says why in words."""


@frozen
class Force:
    id: str
    name: str
    low: int
    high: int
    start: int
    end: int


@frozen
class Visited:
    """A scene the run passed through (each once, in order of first arrival)."""

    scene: str
    title: str
    date: str
    #: Whether the scene had a historical note to open.
    note: bool
    counterfactual: bool


@frozen
class Invented:
    """A counterfactual scene the run reached, and the step that led into it."""

    scene: str
    title: str
    date: str
    #: The scene and choice that led here ("" for a run that starts here).
    from_scene: str
    from_choice: str
    choice_text: str
    #: True when the scene before was historical: the moment the run left what happened.
    turn: bool


@frozen
class Decisive:
    """A choice that set a flag: one of the run's decisive acts."""

    scene: str
    scene_title: str
    choice: str
    text: str
    flags: tuple[str, ...]


@frozen
class Record:
    """One run, as read from a transcript."""

    story_id: str
    story_version: str
    story_title: str
    character: str
    character_name: str
    written_at: str
    path: tuple[tuple[str, str], ...]
    #: The ending's id, or "" for a run not finished when the transcript was written.
    ending: str
    ending_title: str
    flags: tuple[str, ...]
    forces: tuple[Force, ...]
    scenes: tuple[Visited, ...]
    invented: tuple[Invented, ...]
    decisive: tuple[Decisive, ...]
    #: Scenes whose notes the student opened, in the order of the run.
    notes_opened: tuple[str, ...]
    #: The name on the ``Student:`` line, "" when none was written.
    student: str = ""

    @property
    def finished(self) -> bool:
        return bool(self.ending)


# Writing ---------------------------------------------------------------------------------

def build(story: Story, state: State, notes: Iterable[str] = (), now: datetime.datetime | None = None) -> dict:
    """The record of ``state``'s run as a JSON-ready dict; ``notes`` are the scenes whose notes were opened."""
    states = states_of(story, state)
    scenes: list[dict] = []
    seen: set[str] = set()
    invented: list[dict] = []
    for i, s in enumerate(states):
        scene = story.scenes[s.scene]
        if s.scene in seen:
            continue
        seen.add(s.scene)
        scenes.append({"scene": scene.id, "title": scene.title, "date": scene.date,
                       "note": bool(view(story, s).note), "counterfactual": scene.note.counterfactual})
        if scene.note.counterfactual:
            before = state.path[i - 1] if i else ("", "")
            invented.append({"scene": scene.id, "title": scene.title, "date": scene.date,
                             "from_scene": before[0], "from_choice": before[1],
                             "choice_text": choice_text(story, states[i - 1], before[1]) if i else "",
                             "turn": i > 0 and not story.scenes[states[i - 1].scene].note.counterfactual})
    decisive = []
    for i, (scene_id, choice_id) in enumerate(state.path):
        choice = story.scenes[scene_id].choice(choice_id)
        if choice is not None and choice.set_flags:
            decisive.append({"scene": scene_id, "scene_title": story.scenes[scene_id].title, "choice": choice_id,
                             "text": choice_text(story, states[i], choice_id), "flags": sorted(choice.set_flags)})
    opened = set(notes)
    ending = next((e for e in story.endings if e.id == state.ending), None)
    return {
        "testament_record": FORMAT,
        "story": {"id": story.id, "version": story.version, "title": story.title},
        "character": {"id": state.character, "name": story.characters[state.character].name},
        "written_at": (now or datetime.datetime.now()).isoformat(timespec="seconds"),
        "path": [f"{scene}:{choice}" for scene, choice in state.path],
        "ending": {"id": ending.id, "title": ending.title} if ending is not None else None,
        "flags": sorted(state.flags),
        "forces": [{"id": v.id, "name": v.name, "low": v.min, "high": v.max,
                    "start": states[0].values[v.index], "end": state.values[v.index]} for v in story.variables],
        "scenes": scenes,
        "counterfactual": invented,
        "decisive": decisive,
        "notes_opened": [s["scene"] for s in scenes if s["scene"] in opened],
    }


def trailer(record: dict) -> str:
    """What follows the Markdown of a transcript: the name line, a word of explanation, the block."""
    block = json.dumps(record, indent=1, ensure_ascii=True)
    return (f"\n---\n\n{STUDENT} \n\n"
            "*Write your name after \"Student:\" before you hand this in. The block below is the same run "
            "for your teacher's class report; leave it as it is.*\n\n"
            f"{FENCE}\n{block}\n```\n")


# Reading ---------------------------------------------------------------------------------

def read(path: Path) -> Record:
    """The record of the transcript at ``path``; ``RecordError`` saying why not."""
    try:
        raw = savefiles.read_bounded(path, MAX_FILE_BYTES, "transcript")
    except savefiles.Unreadable as exc:
        raise RecordError(exc.reason) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError("not a transcript: it is not UTF-8 text") from None
    return parse(text)


def parse(text: str) -> Record:
    """The record in a transcript's text; ``RecordError`` saying why not."""
    start = text.rfind("\n" + FENCE + "\n")
    if start < 0:
        if ": a transcript" in text[:2000]:
            raise RecordError("a transcript without a record (written by an older version of the game, "
                              "or by a browser page exported before records); it cannot be counted")
        raise RecordError("not a transcript of Lenin's Testament")
    body_start = start + len(FENCE) + 2
    end = text.find("\n```", body_start - 1)
    if end < 0:
        raise RecordError("damaged: its record block is cut off (no closing ```)")
    block = text[body_start:end]
    if len(block) > MAX_RECORD_BYTES:
        raise RecordError(f"damaged: its record is {len(block):,} characters long, more than any run makes")
    _check_depth(block)
    try:
        doc = json.loads(block, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as exc:
        raise RecordError(f"damaged: its record holds {exc}") from None
    except RecursionError:
        raise RecordError("damaged: its record is nested far deeper than a record is") from None
    except ValueError as exc:
        where = f" at line {exc.lineno}, column {exc.colno} of the block" if isinstance(exc, json.JSONDecodeError) else ""
        raise RecordError(f"damaged: its record is not readable JSON{where}") from None
    record = _record(doc)
    return _with_student(record, text[:start])


_SPECIAL = re.compile(r'["\[\]{}]')
#: The rest of a JSON string after its opening quote (possessive: each character is looked at once).
_STRING_REST = re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL)


def _check_depth(block: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` before the parser recurses into it.

    One pass, left to right: strings are skipped whole, so the scan is linear whatever the
    quotes and backslashes (an unterminated string ends the scan; the parser refuses it).
    """
    depth, i = 0, 0
    while True:
        m = _SPECIAL.search(block, i)
        if m is None:
            return
        c, i = m.group(), m.end()
        if c == '"':
            rest = _STRING_REST.match(block, i)
            if rest is None:
                return
            i = rest.end()
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise RecordError("damaged: its record is nested deeper than a record is")
        else:
            depth -= 1


class _Refused(Exception):
    pass


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 12:
        raise _Refused(f"a number of {len(text.lstrip('-')):,} digits, longer than any record holds")
    return int(text)


def _float(text: str) -> float:
    raise _Refused("a fraction, which no record holds")


def _constant(text: str) -> float:
    raise _Refused(f"'{text}', which is not a number a record holds")


# Checking field by field -----------------------------------------------------------------

class _Doc:
    """A JSON object read with every field's type checked, naming the field in any complaint."""

    def __init__(self, value: Any, where: str):
        if type(value) is not dict:
            raise RecordError(f"damaged: its record's {where} is {_kind(value)}, not an object")
        self.value, self.where = value, where

    def _get(self, key: str) -> Any:
        if key not in self.value:
            raise RecordError(f"damaged: its record has no {self._name(key)}")
        return self.value[key]

    def _name(self, key: str) -> str:
        return f"'{key}'" if self.where == "top" else f"{self.where}'s '{key}'"

    def text(self, key: str, limit: int = MAX_TEXT, empty: bool = True) -> str:
        v = self._get(key)
        if type(v) is not str:
            raise RecordError(f"damaged: its record's {self._name(key)} is {_kind(v)}, not text")
        if len(v) > limit:
            raise RecordError(f"damaged: its record's {self._name(key)} is {len(v):,} characters long (at most {limit:,})")
        if not empty and not v:
            raise RecordError(f"damaged: its record's {self._name(key)} is empty")
        return readable(v)

    def number(self, key: str) -> int:
        v = self._get(key)
        if type(v) is not int:
            raise RecordError(f"damaged: its record's {self._name(key)} is {_kind(v)}, not a whole number")
        return v

    def flag(self, key: str) -> bool:
        v = self._get(key)
        if type(v) is not bool:
            raise RecordError(f"damaged: its record's {self._name(key)} is {_kind(v)}, not true or false")
        return v

    def items(self, key: str, limit: int) -> list:
        v = self._get(key)
        if type(v) is not list:
            raise RecordError(f"damaged: its record's {self._name(key)} is {_kind(v)}, not a list")
        if len(v) > limit:
            raise RecordError(f"damaged: its record's {self._name(key)} has {len(v):,} entries (at most {limit:,})")
        return v

    def texts(self, key: str, limit: int, size: int = MAX_ID) -> tuple[str, ...]:
        out = []
        for n, v in enumerate(self.items(key, limit), 1):
            if type(v) is not str or len(v) > size:
                raise RecordError(f"damaged: entry {n} of its record's {self._name(key)} is {_kind(v)}, not a short text")
            out.append(readable(v))
        return tuple(out)

    def objects(self, key: str, limit: int) -> list["_Doc"]:
        return [_Doc(v, f"{key} entry {n}") for n, v in enumerate(self.items(key, limit), 1)]


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), "something else")


def _record(value: Any) -> Record:
    if type(value) is not dict:
        raise RecordError(f"damaged: its record is {_kind(value)}, not an object")
    doc = _Doc(value, "top")
    version = doc._get("testament_record")
    if type(version) is not int:
        raise RecordError(f"damaged: its record's version is {_kind(version)}, not a whole number")
    if version > FORMAT:
        raise RecordError(f"written by a newer version of the game (record format {version}); update the game to read it")
    if version != FORMAT:
        raise RecordError(f"damaged: record format {version} is not one this game wrote (it writes {FORMAT})")
    story = _Doc(doc._get("story"), "story")
    who = _Doc(doc._get("character"), "character")
    path = []
    for n, step in enumerate(doc.texts("path", MAX_STEPS, 2 * MAX_ID + 1000), 1):
        scene, sep, choice = step.partition(":")
        if not sep or not scene or not choice:
            raise RecordError(f"damaged: step {n} of its record's path is not scene:choice")
        path.append((scene, choice))
    ending_value = doc._get("ending")
    if ending_value is None:
        ending = ending_title = ""
    else:
        e = _Doc(ending_value, "ending")
        ending, ending_title = e.text("id", MAX_ID, empty=False), e.text("title", MAX_TEXT)
    forces = []
    for f in doc.objects("forces", 100):
        force = Force(f.text("id", MAX_ID, empty=False), f.text("name"), f.number("low"), f.number("high"),
                      f.number("start"), f.number("end"))
        if not force.low <= force.start <= force.high or not force.low <= force.end <= force.high:
            raise RecordError(f"damaged: its record's force '{force.id}' lies outside its range {force.low}-{force.high}")
        forces.append(force)
    scenes = tuple(Visited(s.text("scene", MAX_ID, empty=False), s.text("title"), s.text("date", 40),
                           s.flag("note"), s.flag("counterfactual")) for s in doc.objects("scenes", MAX_STEPS + 1))
    invented = tuple(Invented(i.text("scene", MAX_ID, empty=False), i.text("title"), i.text("date", 40),
                              i.text("from_scene", MAX_ID), i.text("from_choice", MAX_ID + 1000), i.text("choice_text"),
                              i.flag("turn")) for i in doc.objects("counterfactual", MAX_STEPS + 1))
    decisive = tuple(Decisive(d.text("scene", MAX_ID, empty=False), d.text("scene_title"), d.text("choice", MAX_ID, empty=False),
                              d.text("text"), d.texts("flags", 100)) for d in doc.objects("decisive", MAX_STEPS))
    notes = doc.texts("notes_opened", MAX_STEPS + 1)
    record = Record(story.text("id", MAX_ID, empty=False), story.text("version", MAX_ID), story.text("title"),
                    who.text("id", MAX_ID, empty=False), who.text("name"), doc.text("written_at", 40), tuple(path),
                    ending, ending_title, doc.texts("flags", 1000), tuple(forces), scenes, invented, decisive, notes)
    _agree(record)
    return record


def _agree(r: Record) -> None:
    """The parts of a record must tell one story: refuse one whose parts were edited apart."""
    visited = {s.scene for s in r.scenes}
    on_path = {scene for scene, _ in r.path}
    if len(visited) != len(r.scenes):
        raise RecordError("damaged: its record lists a scene twice")
    if not on_path <= visited:
        raise RecordError("damaged: its record's path passes scenes its list of scenes lacks")
    for n in r.notes_opened:
        if n not in visited:
            raise RecordError(f"damaged: its record says the note of '{n}' was opened, a scene the run never reached")
    invented = {s.scene for s in r.scenes if s.counterfactual}
    if {i.scene for i in r.invented} != invented:
        raise RecordError("damaged: its record's counterfactual scenes disagree with its list of scenes")
    for d in r.decisive:
        if d.scene not in on_path:
            raise RecordError(f"damaged: its record's decisive choice in '{d.scene}' is not on its path")
    if len({f.id for f in r.forces}) != len(r.forces):
        raise RecordError("damaged: its record lists a force twice")


_NAME_LINE = re.compile(r"^\*\*Student:\*\*[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _with_student(record: Record, before: str) -> Record:
    """The name on the last ``Student:`` line above the block (the trailer's own)."""
    tail = before[-4000:]
    names = _NAME_LINE.findall(tail)
    name = _CONTROL.sub("", names[-1]).strip().strip("*_").strip() if names else ""
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME - 1] + "…"
    from attrs import evolve
    return evolve(record, student=readable(name))
