"""Reading a save: the page refuses exactly the files ``game/saves.py`` refuses, with the
same words, and restores the others to the same run.

``runtime.js`` reads a save with a port of Python's own JSON scanner (with the hooks of
``saves.read_document``: a number of more than 30 digits, a fraction of more than 40
characters, NaN and Infinity are damage), so a file is judged the same in the browser and
on the desktop: crafted edge cases and a few thousand seeded mutants of real saves (bytes
cut, inserted, replaced) are read by both and every outcome compared.

One band is left out on purpose: nesting between ``MAX_NESTING`` (500, where the page
refuses) and Python's recursion limit (about 990, less the depth ``read_document`` is
called at, so no fixed number), where the desktop reads what the page refuses. No save
nests more than three deep.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from game import saves
from game.compiled import load_checked
from game.engine import start, step
from game.engine.play import available
from game.web.export import export_story
from tests.web import conformance as C

NODE = C.node_binary()
pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed, so the page's reading of saves was NOT compared with game/saves.py")

ROOT = C.ROOT
#: Where the page starts refusing nesting (runtime.js MAX_NESTING); Python's limit is higher but not fixed.
PAGE_NESTING = 500

_READ = r"""
const rt = require(process.argv[1]);
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const story = rt.loadStory(input.story);
const out = input.files.map((name) => {
  try {
    const doc = rt.readSaveBytes(new Uint8Array(fs.readFileSync(name)), name);
    const loaded = rt.loadDocument(story, doc, name);
    return ["ok", loaded.state.character, rt.pathOf(loaded.state), loaded.problem];
  } catch (e) {
    if (!(e instanceof rt.SaveError)) return ["crash", String(e && e.stack || e)];
    return ["error", e.message];
  }
});
process.stdout.write(JSON.stringify(out));
"""


def _python(path: Path, story) -> list:
    try:
        loaded = saves.load(path, story)
    except saves.SaveError as exc:
        return ["error", str(exc)]
    return ["ok", loaded.state.character, [list(p) for p in loaded.state.path], loaded.problem]


def _compare(story, files: list[Path], tmp: Path) -> list[str]:
    source = tmp / "read-input.json"
    source.write_text(json.dumps({"story": export_story(story), "files": [str(f) for f in files]}), encoding="utf-8")
    done = subprocess.run([NODE, "-e", _READ, str(C.RUNTIME), str(source)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    js = json.loads(done.stdout)
    problems = []
    for f, theirs in zip(files, js):
        mine = _python(f, story)
        if mine != theirs:
            problems.append(f"{f.name} ({f.read_bytes()[:160]!r}...):\n  python: {mine!r}\n  js:     {theirs!r}")
    return problems


def _played(story, character: str, moves: int, seed: int):
    rng = random.Random(seed)
    state = start(story, character)
    for _ in range(moves):
        if state.ending is not None:
            break
        state = step(story, state, rng.choice(available(story, state)))
    return state


def _crafted(good: str) -> dict[str, bytes]:
    """Edge cases by name: each a small change to the good save ``good``."""
    doc = json.loads(good)
    first = next(iter(doc["state"]["values"]))

    def with_(**changes) -> bytes:
        d = json.loads(good)
        for key, value in changes.items():
            d[key] = value
        return json.dumps(d, indent=1).encode("utf-8")

    def raw(old: str, new: str) -> bytes:
        assert old in good, old
        return good.replace(old, new, 1).encode("utf-8")

    value_text = f'"{first}": {doc["state"]["values"][first]}'
    cases = {
        "good": good.encode("utf-8"),
        "digits-30": raw(value_text, f'"{first}": {"9" * 30}'),
        "digits-31": raw(value_text, f'"{first}": {"9" * 31}'),
        "digits-31-negative": raw(value_text, f'"{first}": -{"1" * 31}'),
        "digits-5000": raw(value_text, f'"{first}": {"7" * 5000}'),
        "digits-31-after-an-error": raw(value_text, f'"{first}": 1 2 {"9" * 31}'),
        "digits-31-in-a-label": raw('"label": ', '"label": ' + "1" * 31 + ', "x": '),
        "fraction-40": raw(value_text, f'"{first}": 1.{"5" * 38}'),
        "fraction-41": raw(value_text, f'"{first}": 1.{"5" * 39}'),
        "fraction-huge": raw(value_text, f'"{first}": 1e400'),
        "fraction-equal": raw(value_text, f'"{first}": {doc["state"]["values"][first]}.0'),
        "true-for-a-number": raw(value_text, f'"{first}": true'),
        "nan": raw(value_text, f'"{first}": NaN'),
        "infinity": raw(value_text, f'"{first}": Infinity'),
        "minus-infinity": raw(value_text, f'"{first}": -Infinity'),
        "format-1.0": raw('"format": 1,', '"format": 1.0,'),
        "format-1e0": raw('"format": 1,', '"format": 1E0,'),
        "format-true": raw('"format": 1,', '"format": true,'),
        "format-text": raw('"format": 1,', '"format": "1",'),
        "format-long-text": raw('"format": 1,', '"format": "' + "\u00e9" * 50 + '",'),
        "format-list": raw('"format": 1,', '"format": [1],'),
        "format-dict": raw('"format": 1,', '"format": {"a": 1},'),
        "format-null": raw('"format": 1,', '"format": null,'),
        "format-2": raw('"format": 1,', '"format": 2,'),
        "format-0": raw('"format": 1,', '"format": 0,'),
        "format-minus-1": raw('"format": 1,', '"format": -1,'),
        "format-minus-0": raw('"format": 1,', '"format": -0,'),
        "format-big": raw('"format": 1,', '"format": 123456789012345678901234567890,'),
        "format-fraction": raw('"format": 1,', '"format": 1.5e300,'),
        "format-tiny": raw('"format": 1,', '"format": 1e-7,'),
        "no-format": with_(format=None).replace(b'"format": null,', b""),
        "no-path": raw('"path": [', '"paths": ['),
        "path-not-a-list": with_(path={"a": 1}),
        "path-step-of-three": with_(path=[["a", "b", "c"]]),
        "path-step-number": with_(path=[["a", 1]]),
        "character-number": with_(character=5),
        "character-unknown": with_(character="lenin"),
        "character-proto": with_(character="__proto__"),
        "story-other": with_(story={"id": "another", "version": "1"}),
        "story-not-a-dict": with_(story=["x"]),
        "story-id-number": with_(story={"id": 7}),
        "version-true": with_(story={**doc["story"], "version": True}),
        "version-float": with_(story={**doc["story"], "version": 2.5}),
        "version-big": with_(story={**doc["story"], "version": 10 ** 20}),
        "version-list": with_(story={**doc["story"], "version": [1]}),
        "values-differ": with_(state={**doc["state"], "values": {**doc["state"]["values"], first: -12345}}),
        "values-as-list": with_(state={**doc["state"], "values": [1, 2]}),
        "values-extra": with_(state={**doc["state"], "values": {**doc["state"]["values"], "extra": 1}}),
        "values-differ-other-version": with_(story={**doc["story"], "version": "0"},
                                             state={**doc["state"], "values": {first: 1}}),
        "state-not-a-dict": with_(state=3),
        "proto-key": raw('"format": 1,', '"format": 1, "__proto__": {"format": 2},'),
        "duplicate-keys": raw('"format": 1,', '"format": 2, "format": 1,'),
        "path-does-not-fit": with_(path=doc["path"][:1] + [["nowhere", "nothing"]] + doc["path"][1:]),
        "path-empty": with_(path=[]),
        **{f"version-{name}-path-does-not-fit": with_(story={**doc["story"], "version": v},
                                                       path=doc["path"][:1] + [["nowhere", "nothing"]])
           for name, v in (("true", True), ("float", 2.5), ("big", 10 ** 20), ("e16", 1e16), ("tiny", 1e-5),
                           ("text", "v\u00e9" * 60), ("null", None), ("list", [1]))},
        "bom": b"\xef\xbb\xbf" + good.encode("utf-8"),
        "not-utf8": good.encode("utf-8").replace(b'"format"', b'"f\xffrmat"', 1),
        "surrogate-bytes": good.encode("utf-8").replace(b'"label": "', b'"label": "\xed\xa0\x80', 1),
        "latin1": good.replace('"label": "', '"label": "\u00e9', 1).encode("latin-1", "replace"),
        "control-in-string": raw('"label": "', '"label": "\x01'),
        "tab-in-string": raw('"label": "', '"label": "\t'),
        "bad-escape": raw('"label": "', '"label": "\\x'),
        "short-u-escape": raw('"label": "', '"label": "\\u12'),
        "bad-u-escape": raw('"label": "', '"label": "\\u12g4'),
        "lone-surrogate-escape": raw('"label": "', '"label": "\\ud800'),
        "surrogate-pair-escape": raw('"label": "', '"label": "\\ud83d\\ude00'),
        "surrogate-then-bad": raw('"label": "', '"label": "\\ud83d\\uzz00'),
        "astral-then-error": raw('"label": "', '"label": "\U0001f600\U0001f600", x "'),
        "astral-key-then-error": raw('"format": 1,', '"\U0001f600": 1 "format": 1,'),
        "unterminated": good[: good.index('"label": "') + 12].encode("utf-8"),
        "trailing-garbage": (good + "x").encode("utf-8"),
        "trailing-space": (good + " \n\t\r").encode("utf-8"),
        "trailing-comma-object": raw('"format": 1,', '"format": 1,,'),
        "trailing-comma-array": raw('"path": [', '"path": [,'),
        "empty": b"",
        "spaces": b"   \n",
        "just-a-number": b"1",
        "a-list": b"[1, 2]",
        "unicode-digit": raw('"format": 1,', '"format": 1\u0663,'),
        "leading-zero": raw('"format": 1,', '"format": 01,'),
        "minus-alone": raw('"format": 1,', '"format": -,'),
        "exponent-alone": raw('"format": 1,', '"format": 1e,'),
        "point-alone": raw('"format": 1,', '"format": 1.,'),
        "nested-60": raw('"label": ', '"deep": ' + "[" * 60 + "]" * 60 + ', "label": '),
        "nested-3000": raw('"label": ', '"deep": ' + "[" * 3000 + "]" * 3000 + ', "label": '),
        "nested-3000-objects": raw('"label": ', '"deep": ' + '{"a":' * 3000 + "1" + "}" * 3000 + ', "label": '),
        "nul": b"\x00",
        "keyword-cut": b'{"format": tru',
        "null-cut": b'{"format": nul',
    }
    return cases


_ALPHABET = ' {}[]",:0123456789-+.eE\\u\n\tatrfnlsNI\u00e9\U0001f600\x01'


def _mutants(good: str, n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = good
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            i = rng.randrange(len(text) + 1)
            kind = rng.random()
            if kind < 0.3:
                text = text[:i] + text[i + 1:]
            elif kind < 0.6:
                text = text[:i] + rng.choice(_ALPHABET) + text[i:]
            elif kind < 0.85:
                text = text[:i] + rng.choice(_ALPHABET) + text[i + 1:]
            else:
                text = text[:i]
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.05:  # a byte no UTF-8 holds
            j = rng.randrange(len(data) + 1)
            data = data[:j] + bytes([rng.choice((0x80, 0xc3, 0xff, 0xed))]) + data[j:]
        out.append(data)
    return out


def _write(tmp: Path, cases: dict[str, bytes]) -> list[Path]:
    files = []
    for name, data in cases.items():
        f = tmp / f"{name}.json"
        f.write_bytes(data)
        files.append(f)
    return files


@pytest.fixture(scope="module")
def kitchen():
    story, problems = load_checked([ROOT / "tests" / "fixtures" / "kitchen"])
    assert story is not None and not problems.errors
    return story


@pytest.fixture(scope="module")
def campaign():
    story, problems = load_checked([ROOT / "story"])
    assert story is not None and not problems.errors
    return story


def _good(story, character: str, moves: int, seed: int, label: str = "a save \u2713 \U0001f600") -> str:
    state = _played(story, character, moves, seed)
    return saves.encode(saves.to_document(story, state, label, C.NOW)).decode("utf-8")


def test_a_number_of_more_than_30_digits_is_damage_in_the_page_too(campaign, tmp_path):
    good = _good(campaign, "zinoviev", 8, 1)
    cases = _crafted(good)
    files = _write(tmp_path, {k: cases[k] for k in ("good", "digits-30", "digits-31", "digits-31-negative", "digits-5000")})
    assert _compare(campaign, files, tmp_path) == []
    assert _python(files[2], campaign) == ["error", f"{files[2]}: damaged, not a readable save: it holds a number of "
                                                     "31 digits, longer than any save holds"]
    assert _python(files[1], campaign)[0] == "ok"


def test_breaking_the_digit_rule_is_caught(campaign, tmp_path, monkeypatch):
    """A page that took numbers of any length (as JSON.parse does) fails the comparison."""
    source = C.RUNTIME.read_text(encoding="utf-8")
    broken = source.replace("var MAX_DIGITS = 30;", "var MAX_DIGITS = 100000;")
    assert broken != source
    mutant = tmp_path / "runtime.js"
    mutant.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(C, "RUNTIME", mutant)
    cases = _crafted(_good(campaign, "zinoviev", 8, 1))
    files = _write(tmp_path, {k: cases[k] for k in ("digits-31", "digits-5000", "good")})
    assert len(_compare(campaign, files, tmp_path)) == 2


def test_crafted_saves_are_read_the_same(campaign, kitchen, tmp_path):
    for story, character, moves in ((campaign, "kamenev", 12), (kitchen, "kamenev", 2)):
        folder = tmp_path / story.id
        folder.mkdir()
        files = _write(folder, _crafted(_good(story, character, moves, 3)))
        files.append(folder / "too-large.json")
        files[-1].write_bytes(b" " * (saves.MAX_SAVE_BYTES + 1))
        problems = _compare(story, files, tmp_path)
        assert not problems, "\n".join(problems[:8])


def test_mutated_saves_are_read_the_same(campaign, kitchen, tmp_path):
    cases: dict[str, bytes] = {}
    for n, (story, character) in enumerate(((kitchen, "kamenev"), (campaign, "trotsky"))):
        small = _good(story, character, 3, n)
        for i, data in enumerate(_mutants(small, 1500, 40 + n)):
            cases[f"{story.id}-{i}"] = data
    files = _write(tmp_path, cases)
    problems = []
    for story in (kitchen, campaign):
        mine = [f for f in files if f.name.startswith(story.id + "-")]
        problems += _compare(story, mine, tmp_path)
    assert not problems, f"{len(problems)} of {len(files)} differ:\n" + "\n".join(problems[:8])
    refused = sum(1 for f in files if _python(f, kitchen if f.name.startswith(kitchen.id) else campaign)[0] == "error")
    assert refused > 1000  # most mutants are damage; the rest load, or load with a problem


def test_nesting_the_page_refuses_python_refuses_too():
    """Python's limit is not a fixed number, but it is far above the page's and far below 3,000."""
    deep = "[" * 3000 + "]" * 3000
    with pytest.raises(RecursionError):
        json.loads(deep)
    json.loads("[" * PAGE_NESTING + "]" * PAGE_NESTING)
    assert f"var MAX_NESTING = {PAGE_NESTING};" in C.RUNTIME.read_text(encoding="utf-8")
