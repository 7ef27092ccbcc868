"""The text game's reading aids: ``who NAME``, ``glossary [WORD]``, ``timeline``, and the
"What in your story was real?" page after the ending.

Each writes through the game's ``say`` and ``paragraphs``, in plain words (no colour, no
columns a screen reader would read across), from ``game.classroom``'s glossary, timeline
and reality modules.
"""

from __future__ import annotations

import textwrap
from typing import Callable, Sequence

from game.classroom import glossary, real, timeline
from game.dates import pretty_date
from game.engine import State, Story, view

WIDTH = 72
#: Entries printed in full before a list of names takes over.
MOST_IN_FULL = 3


class Aids:
    """The aids for one text game: ``say`` writes a line, ``paragraphs`` a wrapped text."""

    def __init__(self, story: Story, say: Callable[[str], None], paragraphs: Callable[[str], None]):
        self.story = story
        self.say = say
        self.paragraphs = paragraphs

    # ---- who's who and glossary ------------------------------------------------------------
    def entry(self, e: glossary.Entry) -> None:
        self.paragraphs(e.line())

    def names(self, title: str, entries: Sequence[glossary.Entry]) -> None:
        self.say(title)
        # A name is never split across lines: its spaces are held together while the list is filled.
        listed = ", ".join(e.short.replace(" ", "\u00a0") for e in entries)
        self.say(textwrap.fill(listed, WIDTH, initial_indent="  ", subsequent_indent="  ",
                               break_on_hyphens=False, break_long_words=False).replace("\u00a0", " "))
        self.say()

    def look_up(self, query: str, kinds: Sequence[str], command: str) -> None:
        found, close = glossary.lookup(self.story, query, kinds)
        if not found and kinds != glossary.KINDS:  # "who Orgburo" still finds the term
            found, close = glossary.lookup(self.story, query)
        if not found:
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            self.say(f"Nothing in the glossary for '{query[:60]}'.{hint} Type '{command}' for the list.")
            return
        for e in found[:MOST_IN_FULL]:
            self.entry(e)
        if len(found) > MOST_IN_FULL:
            self.names(f"And {len(found) - MOST_IN_FULL} more; type '{command} NAME' for one of them:",
                       found[MOST_IN_FULL:])

    def who(self, query: str, state: State) -> None:
        """``who NAME``: the person (or term) named; ``who`` alone: the people of this scene, then everyone."""
        if query.strip():
            self.look_up(query, ["person"], "who")
            return
        here = [e for e in self.in_scene(state) if e.kind == "person"]
        if here:
            self.say("IN THIS SCENE")
            for e in here:
                self.entry(e)
        everyone = sorted((e for e in glossary.entries(self.story) if e.kind == "person"), key=glossary.sort_key)
        if everyone:
            self.names("WHO'S WHO (type 'who NAME' for one of them):", everyone)
        elif not here:
            self.say("This story has no who's who.")

    def glossary(self, query: str, state: State) -> None:
        """``glossary WORD``: that entry; ``glossary`` alone: the terms of this scene, then every term and place."""
        if query.strip():
            self.look_up(query, glossary.KINDS, "glossary")
            return
        here = [e for e in self.in_scene(state) if e.kind != "person"]
        if here:
            self.say("IN THIS SCENE")
            for e in here:
                self.entry(e)
        terms = sorted((e for e in glossary.entries(self.story) if e.kind != "person"), key=glossary.sort_key)
        if terms:
            self.names("GLOSSARY (type 'glossary WORD' for one of them; 'who' for the people):", terms)
        elif not here:
            self.say("This story has no glossary.")

    def in_scene(self, state: State) -> list[glossary.Entry]:
        v = view(self.story, state)
        return glossary.entries_in(self.story, [v.scene.title, v.place, v.reply, v.text, *(c.text for c in v.choices)])

    # ---- timeline --------------------------------------------------------------------------
    def timeline(self, states: Sequence[State]) -> None:
        """The real events up to now beside the run's scenes, day by day."""
        rows = timeline.beside(self.story, states)
        if not timeline.events(self.story):
            self.say("This story has no timeline of real events.")
        if not rows:
            return
        self.say(f"WHAT REALLY HAPPENED, BESIDE YOUR RUN, TO {pretty_date(rows[-1].date).upper()}")
        self.say()
        last = None
        for r in rows:
            if r.date != last:
                self.say(pretty_date(r.date))
                last = r.date
            if r.side == "real":
                line = f"Really: {r.title}." + (f" {r.text}" if r.text else "")
            else:
                line = f"Your run: {r.title}" + (" (invented by the game)" if r.counterfactual else "")
            self.say(textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="    "))
        self.say()

    # ---- after the ending ------------------------------------------------------------------
    def reality(self, state: State) -> None:
        self.say(real.HEADING.upper())
        self.say()
        in_turn = False  # a turn's lines are indented under its title
        for kind, text in real.paragraphs(self.story, state):
            if kind == "heading":
                in_turn = False
                self.say(text.upper())
                self.say()
            elif kind == "turn":
                in_turn = True
                self.say(textwrap.fill(text, WIDTH))
            elif kind == "source":
                self.say(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="    "))
                self.say()
            elif kind == "label" or in_turn:
                self.say(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="  "))
            else:
                self.paragraphs(text)
