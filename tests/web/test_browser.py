"""The exported page in a real browser: headless Chromium, driven over its DevTools pipe.

It opens from file:// with no network, shows the title screen, and a whole run plays to
an ending by keyboard alone; the ending, the transcript and the save it makes are the
Python engine's own for the same choices, and a save moves both ways between the page
and game/saves.py. Without Chromium these tests are skipped, and say so.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from game import saves
from game.classroom.transcript import transcript
from game.compiled import load_checked
from game.engine import replay
from game.web.build import build_page
from tests.web import conformance as C
from tests.web.cdp import Browser, chromium_binary

pytestmark = pytest.mark.skipif(chromium_binary() is None,
                                reason="Chromium is not installed, so the exported page was NOT tested in a browser "
                                       "(apt-get install chromium)")
ROOT = C.ROOT
#: The page must stay small enough to hand out on a class drive.
MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def campaign():
    story, problems = load_checked([ROOT / "story"])
    assert story is not None and not problems.errors
    return story


@pytest.fixture(scope="module")
def page(campaign, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "lenins-testament.html"
    path.write_text(build_page(campaign), encoding="utf-8")
    return path


def _focused(b: Browser) -> str:
    return b.eval("document.activeElement ? (document.activeElement.textContent || '').trim() : ''") or ""


def _tab_to(b: Browser, text: str, limit: int = 40) -> None:
    """Press Tab until the focused element's text starts with ``text``."""
    for _ in range(limit):
        if _focused(b).startswith(text):
            return
        b.key("Tab", code="Tab", text="")
    raise AssertionError(f"Tab never reached {text!r}; focus is on {_focused(b)!r}")


def _history(b: Browser) -> tuple[str, list[list[str]]]:
    data = b.eval("""(function () { const h = window.TestamentApp.history(); const s = h[h.length - 1];
        return JSON.stringify([s.character, TestamentRuntime.pathOf(s)]); })()""")
    character, path = json.loads(data)
    return character, path


def test_the_page_is_one_small_file_with_everything_inline(page):
    text = page.read_text(encoding="utf-8")
    assert page.stat().st_size < MAX_BYTES
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    assert "connect-src 'none'" in text
    assert "SIL OPEN FONT LICENSE" in text.upper()


def test_a_whole_run_plays_to_an_ending_by_keyboard(page, campaign, tmp_path):
    with Browser() as b:
        seconds = b.open(page.as_uri())
        assert b.eval("document.querySelector('.poster h1').getAttribute('aria-label')") == campaign.title
        assert b.eval("document.getElementById('live').textContent") or b.wait("document.getElementById('live').textContent")
        _tab_to(b, "New game")
        b.key("Enter")
        b.wait("document.querySelector('.cards')")
        _tab_to(b, "Play as Nikolai Bukharin")
        b.key("Enter")
        b.wait("document.querySelector('.choices')")
        assert b.eval("document.activeElement.tagName") == "H1"
        steps = 0
        while b.eval("!!document.querySelector('.choices')") and steps < 400:
            enabled = b.eval("Array.from(document.querySelectorAll('.choice')).map(c => c.getAttribute('aria-disabled') !== 'true')")
            key = str([i for i, ok in enumerate(enabled) if ok][steps % sum(enabled)] + 1)
            before = b.eval("document.querySelector('h1').textContent + TestamentRuntime.pathLength(TestamentApp.history().slice(-1)[0])")
            b.key(key)
            assert b.eval("document.querySelector('h1').textContent + TestamentRuntime.pathLength(TestamentApp.history().slice(-1)[0])") != before
            steps += 1
            if steps == 3:  # undo by key, then choose again
                b.key("u")
                assert len(_history(b)[1]) == 2
                b.key(key)
        assert b.eval("!!document.querySelector('.the-end')"), "no ending after 400 choices"
        character, path = _history(b)
        state = replay(campaign, character, [tuple(p) for p in path])
        assert state.ending is not None
        assert b.eval("document.querySelector('.the-end').textContent") == campaign.ending(state.ending).title
        assert b.eval("document.querySelectorAll('.force').length") == len(campaign.variables)
        # The transcript the page writes is the engine's, "Why this ending" included.
        page_transcript = b.eval("TestamentRuntime.transcript(TestamentApp.story, TestamentApp.history().slice(-1)[0])")
        assert page_transcript == transcript(campaign, state)
        assert "### Why this ending" in page_transcript
        # The save the page writes is one game/saves.py loads to the same state.
        doc = b.eval("TestamentRuntime.encode(TestamentRuntime.toDocument(TestamentApp.story, TestamentApp.history().slice(-1)[0], 'from the browser'))")
        saved = tmp_path / "from-the-browser.json"
        saved.write_text(doc, encoding="utf-8")
        loaded = saves.load(saved, campaign)
        assert loaded.problem == "" and loaded.state == state
        assert b.console == [], b.console
        assert [r for r in b.requests if not r.startswith(("file:", "data:"))] == []
    print(f"\npage ready in {seconds:.3f} s; {steps} choices by keyboard to '{campaign.ending(state.ending).title}'")


