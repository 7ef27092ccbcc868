"""The glossary and who's who: short entries, with dates, for the names and terms of the story.

``glossary.yaml`` in the story folder (and in any mod folder, for the mod's own names)::

    entries:
      - name: Orgburo                  # the form the story's text uses: what is matched
        kind: term                     # person, term or place
        dates: 1919-1952               # required for a person, optional otherwise
        also: [Organisational Bureau]  # other forms that should find the entry
        text: The Central Committee's Organisational Bureau ...
      - name: Rykov
        kind: person
        full: Alexei Rykov             # how the entry is headed (default: the name)
        dates: 1881-1938
        text: ...

A name is matched as a whole word (a possessive or a plural ending allowed), case and all
when it has a capital letter, in any case when it has none (``kulak`` finds "Kulaks").
``entries_in`` finds the entries a passage mentions, in the order it first mentions them:
the window's glossary screen shows those of the current scene first.

``check`` (called by ``testament check``) requires every entry's name to occur somewhere in
the story (scene and ending texts, choices, notes, character bios) and no name or other
form to be given twice.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from attrs import field, frozen

from game.classroom.aids import Fields, cached, trees
from game.engine.errors import Location, Problems
from game.engine.model import Story

FILE = "glossary.yaml"
KINDS = ("person", "term", "place")
ENTRY_KEYS = {"name", "kind", "full", "dates", "also", "text"}


@frozen
class Entry:
    """One glossary or who's who entry."""

    name: str
    #: ``person``, ``term`` or ``place``.
    kind: str
    dates: str
    text: str
    #: The heading: the full name of a person, the name itself otherwise.
    full: str = ""
    #: Other forms of the name that find the entry (spellings, expansions, abbreviations).
    also: tuple[str, ...] = ()
    location: Location = field(default=Location(""), eq=False)

    @property
    def heading(self) -> str:
        return self.full or self.name

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.also)

    @property
    def short(self) -> str:
        """The name for a list: the name, or the full name without its parentheses when the
        name is only a first name ("Natalia" is listed as "Natalia Sedova")."""
        plain = self.full.split(" (")[0].strip()
        return plain if plain and not plain.endswith(self.name) else self.name

    def line(self) -> str:
        """The entry on one line: heading, dates, text."""
        return f"{self.heading}, {self.dates}. {self.text}" if self.dates else f"{self.heading}. {self.text}"


def _pattern(form: str) -> re.Pattern[str]:
    flags = 0 if any(ch.isupper() for ch in form) else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?:['’]s|es|s)?(?![\w-])", flags)


def read(story: Story, problems: Problems) -> tuple[Entry, ...]:
    """Every folder's entries, the campaign's first; an entry repeated is reported, not kept."""
    f = Fields(problems)
    out: list[Entry] = []
    seen: dict[str, Entry] = {}
    for tree in trees(story, FILE, problems):
        top = f.mapping(tree, getattr(tree, "loc", Location(FILE)), FILE)
        if top is None:
            continue
        f.keys(top, {"entries"}, FILE)
        items = f.seq(top.get("entries"), top.where("entries"), "'entries'") if "entries" in top else None
        for i, item in enumerate(items or ()):
            m = f.mapping(item, items.where(i), f"entry {i + 1}")
            if m is None:
                continue
            what = f"the entry '{m.get('name')}'" if isinstance(m.get("name"), str) else f"entry {i + 1}"
            f.keys(m, ENTRY_KEYS, what)
            name = f.text(m, "name", what)
            kind = f.text(m, "kind", what)
            if kind and kind not in KINDS:
                problems.error(m.where("kind"), f"kind '{kind}' of {what} is not one of {', '.join(KINDS)}")
            dates = f.text(m, "dates", what, required=kind == "person")  # a person's years; a term's when it has them
            entry = Entry(name, kind, dates, f.text(m, "text", what), f.text(m, "full", what, False),
                          tuple(f.texts(m, "also", what)), m.loc)
            if not name:
                continue
            clash = next((seen[x.casefold()] for x in entry.forms if x.casefold() in seen), None)
            if clash is not None:
                problems.error(m.where("name"), f"'{name}' is in the glossary twice (also at {clash.location})",
                               "merge the two entries, or give one a fuller name")
                continue
            for form in entry.forms:
                seen[form.casefold()] = entry
            out.append(entry)
    return tuple(out)


def entries(story: Story) -> tuple[Entry, ...]:
    """The story's glossary, read once per loaded story."""
    return cached(story, FILE, read)


def _compiled(story: Story) -> list[tuple[Entry, list[re.Pattern[str]]]]:
    return cached(story, FILE + ":patterns", lambda s, _: [(e, [_pattern(x) for x in e.forms]) for e in entries(s)])


def entries_in(story: Story, texts: Iterable[str]) -> list[Entry]:
    """The entries that ``texts`` mention, in the order of their first mention."""
    blob = "\n".join(t for t in texts if t)
    found = []
    for entry, patterns in _compiled(story):
        first = min((m.start() for p in patterns for m in [p.search(blob)] if m), default=None)
        if first is not None:
            found.append((first, entry))
    return [e for _, e in sorted(found, key=lambda pair: pair[0])]


def sort_key(entry: Entry) -> str:
    return entry.name.casefold()


def lookup(story: Story, query: str, kinds: Iterable[str] = KINDS) -> tuple[list[Entry], list[str]]:
    """Entries for ``query`` (a name or other form, any case; a prefix; a part) among ``kinds``,
    and, when none is found, the nearest names as suggestions."""
    q = " ".join(query.split()).casefold()
    pool = [e for e in entries(story) if e.kind in set(kinds)]
    if not q:
        return sorted(pool, key=sort_key), []
    for test in (lambda form: form == q, lambda form: form.startswith(q), lambda form: q in form):
        hits = [e for e in pool if any(test(x.casefold()) for x in (*e.forms, e.heading))]
        if hits:
            return sorted(hits, key=sort_key), []
    names = {x.casefold(): e.name for e in pool for x in e.forms}
    close = difflib.get_close_matches(q, list(names), n=3, cutoff=0.6)
    return [], list(dict.fromkeys(names[c] for c in close))


def story_text(story: Story) -> str:
    """Everything a player can read in the story, in one string, for ``check``."""
    parts: list[str] = []
    for text, _ in story.texts():
        parts += text.all()
    for scene in story.scenes.values():
        parts += [scene.title, *scene.note.sources]
    for c in story.characters.values():
        parts += [c.name, c.title, c.bio, c.standing]
    for e in story.endings:
        parts.append(e.title)
    return "\n".join(p for p in parts if p)


def check(story: Story, problems: Problems) -> None:
    """Entries must name something the story mentions, each once."""
    found = read(story, problems)
    if not found:
        return
    blob = story_text(story)
    for entry in found:
        if not _pattern(entry.name).search(blob):
            problems.error(entry.location, f"the glossary entry '{entry.name}' names something the story never mentions",
                           "use the form the scenes use as its name, and put other forms under 'also'")
