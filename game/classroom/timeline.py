"""The real events of the story's years, set beside the run the player has made so far.

``timeline.yaml`` in the story folder lists what really happened, one event a line::

    events:
      - date: 1923-03-10
        title: Lenin's third stroke
        text: He loses the power of speech for good; his political life is over.

``beside(story, states)`` merges those events with the scenes of a run, in date order, up
to the run's present: the terminal's ``timeline`` command and the window's timeline
screen both show it, the run's counterfactual scenes marked. Events are read once per
loaded story; dates are ISO (``1923-03-10``, or ``1923-03`` when only the month is known),
and ``check`` requires them in order, within the story's years.
"""

from __future__ import annotations

import datetime
from typing import Sequence

from attrs import frozen

from game.classroom.aids import Fields, cached, trees
from game.engine.errors import Location, Problems
from game.engine.model import Story
from game.engine.play import State, view

FILE = "timeline.yaml"
EVENT_KEYS = {"date", "title", "text"}


@frozen
class Event:
    """One thing that really happened."""

    date: str
    title: str
    text: str = ""
    location: Location = Location("")


@frozen
class Row:
    """One line of the timeline: a real event, or a scene of the player's run."""

    date: str
    #: ``real`` for an event, ``run`` for a scene of the run.
    side: str
    title: str
    text: str = ""
    #: For a scene of the run: whether the scene departs from what happened.
    counterfactual: bool = False
    #: For a scene of the run: its id.
    scene: str = ""


def sort_date(date: str) -> tuple[int, int, int]:
    """``1923-03-05`` as (1923, 3, 5); a month alone sorts at its end, a year alone at its end."""
    parts = (date.strip().split("-") + ["", ""])[:3]
    try:
        year = int(parts[0])
        month = int(parts[1]) if parts[1] else 12
        day = int(parts[2]) if parts[2] else 31
    except ValueError:
        return (9999, 12, 31)
    return (year, month, day)


def _valid(date: str) -> bool:
    parts = date.split("-")
    try:
        if len(parts) == 3:
            datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
        elif len(parts) == 1:
            int(parts[0])
        else:
            return False
    except ValueError:
        return False
    return all(p.isdigit() for p in parts)


def read(story: Story, problems: Problems) -> tuple[Event, ...]:
    """Every folder's events, in date order (a mod's fall into place among the campaign's)."""
    f = Fields(problems)
    out: list[Event] = []
    for tree in trees(story, FILE, problems):
        top = f.mapping(tree, getattr(tree, "loc", Location(FILE)), FILE)
        if top is None:
            continue
        f.keys(top, {"events"}, FILE)
        items = f.seq(top.get("events"), top.where("events"), "'events'") if "events" in top else None
        last = ""
        for i, item in enumerate(items or ()):
            m = f.mapping(item, items.where(i), f"event {i + 1}")
            if m is None:
                continue
            what = f"event {i + 1}"
            f.keys(m, EVENT_KEYS, what)
            date = f.text(m, "date", what)
            if date and not _valid(date):
                problems.error(m.where("date"), f"'{date}' is not a date", "write it as 1923-03-05, or 1923-03")
                continue
            if last and sort_date(date) < sort_date(last):
                problems.error(m.where("date"), f"{date} comes before {last}, the event above it",
                               "keep the events in the order of their dates")
            last = date or last
            out.append(Event(date, f.text(m, "title", what), f.text(m, "text", what, False), m.loc))
    return tuple(sorted(out, key=lambda e: sort_date(e.date)))


def events(story: Story) -> tuple[Event, ...]:
    """The story's real events, read once per loaded story."""
    return cached(story, FILE, read)


def beside(story: Story, states: Sequence[State]) -> list[Row]:
    """The real events up to the run's present, with the run's scenes, in date order.

    ``states`` is the run from its start (``states_of``). A scene's row comes after the real
    events of the same day; undated scenes are left out.
    """
    rows: list[Row] = []
    seen_dates = []
    for state in states:
        scene = story.scenes[state.scene]
        if not scene.date or sort_date(scene.date)[0] == 9999:
            continue
        seen_dates.append(scene.date)
        rows.append(Row(scene.date, "run", scene.title, view(story, state).place, scene.note.counterfactual, scene.id))
    now = max((sort_date(d) for d in seen_dates), default=None)
    real = [Row(e.date, "real", e.title, e.text) for e in events(story) if now is not None and sort_date(e.date) <= now]
    merged = sorted(real + rows, key=lambda r: (sort_date(r.date), 0 if r.side == "real" else 1))
    return merged


def check(story: Story, problems: Problems) -> None:
    """Events must be dated, in order, and fall within the years the story's scenes cover."""
    found = read(story, problems)
    years = [sort_date(s.date)[0] for s in story.scenes.values() if s.date]
    years = [y for y in years if y != 9999]
    if not found or not years:
        return
    first, last = min(years), max(years)
    for event in found:
        if not first - 2 <= sort_date(event.date)[0] <= last + 1:
            problems.warning(event.location, f"{event.date} is far outside the story's years ({first}-{last})")
