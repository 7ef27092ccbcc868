"""The campaign's sources and quotations: what a player reads as history is marked as such.

The conventions are those of docs/authoring.md ("Sources, quotations and uncertainty"):

- no editor's mark of uncertainty (``[?]``, ``[? ...]``, ``(sources differ: ...)``) reaches a
  player; notes say in plain words what is uncertain and whose accounts differ;
- quotation marks in what a player reads mean documented words: a quotation in a scene's
  text, choices or replies is quoted again in that scene's note, which names its source
  (an ending's quotations in its history); words the writers invent are reported speech;
- one form for each work cited, and no author in more than 40 % of the scene notes.
"""

from __future__ import annotations

from pathlib import Path
import re
import unicodedata
from collections import Counter, defaultdict

import attrs

from tests.story.conftest import scene_texts

#: Quotations this long or longer are checked against the note. Shorter ones are period terms
#: ("faction", "Trotskyism", "emergency measures") and words mentioned as words; the writers
#: check those by hand (docs/authoring.md).
MIN_QUOTED_WORDS = 3
AUTHOR_CEILING = 0.40

QUOTED = re.compile(r'"([^"]+)"')
EDITOR_MARKS = [
    (re.compile(r"\[\?"), "an editor's [? ...] mark"),
    (re.compile(r"\(\s*sources differ\b", re.I), "a bracketed '(sources differ ...)'"),
]


def _everything_a_player_can_see(story):
    """(where, text) for every text of every scene, choice, note, ending and character."""
    for scene in story.scenes.values():
        for text in scene_texts(scene):
            yield scene.id, text
        for text in scene.note.text.all():
            yield f"{scene.id} (note)", text
        for source in scene.note.sources:
            yield f"{scene.id} (sources)", source
    for ending in story.endings:
        yield ending.id, ending.title
        for part in ending.texts():
            for text in part.all():
                yield ending.id, text
    for character in story.characters.values():
        for text in (character.name, character.title, character.bio, character.standing):
            yield f"character {character.id}", text


