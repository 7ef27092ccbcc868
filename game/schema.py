"""JSON Schemas (draft 2020-12) of the manifest and of scene files, for editor completion.

They are built from the loader's own key sets, so a key the loader accepts is a key the
schema offers, and a key it refuses the schema flags: one source of truth. The schemas
check shape only (keys, types, id patterns); names, references and conditions are the
loader's and ``check``'s business, with their file:line:column messages.

An editor with the YAML language server uses them through a first-line comment:
``# yaml-language-server: $schema=<path to the file testament schema writes>``.
"""

from __future__ import annotations

import json
from typing import Any

from game.engine import loader as L

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://lenins-testament.invalid/schema/"



def _ecma(pattern: str) -> str:
    """A Python pattern as an ECMA-262 one, the dialect JSON Schema validators (and editors) use:
    Python's end anchor ``\\Z`` is ECMA's ``$`` (without the multiline flag)."""
    return pattern.replace("\\Z", "$")


_ID = {"type": "string", "pattern": _ecma(L.ID_PATTERN.pattern)}
_NAME = {"type": "string", "pattern": _ecma(L.NAME_PATTERN.pattern)}
_CONDITION = {"type": ["string", "boolean"], "description": "A condition, e.g. 'army >= 60 and not purged'."}
_NUMBER_OR_TEXT = {"type": ["string", "integer"]}


def _object(properties: dict[str, Any], keys: set[str], required: list[str] | None = None,
            description: str = "") -> dict[str, Any]:
    """An object with exactly the loader's ``keys``; every key must have a property schema."""
    missing = keys - set(properties)
    if missing:
        raise AssertionError(f"schema lacks {sorted(missing)}")
    out: dict[str, Any] = {"type": "object", "properties": {k: properties[k] for k in sorted(keys)},
                           "additionalProperties": False}
    if required:
        out["required"] = required
    if description:
        out["description"] = description
    return out


