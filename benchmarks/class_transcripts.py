"""A class's hand-in folder, made up: seeded random runs of the campaign written as transcripts,
plus a few files that are not transcripts or are damaged, for ``testament class-report``.

    python3 benchmarks/class_transcripts.py OUT_DIR --students 30 --seed 7
    testament class-report OUT_DIR -o class-report.html

Each student plays one of the four characters (in turn, so the class is balanced), chooses
at random among the choices on offer, and opens the notes of a random share of the scenes
(some students read most notes, some almost none). Most write their name on the
transcript's ``Student:`` line; a few hand in the file as the game named it. A few runs stop
before the end, as a transcript written with the terminal's ``transcript`` command does.

With ``--damaged`` (the default) the folder also gets: a transcript cut short in its record,
one whose record was edited (a force changed), one from before records, a photo, an empty
file, one that is not UTF-8, a record nested 100,000 deep, one 9 MB file, and a FIFO.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.classroom.record import FENCE  # noqa: E402
from game.classroom.transcript import transcript, transcript_file  # noqa: E402
from game.compiled import load_checked  # noqa: E402
from game.engine import start, step  # noqa: E402
from game.engine.play import available, view  # noqa: E402
from game.paths import story_dir  # noqa: E402

NAMES = ["Amira K.", "Ben O.", "Chloe W.", "Dmitri S.", "Elif Y.", "Finn M.", "Grace L.", "Hamza R.", "Isla P.",
         "Jonas B.", "Kemi A.", "Liam T.", "Maya D.", "Noah F.", "Olga V.", "Priya N.", "Quentin H.", "Rosa G.",
         "Sami E.", "Tara C.", "Umar J.", "Vera Z.", "Will X.", "Xin Q.", "Yusuf I.", "Zoe U.", "Aled W.", "Bea M.",
         "Cyrus T.", "Dana F.", "Emil R.", "Fatima S."]


def make_class(out: Path, students: int, seed: int, damaged: bool = True) -> list[Path]:
    story, problems = load_checked([story_dir()])
    if story is None:
        raise SystemExit("the campaign does not load; run testament check")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    characters = list(story.characters)
    written = []
    base = datetime.datetime(2025, 3, 12, 9, 5)
    for n in range(students):
        who = characters[n % len(characters)]
        state = start(story, who)
        reads = rng.choice([0.0, 0.1, 0.3, 0.5, 0.8, 0.95])
        notes = set()
        stop_early = rng.random() < 0.1
        limit = rng.randint(10, 30) if stop_early else 10_000
        while state.ending is None and len(state.path) < limit:
            if view(story, state).note and rng.random() < reads:
                notes.add(state.scene)
            ids = available(story, state)
            state = step(story, state, rng.choice(ids))
        if view(story, state).note and rng.random() < reads:
            notes.add(state.scene)
        when = base + datetime.timedelta(minutes=rng.randint(40, 95), seconds=n)
        text = transcript_file(story, state, notes, now=when)
        name = NAMES[n % len(NAMES)]
        if rng.random() < 0.8:  # most write their name on the line; the rest hand in the file as named
            text = text.replace("**Student:** \n", f"**Student:** {name}\n", 1)
            file = out / f"{name.split()[0].lower()}-{who}.md"
        else:
            file = out / f"{who}-{when:%Y%m%d-%H%M%S}.md"
        file.write_text(text, encoding="utf-8")
        written.append(file)
    if damaged:
        good = written[0].read_text(encoding="utf-8")
        cut = good.index(FENCE) + len(FENCE) + 400
        (out / "cut-short.md").write_text(good[:cut], encoding="utf-8")
        edited = good.replace('"end": ', '"end": 1', 1)  # a force's end changed by hand
        (out / "edited.md").write_text(edited, encoding="utf-8")
        (out / "old-version.md").write_text(transcript(story, state), encoding="utf-8")
        (out / "photo-of-screen.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8)
        (out / "empty.md").write_bytes(b"")
        (out / "latin1.md").write_bytes("Transcript de l'élève".encode("latin-1"))
        (out / "deep.md").write_text(f"# x: a transcript\n\n{FENCE}\n" + "[" * 100_000 + "\n```\n", encoding="utf-8")
        with open(out / "huge.md", "wb") as f:
            f.truncate(9 * 1024 * 1024)
        if hasattr(os, "mkfifo") and not (out / "pipe.md").exists():
            os.mkfifo(out / "pipe.md")
    return written


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-damaged", dest="damaged", action="store_false")
    args = p.parse_args()
    files = make_class(args.out, args.students, args.seed, args.damaged)
    print(f"{args.out}: {len(files)} transcripts" + (" and 10 files that are not" if args.damaged else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
