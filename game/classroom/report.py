"""``testament class-report``: every transcript a class handed in, on one page a teacher can project.

The page is one HTML file with its style inline and no script: it opens offline in any
browser and prints. Its charts are plain SVG written here, not drawn by a library: the
game adds no dependency for them, nothing is fetched from a network when the page opens
in a classroom without one, and vector shapes print as sharply as the text.

Each file in the folder is read through ``game.classroom.record`` (bounded, type-checked,
never evaluated). A file that is not a transcript, or is damaged, is set aside with one
line saying why. When the story the transcripts were written with is at hand, each run is
also replayed: a record whose choices do not lead to its ending, or whose forces are not
what its choices made them, has been edited or damaged and is set aside too.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Sequence

from attrs import frozen

from game.classroom.record import Record, RecordError, read
from game.engine import StepError, Story, replay

#: Files read from one folder; a class is far smaller.
MAX_FILES = 2000
#: Rows in the tables of choices, turns and notes.
TOP = 12
#: One colour and one marker shape per character, in order (Okabe-Ito colours, told apart
#: without colour too by the shape, so the chart survives a grey printer).
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SHAPES = ["circle", "square", "triangle", "diamond", "circle", "square", "triangle", "diamond"]


@frozen
class Entry:
    """A transcript that was read: its file, its record, and the name the page shows."""

    path: Path
    record: Record
    #: A remark on it ("" when none), such as another story version.
    remark: str = ""

    @property
    def label(self) -> str:
        return self.record.student or self.path.stem


@frozen
class SetAside:
    path: Path
    reason: str


@frozen
class Folder:
    entries: tuple[Entry, ...]
    set_aside: tuple[SetAside, ...]
    #: Files not looked at because the folder held more than ``MAX_FILES``.
    not_read: int = 0


# Reading ---------------------------------------------------------------------------------

def read_folder(folder: Path, story: Story | None = None, skip: Iterable[Path] = ()) -> Folder:
    """Every transcript in ``folder`` (not its subfolders), in name order; the rest set aside with a reason.

    ``OSError`` if the folder itself cannot be listed.
    """
    skipped = {os.path.abspath(p) for p in skip}
    with os.scandir(folder) as it:
        names = []
        for n, entry in enumerate(it):
            if n >= MAX_FILES * 10:  # a folder of millions: stop listing
                break
            names.append(entry.name)
    names.sort()
    not_read = max(0, len(names) - MAX_FILES)
    entries: list[Entry] = []
    aside: list[SetAside] = []
    seen: dict[tuple, Path] = {}
    for name in names[:MAX_FILES]:
        path = Path(folder) / name
        if os.path.abspath(path) in skipped:
            continue
        try:
            record = read(path)
        except RecordError as exc:
            aside.append(SetAside(path, str(exc)))
            continue
        problem, remark = _against_story(record, story)
        if problem:
            aside.append(SetAside(path, problem))
            continue
        key = (record.character, record.path, record.written_at)
        if key in seen:
            aside.append(SetAside(path, f"the same run as {seen[key].name} (handed in twice?); counted once"))
            continue
        seen[key] = path
        entries.append(Entry(path, record, remark))
    return Folder(tuple(entries), tuple(aside), not_read)


def _against_story(record: Record, story: Story | None) -> tuple[str, str]:
    """(why the record is refused, or ""; a remark, or "") after replaying it on ``story``."""
    if story is None:
        return "", ""
    if record.story_id != story.id:
        return "", f"written for the story '{record.story_id}', not checked against {story.title}"
    if record.story_version != story.version:
        return "", f"written with story version {record.story_version} (this is {story.version}); not replayed"
    if record.character not in story.characters:
        return f"damaged or edited: it plays '{record.character}', who is not in this story", ""
    try:
        state = replay(story, record.character, record.path)
    except StepError as exc:
        return f"damaged or edited: its choices do not replay ({exc})", ""
    if (state.ending or "") != record.ending:
        return "damaged or edited: its choices do not lead to the ending it names", ""
    ends = {v.id: state.values[v.index] for v in story.variables}
    if any(ends.get(f.id) != f.end for f in record.forces) or len(record.forces) != len(story.variables):
        return "damaged or edited: its forces are not what its choices made them", ""
    return "", ""


# The class as numbers --------------------------------------------------------------------

@frozen
class Summary:
    entries: tuple[Entry, ...]
    #: Character ids in order, with names.
    characters: tuple[tuple[str, str], ...]
    #: Ending ids in order (story order when known), with titles; "" is "not finished".
    endings: tuple[tuple[str, str], ...]
    #: (ending, character) -> count.
    by_ending: dict
    #: Force ids in order, with names and ranges.
    forces: tuple[tuple[str, str, int, int], ...]
    decisive: tuple[tuple[int, str, str, str, tuple[str, ...], Counter], ...]
    turns: tuple[tuple[int, str, str, str, str, Counter], ...]
    #: (opened, passed, scene, title, date) for every scene with a note some student passed.
    notes: tuple[tuple[int, int, str, str, str], ...]


def summarise(entries: Sequence[Entry], story: Story | None = None) -> Summary:
    records = [e.record for e in entries]
    chars: dict[str, str] = {}
    if story is not None:
        chars.update({c.id: c.name for c in story.characters.values() if any(r.character == c.id for r in records)})
    for r in records:
        chars.setdefault(r.character, r.character_name or r.character)
    ending_titles: dict[str, str] = {}
    if story is not None:
        for e in story.endings:
            if any(r.ending == e.id for r in records):
                ending_titles[e.id] = e.title
    for r in sorted(records, key=lambda r: r.ending_title):
        if r.ending:
            ending_titles.setdefault(r.ending, r.ending_title or r.ending)
    if any(not r.finished for r in records):
        ending_titles[""] = "Not finished"
    by_ending = Counter((r.ending, r.character) for r in records)
    forces: dict[str, tuple[str, str, int, int]] = {}
    if story is not None:
        forces.update({v.id: (v.id, v.name, v.min, v.max) for v in story.variables})
    for r in records:
        for f in r.forces:
            forces.setdefault(f.id, (f.id, f.name, f.low, f.high))

    decisive: dict[tuple[str, str], list] = {}
    for r in records:
        for d in {(d.scene, d.choice): d for d in r.decisive}.values():
            slot = decisive.setdefault((d.scene, d.choice), [0, d.scene_title, d.text, d.flags, Counter()])
            slot[0] += 1
            slot[4][r.character] += 1
    turns: dict[str, list] = {}
    for r in records:
        for i in {i.scene: i for i in r.invented if i.turn}.values():
            slot = turns.setdefault(i.scene, [0, i.title, i.date, Counter(), Counter()])
            slot[0] += 1
            slot[3][i.choice_text] += 1
            slot[4][r.character] += 1
    passed: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    titles: dict[str, tuple[str, str]] = {}
    for r in records:
        for s in r.scenes:
            if s.note:
                passed[s.scene] += 1
                titles.setdefault(s.scene, (s.title, s.date))
        opened.update(set(r.notes_opened))
    return Summary(
        tuple(entries), tuple(chars.items()), tuple(ending_titles.items()), dict(by_ending), tuple(forces.values()),
        tuple(sorted(((v[0], k[0], v[1], v[2], v[3], v[4]) for k, v in decisive.items()), key=lambda x: (-x[0], x[1], x[2]))),
        tuple(sorted(((v[0], k, v[1], v[2], v[3].most_common(1)[0][0], v[4]) for k, v in turns.items()),
                     key=lambda x: (-x[0], x[3], x[1]))),
        tuple((opened[s], passed[s], s, *titles[s]) for s in passed),
    )


# The page --------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _e(text: object) -> str:
    """Text made safe for HTML and SVG (quotes too): control and direction characters shown
    as escapes (a file name may hold a line break), anything unwritable replaced."""
    shown = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return html.escape(shown, quote=True).encode("utf-8", "replace").decode("utf-8")


def render(folder: Folder, story: Story | None = None, title: str = "", now: datetime.datetime | None = None) -> str:
    """The report as one HTML page."""
    s = summarise(folder.entries, story)
    story_title = story.title if story is not None else (folder.entries[0].record.story_title if folder.entries else "")
    when = (now or datetime.datetime.now()).strftime("%d %B %Y, %H:%M").lstrip("0")
    head = title or "Class report"
    parts = [f"<header><p class=kicker>{_e(story_title)}</p><h1>{_e(head)}</h1>",
             f"<p class=lede>{len(s.entries)} transcript{'s' if len(s.entries) != 1 else ''} read"
             + (f"; {len(folder.set_aside)} file{'s' if len(folder.set_aside) != 1 else ''} set aside" if folder.set_aside else "")
             + f". Made {_e(when)}.</p></header>"]
    if not s.entries:
        parts.append("<section><h2>No transcripts</h2><p>None of the files in the folder is a transcript "
                      "with a record. Transcripts are written by the game at the end of a run "
                      "(and by the terminal's <code>transcript</code> command).</p></section>")
    else:
        parts += [_endings_section(s), _decisive_section(s), _forces_section(s), _turns_section(s),
                  _notes_section(s), _students_section(s)]
    if folder.set_aside or folder.not_read:
        parts.append(_aside_section(folder))
    parts.append("<footer><p>Written by <code>testament class-report</code>. The page needs no network and no "
                 "script; its charts are SVG drawn by the game itself, so they print as sharply as the text. "
                 "Names and file names are the students' own; nothing leaves this computer.</p></footer>")
    return (f"<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
            f"<meta name=viewport content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(head)}: {_e(story_title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


def _char_key(s: Summary) -> dict[str, int]:
    return {cid: i for i, (cid, _) in enumerate(s.characters)}


def _swatch(s: Summary, cid: str, size: int = 16) -> str:
    i = _char_key(s).get(cid, 0)
    return (f"<svg class=\"swatch\" width=\"{size}\" height=\"{size}\" viewBox=\"-8 -8 16 16\" aria-hidden=\"true\">"
            f"{_marker(SHAPES[i % len(SHAPES)], 0, 0, 6, PALETTE[i % len(PALETTE)], True)}</svg>")


def _endings_section(s: Summary) -> str:
    most = max(s.by_ending.values(), default=1)
    head = "".join(f"<th scope=col title=\"{_e(name)}\">{_swatch(s, cid)}<br>{_e(name.split()[-1] if name.split() else name)}</th>"
                   for cid, name in s.characters)
    rows = []
    for eid, title in s.endings:
        cells = []
        for cid, _ in s.characters:
            n = s.by_ending.get((eid, cid), 0)
            shade = f" style=\"background: rgba(0, 114, 178, {0.08 + 0.5 * n / most:.2f})\"" if n else ""
            cells.append(f"<td class=num{shade}>{n or ''}</td>")
        total = sum(s.by_ending.get((eid, cid), 0) for cid, _ in s.characters)
        cls = " class=muted" if eid == "" else ""
        rows.append(f"<tr{cls}><th scope=row class=ending>{_e(title)}</th>{''.join(cells)}<td class=\"num total\">{total}</td></tr>")
    counts = Counter(e.record.character for e in s.entries)
    foot = "".join(f"<td class=\"num total\">{counts[cid]}</td>" for cid, _ in s.characters)
    return (f"<section><h2>Endings by character</h2>"
            f"<p class=hint>How many students reached each ending, playing each man. Compare across a row: "
            f"did the same ending need different roads?</p>"
            f"<table class=grid><thead><tr><th scope=col>Ending</th>{head}<th scope=col>All</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody><tfoot><tr><th scope=row>Students</th>{foot}"
            f"<td class=\"num total\">{len(s.entries)}</td></tr></tfoot></table></section>")


def _marker(shape: str, x: float, y: float, r: float, colour: str, filled: bool, title: str = "") -> str:
    fill = colour if filled else "#fff"
    style = f"fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"{1.2 if filled else 2}\""
    tip = f"<title>{_e(title)}</title>" if title else ""
    if shape == "square":
        d = r * 0.9
        return f"<rect x=\"{x - d:.1f}\" y=\"{y - d:.1f}\" width=\"{2 * d:.1f}\" height=\"{2 * d:.1f}\" {style}>{tip}</rect>"
    if shape == "triangle":
        pts = f"{x:.1f},{y - r * 1.1:.1f} {x + r:.1f},{y + r * 0.75:.1f} {x - r:.1f},{y + r * 0.75:.1f}"
        return f"<polygon points=\"{pts}\" {style}>{tip}</polygon>"
    if shape == "diamond":
        pts = f"{x:.1f},{y - r * 1.15:.1f} {x + r * 1.15:.1f},{y:.1f} {x:.1f},{y + r * 1.15:.1f} {x - r * 1.15:.1f},{y:.1f}"
        return f"<polygon points=\"{pts}\" {style}>{tip}</polygon>"
    return f"<circle cx=\"{x:.1f}\" cy=\"{y:.1f}\" r=\"{r:.1f}\" {style}>{tip}</circle>"


def _label(name: str, right: int, y: int) -> str:
    """A force's name, right-aligned; on two lines when it is long."""
    words, lines = name.split(), [""]
    for w in words:
        if lines[-1] and len(lines[-1]) + 1 + len(w) > 24:
            lines.append(w)
        else:
            lines[-1] = f"{lines[-1]} {w}".strip()
    spans = "".join(f"<tspan x=\"{right}\" dy=\"{0 if i == 0 else 19}\">{_e(line)}</tspan>" for i, line in enumerate(lines[:3]))
    return f"<text x=\"{right}\" y=\"{y}\" text-anchor=\"end\" class=\"flabel\">{spans}</text>"


