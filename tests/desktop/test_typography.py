"""Curly quotes and real dashes, set by the renderer (the story files keep what was typed)."""

from __future__ import annotations

import pygame
import pytest

from game.desktop.settings import Settings
from game.desktop.text_layout import typeset
from game.desktop.theme import Theme


@pytest.mark.parametrize("typed, shown", [
    ('"Dear Comrade Trotsky."', "“Dear Comrade Trotsky.”"),
    ("instead - that they are not alone", "instead – that they are not alone"),
    ("Lenin's 'notes'", "Lenin’s ‘notes’"),
    ("(\"quoted\")", "(“quoted”)"),
    ('He said, "No." Then "yes"', "He said, “No.” Then “yes”"),
    ("1923-1927", "1923–1927"),
    ("met on 17-25 April", "met on 17–25 April"),
    ("a -- b", "a — b"),
    ("end of a line -", "end of a line –"),
    # Left alone: words joined by a hyphen, dates, file names, numbers in names.
    ("petty-bourgeois", "petty-bourgeois"),
    ("1923-03-05", "1923-03-05"),
    ("trotsky-20261207-101010.md", "trotsky-20261207-101010.md"),
    ("slot-3", "slot-3"),
    ("", ""),
])
def test_typeset(typed, shown):
    assert typeset(typed) == shown
    assert typeset(shown) == shown  # setting twice changes nothing


def test_the_renderer_sets_what_it_measures_and_draws():
    pygame.font.init()
    theme = Theme(Settings(), (1280, 720))
    for font in (theme.body(), theme.display(40), theme.label(15), Theme(Settings(dyslexic_font=True), (1280, 720)).body()):
        straight, curly = '"It is - 1923-1927 - Lenin\'s"', "“It is – 1923–1927 – Lenin’s”"
        assert font.width(straight) == font.width(curly)
        a, b = font.render(straight, (0, 0, 0)), font.render(curly, (0, 0, 0))
        assert pygame.image.tobytes(a, "RGBA") == pygame.image.tobytes(b, "RGBA")


def test_curly_quotes_stay_in_the_dyslexic_face():
    """Setting quotes curly must not send a whole line to the fallback face (only Cyrillic does)."""
    pygame.font.init()
    font = Theme(Settings(dyslexic_font=True), (1280, 720)).body()
    assert font._pick(typeset("\"Lenin's - note\"")) is font.main
    assert font._pick("Ленин ждёт") is font.fallback


def test_a_quoted_punctuation_mark_is_closed_not_opened_twice():
    """A checker's message quotes "': '": the second quote closes the first."""
    from game.desktop.text_layout import typeset
    assert typeset("the ': ' in the text") == "the \u2018: \u2019 in the text"
    assert typeset('a ": " there') == "a \u201c: \u201d there"
