"""The browser runtime (game/web/runtime.js, under node) plays every story exactly as the
Python engine does: seeded random runs compared state by state, and exact tests of the
edge cases random play rarely reaches (ties in fair rounding, clamping, every expression
node, text rendering with odd whitespace).

Without node these tests are skipped, and say so: the runtimes were then NOT compared.
The number of random runs per character can be raised with TESTAMENT_CONFORMANCE_RUNS.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
from pathlib import Path

import pytest

from game.compiled import load_checked
from game.engine import StepError, expr as E, start, step
from game.engine.model import Block, Effect, Inline, Text
from game.web.export import node as export_node, text as export_text
from tests.web import conformance as C

NODE = C.node_binary()
pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed, so the browser runtime was NOT compared with the Python engine "
                         "(install nodejs to run the conformance tests)")

ROOT = C.ROOT
FIXTURES = ROOT / "tests" / "fixtures"
#: This suite's own fixture: exact halves, clamping, a goto and reply reading their choice's effects.
EDGES = Path(__file__).resolve().parent / "fixtures" / "edges"
#: Random runs per character: the campaign and the mod, and each fixture.
CAMPAIGN_RUNS = int(os.environ.get("TESTAMENT_CONFORMANCE_RUNS", "2000"))
FIXTURE_RUNS = max(CAMPAIGN_RUNS, 2000)


def _checked(*dirs: Path):
    story, problems = load_checked(list(dirs))
    assert story is not None and not problems.errors, [str(p) for p in problems.errors]
    return story


def _fixture_stories() -> list[str]:
    """Every fixture story that passes check (the browser plays only checked stories)."""
    out = []
    for folder in sorted(FIXTURES.iterdir()):
        if (folder / "story.yaml").exists():
            story, problems = load_checked([folder])
            if story is not None and not problems.errors:
                out.append(folder.name)
    return out


def _assert_conforms(story, runs_per_character: int, seed: int, tmp_path: Path) -> dict:
    runs = C.random_runs(story, runs_per_character, seed)
    result = C.compare(story, runs, tmp_path)
    assert not result["mismatches"], "\n\n".join(result["mismatches"])
    assert result["states"] > 0
    return result


def test_the_campaign_plays_the_same_in_both_runtimes(tmp_path):
    result = _assert_conforms(_checked(ROOT / "story"), CAMPAIGN_RUNS, 1923, tmp_path)
    print(f"campaign: {result['runs']} runs, {result['states']} states, {result['errors']} step errors, 0 mismatches")


def test_the_campaign_with_the_example_mod_plays_the_same(tmp_path):
    story = _checked(ROOT / "story", ROOT / "examples" / "mods" / "factory-gate")
    _assert_conforms(story, max(CAMPAIGN_RUNS // 2, 50), 1927, tmp_path)


@pytest.mark.parametrize("name", _fixture_stories())
def test_every_fixture_plays_the_same(name, tmp_path):
    _assert_conforms(_checked(FIXTURES / name), FIXTURE_RUNS, 1924, tmp_path)


def test_the_edge_cases_play_the_same(tmp_path):
    _assert_conforms(_checked(EDGES), FIXTURE_RUNS, 1925, tmp_path)


def test_the_fixtures_compared_include_text_that_follows_the_run():
    assert {"remembers", "features", "kitchen", "visits-loop"} <= set(_fixture_stories())


# ---- exact edge cases -------------------------------------------------------------------------

def _node(script: str, data, runtime: Path = C.RUNTIME, tmp: Path | None = None):
    """Run ``script`` under node with ``rt`` (the runtime) and ``data`` defined; its result is
    what it assigns to ``out``."""
    source = (tmp or Path("/tmp")) / f"node-input-{os.getpid()}-{random.random():.12f}.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    try:
        program = (f"const rt = require({json.dumps(str(runtime))});"
                   f"const data = JSON.parse(require('fs').readFileSync({json.dumps(str(source))}, 'utf8'));"
                   f"let out = null;\n{script}\nprocess.stdout.write(JSON.stringify(out));")
        done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)
    finally:
        source.unlink(missing_ok=True)


def _effect_cases() -> list[list]:
    cases = []
    for low, high in ((0, 100), (-50, 50), (10, 20), (0, 7), (-3, 0)):
        for value in sorted({low, high, (low + high) // 2, low + 1, high - 1, low - 5, high + 5}):
            for amount in (-100, -75, -50, -33, -25, -20, -15, -10, -5, -1, 0, 1, 5, 10, 15, 20, 25, 33, 50, 75, 100):
                for op in ("+", "=", "%"):
                    cases.append([op, amount, value, low, high])
    # Every exact half: (high - value) * amount / 100 == k + 0.5 for fair effects.
    for value, amount in itertools.product(range(0, 101), (2, 6, 10, 14, 18, 30, 50, 70, 90, -2, -10, -30, -50, -90)):
        cases.append(["%", amount, value, 0, 100])
    return cases


def _python_effects(cases):
    return [Effect("v", 0, op, amount).apply(value, low, high) for op, amount, value, low, high in cases]


def test_effects_round_and_clamp_exactly_as_python(tmp_path):
    cases = _effect_cases()
    ties = [c for c in cases if c[0] == "%" and (((c[4] - c[2]) if c[1] >= 0 else (c[2] - c[3])) * c[1]) % 100 == 50]
    assert len(ties) > 100, "the grid must include many exact halves"
    js = _node("out = data.map(c => rt.applyEffect(c[0], c[1], c[2], c[3], c[4]));", cases, tmp=tmp_path)
    assert js == _python_effects(cases)


def test_python_round_is_bankers_rounding_in_the_runtime(tmp_path):
    xs = [k / 2 for k in range(-21, 22)] + [0.49999999999999994, -0.49999999999999994, 2.675, -2.675, 1e15 + 0.5]
    assert _node("out = data.map(rt.pyRound);", xs, tmp=tmp_path) == [round(x) for x in xs]


def test_breaking_the_rounding_rule_is_caught(tmp_path):
    """The harness is sensitive: a runtime that rounds halves up (JavaScript's own
    Math.round) disagrees with Python on the grid."""
    source = C.RUNTIME.read_text(encoding="utf-8")
    broken = source.replace("if (r - x === 0.5 && r % 2 !== 0) r -= 1;", "")
    assert broken != source
    mutant = tmp_path / "runtime-mutant.js"
    mutant.write_text(broken, encoding="utf-8")
    cases = _effect_cases()
    js = _node("out = data.map(c => rt.applyEffect(c[0], c[1], c[2], c[3], c[4]));", cases, mutant, tmp_path)
    assert sum(a != b for a, b in zip(js, _python_effects(cases))) > 10


def test_breaking_the_goto_rule_is_caught_by_random_runs(tmp_path):
    """A runtime whose computed goto read the state before the choice's effects fails the
    random-run comparison on the fixture that tests it."""
    source = C.RUNTIME.read_text(encoding="utf-8")
    broken = source.replace("var probe = { character: state.character, values: values, flags: flags,",
                            "var probe = { character: state.character, values: state.values, flags: state.flags,")
    assert broken != source
    mutant = tmp_path / "runtime.js"
    mutant.write_text(broken, encoding="utf-8")
    story = _checked(EDGES)
    runs = C.random_runs(story, 300, 5)
    original = C.RUNTIME
    try:
        C.RUNTIME = mutant
        result = C.compare(story, runs, tmp_path, documents=0)
    finally:
        C.RUNTIME = original
    assert result["mismatches"]


# Every node kind of the expression language, over states that make each side true and false.
_VARIABLES = {"army": 0, "moscow": 1, "workers": 2}
_EXPRESSIONS = [
    "army >= 60", "army > 60", "army <= 60", "army < 60", "army == 60", "army != 60",
    "army + moscow > 100", "army - moscow >= 0", "-army < -50", "army - -5 > 60", "0 - army + 100 == moscow",
    "purged", "not purged", "purged and exiled", "purged or exiled", "not (purged or exiled)",
    "true", "false", "not true", "true and purged", "false or exiled",
    'character == "trotsky"', 'character != "trotsky"', '"a" == "a"', '"a" != "b"',
    "visits(congress) > 0", "visits(congress) == 2", "visits(never-seen) == 0", "visits(congress) + army > 61",
    "(army >= 60 and purged) or (workers < 10 and not exiled)",
    "army >= 60 and moscow >= 40 and workers >= 20 and not purged and not exiled",
    "army == moscow", "army + moscow + workers - 100 >= 50",
]


def _states():
    rng = random.Random(3)
    out = []
    for _ in range(300):
        out.append({"character": rng.choice(["trotsky", "zinoviev"]),
                     "values": [rng.choice([0, 10, 59, 60, 61, 100]) for _ in range(3)],
                     "flags": sorted(f for f in ("purged", "exiled") if rng.random() < 0.5),
                     "visits": {k: n for k, n in (("congress", rng.choice([0, 1, 2])),) if n}})
    return out


class _S:
    def __init__(self, d):
        self.character, self.values, self.flags, self.visits = d["character"], d["values"], frozenset(d["flags"]), d["visits"]


def test_every_expression_node_evaluates_as_python(tmp_path):
    trees = [E.parse(src, _VARIABLES)[0] for src in _EXPRESSIONS]
    kinds = {type(n).__name__ for t in trees for n in E.walk(t)}
    assert kinds == {"Num", "Str", "Bool", "Var", "Flag", "CharacterRef", "Visits", "Not", "BoolOp", "Arith", "Compare"}
    states = _states()
    expected = [[E.compile_node(t)(_S(s)) for s in states] for t in trees]
    js = _node("""
        out = data.trees.map(t => { const f = rt.compileNode(t);
          return data.states.map(s => f({character: s.character, values: s.values, flags: new Set(s.flags),
                                         visits: new Map(Object.entries(s.visits))})); });""",
               {"trees": [export_node(t) for t in trees], "states": states}, tmp=tmp_path)
    assert js == expected


def _cond(src: str) -> E.Condition:
    return E.make_condition(src, _VARIABLES)


def test_text_renders_exactly_as_python_with_odd_whitespace(tmp_path):
    odd = " \t\x1c\x85\u00a0\u2003\ufeff"
    texts = [
        Text.plain(f"{odd}kept as written{odd}"),                    # the one-block fast path: not stripped
        Text((Block((f"{odd}a{odd}",)), Block(("",)), Block(("b",), _cond("purged"), None, (f"{odd}not b",))), {}, "\n\n"),
        Text((Block(("x", Inline(_cond("army >= 60"), " strong", " weak"), "."), None, frozenset({"trotsky"}),
                    ("other",)),), {}, " "),
        Text((Block(("default",)),), {"zinoviev": (Block(("z1",)), Block((Inline(_cond("not exiled"), "", "gone"),)))}),
        Text(),
        Text((Block((Inline(_cond("exiled"), "\u2028only\u2028", ""),)),), {}, "\n\n"),
    ]
    states = _states()
    expected = [[t.render(_S(s)) for s in states] for t in texts]
    js = _node("""
        out = data.texts.map(t => { const c = rt.compileText(t);
          return data.states.map(s => rt.render(c, {character: s.character, values: s.values, flags: new Set(s.flags),
                                                     visits: new Map(Object.entries(s.visits))})); });""",
               {"texts": [export_text(t, "test") for t in texts], "states": states}, tmp=tmp_path)
    assert js == expected


def test_an_unknown_export_version_is_refused(tmp_path):
    from game.web.export import export_story
    data = export_story(_checked(FIXTURES / "kitchen"))
    from game.web.export import FORMAT_VERSION
    assert data["version"] == FORMAT_VERSION
    for version in (99, FORMAT_VERSION - 1):
        data["version"] = version
        message = _node("try { rt.loadStory(data); out = 'loaded'; } catch (e) { out = e.message; }", data, tmp=tmp_path)
        assert f"version {version}" in message and f"plays version {FORMAT_VERSION} only" in message
    data["format"] = "something-else"
    assert "not a story export" in _node("try { rt.loadStory(data); out = 'loaded'; } catch (e) { out = e.message; }",
                                         data, tmp=tmp_path)


def test_start_and_step_errors_say_the_same(tmp_path):
    from game.engine import StepError, start, step
    from game.web.export import export_story
    story = _checked(FIXTURES / "kitchen")
    try:
        start(story, "lenin")
    except StepError as exc:
        python = str(exc)
    ended = start(story, "kamenev")
    for move in ("agree",):
        ended = step(story, ended, move)
    js = _node("""
        const story = rt.loadStory(data);
        const msgs = [];
        try { rt.start(story, 'lenin'); } catch (e) { msgs.push(e.message); }
        let s = rt.start(story, 'kamenev'); s = rt.step(story, s, 'agree');
        try { rt.step(story, s, 'wait'); } catch (e) { msgs.push(e.message); }
        out = msgs;""", export_story(story), tmp=tmp_path)
    try:
        step(story, ended, "wait")
    except StepError as exc:
        python_ended = str(exc)
    assert js == [python, python_ended]


# ---- chapters and the class report's record ------------------------------------------------

def test_chapters_begin_where_python_begins_them(tmp_path):
    """Chapter select replays the documented historical path to the chapter's first scene:
    the same states in both runtimes for every character and year, and the same refusals."""
    from game.classroom import historical
    from game.web.export import export_story
    for dirs in ([ROOT / "story"], [ROOT / "story", ROOT / "examples" / "mods" / "factory-gate"], [FIXTURES / "kitchen"]):
        story = _checked(*dirs)
        years = list(historical.chapters(story)) + [1900]
        expected = {}
        for character in story.characters:
            for year in years:
                try:
                    states = historical.chapter_start(story, character, year)
                except historical.ChapterError:
                    expected[f"{character} {year}"] = "refused"
                else:
                    expected[f"{character} {year}"] = [[list(p) for p in s.path] for s in states]
        js = _node("""
            const story = rt.loadStory(data.story);
            out = {};
            for (const c of story.characters.keys()) for (const y of data.years) {
              try { out[c + ' ' + y] = rt.chapterStart(story, c, y).map((s) => rt.pathOf(s)); }
              catch (e) { if (!(e instanceof rt.ChapterError)) throw e; out[c + ' ' + y] = 'refused'; }
            }""", {"story": export_story(story), "years": years}, tmp=tmp_path)
        assert js == expected, dirs
        if dirs[0].name == "story":
            assert all(v != "refused" for k, v in expected.items() if not k.endswith("1900"))


def test_the_students_name_is_read_back_by_the_class_report(tmp_path):
    """The page writes the name on the Student line; game.classroom.record reads it back,
    and the rest of the file is the engine's transcript file byte for byte."""
    from game.classroom import record
    from game.classroom.transcript import transcript_file
    from game.engine import replay
    from game.web.export import export_story
    story = _checked(ROOT / "story")
    runs = C.random_runs(story, 3, 11)
    finals = []
    for run in runs:
        state = start(story, run["character"])
        for move in run["moves"]:
            try:
                state = step(story, state, move)
            except StepError:
                pass
        finals.append(state)
    final = next(s for s in finals if s.ending is not None)
    names = ["Anna Petrovna", "  Ivan\tIvanovich\n Smirnov ", "*Olga*", "\u202eevil\u202c name", "Ё" * 120, "", "a\x00b"]
    now = C.NOW
    js = _node("""
        const story = rt.loadStory(data.story);
        const s = rt.replay(story, data.character, data.path);
        out = data.names.map((n) => [rt.transcriptFile(story, s, data.notes, new Date(2024, 4, 1, 12, 34, 56), n), rt.studentName(n)]);""",
               {"story": export_story(story), "character": final.character, "path": [list(p) for p in final.path],
                "names": names, "notes": []}, tmp=tmp_path)
    python = transcript_file(story, replay(story, final.character, list(final.path)), [], now)
    assert js[names.index("")][0] == python
    for name, (text, written) in zip(names, js):
        assert text == python.replace("\n**Student:** \n", f"\n**Student:** {written}\n", 1)
        read = record.parse(text)
        assert read.student == written and read.path == tuple(final.path) and read.ending == final.ending
        assert "\n" not in written and len(written) <= record.MAX_NAME
    assert [w for _, w in js][:3] == ["Anna Petrovna", "Ivan Ivanovich Smirnov", "Olga"]


