"""The checked story as versioned JSON, for the browser runtime (``runtime.js``).

Python stays the reference: it loads and checks the story, and only then writes this
export. Every condition travels as its parsed tree (no parser in the browser), every
text as its blocks and inline phrases, and nothing that only matters to authors
(locations, ``assumes:``, the folders the story came from).

The exporter refuses anything it cannot express, so the browser never plays a story
differently from the engine: an expression node or an effect it does not know, a text
part of another kind, or a field of a story value that this exporter was not written
for (a field added to the engine later) holding anything but its default.
"""

from __future__ import annotations

from typing import Any

import attrs

from game.dates import pretty_date
from game.engine import expr as E
from game.engine.model import (Block, Branch, Character, Choice, Effect, Ending, Inline, Note, Scene, Story,
                               Text, Variable)

#: What the export says it is, and its version; ``runtime.js`` refuses any other.
#: Version 2 added the reading aids (glossary, timeline, historical paths and debrief) and
#: each scene's chapter.
FORMAT = "lenins-testament-story"
FORMAT_VERSION = 2

#: For each story value, the fields the export carries or knowingly leaves out. A field
#: not listed here (added to the engine after this exporter) is refused unless it holds
#: its default, since the browser could not honour it.
_KNOWN: dict[type, set[str]] = {
    Story: {"id", "title", "version", "variables", "characters", "scenes", "endings", "mods",
            "sources", "variable_index"},
    Variable: {"id", "name", "description", "min", "max", "start", "hidden", "index"},
    Character: {"id", "name", "title", "born", "bio", "standing", "start", "values", "flags", "location"},
    Scene: {"id", "title", "date", "place", "text", "choices", "note", "only_for", "fallback", "resolve",
            "location", "assumes"},
    Choice: {"id", "text", "goto", "effects", "set_flags", "clear_flags", "condition", "locked", "once",
             "only_for", "reply", "location"},
    Note: {"text", "sources", "counterfactual"},
    Ending: {"id", "title", "text", "epilogue", "history", "condition", "location", "assumes"},
    Branch: {"target", "condition", "location"},
    Effect: {"variable", "index", "op", "amount"},
    Text: {"default", "by_character", "joiner"},
    Block: {"parts", "condition", "only_for", "otherwise", "location"},
    Inline: {"condition", "then", "otherwise"},
    E.Condition: {"source", "tree", "test"},
}


class ExportError(ValueError):
    """The story uses something the browser runtime cannot play; the message says what and where."""


def _where(obj: Any) -> str:
    location = getattr(obj, "location", None)
    return f" ({location})" if location and str(location) else ""


def _fields_known(obj: Any, what: str) -> None:
    """Refuse a value whose class has a field this exporter does not know, set to a non-default."""
    known = _KNOWN.get(type(obj))
    if known is None:
        raise ExportError(f"{what}: the browser export does not know a {type(obj).__name__}")
    for f in attrs.fields(type(obj)):
        if f.name in known:
            continue
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if getattr(obj, f.name) != default:
            raise ExportError(f"{what}{_where(obj)}: uses '{f.name}', which the browser runtime cannot play yet")


# ---- conditions ---------------------------------------------------------------------------

_COMPARE_OPS = {"==", "!=", "<", "<=", ">", ">="}


def node(n: E.Node) -> list:
    """An expression tree as nested lists: ``["and", [">=", ["var", 3], ["num", 40]], ["flag", "x"]]``.

    Only the node types of ``game.engine.expr`` are written; anything else is refused.
    """
    t = type(n)
    if t is E.Num:
        if type(n.value) is not int:
            raise ExportError(f"a number node holds {n.value!r}")
        return ["num", n.value]
    if t is E.Str:
        return ["str", n.value]
    if t is E.Bool:
        return ["bool", bool(n.value)]
    if t is E.Var:
        return ["var", n.index]
    if t is E.Flag:
        return ["flag", n.name]
    if t is E.CharacterRef:
        return ["character"]
    if t is E.Visits:
        return ["visits", n.scene]
    if t is E.Not:
        return ["not", node(n.operand)]
    if t is E.BoolOp and n.op in ("and", "or"):
        return [n.op, node(n.left), node(n.right)]
    if t is E.Arith and n.op in ("+", "-"):
        return [n.op, node(n.left), node(n.right)]
    if t is E.Compare and n.op in _COMPARE_OPS:
        return [n.op, node(n.left), node(n.right)]
    raise ExportError(f"the browser runtime cannot evaluate the expression node {n!r}")


def condition(c: E.Condition | None, what: str) -> dict | None:
    if c is None:
        return None
    if type(c) is not E.Condition:
        raise ExportError(f"{what}: a condition of an unknown kind ({type(c).__name__})")
    try:
        return {"src": c.source, "tree": node(c.tree)}
    except ExportError as exc:
        raise ExportError(f"{what}: in '{c.source}': {exc}") from None


# ---- texts ----------------------------------------------------------------------------------

def _parts(parts: tuple, what: str) -> list:
    out: list = []
    for p in parts:
        if type(p) is str:
            out.append(p)
        elif type(p) is Inline:
            _fields_known(p, what)
            out.append({"if": condition(p.condition, what), "then": p.then, "else": p.otherwise})
        else:
            raise ExportError(f"{what}: a text part of an unknown kind ({type(p).__name__})")
    return out


def _blocks(blocks: tuple, what: str) -> list:
    out = []
    for b in blocks:
        if type(b) is not Block:
            raise ExportError(f"{what}: a text block of an unknown kind ({type(b).__name__})")
        _fields_known(b, what)
        block: dict[str, Any] = {"parts": _parts(b.parts, what)}
        if b.condition is not None:
            block["if"] = condition(b.condition, what)
        if b.only_for is not None:
            block["for"] = sorted(b.only_for)
        if b.otherwise:
            block["else"] = _parts(b.otherwise, what)
        out.append(block)
    return out


