"""Authoring from anywhere: --mod on every tool, and `testament new-mod`, whose mod checks, tests and plays."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from game.authoring.newmod import mod_id, new_mod
from game.cli import main
from game.paths import story_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mods" / "factory-gate"


def run(*argv: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """``testament ARGV`` in a child process (optionally in another folder): status, output, errors."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "game.cli", *argv], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=env)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mods") / "my-branch"
    new_mod(folder, story_dir())
    return folder


def test_new_mod_writes_a_manifest_scenes_schemas_and_a_test(made):
    names = sorted(str(p.relative_to(made)) for p in made.rglob("*") if p.is_file())
    assert names == ["scenes.yaml", "schemas/scenes.schema.json", "schemas/story.schema.json", "story.yaml",
                     "tests/new-road.yaml"]
    assert (made / "story.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/story.schema.json\n")
    assert (made / "scenes.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/scenes.schema.json\n")
    scenes = yaml.safe_load((made / "scenes.yaml").read_text())
    note = scenes["scenes"][0]["note"]
    assert note["text"] and note["sources"] == ["E. H. Carr, The Interregnum, 1923-1924 (1954)"]


def test_the_mod_files_validate_against_the_schemas_they_name(made):
    jsonschema = pytest.importorskip("jsonschema")
    import json
    from game.engine.errors import Problems
    from game.engine.yamlsource import read_yaml
    for name, schema in (("story.yaml", "story.schema.json"), ("scenes.yaml", "scenes.schema.json")):
        document = json.loads(json.dumps(read_yaml(made / name, name, Problems())))  # as an editor's YAML server reads it
        jsonschema.Draft202012Validator(json.loads((made / "schemas" / schema).read_text())).validate(document)


def test_the_new_mod_passes_check_strict_with_the_bundled_campaign(made):
    status, out, err = run("check", "--strict", "--mod", str(made))
    assert status == 0, out + err
    assert out.strip().endswith("no problems")
    assert f", {made}:" in out


def test_its_story_test_passes(made):
    status, out, err = run("test", "--mod", str(made))
    assert status == 0, out + err
    assert " 0 failed" in out


def test_play_mod_reaches_the_new_scene(made, tmp_path):
    from game.engine import load_story
    from game.terminal.play import TextGame
    story = load_story(story_dir(), [made])
    scenes = yaml.safe_load((made / "scenes.yaml").read_text())
    detour = scenes["extend"][0]["choices"][0]
    cid = detour["for"][0]
    first = story.scenes[scenes["extend"][0]["scene"]]
    number = [c.id for c in first.choices if c.only_for is None or cid in c.only_for].index(detour["id"]) + 1
    lines = iter([f"{number}\n", "1\n", "quit\n"])
    out = io.StringIO()
    os.environ.setdefault("TESTAMENT_HOME", str(tmp_path))
    TextGame(story, out, lambda: next(lines, "")).run(cid)
    shown = out.getvalue()
    assert "This is your scene." in shown
    assert scenes["scenes"][0]["title"].upper() in shown


def test_new_mod_refuses_a_folder_in_use(made):
    status, out, err = run("new-mod", str(made))
    assert status == 2
    assert err == f"testament: {made} already exists and is not an empty folder; give a new folder's name\n"


def test_new_mod_for_a_character_and_an_unknown_one(tmp_path):
    written = new_mod(tmp_path / "Kamenev's Road", story_dir(), character="kamenev")
    assert mod_id(tmp_path / "Kamenev's Road") == "kamenev-s-road"
    text = (tmp_path / "Kamenev's Road" / "scenes.yaml").read_text()
    assert "for: [kamenev]" in text and "id: kamenev-s-road-detour" in text
    assert len(written) == 5
    status, out, err = run("new-mod", str(tmp_path / "other"), "--character", "kamenv")
    assert status == 2
    assert err.startswith("testament: no character 'kamenv' in this story; did you mean 'kamenev'?")


@pytest.mark.parametrize("tool", [["stats"], ["playtest", "--random", "5"], ["map", "-o", "{tmp}/map.html"], ["test"]])
def test_every_tool_takes_the_bundled_campaign_plus_mod(tool, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in tool]
    status, out, err = run(*argv, "--mod", str(EXAMPLE), cwd=tmp_path)
    assert status == 0, out + err
    if tool[0] == "map":
        assert "1924-gate-trekhgorka" in (tmp_path / "map.html").read_text()
    if tool[0] == "stats":
        assert "155 scenes" in out or "scenes" in out


def test_a_mod_given_alone_is_taken_with_the_bundled_campaign(tmp_path):
    status, out, err = run("check", "--strict", str(EXAMPLE), cwd=tmp_path)
    assert status == 0, out + err
    assert err == (f"testament: {EXAMPLE} is a mod; taking it with the bundled campaign (as --mod {EXAMPLE} does)\n")
    assert out.strip().endswith("no problems")


def test_folders_for_tools():
    from game.authoring.folders import tool_folders
    assert tool_folders([], []) == [story_dir()]
    assert tool_folders([], [EXAMPLE]) == [story_dir(), EXAMPLE]
    assert tool_folders([Path("x")], [EXAMPLE]) == [Path("x"), EXAMPLE]
    assert tool_folders([EXAMPLE], []) == [story_dir(), EXAMPLE]
    err = io.StringIO()
    assert tool_folders([EXAMPLE, story_dir()], [], err) == [story_dir(), EXAMPLE]  # the wrong order, put right
    assert err.getvalue() == f"testament: {EXAMPLE} is a mod and {story_dir()} a story; reading the story first\n"


@pytest.mark.skipif(not os.environ.get("TESTAMENT_INSTALL_TEST"), reason="set TESTAMENT_INSTALL_TEST=1: builds a venv (a minute)")
def test_installed_in_a_fresh_venv_the_readme_commands_work_from_any_folder(tmp_path):  # pragma: no cover - slow
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True, cwd=tmp_path)
    testament = str(venv / "bin" / "testament")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, TESTAMENT_HOME=str(tmp_path / "home"))
    env.pop("PYTHONPATH", None)
    for argv in (["new-mod", "my-branch"], ["check", "--strict"], ["check", "--strict", "--mod", "my-branch"],
                 ["test", "--mod", "my-branch"], ["stats", "--mod", "my-branch"],
                 ["playtest", "--random", "5", "--mod", "my-branch"], ["map", "--mod", "my-branch", "-o", "m.html"]):
        done = subprocess.run([testament, *argv], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
    assert (venv / "share" / "lenins-testament" / "docs" / "story-format.md").exists()
    shutil.rmtree(venv)
