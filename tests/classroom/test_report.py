"""``testament class-report``: a folder of transcripts, hostile files among them, on one offline page."""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from game.classroom.record import FENCE
from game.classroom.report import read_folder, render
from game.classroom.transcript import transcript, transcript_file
from game.cli import main
from tests.classroom.conftest import LESSON
from tests.conftest import play

ROOT = Path(__file__).resolve().parents[2]


def _hand_in(folder: Path, story, name: str, character: str, choices, notes=(), student: str = "") -> Path:
    text = transcript_file(story, play(story, character, *choices), notes)
    if student:
        text = text.replace("**Student:** \n", f"**Student:** {student}\n")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path, lesson) -> Path:
    f = tmp_path / "class"
    f.mkdir()
    _hand_in(f, lesson, "a.md", "leon", ["press-notes", "go-on"], {"congress", "notes-read"}, "Anna <script>alert(1)</script>")
    _hand_in(f, lesson, "b.md", "lev", ["keep-quiet"], {"congress"}, "Boris")
    _hand_in(f, lesson, "lev-20250101.md", "lev", ["press-notes", "go-on"])
    _hand_in(f, lesson, "c.md", "leon", ["press-notes"], (), "Chen")  # not finished
    good = (f / "b.md").read_text(encoding="utf-8")
    (f / "edited.md").write_text(good.replace('"end": 45', '"end": 46'), encoding="utf-8")
    (f / "z-again.md").write_text(good, encoding="utf-8")
    (f / "old.md").write_text(transcript(lesson, play(lesson, "lev", "keep-quiet")), encoding="utf-8")
    (f / "notes.txt").write_text("my homework", encoding="utf-8")
    (f / "latin1.md").write_bytes("élève".encode("latin-1"))
    (f / "deep.md").write_text(f"x\n{FENCE}\n" + "{" * 100_000 + "\n```\n", encoding="utf-8")
    with open(f / "huge.md", "wb") as h:
        h.truncate(9 * 1024 * 1024)
    os.mkfifo(f / "pipe.md")
    (f / "sub").mkdir()
    (f / "zero.md").symlink_to("/dev/zero")
    return f


def test_the_folder_is_read_and_every_other_file_set_aside_with_a_reason(folder, lesson):
    result = read_folder(folder, lesson)
    assert sorted(e.path.name for e in result.entries) == ["a.md", "b.md", "c.md", "lev-20250101.md"]
    reasons = {a.path.name: a.reason for a in result.set_aside}
    assert sorted(reasons) == ["deep.md", "edited.md", "huge.md", "latin1.md", "notes.txt", "old.md",
                               "pipe.md", "sub", "z-again.md", "zero.md"]
    assert "handed in twice" in reasons["z-again.md"] and "edited" in reasons["edited.md"]
    assert all(r and "\n" not in r for r in reasons.values())
    labels = sorted(e.label for e in result.entries)
    assert labels == ["Anna <script>alert(1)</script>", "Boris", "Chen", "lev-20250101"]


def test_file_names_that_are_not_text_are_set_aside_and_shown_safely(tmp_path, lesson, capsys):
    f = tmp_path / "odd"
    f.mkdir()
    os.close(os.open(os.fsencode(f) + b"/\xff\xfe.md", os.O_CREAT | os.O_WRONLY))
    (f / "two\nlines.md").write_text("hello", encoding="utf-8")
    _hand_in(f, lesson, "ok.md", "lev", ["keep-quiet"])
    out_file = tmp_path / "r.html"
    assert main(["class-report", str(f), "-o", str(out_file), "--story", str(LESSON)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 3  # one line per file set aside, and the summary
    page = out_file.read_text(encoding="utf-8")
    assert "two\nlines" not in page and "two\\nlines.md" in page and "1 transcript read" in page


def test_the_page_counts_the_class(folder, lesson):
    page = render(read_folder(folder, lesson), lesson, "Form 5B")
    assert "<script>" not in page and "Anna &lt;script&gt;" in page
    assert "Form 5B" in page and "4 transcripts read; 10 files set aside" in page
    endings = page[page.index("Endings by character"):page.index("The decisive choices")]
    assert re.search(r"The notes were read</th>.*?<td[^>]*>1</td>.*?<td[^>]*>1</td>", endings)  # one Trotsky, one Kamenev
    assert "Not finished" in endings and "Silence" in endings
    assert "Read Lenin&#x27;s notes aloud." in page  # the decisive choice, and the turn out of history
    assert "Lenin&#x27;s voice in the hall" in page
    assert "deep.md" in page and "notes.txt" in page


def test_the_charts_are_well_formed_svg(folder, lesson):
    page = render(read_folder(folder, lesson), lesson)
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) >= 2
    for svg in charts:
        root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        assert root.tag.endswith("svg")
    forces = next(c for c in charts if "role=\"img\"" in c)
    assert forces.count("<title>") >= 4 + 2  # a marker per student's end, one per character's start


def test_the_page_has_no_script_and_fetches_nothing(folder, lesson):
    page = render(read_folder(folder, lesson), lesson)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_the_command_says_a_line_per_file_set_aside(folder, tmp_path, capsys):
    out_file = tmp_path / "report.html"
    code = main(["class-report", str(folder), "-o", str(out_file), "--story", str(LESSON)])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert sum(": set aside: " in line for line in lines) == 10
    assert "4 transcript(s) read" in lines[-1] and out_file.is_file()


def test_the_report_written_into_the_folder_is_not_read_as_a_transcript(folder, capsys):
    assert main(["class-report", str(folder), "-o", str(folder / "report.html"), "--story", str(LESSON)]) == 0
    assert main(["class-report", str(folder), "-o", str(folder / "report.html"), "--story", str(LESSON)]) == 0
    assert "report.html" not in capsys.readouterr().out.replace(str(folder / "report.html") + ":", "")


def test_an_empty_folder_and_a_missing_one(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["class-report", str(tmp_path / "empty"), "-o", str(tmp_path / "r.html"), "--story", str(LESSON)]) == 0
    assert "No transcripts" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["class-report", str(tmp_path / "nowhere"), "-o", str(tmp_path / "r.html")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_runs_of_another_story_version_are_counted_with_a_remark(folder, lesson):
    from attrs import evolve
    newer = evolve(lesson, version="2")
    result = read_folder(folder, newer)
    assert len(result.entries) == 4 and all("version 1" in e.remark for e in result.entries)
    # Without a replay the edited copy is not caught as edited, but it is the same run as b.md.
    assert "b.md" in next(a.reason for a in result.set_aside if a.path.name == "edited.md")


def test_a_generated_class_of_the_campaign(tmp_path):
    """The benchmark's generator: 8 seeded runs of the campaign and its ten bad files."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import class_transcripts
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    written = class_transcripts.make_class(tmp_path / "class", 8, seed=3)
    from game.compiled import load_checked
    from game.paths import story_dir
    story, _ = load_checked([story_dir()])
    result = read_folder(tmp_path / "class", story)
    assert len(result.entries) == len(written) == 8
    assert len(result.set_aside) == 9  # the tenth bad file is a FIFO too, and a duplicate is not among them
    page = render(result, story)
    assert page.count("<tr>") > 8 and "The hidden forces at the end" in page