def test_the_class_report_counts_transcripts_written_by_the_page(tmp_path, capsys):
    """Finished and unfinished runs written by the page are read, replayed and counted by
    ``testament class-report``, each under the name typed in the page."""
    from game.cli import main
    from game.web.export import export_story
    story = _checked(ROOT / "story")
    folder = tmp_path / "class"
    folder.mkdir()
    written = _node("""
        const story = rt.loadStory(data.story);
        out = [];
        let n = 0;
        for (const c of story.characters.keys()) {
          let s = rt.start(story, c), k = 0;
          while (s.ending === null && (n % 2 === 0 || k < 6)) { const a = rt.available(story, s); s = rt.step(story, s, a[(k++ * 5 + n) % a.length]); }
          const notes = rt.pathOf(s).slice(0, 2).map((p) => p[0]);
          out.push([c, rt.transcriptFile(story, s, notes, new Date(2024, 4, 1, 9, 0, n), 'Student ' + (++n))]);
        }""", {"story": export_story(story)}, tmp=tmp_path)
    for character, text in written:
        (folder / f"{character}.md").write_text(text, encoding="utf-8")
    report = tmp_path / "report.html"
    assert main(["class-report", str(folder), "-o", str(report)]) == 0
    assert f"{len(written)} transcript(s) read, 0 set aside" in capsys.readouterr().out
    page = report.read_text(encoding="utf-8")
    assert all(f"Student {n}" in page for n in range(1, len(written) + 1))
