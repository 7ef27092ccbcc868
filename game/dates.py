"""Story dates as people read them: every front end and export shows them the same way."""

from __future__ import annotations

import datetime


def pretty_date(iso: str) -> str:
    """``1923-03-05`` as ``5 March 1923``, ``1923-03`` as ``March 1923``; anything else unchanged."""
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {day:%B %Y}"
        if len(parts) == 2:
            return f"{datetime.date(int(parts[0]), int(parts[1]), 1):%B %Y}"
    except ValueError:
        pass
    return iso