def test_saves_survive_a_reload_and_a_desktop_save_loads_in_the_page(page, campaign, tmp_path):
    # A save written by the desktop game, part-way through a Kamenev run.
    state = replay(campaign, "kamenev", [])
    from game.engine import step
    from game.engine.play import available
    for _ in range(6):
        state = step(campaign, state, available(campaign, state)[-1])
    desktop = tmp_path / "desktop.json"
    saves.save(desktop, campaign, state, "desktop")
    with Browser() as b:
        b.open(page.as_uri())
        b.eval("document.querySelectorAll('.menu .button')[0].click()")  # New game
        b.eval("document.querySelectorAll('.card .button')[0].click()")
        b.key("1")
        b.key("1")
        path_before = _history(b)
        b.open(page.as_uri())  # reload: the autosave is offered
        assert b.eval("document.querySelector('.menu .button').textContent").startswith("Continue")
        b.eval("document.querySelector('.menu .button').click()")
        assert _history(b) == path_before
        # Upload the desktop save through the file input of the saves window.
        b.key("s")
        b.wait("document.getElementById('save-file')")
        root = b.send("DOM.getDocument")["root"]["nodeId"]
        node = b.send("DOM.querySelector", nodeId=root, selector="#save-file")["nodeId"]
        b.send("DOM.setFileInputFiles", nodeId=node, files=[str(desktop)])
        b.wait("!document.querySelector('dialog')")
        character, path = _history(b)
        assert character == "kamenev" and path == [list(p) for p in state.path]
        assert b.eval("document.querySelector('.message').textContent").startswith("Restored")
        assert b.console == [], b.console


def test_an_unknown_export_version_is_refused_in_the_page(campaign, tmp_path):
    page = tmp_path / "future.html"
    from game.web.export import FORMAT_VERSION
    future = FORMAT_VERSION + 1
    page.write_text(build_page(campaign).replace(f'"version":{FORMAT_VERSION},', f'"version":{future},', 1), encoding="utf-8")
    with Browser() as b:
        b.open(page.as_uri(), wait_for="document.querySelector('main h1').textContent === 'This page cannot start'")
        assert f"version {future}" in b.eval("document.querySelector('.message').textContent")


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_timings_and_layout(page, size):
    """Benchmark: first scene and one choice, printed; the page fits the width at a
    Chromebook and at a phone size."""
    with Browser(*size, mobile=size[0] < 600) as b:
        begun = time.monotonic()
        b.open(page.as_uri())
        first = b.eval("""(function () { const t0 = performance.now();
            document.querySelectorAll('.menu .button')[0].click();
            document.querySelectorAll('.card .button')[0].click();
            return [performance.now() - t0, performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart]; })()""")
        ready = time.monotonic() - begun
        per_choice = b.eval("""(function () { const t0 = performance.now(); let n = 0;
            for (; n < 20 && document.querySelector('.choice:not([aria-disabled])'); n++)
              document.querySelector('.choice:not([aria-disabled])').click();
            return (performance.now() - t0) / Math.max(n, 1); })()""")
        overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    print(f"\n{size[0]}x{size[1]}: page ready {ready * 1000:.0f} ms (DOM {first[1]:.0f} ms), "
          f"first scene drawn {first[0]:.1f} ms after a click, one choice {per_choice:.2f} ms")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    assert ready < 5 and per_choice < 50  # generous: the real figures are printed above


