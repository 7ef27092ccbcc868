"""Where in time a run stands: story dates as points on a line, the years as chapters.

The campaign runs from March 1923 to December 1927; a year is a chapter. The scene
screen draws a small 1923-1927 line with the run's place on it, a chapter card opens
each new year, and the hidden-forces chart puts its years along the bottom. All of it is
read from the scenes' dates, so a mod's story gets the same for its own years.
"""

from __future__ import annotations

import datetime
from attrs import frozen

from game.engine import Story

NUMBERS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve")


def when(date: str) -> float | None:
    """``1923-03-05`` as a year with its fraction (1923.17); a month alone is its middle, a
    year alone its middle; None for anything that is not a date."""
    parts = date.strip().split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return year + 0.5
        month = int(parts[1])
        if not 1 <= month <= 12:
            return None
        if len(parts) == 2:
            return year + (month - 0.5) / 12
        day = datetime.date(year, month, int(parts[2]))
        start = datetime.date(year, 1, 1)
        days = (datetime.date(year + 1, 1, 1) - start).days
        return year + (day - start).days / days
    except (ValueError, IndexError):
        return None


def year_of(date: str) -> int | None:
    head = date.strip()[:4]
    return int(head) if head.isdigit() else None


@frozen
class Span:
    """The story's time: first and last dated scene, and its years (one chapter each)."""

    first: float
    last: float
    years: tuple[int, ...]

    def fraction(self, date: str) -> float | None:
        """Where ``date`` falls between the first and last scene, 0 to 1."""
        t = when(date)
        if t is None:
            return None
        if self.last <= self.first:
            return 1.0
        return max(0.0, min(1.0, (t - self.first) / (self.last - self.first)))

    def chapter(self, date: str) -> int | None:
        """The chapter (1 for the first year) of ``date``, or None; a scene in a year with
        only a stray scene or two (the exiles of January 1928) belongs to the chapter before."""
        year = year_of(date)
        if year is None or not self.years or year < self.years[0]:
            return None
        return max(i for i, y in enumerate(self.years) if y <= year) + 1


_SPANS: dict[int, tuple[Story, Span]] = {}


def span(story: Story) -> Span:
    """The story's span (worked out once per loaded story)."""
    kept = _SPANS.get(id(story))
    if kept is not None and kept[0] is story:
        return kept[1]
    if len(_SPANS) > 8:
        _SPANS.clear()
    found = _span(story)
    _SPANS[id(story)] = (story, found)
    return found


def _span(story: Story) -> Span:
    times = [t for t in (when(s.date) for s in story.scenes.values()) if t is not None]
    counts: dict[int, int] = {}
    for s in story.scenes.values():
        y = year_of(s.date)
        if y is not None:
            counts[y] = counts.get(y, 0) + 1
    least = max(2, sum(counts.values()) // 20)  # a chapter is a year with a twentieth of the scenes
    years = sorted(y for y, n in counts.items() if n >= least) or sorted(counts)
    if not times:
        return Span(0.0, 0.0, ())
    return Span(min(times), max(times), tuple(years))


def number_word(number: int) -> str:
    return NUMBERS[number - 1] if 0 < number <= len(NUMBERS) else str(number)


def chapter_name(number: int, of: int | None = None) -> str:
    """"Chapter Two", or "Chapter Two of Five"."""
    return f"Chapter {number_word(number)}" + (f" of {number_word(of)}" if of else "")
