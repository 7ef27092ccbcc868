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