def forces_svg(s: Summary) -> str:
    """Each force a row on its own scale: where each man began (hollow), where each student
    ended (filled, stacked where they coincide) and the class's average at the end (a bar)."""
    width, label_w, right = 1000, 230, 24
    plot_l, plot_r = label_w + 10, width - right
    lane_top, row_gap = 64, 12
    index = _char_key(s)
    rows = []
    y = lane_top
    for fid, name, low, high in s.forces:
        span = (high - low) or 1

        def x_of(v: int) -> float:
            return plot_l + (plot_r - plot_l) * (v - low) / span

        ends = [(e, f) for e in s.entries for f in e.record.forces if f.id == fid]
        if not ends:
            continue
        # Stack the filled markers that fall within 9 px of one another.
        stacks: dict[int, int] = defaultdict(int)
        placed = []
        for e, f in sorted(ends, key=lambda ef: (ef[1].end, index.get(ef[0].record.character, 0), ef[0].label)):
            bucket = round(x_of(f.end) / 9)
            level = stacks[bucket]
            stacks[bucket] += 1
            placed.append((e, f, level))
        depth = max(level for *_, level in placed) + 1
        row_h = 34 + 11 * min(depth, 12)
        starts = {}
        for e, f in ends:
            starts.setdefault(e.record.character, f.start)
        mean = statistics.fmean(f.end for _, f in ends)
        g = [f"<g class=\"row\">{_label(name, label_w, y + 20)}",
             f"<rect x=\"{plot_l}\" y=\"{y}\" width=\"{plot_r - plot_l}\" height=\"{row_h - row_gap}\" class=\"band\"/>"]
        for tick in range(5):
            v = low + span * tick / 4
            g.append(f"<line x1=\"{x_of(v):.1f}\" x2=\"{x_of(v):.1f}\" y1=\"{y}\" y2=\"{y + row_h - row_gap}\" class=\"grid\"/>")
        for cid, v in starts.items():
            i = index.get(cid, 0)
            g.append(_marker(SHAPES[i % len(SHAPES)], x_of(v), y + 11, 5.5, PALETTE[i % len(PALETTE)], False,
                             f"{dict(s.characters).get(cid, cid)} began at {v}"))
        g.append(f"<line x1=\"{x_of(mean):.1f}\" x2=\"{x_of(mean):.1f}\" y1=\"{y + 2}\" y2=\"{y + row_h - row_gap - 2}\" class=\"mean\">"
                 f"<title>Class average at the end: {mean:.0f}</title></line>")
        for e, f, level in placed:
            i = index.get(e.record.character, 0)
            cy = y + 28 + 11 * min(level, 11)
            g.append(_marker(SHAPES[i % len(SHAPES)], x_of(f.end), cy, 5, PALETTE[i % len(PALETTE)], True,
                             f"{e.label} ({e.record.character_name}): ended at {f.end}, began at {f.start}"))
        g.append("</g>")
        rows.append("".join(g))
        y += row_h
    low0, high0 = (s.forces[0][2], s.forces[0][3]) if s.forces else (0, 100)
    marks = [f"{low0} hostile"] + [f"{round(low0 + (high0 - low0) * t / 4)}" for t in (1, 2, 3)] + [f"mobilised {high0}"]
    anchors = ["start", "middle", "middle", "middle", "end"]
    axis = [f"<text x=\"{plot_l + (plot_r - plot_l) * t / 4:.1f}\" y=\"{lane_top - 8}\" text-anchor=\"{anchors[t]}\" "
            f"class=\"tick\">{_e(marks[t])}</text>" for t in range(5)]
    legend, lx = [], plot_l
    for cid, cname in s.characters:
        i = index[cid]
        legend.append(_marker(SHAPES[i % len(SHAPES)], lx + 6, 20, 6, PALETTE[i % len(PALETTE)], True))
        legend.append(f"<text x=\"{lx + 18}\" y=\"25\" class=\"legend\">{_e(cname)}</text>")
        lx += 30 + 9 * len(cname)
    legend.append(f"<line x1=\"{lx + 10}\" x2=\"{lx + 10}\" y1=\"10\" y2=\"30\" class=\"mean\"/>"
                  f"<text x=\"{lx + 18}\" y=\"25\" class=\"legend\">class average</text>")
    height = y + 10
    return (f"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" "
            f"aria-label=\"Each hidden force at the end of every student's run, on a scale from hostile to mobilised\">"
            + "".join(legend) + "".join(axis) + "".join(rows) + "</svg>")


