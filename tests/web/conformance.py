"""The conformance harness: seeded random runs played by the Python engine and by
``game/web/runtime.js`` under node, compared state by state.

Python chooses every move (mostly from ``available()``, sometimes an unavailable,
``-continue`` or unknown id, so errors are compared too) and writes, for each state, a
canonical record of everything a player or a save could see: scene, values, flags,
visits, once-only choices taken, path length, ending, reply, every rendered text, the
offered choices with their locks, and ``available()``. Node replays the same moves and
hashes its own records; a run whose hash differs is dumped in full and the first
differing record is reported field by field.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

from game import saves
from game.analysis.why import explain
from game.classroom import glossary, timeline
from game.classroom.transcript import transcript, transcript_file
from game.engine import State, StepError, Story, start, step, view
from game.engine.play import CONTINUE, available, states_of
from game.web.export import export_story

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "game" / "web" / "runtime.js"
REPLAY = Path(__file__).resolve().parent / "replay.js"
#: The fixed clock of the save documents compared.
NOW = datetime.datetime(2024, 5, 1, 12, 34, 56)
#: A run stops after this many moves even if it loops without ending.
MAX_MOVES = 300

FIELDS = ["scene", "values", "flags", "visits", "taken", "path", "ending", "reply", "text", "place", "note",
          "title", "date", "when", "counterfactual", "sources", "choices", "available", "ending_title",
          "ending_text", "epilogue", "history"]


def node_binary() -> str | None:
    return shutil.which("node") or (os.path.exists("/usr/bin/node") and "/usr/bin/node") or None


def record(story: Story, state: State) -> list:
    """Everything about ``state`` that either runtime must agree on, as JSON-ready lists."""
    from game.dates import pretty_date
    v = view(story, state)
    return [
        state.scene,
        list(state.values),
        sorted(state.flags),
        sorted(state.visits.items()),
        sorted(state.taken),
        len(state.path),
        state.ending,
        state.reply,
        v.text,
        v.place,
        v.note,
        v.scene.title,
        v.scene.date,
        pretty_date(v.scene.date),
        v.scene.note.counterfactual,
        list(v.scene.note.sources),
        [[c.id, c.text, c.enabled, c.locked] for c in v.choices],
        available(story, state),
        v.ending.title if v.ending else None,
        v.ending_text,
        v.epilogue,
        v.history,
    ]


def canonical(rec: list) -> str:
    return json.dumps(rec, ensure_ascii=True, separators=(",", ":"))


def random_runs(story: Story, runs_per_character: int, seed: int) -> list[dict]:
    """Seeded random runs: for each, the character and the moves Python chose."""
    rng = random.Random(seed)
    out = []
    for character in story.characters:
        for _ in range(runs_per_character):
            state = start(story, character)
            moves: list[str] = []
            for _ in range(MAX_MOVES):
                if state.ending is not None:
                    if rng.random() < 0.3:
                        moves.append(rng.choice(available(story, start(story, character)) + [CONTINUE]))
                    break
                if rng.random() < 0.15:
                    scene = story.scenes[state.scene]
                    pool = [c.id for c in scene.choices] + [CONTINUE, "no-such-choice"]
                    move = rng.choice(pool)
                else:
                    move = rng.choice(available(story, state))
                moves.append(move)
                try:
                    state = step(story, state, move)
                except StepError:
                    pass
            out.append({"character": character, "moves": moves})
    return out


def python_records(story: Story, run: dict) -> tuple[list[list], State]:
    state = start(story, run["character"])
    records = [record(story, state)]
    for move in run["moves"]:
        try:
            state = step(story, state, move)
        except StepError as exc:
            records.append(["error", str(exc)])
            continue
        records.append(record(story, state))
    return records, state


def run_hash(records: list[list]) -> str:
    return hashlib.sha256("\n".join(canonical(r) for r in records).encode("ascii")).hexdigest()


def run_node(payload: dict, tmp: Path) -> dict:
    node = node_binary()
    assert node, "node is not installed"
    source = tmp / "conformance-input.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    done = subprocess.run([node, str(REPLAY), str(RUNTIME), str(source)], capture_output=True, text=True,
                          timeout=900)
    if done.returncode != 0:
        raise AssertionError(f"node failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def describe(index: int, run: dict, mine: list[list], theirs: list[list]) -> str:
    """The first record where the runtimes differ, field by field."""
    mine = [json.loads(canonical(r)) for r in mine]
    for n, (a, b) in enumerate(zip(mine, theirs)):
        if a == b:
            continue
        move = run["moves"][n - 1] if n else "(start)"
        lines = [f"run {index} ({run['character']}), record {n}, after move {move!r}:"]
        if a[0] == "error" or b[0] == "error":
            lines.append(f"  python: {a!r}\n  js:     {b!r}")
        else:
            for name, x, y in zip(FIELDS, a, b):
                if x != y:
                    lines.append(f"  {name}: python {x!r}\n  {' ' * len(name)}  js     {y!r}")
        return "\n".join(lines)
    return f"run {index}: python has {len(mine)} records, js {len(theirs)}"


def notes_for(story: Story, state: State, index: int) -> list[str]:
    """A seeded choice of the notes a student opened on ``state``'s run, and one of a scene it never reached."""
    rng = random.Random(index)
    visited = sorted({s.scene for s in states_of(story, state)})
    return [x for x in visited if rng.random() < 0.3] + ["no-such-scene"]


