"""The pure parts: text layout, actions from events, art, palettes, forces, settings files."""

from __future__ import annotations

import pygame
from conftest import PALACE

from game.classroom import forces
from game.desktop import art, gallery
from game.desktop.actions import Kind, from_event
from game.desktop.settings import Settings, cycled, from_document, load_settings
from game.desktop.text_layout import layout, paragraphs, wrap
from game.desktop.theme import HIGH_CONTRAST, POSTER, contrast
from game.engine import load_story, start, step


def test_wrap_and_paragraphs():
    measure = lambda s: len(s) * 10  # noqa: E731
    assert paragraphs("a b\nc\n\n\nd  e") == ["a b c", "d e"]
    lines = wrap("the quick brown fox jumps over the lazy dog", measure, 100)
    assert all(len(x) <= 10 for x in lines) and " ".join(lines) == "the quick brown fox jumps over the lazy dog"
    assert wrap("abcdefghijklmnop", measure, 50) == ["abcde", "fghij", "klmno", "p"]
    block = layout("one two\n\nthree", measure, 1000, 20, 10)
    assert [line.y for line in block.lines] == [0, 30] and block.height == 50


def test_keys_and_mouse_map_to_actions():
    pygame.display.init()
    ev = pygame.event.Event
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_3, mod=0))[0].number == 3
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0))[0].kind == Kind.UNDO
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_n, mod=0))[0].kind == Kind.NOTE
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_PAGEDOWN, mod=0))[0].kind == Kind.PAGE_DOWN
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_x, mod=0))[0].kind == Kind.KEY
    assert from_event(ev(pygame.KEYDOWN, key=pygame.K_q, mod=pygame.KMOD_LCTRL))[0].kind == Kind.QUIT
    assert from_event(ev(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False))[0].number == -1
    assert from_event(ev(pygame.MOUSEBUTTONDOWN, button=1, pos=(3, 4)))[0].pos == (3, 4)
    assert from_event(ev(pygame.MOUSEBUTTONDOWN, button=3, pos=(3, 4)))[0].kind == Kind.BACK
    assert from_event(ev(pygame.QUIT))[0].kind == Kind.QUIT


def test_art_is_deterministic_per_seed_and_differs_between_scenes():
    pygame.display.init()
    pygame.font.init()  # the poster's year is set in type (and this test may run on its own)
    a = art.poster("scene-a", (120, 200), POSTER, "1923")
    art.poster.cache_clear()
    b = art.poster("scene-a", (120, 200), POSTER, "1923")
    c = art.poster("scene-b", (120, 200), POSTER, "1923")
    raw = lambda s: pygame.image.tobytes(s, "RGB")  # noqa: E731
    assert raw(a) == raw(b) and raw(a) != raw(c)
    p1 = art.portrait("trotsky", (100, 120), POSTER)
    p2 = art.portrait("zinoviev", (100, 120), POSTER)
    assert raw(p1) != raw(p2)


def test_text_colours_keep_4_5_to_1():
    for pal in (POSTER, HIGH_CONTRAST):
        for colour in (pal.ink, pal.muted, pal.red, pal.disabled):  # locked choices are read too
            assert contrast(colour, pal.paper) >= 4.5, (pal, colour)
        assert contrast(pal.on_red, pal.red) >= 4.5
        assert contrast(pal.on_dark, pal.dark) >= 4.5
        assert contrast(pal.ink, pal.highlight) >= 4.5


def test_forces_replay_the_path_and_find_the_biggest_moves():
    story = load_story(PALACE)
    s = start(story, "trotsky")
    for choice in ("promise", "march", "wait"):
        s = step(story, s, choice)
    by_id = {f.id: f for f in forces.forces(story, s)}
    assert by_id["army"].values == (70, 75, 85, 85)
    assert by_id["army"].top_moves[0].delta == 10 and "garrison" in by_id["army"].top_moves[0].choice_text
    assert by_id["police"].values[-1] == 30


def test_settings_file_is_tolerant(tmp_path):
    assert from_document({"text_size": "enormous", "fullscreen": "yes", "line_spacing": "airy"}) == Settings(line_spacing="airy")
    p = tmp_path / "s.json"
    p.write_text("{not json")
    assert load_settings(p) == Settings()
    assert cycled(Settings(), "text_speed", 1).text_speed == "fast"
    assert cycled(Settings(), "text_size", -1).text_size == "small"


def test_gallery_records_once_per_character(tmp_path):
    path = tmp_path / "g.json"
    gallery.record("s", "e1", "trotsky", path)
    gallery.record("s", "e1", "trotsky", path)
    gallery.record("s", "e1", "kamenev", path)
    got = gallery.reached("s", path)
    assert got["e1"].characters == ("trotsky", "kamenev") and got["e1"].first
    path.write_text("[]")
    assert gallery.reached("s", path) == {}


def test_engine_package_does_not_import_pygame():
    import subprocess
    import sys
    code = "import game.engine, game.desktop.session, game.classroom.forces, sys; print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