def _forces_section(s: Summary) -> str:
    table = []
    for fid, name, low, high in s.forces:
        cells = []
        for cid, _ in s.characters:
            vals = [(f.start, f.end) for e in s.entries if e.record.character == cid for f in e.record.forces if f.id == fid]
            cells.append(f"<td class=num>{vals[0][0]} → {statistics.fmean(v[1] for v in vals):.0f}</td>" if vals else "<td></td>")
        table.append(f"<tr><th scope=row>{_e(name)}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th scope=col>{_e(n)}</th>" for _, n in s.characters)
    return (f"<section class=wide><h2>The hidden forces at the end</h2>"
            f"<p class=hint>Hollow: where each man began. Filled: where each student's run ended "
            f"(hover for the name). The bar is the class's average at the end.</p>{forces_svg(s)}"
            f"<details><summary>The same as numbers: start → average end, by character</summary>"
            f"<table class=grid><thead><tr><th scope=col>Force</th>{head}</tr></thead><tbody>{''.join(table)}</tbody></table>"
            f"</details></section>")


def _who(s: Summary, counts: Counter) -> str:
    return " ".join(f"<span class=who>{_swatch(s, cid, 13)}{counts[cid]}</span>" for cid, _ in s.characters if counts[cid])


def _decisive_section(s: Summary) -> str:
    rows = [f"<tr><td class=num>{n}</td><td>{_e(text)}<div class=small>{_e(title)} · "
            f"{_e(', '.join(f.replace('_', ' ') for f in flags))}</div></td><td>{_who(s, who)}</td></tr>"
            for n, _scene, title, text, flags, who in s.decisive[:TOP]]
    more = f"<p class=hint>… and {len(s.decisive) - TOP} more.</p>" if len(s.decisive) > TOP else ""
    body = (f"<table class=list><thead><tr><th scope=col>Students</th><th scope=col>Choice (scene · what it set)</th>"
            f"<th scope=col>Played as</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}") if rows \
        else "<p>No run took a decisive choice.</p>"
    return (f"<section><h2>The decisive choices most taken</h2><p class=hint>Choices that set one of the story's "
            f"decisive acts, by how many students took them.</p>{body}</section>")


