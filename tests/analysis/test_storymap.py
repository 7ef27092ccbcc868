"""The story map: every scene and ending drawn, on a time axis, with its file and line; big stories collapse."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

from game.analysis import storymap
from game.engine import load_story
from tests.conftest import FIXTURES


class Nodes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.nodes, self.edges = {}, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g" and "data-key" in a:
            self.nodes[a["data-key"]] = json.loads(a["data-info"])
        if tag == "path" and "data-a" in a:
            self.edges.append((a["data-a"], a["data-b"], a["class"]))


def parse(page: str) -> Nodes:
    p = Nodes()
    p.feed(page)
    return p


def test_every_scene_and_ending_is_drawn_with_its_place_in_the_files():
    story = load_story(FIXTURES / "remembers")
    page = parse(storymap.render(story))
    assert set(page.nodes) == set(story.scenes) | {f"ending:{e.id}" for e in story.endings}
    where = page.nodes["plenum"]["where"]
    assert re.search(r"scenes\.yaml:\d+:\d+$", where)
    assert ("corridor", "plenum", "edge choice") in page.edges
    assert any(b.startswith("ending:") for _, b, _ in page.edges)


def test_time_runs_left_to_right():
    story = load_story(FIXTURES / "remembers")
    nodes, edges, _ = storymap.build(story)
    pos, _ = storymap.layout(nodes, edges)
    assert pos["corridor"][0] <= pos["plenum"][0] < pos["list"][0] < pos["end"][0]


def test_each_character_s_reachable_scenes_are_in_the_page():
    story = load_story(FIXTURES / "playtest")
    _, _, reach = storymap.build(story)
    assert set(reach) == set(story.characters)
    for cid, keys in reach.items():
        assert story.characters[cid].start in keys


def test_a_big_story_collapses_into_clusters(tmp_path, monkeypatch):
    subprocess.run([sys.executable, "benchmarks/generate.py", str(tmp_path / "big"), "--scenes", "300"], check=True,
                   capture_output=True)
    story = load_story(tmp_path / "big")
    monkeypatch.setattr(storymap, "COLLAPSE_AT", 100)
    nodes, edges, _ = storymap.build(story)
    scenes = [n for n in nodes if not n.ending]
    assert len(scenes) < len(story.scenes) and sum(n.count for n in scenes) == len(story.scenes)
    assert "clusters" in storymap.render(story)


def test_the_command_writes_the_page(tmp_path):
    out = tmp_path / "deep" / "map.html"
    run = subprocess.run([sys.executable, "-m", "game.cli", "map", str(FIXTURES / "remembers"), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
