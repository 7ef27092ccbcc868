"""Counterfactual runs of the campaign, written as transcripts to be read for continuity.

    python3 benchmarks/continuity_read.py OUT_DIR [--runs 10] [--seed 1] [--min-flags 3]

For each character it plays seeded random runs, biased towards the roads that depart from
history (a choice that sets a counterfactual flag, or leads into a scene whose note is
counterfactual, is weighted ``--bias`` times), and keeps the first ``--runs`` that end with
at least ``--min-flags`` counterfactual flags set. Each kept run is written with
``game.classroom.transcript.write_transcript`` as ``OUT_DIR/<character>-NN.md``, with a header
in front: the seed, the ending, and every flag the run set or cleared, in order, with the
scene and choice that did it (counterfactual ones marked). A ``.replay`` file beside it
replays the run (``testament play --text --replay FILE``), ``index.md`` lists them all, and
``by-scene.md`` gives every paragraph the runs read (text, place, reply, choice, note, ending),
grouped by scene, with the runs that read it and the flags they held at that moment.

A counterfactual flag is one of ``COUNTERFACTUAL`` (the decisive departures that
``docs/campaign.md`` lists), or any flag set by a choice in a scene whose note is marked
counterfactual. The point is the reading: a human reads every transcript, sentence by
sentence, against its header (see "How continuity is checked" in ``docs/campaign.md``).
A run's seed is ``seed * 100_000 + character number * 10_000 + attempt``, so the same
arguments always write the same runs, and ``--only trotsky-03`` re-writes one of them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.analysis.why import explain  # noqa: E402
from game.classroom.transcript import write_transcript  # noqa: E402
from game.compiled import load_checked  # noqa: E402
from game.engine import Story, start, states_of, step, view  # noqa: E402
from game.engine.play import CONTINUE, State, available, choice_text  # noqa: E402
from game.paths import story_dir  # noqa: E402

#: The decisive departures from history (docs/campaign.md, "Flags").
COUNTERFACTUAL = (
    "stalin_removed", "kept_war_commissariat", "sklyansky_kept", "frunze_lives", "factions_legalised",
    "early_bloc", "testament_read_to_congress", "german_october_won", "secretariat_curbed",
    "secretariat_packed", "stalin_at_rabkrin", "platform_published", "right_alliance", "army_moved",
)


def _counterfactual_scene(story: Story, sid: str) -> bool:
    note = story.scenes[sid].note
    return bool(note and note.counterfactual)


def _weight(story: Story, state: State, choice_id: str, bias: float) -> float:
    """How much a biased player likes ``choice_id``: more for a road away from history."""
    if choice_id == CONTINUE:
        return 1.0
    choice = story.scenes[state.scene].choice(choice_id)
    new = set(choice.set_flags) - state.flags
    if any(f in COUNTERFACTUAL for f in new):
        return bias
    if any(_counterfactual_scene(story, b.target) for b in choice.goto):
        return bias / 2
    return 1.0


def play(story: Story, character: str, rng: random.Random, bias: float) -> tuple[State, list[tuple]]:
    """One run; with it the flags as they changed: (step, scene, choice, flag, '+' or '-', counterfactual)."""
    state = start(story, character)
    events = []
    while state.ending is None:
        ids = available(story, state)
        weights = [_weight(story, state, c, bias) for c in ids]
        choice_id = rng.choices(ids, weights)[0]
        before, scene = state.flags, state.scene
        state = step(story, state, choice_id)
        cf_scene = _counterfactual_scene(story, scene)
        for flag in sorted(state.flags - before):
            events.append((len(state.path), scene, choice_id, flag, "+", flag in COUNTERFACTUAL or cf_scene))
        for flag in sorted(before - state.flags):
            events.append((len(state.path), scene, choice_id, flag, "-", False))
        if len(state.path) > 2000:
            raise RuntimeError(f"a {character} run did not end in 2,000 steps")
    return state, events


def counterfactual_flags(state: State, events: list[tuple]) -> list[str]:
    """The counterfactual flags the run ends with."""
    marked = {e[3] for e in events if e[4] == "+" and e[5]}
    return [f for f in dict.fromkeys(e[3] for e in events) if f in state.flags and (f in COUNTERFACTUAL or f in marked)]


def header(story: Story, state: State, events: list[tuple], seed: int, name: str) -> str:
    ending = story.ending(state.ending)
    cf = counterfactual_flags(state, events)
    lines = [f"<!-- continuity run {name}: seed {seed}; replay with testament play --text --replay {name}.replay -->",
             f"**Run {name}** ({state.character}, seed {seed}): {len(state.path)} choices, ending "
             f"*{ending.title}* (`{ending.id}`). Counterfactual flags at the end ({len(cf)}): "
             + ", ".join(f"`{f}`" for f in cf) + ".", "", "| step | flag | | scene | choice |", "|---|---|---|---|---|"]
    for number, scene, choice, flag, sign, cf_flag in events:
        lines.append(f"| {number} | `{flag}`{' (counterfactual)' if cf_flag else ''} | {'set' if sign == '+' else 'cleared'} "
                     f"| `{scene}` | `{choice}` |")
    return "\n".join(lines) + "\n\n---\n\n"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()] if text else []


def by_scene(story: Story, kept: list[tuple[str, State]]) -> str:
    """Every paragraph the kept runs read, grouped by scene in story order, each with the runs that
    read it and the flags they held then: "all" flags every one of them held, "some" the rest.

    A sentence that is true on one road and false on another shows up here beside the flag
    that tells the roads apart; the transcripts then show it in its run's order."""
    seen: dict[tuple[str, str, str], list[tuple[str, frozenset[str]]]] = {}
    for name, final in kept:
        states = states_of(story, final)
        for i, s in enumerate(states):
            v = view(story, s)
            items = [("reply", p) for p in _paragraphs(v.reply)] + [("place", v.place)]
            items += [("text", p) for p in _paragraphs(v.text)] + [("note", p) for p in _paragraphs(v.note)]
            if i < len(states) - 1:
                items.append(("chose", choice_text(story, s, final.path[i][1])))
            key = s.scene
            if s.ending:
                key = "ending " + s.ending
                items += [(kind, p) for kind, t in (("text", v.ending_text), ("epilogue", v.epilogue), ("history", v.history))
                          for p in _paragraphs(t)]
                why = explain(story, s)
                items += [("why", " ".join(p.split())) for p in (why.paragraphs if why else [])]
            for kind, p in items:
                if p:
                    seen.setdefault((key, kind, p), []).append((name, s.flags))
    order = {sid: n for n, sid in enumerate(story.scenes)}
    lines = ["# Every paragraph of the continuity runs, by scene", ""]
    last = None
    for (key, kind, p), readers in sorted(seen.items(), key=lambda kv: order.get(kv[0][0], len(order))):
        if key != last:
            lines += [f"## {key}", ""]
            last = key
        held = [set(f) for _, f in readers]
        always, sometimes = set.intersection(*held), set.union(*held) - set.intersection(*held)
        who = " ".join(dict.fromkeys(n for n, _ in readers))
        lines.append(f"- **{kind}** ({len(readers)}: {who})"
                     + (f" all: {', '.join(sorted(always))}" if always else "")
                     + (f"; some: {', '.join(sorted(sometimes))}" if sometimes else ""))
        lines += [f"  {p}", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--runs", type=int, default=10, help="runs kept per character (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-flags", type=int, default=3, help="counterfactual flags a kept run ends with (default 3)")
    ap.add_argument("--bias", type=float, default=6.0, help="weight of a choice that departs from history (default 6)")
    ap.add_argument("--tries", type=int, default=5000, help="attempts per character before giving up")
    ap.add_argument("--only", action="append", default=[], help="write only this run (e.g. kamenev-04); may repeat")
    args = ap.parse_args(argv)
    story, problems = load_checked([story_dir()])
    if story is None:
        print("the campaign does not load; run testament check", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    index = ["# Continuity runs", "", f"`--seed {args.seed} --runs {args.runs} --min-flags {args.min_flags} --bias {args.bias}`", "",
             "| run | ending | choices | counterfactual flags |", "|---|---|---|---|"]
    every: list[tuple[str, State]] = []
    for number, character in enumerate(story.characters):
        kept = 0
        for attempt in range(args.tries):
            if kept == args.runs:
                break
            seed = args.seed * 100_000 + number * 10_000 + attempt
            state, events = play(story, character, random.Random(seed), args.bias)
            cf = counterfactual_flags(state, events)
            if len(cf) < args.min_flags:
                continue
            kept += 1
            name = f"{character}-{kept:02d}"
            index.append(f"| [{name}]({name}.md) | {story.ending(state.ending).title} | {len(state.path)} | {', '.join(cf)} |")
            every.append((name, state))
            if args.only and name not in args.only:
                continue
            path = write_transcript(story, state, args.out / f"{name}.md", notes=())
            path.write_text(header(story, state, events, seed, name) + path.read_text(encoding="utf-8"), encoding="utf-8")
            (args.out / f"{name}.replay").write_text("".join(f"{s}:{c}\n" for s, c in state.path), encoding="utf-8")
        if kept < args.runs:
            print(f"{character}: only {kept} runs with {args.min_flags} counterfactual flags in {args.tries} tries", file=sys.stderr)
    if not args.only:
        (args.out / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
        (args.out / "by-scene.md").write_text(by_scene(story, every), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