def _turns_section(s: Summary) -> str:
    rows = [f"<tr><td class=num>{n}</td><td><b>{_e(title)}</b> <span class=small>{_e(_date(date))}</span>"
            f"<div class=small>after: {_e(choice)}</div></td><td>{_who(s, who)}</td></tr>"
            for n, _scene, title, date, choice, who in s.turns[:TOP]]
    more = f"<p class=hint>… and {len(s.turns) - TOP} more.</p>" if len(s.turns) > TOP else ""
    left = sum(1 for e in s.entries if any(i.turn for i in e.record.invented))
    body = (f"<table class=list><thead><tr><th scope=col>Students</th><th scope=col>Where history was left (and the choice "
            f"that left it)</th><th scope=col>Played as</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}") \
        if rows else "<p>No run left what really happened.</p>"
    return (f"<section class=wide><h2>The counterfactual turns most taken</h2><p class=hint>{left} of {len(s.entries)} runs left "
            f"history somewhere. Each row is an invented scene a run entered straight from a historical one.</p>"
            f"{body}</section>")


def _notes_section(s: Summary) -> str:
    if not s.notes:
        return "<section><h2>Historical notes</h2><p>No run passed a scene with a note.</p></section>"
    most = sorted(s.notes, key=lambda n: (-n[0], -n[0] / n[1], n[4], n[3]))[:TOP]
    common = max(2, round(len(s.entries) / 4))
    least = sorted((n for n in s.notes if n[1] >= min(common, max(x[1] for x in s.notes))),
                   key=lambda n: (n[0] / n[1], -n[1], n[4], n[3]))[:TOP]

    def table(rows) -> str:
        return ("<table class=list><thead><tr><th scope=col>Opened</th><th scope=col>Scene</th></tr></thead><tbody>"
                + "".join(f"<tr><td class=num>{o} of {p}</td><td>{_e(t)} <span class=small>{_e(_date(d))}</span></td></tr>"
                          for o, p, _s, t, d in rows) + "</tbody></table>")

    per = [len(e.record.notes_opened) for e in s.entries]
    total_opened = sum(per)
    summary = (f"Students opened {total_opened} notes in all; the median student opened {statistics.median(per):g}. "
               if total_opened else "No student opened a note (or their transcripts were written before notes were counted). ")
    return (f"<section class=wide><h2>Historical notes: what was read</h2><p class=hint>{summary}"
            f"“Of” counts the students whose run passed the scene.</p><div class=cols>"
            f"<div><h3>Most opened</h3>{table(most)}</div><div><h3>Least opened</h3>"
            f"{table(least)}</div></div></section>")


