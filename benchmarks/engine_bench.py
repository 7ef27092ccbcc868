"""Engine and analysis benchmark on generated stories: prints figures, asserts nothing.

For N = 100, 1,000 and 10,000 scenes (5 variables, 3 choices a scene, 20 choices a
run) it generates a story, then, in a fresh subprocess per size so that memory figures
do not mix, measures: load + check time, peak memory (the process's maximum resident
set after loading, checking and random play), random playthroughs per second, and the
exact search's distinct states per second.

Targets at N = 10,000: load + check < 1.5 s, >= 5,000 random runs/s, peak < 250 MB.

    python3 benchmarks/engine_bench.py [--sizes 100 1000 10000] [--profile-load]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RANDOM_SECONDS = 2.0
EXPLORE_SECONDS = 3.0


def measure(folder: Path) -> dict:
    """All figures for one story folder (run in its own process)."""
    from game.analysis.explore import explore
    from game.analysis.randomplay import random_runs
    from game.analysis.report import freeze_story
    from game.engine.check import check_story
    from game.engine.loader import read_story

    t0 = time.perf_counter()
    story, problems = read_story([folder])
    t1 = time.perf_counter()
    assert story is not None
    check_story(story, problems)
    t2 = time.perf_counter()
    freeze_story()  # as testament playtest does before it plays
    character = next(iter(story.characters))
    runs = steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < RANDOM_SECONDS:
        for run in random_runs(story, character, 500, seed=runs):
            runs += 1
            steps += len(run.path)
    random_time = time.perf_counter() - start
    rss_play = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ex = explore(story, character, max_states=10_000_000, time_limit=EXPLORE_SECONDS)
    rss_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scenes": len(story.scenes), "choices": sum(len(s.choices) for s in story.scenes.values()),
        "errors": len(problems.errors), "warnings": len(problems.warnings),
        "load": t1 - t0, "check": t2 - t1,
        "runs_per_s": runs / random_time, "choices_per_s": steps / random_time,
        "states_per_s": ex.states_per_second, "states": ex.states,
        "peak_mb": rss_play, "peak_explore_mb": rss_all,
    }


def measure_cached(folder: Path) -> dict:
    """Load + check through the compiled-story cache: the first load fills it, the second is timed."""
    from game.compiled import load_checked

    load_checked([folder], min_bytes=0)
    t0 = time.perf_counter()
    story, problems = load_checked([folder], min_bytes=0)
    return {"cached": time.perf_counter() - t0, "ok": story is not None}


def load_breakdown(folder: Path) -> None:
    """Where load + check time goes, phase by phase, with the garbage collector on and off.

    Phases: libyaml's event stream alone (the floor for any loader built on PyYAML
    events), ``read_yaml`` (events + the located YMap/YList tree), ``read_story`` (all
    of that + building the model), and ``check_story``.
    """
    import gc
    import yaml
    from game.engine.check import check_story
    from game.engine.errors import Problems
    from game.engine.loader import read_story
    from game.engine.yamlsource import read_yaml

    files = sorted(folder.glob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    print(f"\nload breakdown, {sum(len(t) for t in texts) / 1e6:.1f} MB of YAML in {len(files)} files:")
    for label, collect in (("gc on ", True), ("gc off", False)):
        if not collect:
            gc.disable()
        t0 = time.perf_counter()
        events = sum(1 for t in texts for _ in yaml.parse(t, Loader=yaml.CSafeLoader))
        t1 = time.perf_counter()
        for f in files:
            read_yaml(f, str(f), Problems())
        t2 = time.perf_counter()
        story, problems = read_story([folder])
        t3 = time.perf_counter()
        check_story(story, problems)
        t4 = time.perf_counter()
        gc.enable()
        print(f"  {label}: libyaml events {t1 - t0:.2f} s ({events:,} events); read_yaml {t2 - t1:.2f} s; "
              f"read_story {t3 - t2:.2f} s (model build {t3 - t2 - (t2 - t1):.2f} s); check {t4 - t3:.2f} s")
        del story, problems
        gc.collect()


def profile_load(folder: Path) -> None:
    """Where load + check spends its time, by function (cProfile, top 25 by own time)."""
    import cProfile
    import pstats
    from game.engine.check import check_story
    from game.engine.loader import read_story

    def run() -> None:
        story, problems = read_story([folder])
        check_story(story, problems)

    prof = cProfile.Profile()
    prof.runcall(run)
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    p.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child mode: measure one folder, print JSON
    p.add_argument("--cached", type=Path, help=argparse.SUPPRESS)  # child mode: cached load of one folder
    p.add_argument("--profile-load", action="store_true", help="profile load + check of the largest size")
    a = p.parse_args(argv)
    if a.one:
        print(json.dumps(measure(a.one)))
        return 0
    if a.cached:
        print(json.dumps(measure_cached(a.cached)))
        return 0
    from benchmarks.generate import generate

    rows = [["N", "scenes", "choices", "load s", "check s", "load+check s", "cached s", "peak MB", "runs/s", "choices/s",
             "states/s", "peak MB (+exhaustive)"]]
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            folder = generate(Path(tmp) / f"n{n}", scenes=n, variables=5, choices=3, depth=20, seed=0)
            out = subprocess.run([sys.executable, __file__, "--one", str(folder)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            env = dict(os.environ, TESTAMENT_HOME=str(Path(tmp) / "home"))
            warm = subprocess.run([sys.executable, __file__, "--cached", str(folder)], capture_output=True, text=True,
                                  check=True, env=env)
            r.update(json.loads(warm.stdout))
            rows.append([f"{n:,}", f"{r['scenes']:,}", f"{r['choices']:,}", f"{r['load']:.2f}", f"{r['check']:.2f}",
                         f"{r['load'] + r['check']:.2f}", f"{r['cached']:.2f}", f"{r['peak_mb']:.0f}", f"{r['runs_per_s']:,.0f}",
                         f"{r['choices_per_s']:,.0f}", f"{r['states_per_s']:,.0f}", f"{r['peak_explore_mb']:.0f}"])
            if r["errors"] or r["warnings"]:
                print(f"note: N={n}: check found {r['errors']} error(s), {r['warnings']} warning(s)")
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        print(f"\nrandom play: {RANDOM_SECONDS:g} s of runs as the first character; exhaustive: {EXPLORE_SECONDS:g} s of "
              f"breadth-first search; peak MB: maximum resident set of the measuring process.")
        print("cached s: load+check again of the same unchanged files, served by game.compiled's cache (as the game\n"
              "and every testament command load stories); load+check s: a first load that parses every file.")
        print("targets at N = 10,000: load+check < 1.5 s, >= 5,000 runs/s, peak < 250 MB")
        load_breakdown(Path(tmp) / f"n{max(a.sizes)}")
        if a.profile_load:
            profile_load(Path(tmp) / f"n{max(a.sizes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
