"""Wrapping story text into lines at a comfortable measure, and revealing it bit by bit.

Pure functions over a ``measure`` callable (text -> width in pixels), so the wrapping can
be tested without a window, and the same layout serves every screen.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from attrs import frozen

Measure = Callable[[str], int]

#: The measure we aim for: about 60-75 characters a line.
IDEAL_CHARS = 66


def paragraphs(text: str) -> list[str]:
    """Paragraphs split on blank lines, with the author's line breaks inside them joined."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def wrap(text: str, measure: Measure, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken where it must be."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while measure(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


@frozen
class Line:
    """One laid-out line: its text, its top edge, and where it starts in the reveal order."""

    text: str
    y: int
    start: int
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@frozen
class Block:
    """Laid-out paragraphs: lines top to bottom, total height, and characters to reveal."""

    lines: tuple[Line, ...]
    height: int
    chars: int


def layout(text: str, measure: Measure, width: int, line_height: int, paragraph_gap: int) -> Block:
    """Lay ``text`` out in paragraphs; a paragraph break counts one character of reveal."""
    lines: list[Line] = []
    y = 0
    count = 0
    for number, para in enumerate(paragraphs(text)):
        if number:
            y += paragraph_gap
            count += 1
        for piece in wrap(para, measure, width):
            lines.append(Line(piece, y, count, number))
            y += line_height
            count += len(piece) + 1
    return Block(tuple(lines), y, count)


def measure_width(measure: Measure, chars: int = IDEAL_CHARS) -> int:
    """The pixel width of a line of about ``chars`` characters of ordinary prose."""
    sample = "the quick brown fox jumps over a lazy dog, and the Party Congress "
    sample = (sample * (chars // len(sample) + 1))[:chars]
    return measure(sample)


def visible(line: Line, shown: float) -> str:
    """The part of ``line`` revealed once ``shown`` characters of its block are out."""
    if shown >= line.end:
        return line.text
    if shown <= line.start:
        return ""
    return line.text[: int(shown - line.start)]


_EM = re.compile(r"(?<!-)--(?!-)")
_EN_SPACED = re.compile(r"(^|(?<=\s))-(?=\s|$)")
_RANGE = re.compile(r"(?<![\w./-])(\d{1,4})-(\d{1,4})(?![\w/-])")
_OPEN_BEFORE = set(" \t\n([{<—–-/\u00a0“‘")


@functools.lru_cache(maxsize=8192)
def typeset(text: str) -> str:
    """Straight quotes and hyphens as a typesetter would set them, for the screen only:
    “double” and ‘single’ quotes, the apostrophe ’, an en dash for a spaced hyphen
    ("instead – that") and for a range of numbers (1923–1927, 17–25), an em dash for "--".
    The story files keep what the writers typed; every line is set the same way when it is
    measured and when it is drawn, so wrapping stays exact."""
    if not text or not any(c in text for c in "\"'-"):
        return text
    if "-" in text:
        text = _EM.sub("—", text)
        text = _EN_SPACED.sub("–", text)
        text = _RANGE.sub(r"\1–\2", text)
    if '"' not in text and "'" not in text:
        return text
    out = []
    prev = ""
    # A quote after a space or an opening bracket opens, unless one of its kind is open and
    # nothing but punctuation or space follows: then it closes (the "': '" of a message).
    open_double = open_single = False
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        closes_here = not nxt or not nxt.isalnum()
        if ch == '"':
            opening = (not prev or prev in _OPEN_BEFORE) and not (open_double and closes_here)
            out.append("“" if opening else "”")
            open_double = opening
        elif ch == "'":
            if prev.isalnum() and (nxt.isalpha() or not nxt or not nxt.isalnum()):
                out.append("’")  # an apostrophe (Lenin's) or a closing quote after a word
                if not nxt.isalpha():
                    open_single = False
            elif (not prev or prev in _OPEN_BEFORE) and not (open_single and closes_here):
                out.append("‘")
                open_single = True
            else:
                out.append("’")
                open_single = False
        else:
            out.append(ch)
        prev = ch
    return "".join(out)