def _students_section(s: Summary) -> str:
    rows = []
    for e in sorted(s.entries, key=lambda e: (e.label.casefold(), e.path.name)):
        r = e.record
        notes = sum(1 for x in r.scenes if x.note)
        ending = _e(r.ending_title) if r.finished else f"<i>not finished</i> <span class=small>({_e(r.scenes[-1].title if r.scenes else '')})</span>"
        remark = f"<div class=small>{_e(e.remark)}</div>" if e.remark else ""
        file_note = f"<div class=small>{_e(e.path.name)}</div>" if r.student else ""
        rows.append(f"<tr><td>{_e(e.label)}{file_note}</td><td>{_swatch(s, r.character, 13)} {_e(r.character_name)}</td>"
                    f"<td>{ending}{remark}</td><td class=num>{len(r.path)}</td>"
                    f"<td class=num>{len(r.notes_opened)} / {notes}</td>"
                    f"<td class=num>{sum(1 for i in r.invented)}</td></tr>")
    return (f"<section class=wide><h2>The students</h2><p class=hint>A name is the one written on the transcript's "
            f"“Student:” line; otherwise the file name.</p><table class=grid><thead><tr><th scope=col>Student</th>"
            f"<th scope=col>Played</th><th scope=col>Ending</th><th scope=col>Choices</th>"
            f"<th scope=col>Notes opened</th><th scope=col>Invented scenes</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _aside_section(folder: Folder) -> str:
    items = "".join(f"<li><code>{_e(a.path.name)}</code>: {_e(a.reason)}</li>" for a in folder.set_aside)
    more = f"<li>{folder.not_read} more files were not read (a report reads at most {MAX_FILES}).</li>" if folder.not_read else ""
    return (f"<section class=wide><h2>Files set aside</h2><p class=hint>Not counted above. Ask the student for "
            f"the transcript the game wrote.</p><ul class=aside>{items}{more}</ul></section>")


def _date(iso: str) -> str:
    from game.dates import pretty_date
    return pretty_date(iso) if iso else ""


CSS = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #c9c4b8; --paper: #fbf9f4; --accent: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 18px/1.45 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 28px 36px 48px;
  display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 8px 40px; }
