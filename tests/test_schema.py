"""The published JSON Schemas agree with the loader: what it accepts validates, what it refuses for a key is flagged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from game import schema
from game.engine import loader as L
from game.engine.errors import Problems
from game.engine.loader import read_story
from game.engine.yamlsource import read_yaml
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def validator(kind: str) -> jsonschema.Draft202012Validator:
    s = schema.SCHEMAS[kind]()
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def story_folders() -> list[Path]:
    folders = [ROOT / "story", *sorted((ROOT / "examples" / "mods").iterdir())]
    folders += [p for p in sorted(FIXTURES.iterdir()) if (p / "story.yaml").exists() and p.name != "broken"]
    return folders


def read(path: Path):
    """A file as the loader reads it (YAML 1.2 booleans, dates as text), as an editor's YAML server does."""
    problems = Problems()
    doc = read_yaml(path, str(path), problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    return doc


def documents(folder: Path):
    manifest = read(folder / "story.yaml")
    yield "manifest", folder / "story.yaml", manifest
    for name in manifest.get("files", []):
        yield "scenes", folder / name, read(folder / name)


def plain(value):
    """YAML dates and the like as the loader keeps them: text."""
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("folder", story_folders(), ids=lambda p: p.name)
def test_every_story_the_loader_accepts_validates(folder):
    for kind, path, doc in documents(folder):
        errors = [f"{path}: {e.message} at {list(e.absolute_path)}" for e in validator(kind).iter_errors(plain(doc))]
        assert not errors, errors[:5]


@pytest.mark.parametrize("where, bad", [
    ("scene", {"efects": {}}), ("choice", {"iff": "x"}), ("ending", {"epilog": "x"}),
    ("block", {"iff": "x"}), ("note", {"source": ["x"]}), ("branch", {"too": "x"}),
])
def test_a_misspelt_key_is_refused_by_both(tmp_path, where, bad):
    scene = {"id": "s", "title": "S", "text": "T", "resolve": True}
    ending = {"id": "e", "title": "E", "text": "T"}
    doc = {"scenes": [scene], "endings": [ending]}
    if where == "scene":
        scene.update(bad)
    elif where == "ending":
        ending.update(bad)
    elif where == "block":
        scene["text"] = [{"text": "x", **bad}]
    elif where == "note":
        scene["note"] = {"text": "n", **bad}
    else:
        del scene["resolve"]
        choice = {"id": "c", "text": "C", "effects": {"a": 1}, "goto": "s"}
        if where == "choice":
            choice.update(bad)
        else:
            choice["goto"] = [{"to": "s", **bad}]
        scene["choices"] = [choice]
    assert list(validator("scenes").iter_errors(doc)), "the schema let it through"
    (tmp_path / "story.yaml").write_text("id: t\ntitle: T\nfiles: [s.yaml]\nvariables: {a: {}}\n"
                                         "characters: {x: {name: X, start: s}}\n")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(doc))
    _, problems = read_story([tmp_path])
    assert any("unknown key" in str(p) for p in problems.errors), [str(p) for p in problems.errors]


@pytest.mark.parametrize("keys, definition", [
    (L.SCENE_KEYS, "scene"), (L.CHOICE_KEYS, "choice"), (L.ENDING_KEYS, "ending"), (L.NOTE_KEYS, "note"),
    (L.BLOCK_KEYS, "block"), (L.BRANCH_KEYS, "branch"), (L.EXTEND_KEYS, "extend"), (L.CHARACTER_KEYS, "character"),
])
def test_the_schema_offers_exactly_the_keys_the_loader_accepts(keys, definition):
    defs = schema.scenes_schema()["$defs"]
    assert set(defs[definition]["properties"]) == keys
    assert set(schema.manifest_schema()["properties"]) == L.MANIFEST_KEYS
    assert set(schema.scenes_schema()["properties"]) == L.FILE_KEYS


def test_the_command_prints_and_writes_the_schemas(tmp_path):
    run = subprocess.run([sys.executable, "-m", "game.cli", "schema", "scenes"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and json.loads(run.stdout)["$id"].endswith("scenes.schema.json")
    run = subprocess.run([sys.executable, "-m", "game.cli", "schema", "--write", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert {p.name for p in tmp_path.iterdir()} == {"story.schema.json", "scenes.schema.json"}


def test_the_broken_fixture_s_unknown_keys_are_flagged_by_the_schema_too():
    folder = FIXTURES / "broken"
    _, problems = read_story([folder])
    unknown = [p for p in problems.errors if "unknown key" in p.message]
    assert unknown
    flagged = [e for _, _, doc in documents(folder) if doc is not None
               for e in validator("scenes" if "scenes" in doc else "manifest").iter_errors(plain(doc))]
    for p in unknown:
        key = p.message.split("'")[1]
        assert any(key in e.message for e in flagged), (key, [e.message for e in flagged])


def test_the_shipped_schema_files_are_the_generated_ones():
    for kind, name in schema.FILE_NAMES.items():
        assert (ROOT / "game" / "schemas" / name).read_text(encoding="utf-8") == schema.dumps(kind), \
            f"run: testament schema --write game/schemas"
