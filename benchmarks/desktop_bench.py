"""Desktop front-end benchmarks: start-up time, frame time while text is revealed, idle CPU.

    python3 benchmarks/desktop_bench.py            # all three
    DISPLAY=:99 python3 benchmarks/desktop_bench.py  # against a real X server (Xvfb)

Without DISPLAY it uses SDL's dummy video driver. Each measurement runs in a fresh child
process so that start-up includes the interpreter and every import. The bundled campaign
is used when it loads; otherwise the small test fixture (the figure says which).

Targets (issue 3): first title frame < 1.5 s from process start; frame time while text
is revealed < 16 ms at 1920x1080; idle scene screen < 3 % of one core over 10 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "kitchen"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["SDL_VIDEODRIVER"] = "dummy"
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    env["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    env.setdefault("TESTAMENT_HOME", str(ROOT / "benchmarks" / "out" / "home"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _story():
    """The campaign if it loads, else the fixture; (story, label)."""
    from game.desktop.app import load
    story, problems = load(None, [])
    if story is not None:
        return story, "bundled campaign"
    story, _ = load(FIXTURE, [])
    return story, "tests/fixtures/kitchen (the campaign does not load yet)"


def _to_scene(app) -> None:
    """A new run opens on its chapter card; close it as the player's first key would."""
    from game.desktop.screens.chapter import ChapterCard
    if isinstance(app.top, ChapterCard):
        app.top.dismiss()


# Children ---------------------------------------------------------------------------
def child_startup() -> None:
    from game.desktop.app import App
    from game.desktop.settings import Settings
    story, label = _story()
    app = App(story, settings=Settings())
    app.loop(until=lambda a: a.frames >= 1)
    print(f"FIRST_FRAME {time.perf_counter()} {label}", flush=True)


def child_reveal() -> None:
    import pygame
    from game.desktop.app import App
    from game.desktop.settings import Settings
    story, label = _story()
    app = App(story, size=(1920, 1080), settings=Settings(text_speed="slow"))
    app.new_game(next(iter(story.characters)))
    _to_scene(app)
    scene = app.top
    times = []
    for _ in range(240):
        if not scene.revealing:
            scene.start_reveal()
        pygame.event.pump()
        t0 = time.perf_counter()
        app.update(1 / 60)
        app.draw()
        pygame.display.flip()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"REVEAL {statistics.mean(times):.2f} {times[int(len(times) * 0.95)]:.2f} {times[-1]:.2f} "
          f"{app.size[0]}x{app.size[1]} {label}", flush=True)


def child_idle(seconds: float) -> None:
    from game.desktop.app import App
    from game.desktop.settings import Settings
    story, label = _story()
    app = App(story, size=(1920, 1080), settings=Settings(text_speed="instant"))
    app.new_game(next(iter(story.characters)))
    _to_scene(app)
    app.loop(until=lambda a: a.frames >= 1)  # settle: the first frame drawn
    frames = app.frames
    cpu0, wall0 = time.process_time(), time.perf_counter()
    app.loop(until=lambda a: time.perf_counter() - wall0 >= seconds)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"IDLE {100 * cpu / wall:.2f} {app.frames - frames} {label}", flush=True)


# Parent -----------------------------------------------------------------------------
def run_child(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", *args], env=_env(), capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.split(" ", 1)[0] in ("FIRST_FRAME", "REVEAL", "IDLE"):
            return start, line
    raise SystemExit(f"benchmark child failed:\n{out.stdout}\n{out.stderr}")


def main() -> int:
    driver = "x11 (DISPLAY=" + os.environ["DISPLAY"] + ")" if os.environ.get("DISPLAY") else "dummy"
    print(f"video driver: {driver}")
    runs = []
    for _ in range(3):
        start, line = run_child("startup")
        _, stamp, label = line.split(" ", 2)
        # perf_counter is CLOCK_MONOTONIC on Linux, shared by parent and child.
        runs.append(float(stamp) - start)
    print(f"start-up to first title frame: {min(runs):.3f} s best, {statistics.median(runs):.3f} s median of 3 "
          f"(target < 1.5 s) [{label}]")
    _, line = run_child("reveal")
    _, mean, p95, worst, size, label = line.split(" ", 5)
    print(f"frame time while revealing text at {size}: mean {mean} ms, p95 {p95} ms, max {worst} ms (target < 16 ms) [{label}]")
    _, line = run_child("idle", "10")
    _, cpu, frames, label = line.split(" ", 3)
    print(f"idle scene screen over 10 s: {cpu} % of one core, {frames} frames redrawn (target < 3 %) [{label}]")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        {"startup": child_startup, "reveal": child_reveal}.get(sys.argv[2], lambda: child_idle(float(sys.argv[3])))()
    else:
        sys.exit(main())