header, footer, section.wide { grid-column: 1 / -1; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 8px; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 14px; color: var(--accent); margin: 0; font-weight: 700; }
h1 { font-size: 40px; margin: 2px 0 4px; line-height: 1.1; }
.lede { margin: 0 0 14px; color: var(--muted); }
h2 { font-size: 25px; margin: 22px 0 2px; border-bottom: 1px solid var(--rule); padding-bottom: 3px; }
h3 { font-size: 19px; margin: 12px 0 4px; }
.hint { color: var(--muted); margin: 4px 0 10px; font-size: 16px; }
.small { color: var(--muted); font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 16px; }
th, td { padding: 5px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--rule); }
thead th { font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 2px solid var(--ink); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
.grid td.num { width: auto; text-align: center; }
th.ending { min-width: 11em; }
.grid thead th { text-align: center; }
.grid thead th:first-child { text-align: left; }
td.total, tfoot td { font-weight: 700; }
tfoot th, tfoot td { border-top: 2px solid var(--ink); border-bottom: 0; }
tr.muted th, tr.muted td { color: var(--muted); font-style: italic; }
.who { white-space: nowrap; margin-right: 8px; font-size: 15px; }
.swatch { vertical-align: -2px; margin-right: 3px; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 32px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg .band { fill: #efebe1; }
svg .grid { stroke: #d6d0c2; stroke-width: 1; }
svg .mean { stroke: var(--ink); stroke-width: 3; }
svg .flabel { font-size: 17px; font-weight: 600; fill: var(--ink); }
svg .tick, svg .legend { font-size: 14px; fill: var(--muted); }
svg .legend { fill: var(--ink); font-size: 15px; }
details { margin: 8px 0; font-size: 16px; }
ul.aside { font-size: 15px; columns: 2; }
ul.aside li { break-inside: avoid; margin-bottom: 3px; }
footer { color: var(--muted); font-size: 14px; border-top: 1px solid var(--rule); margin-top: 24px; }
code { font-size: .92em; }
@media (max-width: 700px) { main { padding: 16px; grid-template-columns: 1fr; } .cols { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { display: block; max-width: none; padding: 0; }
  section { break-inside: avoid; }
  section.wide { break-inside: auto; }
  details { display: none; }
  h2 { break-after: avoid; }
}
"""


# The command -----------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser("class-report", help="read a folder of students' transcripts and write one HTML page for the class")
    p.add_argument("folder", type=Path, help="the folder the transcripts were handed in to")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.html", default=Path("class-report.html"),
                   help="the page to write (default class-report.html)")
    p.add_argument("--title", default="", help="a heading for the page, such as the class's name")
    p.add_argument("--story", type=Path, help="story folder the runs were played in (default: the bundled campaign)")
    p.add_argument("--mod", type=Path, action="append", default=[], help="a mod folder to add (may be repeated)")


def run(args, out, err) -> int:
    """Read the folder, say one line per file set aside, write the page; exit 0, or 2 when nothing could be written."""
    from game import savefiles
    from game.cli import _printable
    from game.compiled import load_checked
    from game.paths import story_dir

    folder: Path = args.folder
    if not os.path.isdir(folder):
        err.write(_printable(f"{folder}: not a folder of transcripts") + "\n")
        return 2
    story, _problems = load_checked([args.story or story_dir(), *args.mod], continuity=False)
    if story is None:
        err.write("testament: the story could not be loaded, so the runs are counted as their records say, not replayed\n")
    try:
        result = read_folder(folder, story, skip=[args.output])
    except OSError as exc:
        err.write(_printable(f"{folder}: the folder cannot be read ({exc.strerror or exc})") + "\n")
        return 2
    for a in result.set_aside:
        out.write(_printable(f"{a.path}: set aside: {a.reason}") + "\n")
    if result.not_read:
        out.write(f"{folder}: {result.not_read} more files not read (at most {MAX_FILES})\n")
    page = render(result, story, args.title)
    try:
        savefiles.write_atomically(args.output, page.encode("utf-8"))
    except OSError as exc:
        err.write(_printable(f"{args.output}: could not write the report: {exc.strerror or exc}") + "\n")
        return 2
    savefiles.readable_by_all(args.output)
    out.write(_printable(f"{args.output}: {len(result.entries)} transcript(s) read, {len(result.set_aside)} set aside; "
                         f"open it in a browser (it needs no network)") + "\n")
    return 0
