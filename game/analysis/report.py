"""Console output of ``testament playtest`` and ``testament stats``: the only module that prints.

Authors read these tables, so every table is aligned in columns, numbers are grouped
(1,234) and percentages have one decimal.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator, Sequence, TextIO

from game.analysis import randomplay
from game.analysis.stats import story_stats
from game.engine.model import Story

#: Runs per character when ``playtest`` is given neither ``--random`` nor ``--exhaustive``.
DEFAULT_RUNS = 1000


def table(rows: Sequence[Sequence[Any]], right: Sequence[bool] | None = None, indent: str = "  ") -> list[str]:
    """Rows of cells as aligned lines; ``right[i]`` right-aligns column i (numbers)."""
    cells = [[str(c) for c in row] for row in rows]
    if not cells:
        return []
    widths = [max(len(r[i]) for r in cells if i < len(r)) for i in range(max(len(r) for r in cells))]
    right = list(right or []) + [False] * len(widths)
    out = []
    for row in cells:
        parts = [c.rjust(widths[i]) if right[i] else c.ljust(widths[i]) for i, c in enumerate(row)]
        out.append((indent + "  ".join(parts)).rstrip())
    return out


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def _frac(part: int, whole: int) -> str:
    return f"{part:,}/{whole:,} ({_pct(part, whole)})"


def _write(out: TextIO, lines: Sequence[str]) -> None:
    for line in lines:
        out.write(line + "\n")


def freeze_story() -> None:
    """Move everything alive now (the loaded story, read-only from here on) out of the
    garbage collector's sight. The searches allocate millions of short-lived states, and
    every full collection would otherwise walk the whole story again: on a 10,000-scene
    story that is a large share of the run time. ``frozen_story`` undoes it afterwards."""
    gc.collect()
    gc.freeze()


@contextmanager
def frozen_story() -> Iterator[None]:
    """``freeze_story`` for the duration of one command, so a long-lived process (a test
    run) gets its collector back."""
    freeze_story()
    try:
        yield
    finally:
        gc.unfreeze()


# ---- playtest -----------------------------------------------------------------------------

def playtest(story: Story, args: Any, out: TextIO) -> int:
    """``testament playtest``: random runs (``--random N``) and/or the reachability proof (``--exhaustive``)."""
    with frozen_story():
        return _playtest(story, args, out)


def _playtest(story: Story, args: Any, out: TextIO) -> int:
    characters = [args.character] if getattr(args, "character", None) else list(story.characters)
    if getattr(args, "reach", None) is not None:
        from game.analysis.reach import reach
        write_reach(story, reach(story, args.reach, characters, args.random or DEFAULT_RUNS, args.seed), out)
        return 0
    runs = args.random
    exhaustive = getattr(args, "exhaustive", False)
    if runs is None and not exhaustive:
        runs = DEFAULT_RUNS
    if runs is not None:
        summaries = randomplay.playtest(story, runs, args.seed, characters)
        write_random(story, summaries, runs, args.seed, out)
    if exhaustive:
        from game.analysis.reachability import prove_endings
        if runs is not None:
            out.write("\n")
        result = prove_endings(story, characters, max_states=args.max_states, time_limit=args.time_limit)
        write_reachability(story, result, out)
    return 0


def write_random(story: Story, summaries: Sequence[randomplay.RandomSummary], runs: int, seed: int, out: TextIO) -> None:
    """Ending distribution per character and overall, coverage, and the scenes never visited."""
    who = ", ".join(s.character for s in summaries)
    out.write(f"Random playtest of {story.title}: {runs:,} runs per character ({who}), seed {seed}\n\n")
    total_runs = sum(s.runs for s in summaries)
    header = ["ending"]
    for s in summaries:
        header += [s.character, ""]
    header += ["all", ""]
    rows: list[list[Any]] = [header]
    ending_ids = [e.id for e in story.endings]
    for eid in ending_ids + [None]:
        if eid is None:
            if not any(s.unfinished for s in summaries):
                continue
            label = "(unfinished)"
            counts = [s.unfinished for s in summaries]
        else:
            label = eid
            counts = [s.endings.get(eid, 0) for s in summaries]
        row: list[Any] = [label]
        for s, n in zip(summaries, counts):
            row += [f"{n:,}", _pct(n, s.runs)]
        row += [f"{sum(counts):,}", _pct(sum(counts), total_runs)]
        rows.append(row)
    out.write("Endings\n")
    _write(out, table(rows, [False] + [True] * (len(header) - 1)))

    out.write("\nCoverage\n")
    def coverage_row(label: str, c: randomplay.Coverage) -> list[Any]:
        return [label, _frac(c.scenes_visited, c.scenes_total), _frac(c.choices_taken, c.choices_total),
                _frac(c.branches_taken, c.branches_total)]

    cov_rows: list[list[Any]] = [["character", "scenes", "choices", "goto branches"]]
    cov_rows += [coverage_row(s.character, randomplay.coverage(story, [s], s.character)) for s in summaries]
    # With one character, "never visited" means never visited by him, of the scenes open to him.
    overall = randomplay.coverage(story, summaries, summaries[0].character if len(summaries) == 1 else None)
    cov_rows.append(coverage_row("all", overall))
    _write(out, table(cov_rows, [False, True, True, True]))

    write_scene_visits(story, summaries, out)

    stopped = sum(s.unfinished for s in summaries)
    if stopped:
        out.write(f"\n{stopped:,} run(s) were stopped after {randomplay.MAX_STEPS:,} choices without an ending (a loop?).\n")
    if overall.unvisited:
        out.write(f"\nScenes never visited ({len(overall.unvisited)}):\n")
        _write(out, ["  " + sid for sid in overall.unvisited])
    else:
        out.write("\nEvery scene was visited.\n")
    write_broken_assumptions(story, summaries, out)
    if overall.untaken:
        out.write(f"\nGoto branches never followed ({len(overall.untaken)}), though their choice was taken and they"
                  " could hold:\n")
        _write(out, [f"  {sid}: {cid} -> {b.target}" + (f"  (if {b.condition.source})" if b.condition else "  (otherwise)")
                     for sid, cid, b in overall.untaken])


def write_broken_assumptions(story: Story, summaries: Sequence[randomplay.RandomSummary], out: TextIO) -> None:
    """Runs that arrived where an ``assumes:`` was false: what random play sees of continuity."""
    total = sum(s.runs for s in summaries)
    counted = len(story.assumptions())
    if not counted:
        return
    broken: dict[str, int] = {}
    for s in summaries:
        for where, n in s.broken.items():
            broken[where] = broken.get(where, 0) + n
    if not broken:
        out.write(f"\nAssumptions: no run arrived with any of the {counted} false.\n")
        return
    out.write(f"\nRuns that arrived with an assumption false ({len(broken)} of {counted} assumptions; "
              "testament check shows a witness for each):\n")
    rows = [[where, _source_of(story, where), f"{n:,}/{total:,}"] for where, n in sorted(broken.items(), key=lambda kv: -kv[1])]
    _write(out, table([["where", "assumes", "runs"]] + rows, [False, False, True]))


def _source_of(story: Story, where: str) -> str:
    if where.startswith("ending:"):
        ending = story.ending(where[len("ending:"):])
        return ending.assumes.source if ending and ending.assumes else ""
    scene = story.scenes.get(where)
    return scene.assumes.source if scene and scene.assumes else ""


def write_scene_visits(story: Story, summaries: Sequence[randomplay.RandomSummary], out: TextIO) -> None:
    """Runs that entered each scene, the least visited first (ChoiceScript's line coverage, by scene).

    A scene's share is of the runs of the characters it is written for; scenes written for
    none of the characters played are left out.
    """
    order = {sid: i for i, sid in enumerate(story.scenes)}
    rows: list[tuple[int, int, list[Any]]] = []
    for sid, scene in story.scenes.items():
        mine = [s for s in summaries if scene.only_for is None or s.character in scene.only_for]
        if not mine:
            continue
        runs = sum(s.runs for s in mine)
        entered = sum(s.scene_runs.get(sid, 0) for s in mine)
        title = scene.title if len(scene.title) <= 40 else scene.title[:39] + "…"
        rows.append((entered, order[sid], [sid, title, f"{entered:,}/{runs:,}", _pct(entered, runs),
                                           "NEVER VISITED" if not entered else ""]))
    rows.sort(key=lambda r: (r[0], r[1]))
    out.write("\nVisits per scene, least visited first (runs that entered it, of the runs of the characters it is for)\n")
    _write(out, table([["scene", "title", "runs", "%", ""]] + [r[2] for r in rows], [False, False, True, True, False]))


# ---- reach: who can get to one scene -----------------------------------------------------

def write_reach(story: Story, result: Any, out: TextIO) -> None:
    """``playtest --reach``: a verdict per character, then each witness as a replay file.

    Every line but the steps is a ``#`` comment, so the output of one character
    (``--character``) is itself a file ``play --replay`` reads.
    """
    scene = story.scenes[result.scene]
    title, name = " ".join(scene.title.split()), " ".join(story.title.split())  # one line: it is a comment
    out.write(f"# Who can reach scene '{scene.id}' ({title}, {scene.date}) in {name}; random play: "
              f"{result.runs:,} runs per character, seed {result.seed}\n#\n")
    rows: list[list[Any]] = [["who", "verdict", "choices", "found by", "random runs entering it"]]
    for road in result.roads:
        length = "-" if road.path is None else f"{len(road.path)}{'' if road.shortest else '*'}"
        opened = road.method != "its for: list"
        visits = _frac(result.visits.get(road.character, 0), result.runs) if opened else "-"
        rows.append([road.character, road.status, length, road.method or "-", visits])
    _write(out, ["#" + line for line in table(rows, [False, False, True, False, True])])
    if any(r.path is not None and not r.shortest for r in result.roads):
        out.write("#   * a witness, not proved the shortest\n")
    if any(r.path is not None for r in result.roads):
        out.write("#\n# Each witness below replays with: testament play --text --replay FILE "
                  "(one character's run to a FILE, or --character)\n")
    from game.analysis.reach import witness_lines
    for road in result.roads:
        out.write("#\n")
        if road.path is None:
            out.write(f"# {road.character}: {road.status.lower()}: {road.reason}\n")
            continue
        lines = witness_lines(road)
        out.write(lines[0] + "\n")
        detail = f"; {road.reason}" if road.reason else ""
        out.write(f"# {len(road.path)} choice(s) from {road.character}'s start to '{scene.id}' "
                  f"(by {road.method}{detail})\n")
        _write(out, lines[1:])


# ---- stats --------------------------------------------------------------------------------

def stats(story: Story, out: TextIO, wpm: int | None = None) -> int:
    """``testament stats``: size of the story and, per character, words and reading time;
    then minutes per chapter (a year) at ``wpm`` words a minute, with and without the notes,
    and a natural break in every chapter longer than a lesson allows."""
    from game.analysis.stats import READING_RUNS, READING_SEED, WORDS_PER_MINUTE, chapter_times
    speed = wpm or WORDS_PER_MINUTE
    with frozen_story():
        st = story_stats(story)
        times, breaks = chapter_times(story)
    out.write(f"{story.title}: {st.scenes:,} scenes, {st.choices:,} choices, {st.endings:,} endings, "
              f"{st.words:,} words in all\n\n")
    rows: list[list[Any]] = [["character", "scenes", "choices", "words", "words/run", "minutes/run"]]
    for c in st.characters:
        rows.append([c.character, f"{c.scenes:,}", f"{c.choices:,}", f"{c.words:,}",
                     f"{c.words_per_run:,.0f}", f"{c.words_per_run / speed:.1f}"])
    _write(out, table(rows, [False, True, True, True, True, True]))
    out.write(f"\nwords: what the character can possibly be shown; words/run and minutes/run: mean of "
              f"{READING_RUNS} random runs (seed {READING_SEED}) at {speed} words a minute.\n")
    if times:
        write_chapters(story, times, breaks, speed, out)
    return 0


def write_chapters(story: Story, times: Sequence[Any], breaks: dict, wpm: int, out: TextIO) -> None:
    """Minutes per chapter and character, without and with the notes, a total, and the long chapters' breaks."""
    from game.analysis.stats import LESSON_MINUTES, READING_RUNS, READING_SEED
    from game.dates import pretty_date
    characters = list(dict.fromkeys(t.character for t in times))
    chapters = list(dict.fromkeys(t.chapter for t in times))
    cell = {(t.chapter, t.character): t for t in times}
    out.write(f"\nMinutes per chapter at {wpm} words a minute: reading the scenes / with every note opened "
              f"(mean of {READING_RUNS} random runs per character, seed {READING_SEED}; a chapter is a year, and a "
              f"scene's reading is its title, text and every choice on offer, so the whole run is longer than "
              f"minutes/run above, which counts only the choices taken)\n")
    rows: list[list[Any]] = [["chapter", *characters]]
    for ch in chapters:
        rows.append([ch, *(f"{cell[ch, c].minutes(wpm):.0f} / {cell[ch, c].minutes(wpm, True):.0f}"
                           if (ch, c) in cell else "-" for c in characters)])
    rows.append(["whole run", *(f"{sum(cell[ch, c].minutes(wpm) for ch in chapters if (ch, c) in cell):.0f} / "
                                f"{sum(cell[ch, c].minutes(wpm, True) for ch in chapters if (ch, c) in cell):.0f}"
                                for c in characters)])
    _write(out, table(rows, [False] + [True] * len(characters)))
    long = []
    for ch in chapters:
        if ch == "ending":
            continue
        worst = max((cell[ch, c] for c in characters if (ch, c) in cell), key=lambda t: t.minutes(wpm, True))
        if worst.minutes(wpm, True) > LESSON_MINUTES:
            long.append((ch, worst))
    if not long:
        out.write(f"\nEvery chapter fits {LESSON_MINUTES} minutes, notes included.\n")
        return
    out.write(f"\nOver {LESSON_MINUTES} minutes, and where to pause:\n")
    for ch, worst in long:
        plain = max(cell[ch, c].minutes(wpm) for c in characters if (ch, c) in cell)
        line = (f"  {ch}: up to {plain:.0f} minutes reading the scenes, {worst.minutes(wpm, True):.0f} with the notes ("
                f"{worst.character}). ")
        b = breaks.get(ch)
        if b is not None:
            scene = story.scenes[b.scene]
            others = f"; on other roads {' or '.join(b.scenes[1:])}, the same day" if len(b.scenes) > 1 else ""
            line += (f"A natural break: before \"{scene.title}\", {pretty_date(scene.date)} ({b.scene}{others}), "
                     f"which {b.reached:.0%} of every character's runs reach, about {b.position:.0%} of the way through.")
        else:
            line += "No scene every character passes through lies near its middle."
        out.write(line + "\n")


# ---- exhaustive: reachability of endings -------------------------------------------------

def write_reachability(story: Story, result: Any, out: TextIO) -> None:
    """The exact search per character, a verdict per (character, ending), and a summary line."""
    out.write(f"Endings reachable in {story.title}: exact search (limits {result.max_states:,} states, "
              f"{result.time_limit:g} s in all), interval bounds, witness search\n\n")
    out.write("Exact search\n")
    rows: list[list[Any]] = [["character", "states", "states/s", "depth", "seconds", "result"]]
    for ex in result.explored:
        rows.append([ex.character, f"{ex.states:,}", f"{ex.states_per_second:,.0f}", ex.depth, f"{ex.seconds:.1f}",
                     "complete" if ex.complete else f"STOPPED by the {ex.stopped_by}"])
    _write(out, table(rows, [False, True, True, True, True, False]))

    out.write("\nEndings\n")
    rows = [["character", "ending", "verdict", "by", "choices", "witness (choice ids) / reason"]]
    for v in result.verdicts:
        if v.path is not None:
            detail = " > ".join(choice for _, choice in v.path) or "(at the start)"
            length = f"{len(v.path)}{'' if v.shortest else '*'}"
        else:
            detail, length = v.reason, ""
        rows.append([v.character, v.ending, v.status, v.method or "-", length, detail])
    _write(out, table(rows, [False, False, False, False, True, False]))
    if any(v.path is not None and not v.shortest for v in result.verdicts):
        out.write("  * found by random play or the goal-directed search: a witness, not necessarily a shortest one\n")

    stopped = [f"{ex.character} (by the {ex.stopped_by})" for ex in result.explored if not ex.complete]
    total = len(result.verdicts)
    line = (f"Summary: {result.count('REACHABLE')} reachable, {result.count('UNREACHABLE')} unreachable, "
            f"{result.count('UNKNOWN')} unknown of {total} (character, ending) pairs in {result.seconds:.1f} s")
    if stopped:
        line += "; exact search stopped for " + ", ".join(stopped)
    else:
        line += "; exact search complete for every character"
    out.write("\n" + line + "\n")