def _defs() -> dict[str, Any]:
    names = {"anyOf": [_NAME, {"type": "array", "items": _NAME}]}
    ids = {"anyOf": [_ID, {"type": "array", "items": _ID}]}
    block = _object({
        "text": {"type": ["string", "number"], "description": "Shown when 'if' and 'for' hold; may hold {flag then|otherwise} phrases."},
        "if": _CONDITION,
        "for": ids,
        "else": {"type": ["string", "number"], "description": "Shown when 'if' or 'for' does not hold."},
    }, L.BLOCK_KEYS, ["text"], "A block of text shown only for some runs.")
    blocks = {"anyOf": [{"type": ["string", "number"]}, {"$ref": "#/$defs/block"},
                        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/block"}]}}]}
    text = {"anyOf": [{"$ref": "#/$defs/blocks"},
                      {"type": "object", "not": {"required": ["text"]},
                       "additionalProperties": {"$ref": "#/$defs/blocks"},
                       "propertyNames": {"anyOf": [{"const": "default"}, _ID]},
                       "description": "Text per character id, with 'default' for the others."}],
            "description": "A string, a list of blocks, or a mapping of character id to either."}
    branch = _object({"if": _CONDITION, "to": _ID}, L.BRANCH_KEYS, ["to"])
    choice = _object({
        "id": _ID, "text": {"$ref": "#/$defs/text"}, "if": _CONDITION, "locked": {"$ref": "#/$defs/text"},
        "once": {"type": "boolean"}, "for": ids,
        "effects": {"type": "object", "propertyNames": _NAME, "additionalProperties": _NUMBER_OR_TEXT,
                    "description": "+5, -5, =40, \"%+20\" (fair) per variable."},
        "set": names, "clear": names, "reply": {"$ref": "#/$defs/text"},
        "goto": {"anyOf": [_ID, {"type": "array", "items": {"$ref": "#/$defs/branch"}, "minItems": 1}]},
    }, L.CHOICE_KEYS, ["id", "text", "goto"])
    note = _object({"text": {"$ref": "#/$defs/text"}, "sources": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                    "counterfactual": {"type": "boolean"}}, L.NOTE_KEYS)
    scene = _object({
        "id": _ID, "date": {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d\d(-\d\d)?)?$"},
        "place": {"$ref": "#/$defs/text"}, "title": {"type": ["string", "number"]}, "for": ids,
        "text": {"$ref": "#/$defs/text"}, "note": {"$ref": "#/$defs/note"},
        "choices": {"type": "array", "items": {"$ref": "#/$defs/choice"}},
        "fallback": _ID, "resolve": {"type": "boolean"}, "assumes": _CONDITION,
    }, L.SCENE_KEYS, ["id", "text"])
    ending = _object({
        "id": _ID, "title": {"type": ["string", "number"]}, "if": _CONDITION, "text": {"$ref": "#/$defs/text"},
        "epilogue": {"$ref": "#/$defs/text"}, "history": {"$ref": "#/$defs/text"}, "before": _ID,
        "assumes": _CONDITION,
    }, L.ENDING_KEYS, ["id", "title", "text"])
    extend = _object({"scene": _ID, "choices": {"type": "array", "items": {"$ref": "#/$defs/choice"}}},
                     L.EXTEND_KEYS, ["scene", "choices"])
    variable = {"anyOf": [{"type": "null"}, _object({
        "name": {"type": "string"}, "description": {"type": "string"}, "min": {"type": "integer"},
        "max": {"type": "integer"}, "start": {"type": "integer"}, "hidden": {"type": "boolean"},
    }, L.VARIABLE_KEYS)]}
    character = _object({
        "name": {"type": "string"}, "title": {"type": "string"}, "born": {"type": "integer"}, "bio": {"type": "string"},
        "standing": {"type": "string"}, "start": _ID,
        "values": {"type": "object", "propertyNames": _NAME, "additionalProperties": {"type": "integer"}},
        "flags": names,
    }, L.CHARACTER_KEYS, ["name", "start"])
    return {"block": block, "blocks": blocks, "text": text, "branch": branch, "choice": choice, "note": note,
            "scene": scene, "ending": ending, "extend": extend, "variable": variable, "character": character}


def _file_properties() -> dict[str, Any]:
    return {"scenes": {"type": "array", "items": {"$ref": "#/$defs/scene"}},
            "endings": {"type": "array", "items": {"$ref": "#/$defs/ending"}},
            "extend": {"type": "array", "items": {"$ref": "#/$defs/extend"}}}


def scenes_schema() -> dict[str, Any]:
    """The schema of a scene file: ``scenes:``, ``endings:`` and ``extend:`` lists."""
    body = _object(_file_properties(), L.FILE_KEYS)
    return {"$schema": DRAFT, "$id": BASE + "scenes.schema.json", "title": "Lenin's Testament scene file", **body,
            "$defs": _defs()}


def manifest_schema() -> dict[str, Any]:
    """The schema of a story's or a mod's ``story.yaml``."""
    props = {
        "id": _ID, "title": {"type": ["string", "number"]}, "version": {"type": ["string", "integer"]},
        "files": {"type": "array", "items": {"type": "string"}},
        "variables": {"type": "object", "propertyNames": _NAME, "additionalProperties": {"$ref": "#/$defs/variable"}},
        "characters": {"type": "object", "propertyNames": _ID, "additionalProperties": {"$ref": "#/$defs/character"}},
        "mod": {"type": "boolean"}, **_file_properties(),
    }
    body = _object(props, L.MANIFEST_KEYS, ["id"])
    return {"$schema": DRAFT, "$id": BASE + "story.schema.json", "title": "Lenin's Testament story manifest (story.yaml)",
            **body, "$defs": _defs()}


SCHEMAS = {"manifest": manifest_schema, "scenes": scenes_schema}
FILE_NAMES = {"manifest": "story.schema.json", "scenes": "scenes.schema.json"}


def dumps(kind: str) -> str:
    return json.dumps(SCHEMAS[kind](), indent=2, ensure_ascii=False) + "\n"
