"""Hostile story files: each gets one clear located message, in bounded time and memory."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from game.engine.loader import read_story

MANIFEST = "id: h\ntitle: H\nfiles: [s.yaml]\ncharacters: {a: {name: A, start: s}}\n"


def problems_for(tmp_path, scene_bytes: bytes, manifest: str = MANIFEST) -> list[str]:
    (tmp_path / "story.yaml").write_text(manifest)
    (tmp_path / "s.yaml").write_bytes(scene_bytes)
    story, problems = read_story([tmp_path])
    assert story is None
    return [str(p) for p in problems.errors]


def test_yaml_syntax_error_is_located(tmp_path):
    found = problems_for(tmp_path, b"scenes:\n  - id: s\n    text: [unclosed\n")
    assert any("s.yaml:" in f and "YAML syntax" in f for f in found)


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!custom thing"])
def test_code_tags_are_refused(tmp_path, tag):
    found = problems_for(tmp_path, f"scenes:\n  - id: s\n    text: {tag}\n".encode())
    assert any("s.yaml:3:" in f and "not allowed" in f for f in found), found


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    lines.append("scenes: *a9")
    found = problems_for(tmp_path, "\n".join(lines).encode())
    assert any("alias bomb" in f for f in found)


def test_deep_nesting_is_refused_without_crashing(tmp_path):
    found = problems_for(tmp_path, b"scenes: " + b"[" * 100_000 + b"]" * 100_000)
    # Refused with a location in the file; the wording may come from libyaml or from us.
    assert any(re.match(r".*[/\\]s\.yaml:\d+:\d+: ", f) for f in found), found


def test_non_utf8_byte_is_located(tmp_path):
    found = problems_for(tmp_path, "scenes:\n  - id: s\n    text: caf\u00e9\n".encode("latin-1"))
    assert any("s.yaml:3:14:" in f and "not UTF-8" in f for f in found), found


def test_empty_file(tmp_path):
    assert any("file is empty" in f for f in problems_for(tmp_path, b"  \n"))


def test_huge_file_is_refused_unread(tmp_path):
    with open(tmp_path / "big.yaml", "wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    found = problems_for(tmp_path, b"scenes: []\n", MANIFEST.replace("[s.yaml]", "[s.yaml, big.yaml]"))
    assert any("big.yaml" in f and "at most 8 MB" in f for f in found)


@pytest.mark.parametrize("path", ["../outside.yaml", "/etc/passwd", "sub/../../outside.yaml"])
def test_include_outside_the_folder_is_refused(tmp_path, path):
    story_dir = tmp_path / "story"
    story_dir.mkdir()
    (tmp_path / "outside.yaml").write_text("scenes: []\n")
    found = problems_for(story_dir, b"scenes: []\n", MANIFEST.replace("[s.yaml]", f"[s.yaml, '{path}']"))
    assert any("leads outside the story folder" in f for f in found)


def test_symlink_outside_the_folder_is_refused(tmp_path):
    story_dir = tmp_path / "story"
    story_dir.mkdir()
    (tmp_path / "outside.yaml").write_text("scenes: []\n")
    (story_dir / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    found = problems_for(story_dir, b"scenes: []\n", MANIFEST.replace("[s.yaml]", "[s.yaml, link.yaml]"))
    assert any("leads outside the story folder" in f for f in found)


def test_manifest_that_is_not_a_mapping(tmp_path):
    (tmp_path / "story.yaml").write_text("- just\n- a list\n")
    story, problems = read_story([tmp_path])
    assert story is None and "the manifest must be a mapping" in str(problems.items[0])


def test_missing_folder():
    story, problems = read_story(["/nonexistent/story"])
    assert story is None and "story.yaml" in str(problems.items[0])


@pytest.mark.parametrize("content", [
    b"scenes: " + b"[" * 100_000,
    b"\xff\xfe\x00garbage",
    b"scenes:\n  - !!python/object/apply:os.system ['true']\n",
])
def test_cli_never_shows_a_traceback(tmp_path, content):
    (tmp_path / "story.yaml").write_text(MANIFEST)
    (tmp_path / "s.yaml").write_bytes(content)
    run = subprocess.run([sys.executable, "-m", "game.cli", "check", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    assert "s.yaml:" in run.stdout


# ---- values PyYAML's constructors reject: a located error, never their exception ----------

@pytest.mark.parametrize("value", ["!!int abc", "!!int", "!!int ''", "!!float abc", "!!float", "!!bool maybe",
                                   "!!bool", "!!timestamp garbage", "!!timestamp 2023-02-30", "!!timestamp",
                                   "!!map text", "!!seq text", "!!int 0b", "!!int 0x", "!!float ._"])
def test_a_typed_value_that_cannot_be_constructed_is_located(tmp_path, value):
    found = problems_for(tmp_path, f"scenes:\n  - id: s\n    title: {value}\n".encode())
    assert any(re.match(r".*[/\\]s\.yaml:3:12: ", f) for f in found), found


# ---- numbers beyond the bound, anywhere: refused by digit count, with a location ---------

HUGE = "9" * 5000


@pytest.mark.parametrize("where, text, line", [
    ("a title", f"scenes:\n  - id: s\n    title: {HUGE}\n", 3),
    ("a key", f"scenes:\n  - id: s\n    ? {HUGE}\n    : x\n", 3),  # explicit: libyaml limits implicit keys
    ("a hex int", "scenes:\n  - id: s\n    title: !!int 0x" + "f" * 5000 + "\n", 3),
    ("a typed float", "scenes:\n  - id: s\n    title: !!float 1" + "0" * 5000 + "\n", 3),
    ("a plain float", "scenes:\n  - id: s\n    title: 1.5e400\n", 3),
    ("an infinity", "scenes:\n  - id: s\n    title: !!float .inf\n", 3),
    ("a number just past the bound", "scenes:\n  - id: s\n    title: 1_000_000_001\n", 3),
    ("a condition", f"scenes:\n  - id: s\n    choices: [{{id: c, text: C, goto: s, if: 'x > {HUGE}'}}]\n", 3),
    ("an effect string", f"scenes:\n  - id: s\n    choices: [{{id: c, text: C, goto: s, effects: {{x: '+{HUGE}'}}}}]\n", 3),
    ("an effect number", f"scenes:\n  - id: s\n    choices: [{{id: c, text: C, goto: s, effects: {{x: {HUGE}}}}}]\n", 3),
])
def test_numbers_of_thousands_of_digits_are_refused_where_they_are(tmp_path, where, text, line):
    manifest = MANIFEST + "variables: {x: {}}\n"
    found = problems_for(tmp_path, text.encode(), manifest)
    assert any(re.match(rf".*[/\\]s\.yaml:{line}:\d+: .*(too big|at most)", f) for f in found), (where, found)


def test_the_bound_itself_is_a_number_like_any_other(tmp_path):
    (tmp_path / "story.yaml").write_text(
        "id: h\ntitle: H\nvariables: {x: {min: -1000000000, max: 1_000_000_000, start: 0}}\n"
        "characters: {a: {name: A, start: s}}\nendings: [{id: e, title: E, text: E.}]\n"
        "scenes:\n  - {id: s, title: S, text: S., choices: [{id: c, text: C., goto: t, if: x < 1000000000,"
        " effects: {x: '%+100'}}]}\n  - {id: t, title: T, text: T., resolve: true}\n")
    story, problems = read_story([tmp_path])
    assert story is not None, [str(p) for p in problems.errors]
    assert story.variables[0].max == 10**9


# ---- expressions: bounded in length and depth, a located message, never RecursionError ---

@pytest.mark.parametrize("condition", [
    "(" * 130 + "x > 1" + ")" * 130,
    " and ".join(["x > 1"] * 1000),
    " or ".join(["x > 1"] * 1000),
    "not " * 1000 + "x > 1",
    "not " * 200 + "x > 1",
    "x" + " + x" * 400 + " > 1",
    "- " * 300 + "x > 1",
    "x > " + "(" * 100 + "1" + ")" * 100,
])
def test_deep_and_long_expressions_are_refused_with_a_location(tmp_path, condition):
    text = f"scenes:\n  - id: s\n    choices:\n      - {{id: c, text: C, goto: s, if: '{condition}'}}\n"
    found = problems_for(tmp_path, text.encode(), MANIFEST + "variables: {x: {}}\n")
    assert any(re.match(r".*[/\\]s\.yaml:4:\d+: in 'if': ", f) for f in found), found


# ---- characters YAML forbids: line and column, not libyaml's character offset --------------

@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\x7f", "\x08", "\ufffe"])
def test_control_characters_are_located_by_line_and_column(tmp_path, char):
    found = problems_for(tmp_path, f"scenes:\n  - id: s\n    title: ab{char}c\n".encode())
    assert any(re.match(r".*[/\\]s\.yaml:3:1[34]: ", f) for f in found), found


# ---- a goto list whose arms are not mappings ------------------------------------------------

@pytest.mark.parametrize("goto", ["[{to: s}, 5]", "[{to: s}, null]", "[s]", "[[s]]", "[{to: s}, gift]", "[{to: ''}]"])
def test_goto_arms_that_are_not_mappings_are_located_errors(tmp_path, goto):
    text = f"scenes:\n  - id: s\n    choices:\n      - {{id: c, text: C, goto: {goto}}}\n"
    found = problems_for(tmp_path, text.encode())
    assert any(re.match(r".*[/\\]s\.yaml:4:\d+: ", f) for f in found), found


# ---- a story's files share one budget -------------------------------------------------------

def test_many_files_each_under_the_limits_cannot_exhaust_memory_together(tmp_path, monkeypatch):
    from game.engine import yamlsource
    monkeypatch.setattr(yamlsource, "MAX_STORY_NODES", 2_000)  # the same rule, at a size a test can afford
    monkeypatch.setattr(yamlsource.ReadBudget.__init__, "__defaults__", (yamlsource.MAX_STORY_BYTES, 2_000))
    names = [f"f{i}.yaml" for i in range(5)]
    (tmp_path / "story.yaml").write_text(MANIFEST.replace("[s.yaml]", "[" + ", ".join(names) + "]"))
    for name in names:
        (tmp_path / name).write_text("scenes: [" + ", ".join(["{}"] * 600) + "]\n")
    story, problems = read_story([tmp_path])
    assert story is None
    assert any("together" in p.message and p.location.line for p in problems.errors), problems.errors


def test_did_you_mean_stops_suggesting_when_a_load_has_compared_enough_names(tmp_path, monkeypatch):
    """Thousands of misspelt names against thousands of scenes cost quadratic time in hints:
    one load compares a bounded number of names, so the first errors get hints, later ones none."""
    from game.engine import loader
    monkeypatch.setattr(loader, "HINT_COMPARISONS", 100)
    scenes = "".join(f"  - {{id: scene-{i}, text: S, choices: [{{id: c, text: C, goto: scene-{i + 1}x}}]}}\n" for i in range(30))
    found = problems_for(tmp_path, ("scenes:\n" + scenes).encode(), MANIFEST.replace("start: s", "start: scene-0"))
    missing = [f for f in found if "which does not exist" in f]
    hinted = [f for f in missing if "did you mean" in f]
    assert len(missing) == 30 and 0 < len(hinted) < 10, (len(missing), len(hinted))


@pytest.mark.parametrize("manifest, message", [
    ("id: x\ntitle: X\ncharacters: {a: {name: A, start: s}}\nscenes: [{id: s, title: S, text: S., resolve: true}]\n",
     "declares no endings"),
    ("id: x\ntitle: X\nscenes: [{id: s, title: S, text: S., resolve: true}]\nendings: [{id: e, title: E, text: E.}]\n",
     "no characters"),
])
def test_problems_of_the_whole_story_name_its_manifest(tmp_path, manifest, message):
    (tmp_path / "story.yaml").write_text(manifest)
    story, problems = read_story([tmp_path])
    assert story is None
    assert [p.location.path for p in problems.errors if message in p.message] == [str(tmp_path / "story.yaml")]