def test_no_editors_marks_reach_a_player(campaign):
    found = [
        f"{where}: {what}: ...{text[max(0, m.start() - 40):m.end() + 40]}..."
        for where, text in _everything_a_player_can_see(campaign)
        for pattern, what in EDITOR_MARKS
        for m in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def _words(text: str) -> str:
    """Lower case words only, so that punctuation and line breaks do not matter."""
    text = text.replace("\u2019", "'").lower()
    return " ".join(re.findall(r"\w+", text))


def _undocumented_quotations(story):
    for scene in story.scenes.values():
        note = _words(" ".join(scene.note.text.all()))
        for text in scene_texts(scene):
            for quoted in QUOTED.findall(text):
                if len(quoted.split()) >= MIN_QUOTED_WORDS and _words(quoted) not in note:
                    yield f"{scene.id}: \"{quoted}\" is not quoted in the scene's note"
    for ending in story.endings:
        history = _words(" ".join(ending.history.all()))
        for text in ending.text.all() + ending.epilogue.all():
            for quoted in QUOTED.findall(text):
                if len(quoted.split()) >= MIN_QUOTED_WORDS and _words(quoted) not in history:
                    yield f"ending {ending.id}: \"{quoted}\" is not quoted in its history"


def test_quotations_are_documented_in_the_note(campaign):
    """A quotation mark promises documented words; the note quotes them again with their source.

    Invented dialogue is reported speech, without quotation marks, so it never passes for a
    document in a student's essay.
    """
    missing = list(_undocumented_quotations(campaign))
    assert not missing, "\n".join(missing)


def test_the_quotation_check_finds_invented_dialogue():
    """The check is not vacuous: a quoted line the note does not carry is reported."""
    from game.engine.model import Note, Scene, Story, Text

    scene = Scene(
        id="s", title="t", date="1923", place=Text.plain("Moscow"),
        text=Text.plain('Stalin smiles. "Of course, Grigory. We shall work together."'),
        choices=(), note=Note(Text.plain("Stalin promised nothing in writing."), ("A, B (1990)",)),
    )
    story = Story(id="x", title="x", version="1", variables=(), characters={},
                  scenes={"s": scene}, endings=())
    assert len(list(_undocumented_quotations(story))) == 1
    documented = Note(Text.plain('Bazhanov reports: "Of course, Grigory. We shall work together."'), ())
    story = Story(id="x", title="x", version="1", variables=(), characters={},
                  scenes={"s": attrs.evolve(scene, note=documented)}, endings=())
    assert list(_undocumented_quotations(story)) == []


# ----------------------------------------------------------------------------- citations


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _authors(source: str) -> set[str]:
    """Surnames of a citation's authors: 'E. H. Carr and R. W. Davies, ...' -> {'Carr', 'Davies'}."""
    head = source.split(",")[0]
    head = re.sub(r"\((?:ed|comp|eds)\.\)", "", head)
    return {_plain(name.split()[-1]) for name in head.split(" and ") if name.split()}


def _readings(story):
    """Citations in the endings' 'Read:' lines."""
    for ending in story.endings:
        for text in ending.history.all():
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("Read:"):
                    body = line[len("Read:"):].strip().rstrip(".")
                    # split between works, not inside one ("...(1930); English ed. by ...")
                    yield from re.split(r";\s+(?=[A-Z][\w.'-]*\.? [A-Z])", body)


def _all_citations(story):
    for scene in story.scenes.values():
        yield from scene.note.sources
    yield from _readings(story)


def _work(source: str) -> tuple[tuple[str, ...], str, str | None]:
    """(authors, opening words of the title, volume) of a citation: its identity as a work."""
    head, _, rest = source.partition(", ")
    volume = re.search(r"\bvol\. (\d+)", rest, re.I)
    words = [w for w in re.findall(r"[a-z]+", _plain(rest).lower()) if w not in {"vol", "the", "a"}]
    return tuple(sorted(_authors(source))), " ".join(words[:2]), volume.group(1) if volume else None


def test_one_form_per_work(campaign):
    forms: dict[tuple, set[str]] = defaultdict(set)
    for source in _all_citations(campaign):
        authors, title, volume = _work(source)
        forms[(authors, title, volume)].add(source)
    problems = [f"{key}: {sorted(found)}" for key, found in forms.items() if len(found) > 1]
    # a work cited by volume is always cited by volume
    by_title = defaultdict(set)
    for authors, title, volume in forms:
        by_title[(authors, title)].add(volume)
    problems += [f"{key}: cited both with and without a volume" for key, vols in by_title.items()
                 if None in vols and len(vols) > 1]
    assert not problems, "\n".join(problems)


def test_citations_name_author_title_and_year(campaign):
    bad = []
    for source in _all_citations(campaign):
        if not re.search(r"\b1[89]\d\d\b|\b20\d\d\b", source) or ", " not in source:
            bad.append(source)
        # an article in a journal ('"Title", Journal 50:3 (1998)') gives its pages
        if re.search(r'"[^"]+",\s+[^,(]+\s\d+(?::\d+)?\s\(\d{4}\)', source) and not re.search(r"\bpp?\. \d", source):
            bad.append(f"{source} (article without pages)")
        # collected works are cited by volume alone; the piece in it is named in the note
        if re.search(r"\bWorks, vol\.", source) and not re.fullmatch(
                r"[^,]+, (?:Collected )?Works, vol\. \d+ \(\d{4}\)", source):
            bad.append(f"{source} (cite collected works as 'Author, Works, vol. N (year)')")
    assert not bad, "\n".join(bad)


def test_no_author_dominates_the_notes(campaign):
    scenes = list(campaign.scenes.values())
    per_author: Counter[str] = Counter()
    for scene in scenes:
        per_author.update(set().union(*(_authors(s) for s in scene.note.sources)))
    heavy = {a: n for a, n in per_author.items() if n > AUTHOR_CEILING * len(scenes)}
    assert not heavy, f"cited in more than {AUTHOR_CEILING:.0%} of {len(scenes)} scene notes: {heavy}"


def test_the_citation_check_tells_works_apart():
    """Two forms of one work share a key; two works of one author do not."""
    kotkin = {_work("Stephen Kotkin, Stalin, Vol. 1 Paradoxes of Power (2014)"),
              _work('"Stephen Kotkin, Stalin, Vol. 1: Paradoxes of Power, 1878-1928 (2014)"'.strip('"'))}
    assert len(kotkin) == 1
    lewin = {_work("Moshe Lewin, Lenin's Last Struggle (1968)"),
             _work("Moshe Lewin, Russian Peasants and Soviet Power (1968)")}
    assert len(lewin) == 2
    assert _authors("E. H. Carr and R. W. Davies, Foundations of a Planned Economy 1926-1929, vol. 1 (1969)") == {"Carr", "Davies"}
    assert _authors("Pierre Broué, Révolution en Allemagne 1917-1923 (1971)") == {"Broue"}


def test_no_editors_marks_in_the_reading_aids():
    """The glossary, the timeline and the historical paths are read by players too."""
    story_folder = Path(__file__).resolve().parents[2] / "story"
    found = []
    for name in ("glossary.yaml", "timeline.yaml", "historical.yaml"):
        path = story_folder / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for pattern, what in EDITOR_MARKS:
                if pattern.search(line):
                    found.append(f"{name}:{number}: {what}: {line.strip()}")
    assert not found, "\n".join(found)