def text(t: Text, what: str) -> dict:
    """A text as ``{"joiner", "default": [blocks], "by": {character: [blocks]}}``."""
    if type(t) is not Text:
        raise ExportError(f"{what}: a text of an unknown kind ({type(t).__name__})")
    _fields_known(t, what)
    out: dict[str, Any] = {"joiner": t.joiner, "default": _blocks(t.default, what)}
    if t.by_character:
        out["by"] = {cid: _blocks(blocks, f"{what} ({cid})") for cid, blocks in t.by_character.items()}
    return out


# ---- the story ------------------------------------------------------------------------------

_EFFECT_OPS = {"+", "=", "%"}


def _effect(e: Effect, what: str) -> list:
    _fields_known(e, what)
    if e.op not in _EFFECT_OPS or type(e.amount) is not int:
        raise ExportError(f"{what}: an effect the browser runtime cannot apply ({e})")
    return [e.index, e.op, e.amount]


def _choice(scene: Scene, c: Choice) -> dict:
    what = f"scene '{scene.id}', choice '{c.id}'"
    _fields_known(c, what)
    goto = []
    for b in c.goto:
        _fields_known(b, what)
        goto.append({"to": b.target, "if": condition(b.condition, what)})
    return {
        "id": c.id,
        "text": text(c.text, what),
        "if": condition(c.condition, what),
        "locked": text(c.locked, what),
        "once": bool(c.once),
        "for": sorted(c.only_for) if c.only_for is not None else None,
        "effects": [_effect(e, what) for e in c.effects],
        "set": sorted(c.set_flags),
        "clear": sorted(c.clear_flags),
        "reply": text(c.reply, what),
        "goto": goto,
    }


def _scene(s: Scene, chapter: int | None) -> dict:
    what = f"scene '{s.id}'"
    _fields_known(s, what)
    _fields_known(s.note, what)
    return {
        "id": s.id,
        "title": s.title,
        "date": s.date,
        "when": pretty_date(s.date),
        "month": pretty_date(s.date[:7]),
        "place": text(s.place, what),
        "text": text(s.text, what),
        "note": {"text": text(s.note.text, what), "sources": list(s.note.sources),
                 "counterfactual": bool(s.note.counterfactual)},
        "for": sorted(s.only_for) if s.only_for is not None else None,
        "fallback": s.fallback,
        "resolve": bool(s.resolve),
        "choices": [_choice(s, c) for c in s.choices],
        "chapter": chapter,
    }


def _ending(e: Ending) -> dict:
    what = f"ending '{e.id}'"
    _fields_known(e, what)
    return {"id": e.id, "title": e.title, "text": text(e.text, what), "epilogue": text(e.epilogue, what),
            "history": text(e.history, what), "if": condition(e.condition, what)}


def export_story(story: Story) -> dict:
    """The story as a JSON-ready dict the browser runtime plays exactly as the engine does.

    Call it only on a story that passed ``check``; ``ExportError`` for anything the
    runtime could not play the same way.
    """
    from game.classroom import historical
    _fields_known(story, "the story")
    variables = []
    for n, v in enumerate(story.variables):
        _fields_known(v, f"variable '{v.id}'")
        if v.index != n:
            raise ExportError(f"variable '{v.id}' is at index {v.index}, expected {n}")
        variables.append({"id": v.id, "name": v.name, "description": v.description, "min": v.min, "max": v.max,
                          "start": v.start, "hidden": bool(v.hidden)})
    characters = []
    for cid, ch in story.characters.items():
        _fields_known(ch, f"character '{cid}'")
        characters.append({"id": cid, "name": ch.name, "title": ch.title, "born": ch.born, "bio": ch.bio,
                           "standing": ch.standing, "start": ch.start, "values": dict(ch.values),
                           "flags": sorted(ch.flags)})
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "story": {"id": story.id, "title": story.title, "version": story.version, "mods": list(story.mods)},
        "variables": variables,
        "characters": characters,
        "scenes": [_scene(s, historical.chapter_of(story, s.id)) for s in story.scenes.values()],
        "endings": [_ending(e) for e in story.endings],
        "flag_words": flag_words(story),
        "aids": reading_aids(story),
    }


def reading_aids(story: Story) -> dict:
    """The files kept beside the story for readers (``game.classroom``): the glossary, the
    timeline of real events, each character's historical path with the debrief, and the
    chapters (years). Read as the terminal and the window read them; what they leave out
    (an entry with a problem) is left out here too, and ``check`` reports it."""
    from game.classroom import glossary, historical, timeline
    found = historical.aids(story)
    return {
        "glossary": [{"name": e.name, "kind": e.kind, "dates": e.dates, "text": e.text, "full": e.full,
                      "also": list(e.also)} for e in glossary.entries(story)],
        "timeline": [{"date": e.date, "when": pretty_date(e.date), "title": e.title, "text": e.text}
                     for e in timeline.events(story)],
        "paths": {cid: [[s.scene, s.choice, s.why] for s in path.steps] for cid, path in found.paths.items()},
        "debrief": list(found.debrief),
        "chapters": list(historical.chapters(story)),
    }


def flag_words(story: Story) -> dict[str, str]:
    """Every flag in words, as "Why this ending" names it (game.analysis.why): the words
    depend on the story's own prose only, so they are computed here once."""
    from game.analysis.bounds import all_flags
    from game.analysis.why import _Words
    words = _Words(story, None, [])  # type: ignore[arg-type]
    return {f: words.flag_words(f) for f in sorted(all_flags(story))}