def in_scene(story: Story, state: State) -> list[str]:
    """The glossary entries of what ``state``'s screen shows, in order (as the terminal finds them)."""
    v = view(story, state)
    return [e.name for e in glossary.entries_in(story, [v.scene.title, v.place, v.reply, v.text, *(c.text for c in v.choices)])]


def timeline_rows(story: Story, state: State) -> list[list]:
    return [[r.date, r.side, r.title, r.text, r.counterfactual, r.scene] for r in timeline.beside(story, states_of(story, state))]


def compare(story: Story, runs: list[dict], tmp: Path, documents: int = 40, whys: int = 300) -> dict[str, Any]:
    """Play ``runs`` in both runtimes; return counts and the mismatches described.

    For the first ``documents`` runs the transcript (the Markdown, and the file with "What
    in your story was real?" and the record for the class report), the save document and
    the restore of that save in the browser runtime are compared too, with the timeline
    beside the run and the glossary entries of each of its scenes; and for the first
    ``whys`` runs that ended, the paragraphs of "Why this ending" (game.analysis.why).
    """
    expected = []
    finals = []
    for run in runs:
        records, final = python_records(story, run)
        expected.append(records)
        finals.append(final)
    docs = []
    for i in range(min(documents, len(runs))):
        label = f"run {i} ✓"
        notes = notes_for(story, finals[i], i)
        docs.append({"index": i, "label": label, "notes": notes,
                     "transcript": transcript(story, finals[i]),
                     "transcript_file": transcript_file(story, finals[i], notes, NOW),
                     "timeline": timeline_rows(story, finals[i]),
                     "glossary": [in_scene(story, s) for s in states_of(story, finals[i])],
                     "save": saves.encode(saves.to_document(story, finals[i], label, NOW)).decode("utf-8")})
    ended = [i for i, f in enumerate(finals) if f.ending is not None][:whys]
    expected_whys = {i: list(explain(story, finals[i]).paragraphs) for i in ended}
    payload = {"story": export_story(story), "runs": runs, "why": ended,
               "now": [NOW.year, NOW.month, NOW.day, NOW.hour, NOW.minute, NOW.second],
               "documents": [{"index": d["index"], "label": d["label"], "save": d["save"], "notes": d["notes"]}
                             for d in docs]}
    out = run_node(payload, tmp)
    mismatches = []
    bad = [i for i, (h, records) in enumerate(zip(out["hashes"], expected)) if h != run_hash(records)]
    if bad:
        dumped = run_node({**payload, "dump": bad[:3], "documents": [], "why": []}, tmp)["dumps"]
        for i in bad[:3]:
            mismatches.append(describe(i, runs[i], expected[i], dumped[str(i)]))
        if len(bad) > 3:
            mismatches.append(f"... and {len(bad) - 3} more runs differ")
    for i in ended:
        theirs = out["whys"][str(i)]
        if theirs != expected_whys[i]:
            mismatches.append(f"run {i} ({runs[i]['character']}, ending {finals[i].ending}): 'Why this ending' differs:\n"
                              f"  python: {expected_whys[i]!r}\n  js:     {theirs!r}")
            if len(mismatches) > 5:
                break
    for d, theirs in zip(docs, out["documents"]):
        for what in ("transcript", "transcript_file", "save"):
            if d[what] != theirs[what]:
                mismatches.append(f"run {d['index']}: the {what} differs:\n{_first_line_diff(d[what], theirs[what])}")
        for what in ("timeline", "glossary"):
            if d[what] != theirs[what]:
                first = next((n for n, (a, b) in enumerate(zip(d[what], theirs[what])) if a != b), min(len(d[what]), len(theirs[what])))
                mismatches.append(f"run {d['index']}: the {what} differs at item {first}:\n"
                                  f"  python: {d[what][first:first + 1]!r}\n  js:     {theirs[what][first:first + 1]!r}")
        final = finals[d["index"]]
        if theirs["restored"] != hashlib.sha256(canonical(record(story, final)).encode("ascii")).hexdigest():
            mismatches.append(f"run {d['index']}: the save restored in the browser is not the run saved")
        if theirs["problem"]:
            mismatches.append(f"run {d['index']}: restoring its save says: {theirs['problem']}")
    return {"runs": len(runs), "whys": len(ended), "states": sum(1 for r in expected for x in r if x[0] != "error"),
            "errors": sum(1 for r in expected for x in r if x[0] == "error"), "mismatches": mismatches,
            "node_seconds": out["seconds"]}


def _first_line_diff(a: str, b: str) -> str:
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return f"  line {n}:\n  python: {x!r}\n  js:     {y!r}"
    return f"  python has {len(a.splitlines())} lines, js {len(b.splitlines())}"
