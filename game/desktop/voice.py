"""Self-voicing: the window reads the scene, the choices and the focused control aloud.

As Ren'Py's self-voicing (its V key), through the system's own speech engine: espeak-ng
(or espeak) on Linux, ``say`` on macOS, the SAPI voice through PowerShell on Windows.
Speech runs in a child process so the window never waits for it; a new utterance stops
the one before. Where no engine is installed the voice is silent and costs nothing, and
nothing it does can stop the game.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Callable, Sequence


def _command() -> Callable[[str], list[str]] | None:
    """How to speak a text on this system, or None when nothing can."""
    for name in ("espeak-ng", "espeak"):
        exe = shutil.which(name)
        if exe:
            return lambda text, exe=exe: [exe, "-s", "165", "--", text]
    if sys.platform == "darwin" and shutil.which("say"):
        return lambda text: ["say", "--", text]
    if sys.platform == "win32":
        ps = shutil.which("powershell") or shutil.which("pwsh")
        if ps:
            script = ("Add-Type -AssemblyName System.Speech; "
                      "(New-Object System.Speech.Synthesis.SpeechSynthesizer).Speak([Console]::In.ReadToEnd())")
            return lambda text, ps=ps: [ps, "-NoProfile", "-Command", script]
    return None


class Voice:
    """Speaks one text at a time; ``say`` never blocks and never raises."""

    def __init__(self, command: Callable[[str], list[str]] | None | str = "auto"):
        self.command = _command() if command == "auto" else command
        self.process: subprocess.Popen | None = None
        #: Everything said, newest last (tests read it; a few hundred entries at most).
        self.said: list[str] = []

    @property
    def available(self) -> bool:
        return self.command is not None

    def say(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.said = (self.said + [text])[-200:]
        self.stop()
        if self.command is None:
            return
        args = self.command(text)
        try:
            self.process = subprocess.Popen(args, stdin=subprocess.PIPE if sys.platform == "win32" else subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if sys.platform == "win32" and self.process.stdin is not None:
                self.process.stdin.write(text.encode("utf-8"))
                self.process.stdin.close()
        except (OSError, ValueError):
            self.process = None
            self.command = None  # the engine is broken here: stay silent from now on

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                self.process.terminate()
            except OSError:
                pass
        self.process = None


def join(parts: Sequence[str]) -> str:
    """Pieces of a screen as one utterance, each its own sentence."""
    out = []
    for p in parts:
        p = " ".join(p.split())
        if p:
            out.append(p if p[-1] in ".!?:;…”’\"" else p + ".")
    return " ".join(out)
