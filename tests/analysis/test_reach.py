"""Roads to a scene: witness paths that replay, proofs of unreachability, and the reports that print them."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from game.analysis import randomplay, reach as reach_mod, report
from game.analysis.reach import REACHABLE, UNKNOWN, UNREACHABLE, find_road, reach
from game.engine import load_story, replay
from game.testruns import parse_replay, play_replay
from tests.analysis.conftest import FIXTURES


def _story(tmp_path, scenes: str, variables: str = "x: {}", characters: str = "a: {name: A, start: s}"):
    (tmp_path / "story.yaml").write_text(
        f"id: t\ntitle: T\nvariables: {{{variables}}}\ncharacters: {{{characters}}}\n"
        "endings: [{id: e, title: E, text: E.}]\nscenes:\n" + scenes)
    return load_story(tmp_path)


#: From s, ten choices set x to 0..9; only x = 9 opens the short way from the hub to the
#: target, and a long way round (three more scenes) is open to every x.
FAR = "".join(f"      - {{id: c{i}, text: C., effects: {{x: '={i}'}}, goto: hub}}\n" for i in range(10))
DETOUR = (
    "  - id: s\n    title: S\n    text: S.\n    choices:\n" + FAR +
    "  - {id: hub, title: H, text: H., choices: [{id: short, text: S., if: x == 9, goto: target},"
    " {id: long, text: L., goto: d1}]}\n"
    "  - {id: d1, title: D, text: D., choices: [{id: on, text: O., goto: d2}]}\n"
    "  - {id: d2, title: D, text: D., choices: [{id: on, text: O., goto: target}]}\n"
    "  - {id: target, title: T, text: T., choices: [{id: end, text: E., goto: fin}]}\n"
    "  - {id: fin, title: F, text: F., resolve: true}\n")


def test_a_road_is_found_and_proved_shortest(features):
    road = find_road(features, "leon", "commissar-room")
    assert road.status == REACHABLE and road.shortest
    assert road.path == (("hall", "fair-up"), ("corridor", "strong")) or len(road.path) == 2
    assert replay(features, "leon", road.path).scene == "commissar-room"


def test_a_scene_for_someone_else_is_unreachable(features):
    road = find_road(features, "lev", "commissar-room")
    assert road.status == UNREACHABLE and road.path is None and "only for leon" in road.reason


def test_the_start_scene_is_reached_with_no_choices(features):
    road = find_road(features, "lev", "hall")
    assert road.status == REACHABLE and road.path == () and road.shortest


def test_the_interval_bounds_prove_a_scene_unreachable(playtest_story):
    for who in playtest_story.characters:
        road = find_road(playtest_story, who, "secret")
        assert road.status == UNREACHABLE and road.method == "interval bounds"


def test_the_exact_search_finds_the_shortest_road_the_scene_graph_search_misses(tmp_path):
    story = _story(tmp_path, DETOUR)
    road = find_road(story, "a", "target")
    assert road.status == REACHABLE and road.shortest
    assert road.path == (("s", "c9"), ("hub", "short"))
    assert replay(story, "a", road.path).scene == "target"


def test_a_road_that_only_random_play_finds_is_a_witness_not_a_shortest(tmp_path, monkeypatch):
    story = _story(tmp_path, DETOUR.replace("{id: long, text: L., goto: d1}", "{id: long, text: L., goto: fin}"))
    monkeypatch.setattr(reach_mod, "PER_SCENE", 1)       # the scene-graph search misses it
    monkeypatch.setattr(reach_mod, "CONFIRM_STATES", 1)  # and the exact search cannot confirm it
    road = find_road(story, "a", "target")
    assert road.status == REACHABLE and road.method == "random play" and not road.shortest
    assert replay(story, "a", road.path).scene == "target"


def test_not_found_is_unknown_never_unreachable(tmp_path, monkeypatch):
    story = _story(tmp_path, DETOUR.replace("{id: long, text: L., goto: d1}", "{id: long, text: L., goto: fin}"))
    monkeypatch.setattr(reach_mod, "PER_SCENE", 1)
    road = find_road(story, "a", "target", max_states=2, runs=0)
    assert road.status == UNKNOWN and road.path is None and "state limit" in road.reason


def test_every_road_replays_to_its_scene(features, kitchen, visits_loop):
    for story in (features, kitchen, visits_loop):
        for who in story.characters:
            for sid in story.scenes:
                road = find_road(story, who, sid)
                assert road.status != UNKNOWN
                if road.path is not None:
                    assert replay(story, who, road.path).scene == sid


def test_reach_counts_the_same_runs_as_the_random_playtest(kitchen):
    result = reach(kitchen, "supper", runs=50, seed=4)
    summaries = randomplay.playtest(kitchen, 50, 4)
    for s in summaries:
        assert result.visits[s.character] == s.scene_runs.get("supper", 0) == 50
    some = next(sid for sid in kitchen.scenes if sid != "supper")
    result = reach(kitchen, some, runs=50, seed=4)
    assert result.visits == {s.character: s.scene_runs.get(some, 0) for s in summaries}


def _args(**kw):
    base = dict(random=None, seed=1, character=None, exhaustive=False, max_states=100_000, time_limit=10.0, reach=None)
    base.update(kw)
    return SimpleNamespace(**base)


def test_the_reach_report_of_one_character_is_a_replay_file(features):
    out = io.StringIO()
    assert report.playtest(features, _args(reach="commissar-room", character="leon", random=20), out) == 0
    text = out.getvalue()
    assert all(line.startswith("#") or ":" in line for line in text.splitlines())
    states = play_replay(features, parse_replay(text.encode(), "reach.txt"))
    assert states[-1].scene == "commissar-room" and states[-1].character == "leon"


def test_the_reach_report_of_all_characters_replays_one_by_one(features):
    out = io.StringIO()
    report.playtest(features, _args(reach="corridor", random=20), out)
    text = out.getvalue()
    assert "REACHABLE" in text and text.count("# character: ") == 2
    for who in ("leon", "lev"):
        assert play_replay(features, parse_replay(text.encode(), "r"), who)[-1].scene == "corridor"


def test_the_reach_report_says_why_not(playtest_story):
    out = io.StringIO()
    report.playtest(playtest_story, _args(reach="secret", random=10), out)
    text = out.getvalue()
    assert "UNREACHABLE" in text and "# character:" not in text
    assert "0/10" in text


def test_random_playtest_lists_visits_per_scene_least_visited_first(playtest_story):
    out = io.StringIO()
    report.playtest(playtest_story, _args(random=10), out)
    text = out.getvalue()
    block = text.split("Visits per scene")[1].split("\n\n")[0].splitlines()[2:]
    counts = [int(line.split()[-2 if "NEVER" not in line else -4].split("/")[0].replace(",", "")) for line in block]
    assert counts == sorted(counts) and len(block) == len(playtest_story.scenes)
    secret = next(line for line in block if line.split()[0] == "secret")
    assert "NEVER VISITED" in secret and "0/20" in secret
    hub = next(line for line in block if line.split()[0] == "hub")
    assert "20/20" in hub and "100.0%" in hub and "NEVER" not in hub


def test_visits_per_scene_count_only_the_characters_a_scene_is_for(features):
    out = io.StringIO()
    report.playtest(features, _args(random=10), out)
    line = next(x for x in out.getvalue().splitlines() if x.split()[:1] == ["commissar-room"])
    assert "/10 " in line  # leon's ten runs, not twenty


@pytest.mark.parametrize("argv, code", [
    (["playtest", str(FIXTURES / "features"), "--reach", "corridor", "--random", "5"], 0),
    (["playtest", str(FIXTURES / "features"), "--reach", "coridor"], 2),
])
def test_cli_reach(capsys, argv, code):
    from game.cli import main
    assert main(argv) == code
    captured = capsys.readouterr()
    if code == 2:
        assert "did you mean 'corridor'" in captured.err and "Traceback" not in captured.err
    else:
        assert "# character: leon" in captured.out
