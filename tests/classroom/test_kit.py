"""The teacher's kit: its Markdown made into print-ready HTML, and the worksheet made from the story."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.classroom import kit
from game.classroom.kit import PARTS, GENERATED, markdown
from game.classroom.worksheet import answer_key, cards, turns, worksheet
from game.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEACHER = ROOT / "docs" / "teacher"


# The converter -------------------------------------------------------------------------------

def test_markdown_escapes_everything_it_does_not_mean(tmp_path):
    out = markdown('# A <b>title</b>\n\nText with <script>alert(1)</script> & "quotes".\n')
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;" in out and "&amp;" in out


def test_markdown_renders_the_kits_subset():
    out = markdown("## Head\n\nSome **bold**, *em*, `code <x>` and [a part](rubric.md) and <https://example.org>.\n\n"
                   "- one\n- two\n  - nested\n\n1. first\n2. second\n\n| a | b \\| c |\n|---|---|\n| 1 | 2 |\n\n"
                   "> quoted\n> more\n\n---\n")
    assert '<h2 id="head">Head</h2>' in out
    assert "<strong>bold</strong>" in out and "<em>em</em>" in out and "<code>code &lt;x&gt;</code>" in out
    assert '<a href="rubric.html">a part</a>' in out and '<a href="https://example.org">' in out
    assert "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>" in out
    assert "<ol><li>first</li><li>second</li></ol>" in out
    assert "<th>b | c</th>" in out and "<td>2</td>" in out
    assert "<blockquote><p>quoted more</p></blockquote>" in out and '<hr class="page">' in out


def test_links_to_scripts_are_never_made():
    assert "href" not in markdown("[x](javascript:alert(1))")


@pytest.mark.parametrize("stem", [s for s, _ in PARTS if s not in GENERATED])
def test_every_part_of_the_kit_exists_and_converts_cleanly(stem):
    text = (TEACHER / f"{stem}.md").read_text(encoding="utf-8")
    out = markdown(text)
    visible = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", out, flags=re.S)
    assert "**" not in visible and "](" not in visible, f"{stem}.md uses Markdown the kit's converter does not know"
    assert out.count("<h1") == 1, f"{stem}.md should have one title"
    for link in re.findall(r'href="(?![a-z]+:)([^"#]+)', out):
        target = (TEACHER / link).with_suffix(".md") if link.endswith(".html") else TEACHER / link
        assert target.exists() or Path(link).stem in GENERATED, f"{stem}.md links to {link}, which is not there"


def test_the_source_packet_keeps_its_excerpts_short():
    text = (TEACHER / "sources.md").read_text(encoding="utf-8")
    quotes = re.findall(r"(?:^> .*\n?)+", text, re.M)
    assert len(quotes) >= 9
    for q in quotes:
        assert len(q.split()) <= 75, f"an excerpt of {len(q.split())} words: {q[:60]}"
    assert text.count("**Citation.**") == 10 and text.count("marxists.org") >= 5


def test_the_role_cards_are_one_page_each():
    text = (TEACHER / "role-cards.md").read_text(encoding="utf-8")
    cards_ = re.split(r"^---$", text, flags=re.M)[1:]
    assert [c.strip().splitlines()[0].split(" (")[0] for c in cards_] == [
        "## Leon Trotsky", "## Grigory Zinoviev", "## Lev Kamenev", "## Nikolai Bukharin", "## Joseph Stalin"]
    for c in cards_:
        for part in ("**Who he is.**", "**Where he stands in March 1923.**", "**What he wants.**", "**What he fears.**"):
            assert part in c
        assert len(c.split()) < 450  # it fits a printed page


def test_the_guide_and_the_kit_carry_the_content_advisory():
    assert "suicide" in (TEACHER / "advisory.md").read_text(encoding="utf-8").lower()
    guide = (ROOT / "docs" / "classroom.md").read_text(encoding="utf-8").lower()
    assert "suicide" in guide and "teacher/advisory.md" in guide


# The worksheet ---------------------------------------------------------------------------------

def test_turns_are_the_ways_out_of_history(lesson):
    assert [(t.scene, t.choice, t.target) for t in turns(lesson)] == [("congress", "press-notes", "notes-read")]


def test_a_branch_that_follows_an_earlier_departure_is_not_a_turn(campaign):
    found = {(t.scene, t.choice, t.target) for t in turns(campaign)}
    assert ("1925-frunze-operation", "tell-him-refuse", "1925-frunze-lives") in found
    assert not any(t == "1925-frunze-funeral-kept" for _, _, t in found)  # needs kept_war_commissariat


def test_the_worksheet_pairs_real_and_invented_scenes(campaign):
    deck = cards(campaign)
    assert len(deck) >= 10 and sum(c.invented for c in deck) * 2 == len(deck)
    for c in deck:
        assert c.scene.note.counterfactual == c.invented
    assert len({c.letter for c in deck}) == len(deck)
    sheet, key = worksheet(campaign), answer_key(campaign)
    assert "Invented" in key and "Real" in key and "Keeps to history" in key and "*Can leave history*" in key
    for c in deck:
        assert f"| {c.letter} |" in sheet and f"| {c.letter} |" in key


def test_the_answer_key_says_what_really_happened(lesson):
    key = answer_key(lesson)
    assert "**Invented** | In reality the notes were not read to the congress." in key
    assert "Keeps to history: Keep the notes in the drawer." in key
    assert "*Can leave history* (when the forces allow)" not in key  # this turn always leads there


# The command -----------------------------------------------------------------------------------

def test_the_command_writes_the_printable_kit(tmp_path, capsys):
    assert main(["teacher-kit", "-o", str(tmp_path / "kit")]) == 0
    assert "open index.html" in capsys.readouterr().out
    folder = tmp_path / "kit"
    for stem, _ in PARTS:
        assert (folder / f"{stem}.html").is_file()
    assert (folder / "worksheet.md").is_file() and (folder / "answer-key.md").is_file()
    whole = (folder / "kit.html").read_text(encoding="utf-8")
    assert whole.count('<section class="part"') == len(PARTS) and "<script" not in whole
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{stem}.html"' in index for stem, _ in PARTS)


def test_the_command_says_so_when_the_kit_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(kit, "kit_dir", lambda: tmp_path / "nowhere")
    assert main(["teacher-kit", "-o", str(tmp_path / "kit")]) == 2
    assert "missing" in capsys.readouterr().err