def test_chapters_reading_aids_and_the_transcript_by_keyboard(page, campaign):
    """Chapters from the title screen (the historical path replayed, undo walking back along
    it), the glossary with this scene's names first, the timeline beside the run, a note
    opened and counted, the transcript file with the student's name, and after the ending
    "What in your story was real?", all by keyboard, each the Python side's own."""
    import re

    from game.classroom import glossary, historical, real, record, timeline
    from game.classroom.transcript import transcript_file
    from game.engine import view
    from game.engine.play import states_of
    with Browser() as b:
        b.open(page.as_uri())
        _tab_to(b, "Chapters")
        b.key("Enter")
        b.wait("document.querySelector('form.chapters')")
        # Focus the checked character, move to Kamenev with the arrow keys, then to 1925.
        b.eval("document.getElementById('chapter-who-trotsky').focus(); 1")
        b.key("ArrowRight")
        b.key("ArrowRight")
        assert b.eval("document.querySelector('input[name=chapter-who]:checked').value") == "kamenev"
        b.key("Tab")
        b.key("ArrowDown")
        b.key("ArrowDown")
        assert b.eval("document.querySelector('input[name=chapter-year]:checked').value") == "1925"
        _tab_to(b, "Begin 1925 as Lev Kamenev")
        b.key("Enter")
        b.wait("document.querySelector('.choices')")
        expected = historical.chapter_start(campaign, "kamenev", 1925)
        assert _history(b) == ("kamenev", [list(p) for p in expected[-1].path])
        assert b.eval("document.querySelector('.message').textContent").startswith("Chapter 1925, as Lev Kamenev")
        b.key("u")
        assert _history(b)[1] == [list(p) for p in expected[-2].path]
        b.key("1")
        state = replay(campaign, "kamenev", [tuple(p) for p in _history(b)[1]])
        # The glossary: this scene's names first, found as the Python side finds them.
        b.key("g")
        b.wait("document.getElementById('dialog-glossary')")
        assert b.eval("document.activeElement.id") == "glossary-find"
        v = view(campaign, state)
        here = glossary.entries_in(campaign, [v.scene.title, v.place, v.reply, v.text, *(c.text for c in v.choices)])
        shown = b.eval("Array.from(document.querySelectorAll('#dialog-glossary section[aria-labelledby=gl-here] dt strong')).map(x => x.textContent)")
        assert here and shown == [e.heading for e in here]
        for ch in "zinov":
            b.key(ch)
        assert "for \u201czinov\u201d" in b.eval("document.getElementById('glossary-count').textContent")
        b.key("Escape")
        b.key("Escape")
        b.wait("!document.querySelector('dialog')")
        # The timeline: the real events up to now beside the run.
        b.key("l")
        b.wait("document.getElementById('dialog-timeline')")
        rows = timeline.beside(campaign, states_of(campaign, state))
        assert b.eval("document.querySelectorAll('.timeline ul li').length") == len(rows)
        assert b.eval("document.querySelectorAll('.timeline li.run').length") == len(states_of(campaign, state))
        b.key("Escape")
        b.wait("!document.querySelector('dialog')")
        # A note opened is counted in the record.
        b.key("n")
        b.wait("TestamentApp.notes().length")  # the details element's toggle event comes as a task of its own
        assert b.eval("TestamentApp.notes()") == [state.scene]
        # Play on to the ending by keyboard.
        steps = 0
        while b.eval("!!document.querySelector('.choices')") and steps < 400:
            enabled = b.eval("Array.from(document.querySelectorAll('.choice')).map(c => c.getAttribute('aria-disabled') !== 'true')")
            b.key(str(enabled.index(True) + 1))
            steps += 1
        assert b.eval("!!document.querySelector('.the-end')")
        character, path = _history(b)
        final = replay(campaign, character, [tuple(p) for p in path])
        # The transcript: the dialog asks for the name; the file is the engine's transcript file.
        b.key("t")
        b.wait("document.getElementById('student-name')")
        assert b.eval("document.activeElement.id") == "student-name"
        for ch in "Anna":
            b.key(ch)
        written = b.eval("TestamentApp.transcriptFile(document.getElementById('student-name').value)")
        python = transcript_file(campaign, final, [state.scene], C.NOW)
        stamp = re.compile(r'"written_at": "[^"]*"')
        assert stamp.sub("", written) == stamp.sub("", python.replace("\n**Student:** \n", "\n**Student:** Anna\n"))
        read = record.parse(written)
        assert read.student == "Anna" and read.notes_opened == (state.scene,) and read.ending == final.ending
        b.key("Enter")  # downloads; the status says so
        b.wait("document.querySelector('#dialog-transcript .message')")
        b.key("Escape")
        b.wait("!document.querySelector('dialog')")
        # What in your story was real?
        _tab_to(b, "Read it, turn by turn", limit=80)
        b.key("Enter")
        b.wait("document.querySelector('article.real')")
        assert b.eval("document.querySelector('h1').textContent") == real.HEADING
        page_text = b.eval("Array.from(document.querySelectorAll('article.real h2, article.real p:not(.row):not(.kicker)')).map(x => x.textContent)")
        assert page_text == [text for _, text in real.paragraphs(campaign, final)]
        assert b.console == [], b.console
