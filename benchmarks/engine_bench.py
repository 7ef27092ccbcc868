"""Engine and analysis benchmark on generated stories: prints figures, asserts nothing.

For N = 100, 1,000 and 10,000 scenes (5 variables, 3 choices a scene, 20 choices a
run) it generates a story, then, in a fresh subprocess per size so that memory figures
do not mix, measures: load + check time, peak memory (the process's maximum resident
set after loading, checking and random play), random playthroughs per second, and the
exact search's distinct states per second.

Targets at N = 10,000: load + check < 1.5 s, >= 5,000 random runs/s, peak < 250 MB.

Timings on a shared machine vary by up to a factor of two from one second to the next,
so each timed figure is taken several times and printed as best / median: the cold load
in several fresh processes, random play in one-second windows. The best is what the code
can do; the median shows how noisy the machine was.

    python3 benchmarks/engine_bench.py [--sizes 100 1000 10000] [--repeat 3] [--profile-load]
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RANDOM_WINDOWS = 4
RANDOM_WINDOW_SECONDS = 1.0
EXPLORE_SECONDS = 3.0


def best_median(values: list[float], best=min) -> tuple[float, float]:
    """The best of several timings (least disturbed by other work) and their median."""
    ordered = sorted(values)
    return best(values), ordered[len(ordered) // 2]


def timed_load(folder: Path) -> tuple[Any, Any, dict]:
    """A first load + check of the folder: the story, its problems, and the seconds each took."""
    from game.engine.check import check_story
    from game.engine.loader import read_story

    t0 = time.perf_counter()
    story, problems = read_story([folder])
    t1 = time.perf_counter()
    assert story is not None
    check_story(story, problems)
    return story, problems, {"load": t1 - t0, "check": time.perf_counter() - t1}


def measure(folder: Path) -> dict:
    """All figures for one story folder (run in its own process)."""
    from game.analysis.explore import explore
    from game.analysis.randomplay import random_runs
    from game.analysis.report import freeze_story

    story, problems, times = timed_load(folder)
    freeze_story()  # as testament playtest does before it plays
    character = next(iter(story.characters))
    rates: list[tuple[float, float]] = []  # (runs/s, choices/s) of each window
    seed = 0
    for _ in range(RANDOM_WINDOWS):
        runs = steps = 0
        start = time.perf_counter()
        while time.perf_counter() - start < RANDOM_WINDOW_SECONDS:
            for run in random_runs(story, character, 200, seed=seed):
                runs += 1
                steps += len(run.path)
            seed += 1
        elapsed = time.perf_counter() - start
        rates.append((runs / elapsed, steps / elapsed))
    rss_play = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ex = explore(story, character, max_states=10_000_000, time_limit=EXPLORE_SECONDS)
    rss_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scenes": len(story.scenes), "choices": sum(len(s.choices) for s in story.scenes.values()),
        "errors": len(problems.errors), "warnings": len(problems.warnings),
        **times,
        "runs_per_s": [r for r, _ in rates], "choices_per_s": [c for _, c in rates],
        "states_per_s": ex.states_per_second, "states": ex.states,
        "peak_mb": rss_play, "peak_explore_mb": rss_all,
    }


def measure_cold(folder: Path) -> dict:
    """One more first load + check of the folder, in this fresh process."""
    return timed_load(folder)[2]


def measure_cached(folder: Path, repeat: int) -> dict:
    """Load + check through the compiled-story cache: the first load fills it, the next ``repeat`` are timed."""
    from game.compiled import load_checked

    load_checked([folder], min_bytes=0)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        story, problems = load_checked([folder], min_bytes=0)
        times.append(time.perf_counter() - t0)
        del story, problems
    return {"cached": times}


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


def child(mode: str, folder: Path, *extra: str, env: dict | None = None) -> dict:
    """Run this script in a fresh process in one of its child modes; its JSON answer."""
    out = subprocess.run([sys.executable, __file__, mode, str(folder), *extra], capture_output=True, text=True,
                         check=True, env=env)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    p.add_argument("--repeat", type=int, default=3, help="fresh processes timing the first load (default 3)")
    p.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child mode: measure one folder, print JSON
    p.add_argument("--cold", type=Path, help=argparse.SUPPRESS)  # child mode: first load + check of one folder
    p.add_argument("--cached", type=Path, help=argparse.SUPPRESS)  # child mode: cached loads of one folder
    p.add_argument("--profile-load", action="store_true", help="profile load + check of the largest size")
    a = p.parse_args(argv)
    for mode, measure_one in ((a.one, measure), (a.cold, measure_cold)):
        if mode:
            print(json.dumps(measure_one(mode)))
            return 0
    if a.cached:
        print(json.dumps(measure_cached(a.cached, a.repeat)))
        return 0
    from benchmarks.generate import generate

    rows = [["N", "scenes", "choices", "load+check s", "(load, check)", "cached s", "peak MB", "runs/s", "choices/s",
             "states/s", "peak MB (+exhaustive)"]]
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            folder = generate(Path(tmp) / f"n{n}", scenes=n, variables=5, choices=3, depth=20, seed=0)
            r = child("--one", folder)
            colds = [(r["load"], r["check"])] + [(c["load"], c["check"]) for c in
                                                 (child("--cold", folder) for _ in range(a.repeat - 1))]
            env = dict(os.environ, TESTAMENT_HOME=str(Path(tmp) / "home"))
            cached = child("--cached", folder, "--repeat", str(a.repeat), env=env)["cached"]
            load, check = min(colds, key=sum)
            cold_best, cold_median = best_median([sum(c) for c in colds])
            runs_best, runs_median = best_median(r["runs_per_s"], best=max)
            rows.append([f"{n:,}", f"{r['scenes']:,}", f"{r['choices']:,}", f"{cold_best:.2f} / {cold_median:.2f}",
                         f"({load:.2f}, {check:.2f})", "{:.2f} / {:.2f}".format(*best_median(cached)),
                         f"{r['peak_mb']:.0f}", f"{runs_best:,.0f} / {runs_median:,.0f}",
                         "{:,.0f} / {:,.0f}".format(*best_median(r["choices_per_s"], best=max)),
                         f"{r['states_per_s']:,.0f}", f"{r['peak_explore_mb']:.0f}"])
            if r["errors"] or r["warnings"]:
                print(f"note: N={n}: check found {r['errors']} error(s), {r['warnings']} warning(s)")
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        print(f"\nbest / median: load+check of {a.repeat} fresh processes each; random play in {RANDOM_WINDOWS} windows of "
              f"{RANDOM_WINDOW_SECONDS:g} s as the first character.\n"
              f"exhaustive: {EXPLORE_SECONDS:g} s of breadth-first search; peak MB: maximum resident set of the measuring process.")
        print("cached s: load+check again of the same unchanged files, served by game.compiled's cache (as the game\n"
              "and every testament command load stories); load+check s: a first load that parses every file.")
        print("targets at N = 10,000: load+check < 1.5 s, >= 5,000 runs/s, peak < 250 MB")
        load_breakdown(Path(tmp) / f"n{max(a.sizes)}")
        if a.profile_load:
            profile_load(Path(tmp) / f"n{max(a.sizes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
