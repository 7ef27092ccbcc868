"""``testament teacher-kit``: the teacher's kit in ``docs/teacher/`` as print-ready HTML.

The kit is written in Markdown, so that it reads well on a screen and in the repository.
This command turns it into pages a teacher can print or hand out: one HTML file per part,
an index, and ``kit.html`` with every part in one document for one print job. The
real-or-invented worksheet and its answer key are made afresh from the story at the same
time (``game.classroom.worksheet``), so they always match the story being played.

The Markdown is converted here, by a small converter for the subset the kit uses
(headings, paragraphs, lists one level deep, tables, block quotes, emphasis, code and
links; ``---`` is a page break in print). The game depends on no Markdown library, and
every character of the text is escaped: nothing in a kit file can become markup it did
not ask for, or a script.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from game.paths import _CHECKOUT, _INSTALLED

#: The kit's parts, in reading order: (file stem, title in the index). Generated parts are marked.
PARTS = [
    ("README", "About this kit"),
    ("objectives", "Learning objectives"),
    ("lesson-plans", "Lesson plans: two periods, or one"),
    ("pre-teaching", "Pre-teaching: ten minutes before the game"),
    ("advisory", "Content advisory"),
    ("role-cards", "Role cards: the four players and Stalin"),
    ("sources", "A short primary-source packet"),
    ("historians", "How historians disagree"),
    ("worksheet", "Real or invented? Worksheet (made from the story)"),
    ("answer-key", "Answer key to the worksheet (made from the story)"),
    ("exit-ticket", "Exit ticket"),
    ("rubric", "Rubric for the transcript"),
]
GENERATED = {"worksheet", "answer-key"}


def kit_dir() -> Path:
    """Where the kit's Markdown is: ``docs/teacher`` in a checkout, or in an installed game's share folder."""
    for base in (_CHECKOUT, _INSTALLED):
        if (base / "docs" / "teacher").is_dir():
            return base / "docs" / "teacher"
    return _CHECKOUT / "docs" / "teacher"


# Markdown, the kit's subset -----------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(.*)$")
_NUMBER = re.compile(r"^(\s*)(\d+)[.)]\s+(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def inline(text: str) -> str:
    """One line of Markdown as HTML: escaped first, then code, links, strong and emphasis."""
    codes: list[str] = []

    def keep(m: re.Match) -> str:
        codes.append(f"<code>{m.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = html.escape(text, quote=True)
    out = re.sub(r"`([^`]+)`", keep, out)
    out = out.replace("\\|", "|").replace("\\*", "&#42;")
    out = re.sub(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+|[\w./#-]+)\)",
                 lambda m: f'<a href="{_href(m.group(2))}">{m.group(1)}</a>', out)
    out = re.sub(r"&lt;(https?://[^\s&]+)&gt;", lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', out)
    out = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"<em>\1</em>", out)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def _href(target: str) -> str:
    """A link's target: other kit parts point to their HTML pages."""
    return re.sub(r"^([\w-]+)\.md(#.*)?$", r"\1.html\2", target)


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def markdown(text: str) -> str:
    """The kit's Markdown as an HTML fragment."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(s.strip() for s in para))}</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        if line.strip().startswith("```"):
            flush()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            out.append(f"<pre><code>{html.escape(chr(10).join(body))}</code></pre>")
            i += 1
            continue
        if line.strip() in ("---", "***", "___"):
            flush()
            out.append('<hr class="page">')
            i += 1
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            level = len(m.group(1))
            slug = re.sub(r"[^a-z0-9]+", "-", m.group(2).lower()).strip("-")
            out.append(f'<h{level} id="{slug}">{inline(m.group(2))}</h{level}>')
            i += 1
            continue
        if line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            flush()
            head = _cells(line)
            i += 2
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            out.append("<table><thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in rows)
                       + "</tbody></table>")
            continue
        if line.startswith(">"):
            flush()
            quoted = []
            while i < len(lines) and lines[i].startswith(">"):
                quoted.append(lines[i][1:].removeprefix(" "))
                i += 1
            out.append(f"<blockquote>{markdown(chr(10).join(quoted))}</blockquote>")
            continue
        if _BULLET.match(line) or _NUMBER.match(line):
            flush()
            i = _list(lines, i, out)
            continue
        para.append(line)
        i += 1
    flush()
    return "\n".join(out)


def _list(lines: list[str], i: int, out: list[str]) -> int:
    """A list (and lists nested in it by indentation) from line ``i``; the index after it."""
    first = _BULLET.match(lines[i]) or _NUMBER.match(lines[i])
    assert first is not None
    indent = len(first.group(1))
    ordered = _NUMBER.match(lines[i]) is not None and _BULLET.match(lines[i]) is None
    tag = "ol" if ordered else "ul"
    items: list[str] = []
    while i < len(lines):
        line = lines[i]
        m = _BULLET.match(line) or _NUMBER.match(line)
        if m and len(m.group(1)) == indent:
            items.append(inline(m.group(m.lastindex or 2)))
            i += 1
        elif m and len(m.group(1)) > indent and items:
            nested: list[str] = []
            i = _list(lines, i, nested)
            items[-1] += nested[0]
        elif line.strip() and not m and items and (line.startswith(" " * (indent + 2)) or line.startswith("\t")):
            items[-1] += " " + inline(line.strip())  # a wrapped item
            i += 1
        else:
            break
    out.append(f"<{tag}>" + "".join(f"<li>{x}</li>" for x in items) + f"</{tag}>")
    return i


CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #1b1b1b; background: #fff;
  font: 12pt/1.5 Georgia, "Times New Roman", "Liberation Serif", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
nav.kit { font: 10pt/1.4 "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: #555; margin-bottom: 1.5rem; }
h1, h2, h3, h4 { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; line-height: 1.2; }
h1 { font-size: 22pt; margin: .2em 0 .6em; border-bottom: 3px solid #a4161a; padding-bottom: .2em; }
h2 { font-size: 15pt; margin: 1.4em 0 .4em; }
h3 { font-size: 12.5pt; margin: 1.2em 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 10.5pt; }
th, td { border: 1px solid #999; padding: .3em .5em; vertical-align: top; text-align: left; }
th { background: #eee; }
td:last-child:empty { width: 30%; }
blockquote { margin: .6em 0; padding: .4em 1em; border-left: 4px solid #a4161a; background: #f7f4ee; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .92em; }
pre { background: #f4f4f4; padding: .6em; overflow-x: auto; }
hr.page { border: 0; border-top: 1px dashed #bbb; margin: 2em 0; }
a { color: #0b4f8a; }
.part + .part { margin-top: 3rem; }
@media print {
  main { max-width: none; padding: 0; }
  nav.kit { display: none; }
  hr.page { break-after: page; border: 0; margin: 0; }
  .part { break-before: page; }
  .part:first-of-type { break-before: auto; }
  h2, h3 { break-after: avoid; }
  table, blockquote, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def page(title: str, body: str, nav: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
            f"<meta name=viewport content=\"width=device-width, initial-scale=1\">\n<title>{html.escape(title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n{nav}{body}\n</main>\n</body>\n</html>\n")


def parts(story, source: Path) -> list[tuple[str, str, str]]:
    """(stem, title, Markdown) of every part: the kit's files, the worksheet and key made from ``story``."""
    from game.classroom.worksheet import answer_key, worksheet
    out = []
    for stem, title in PARTS:
        if stem == "worksheet":
            text = worksheet(story)
        elif stem == "answer-key":
            text = answer_key(story)
        else:
            text = (source / f"{stem}.md").read_text(encoding="utf-8")
        out.append((stem, title, text))
    return out


def write_kit(story, folder: Path, source: Path | None = None) -> list[Path]:
    """Write the kit into ``folder``; the files written. ``OSError`` if it cannot be written or read."""
    from game import savefiles
    source = source or kit_dir()
    everything = parts(story, source)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    nav = ("<nav class=kit><a href=\"index.html\">The teacher's kit</a> · "
           "<a href=\"kit.html\">everything in one document (to print)</a></nav>\n")
    for stem, title, text in everything:
        path = folder / f"{stem}.html"
        savefiles.write_atomically(path, page(f"{title}: {story.title}", markdown(text), nav).encode("utf-8"))
        written.append(path)
        if stem in GENERATED:
            md = folder / f"{stem}.md"
            savefiles.write_atomically(md, text.encode("utf-8"))
            written.append(md)
    index = [f"# The teacher's kit: {story.title}", "",
             "Print a part from its own page, or everything at once from [kit.html](kit.html).", ""]
    index += [f"{n}. [{title}]({stem}.md)" for n, (stem, title, _) in enumerate(everything, 1)]
    path = folder / "index.html"
    savefiles.write_atomically(path, page(f"The teacher's kit: {story.title}", markdown("\n".join(index))).encode("utf-8"))
    written.append(path)
    whole = "\n".join(f'<section class="part" id="part-{stem}">{markdown(text)}</section>' for stem, _, text in everything)
    path = folder / "kit.html"
    savefiles.write_atomically(path, page(f"The teacher's kit: {story.title}", whole).encode("utf-8"))
    written.append(path)
    savefiles.readable_by_all(*written)
    return written


def add_parser(sub) -> None:
    p = sub.add_parser("teacher-kit", help="write the teacher's kit (lesson plans, role cards, sources, worksheet) as print-ready HTML")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", default=Path("teacher-kit"),
                   help="the folder to write (default teacher-kit)")
    p.add_argument("--story", type=Path, help="story folder for the worksheet (default: the bundled campaign)")
    p.add_argument("--mod", type=Path, action="append", default=[], help="a mod folder to add (may be repeated)")


def run(args, out, err) -> int:
    from game.cli import _printable, load_for_tool
    from game.paths import story_dir
    story = load_for_tool([args.story or story_dir(), *args.mod], err)
    if story is None:
        return 2
    source = kit_dir()
    missing = [f"{stem}.md" for stem, _ in PARTS if stem not in GENERATED and not (source / f"{stem}.md").is_file()]
    if missing:
        err.write(_printable(f"{source}: the kit's files are missing ({', '.join(missing)})") + "\n")
        return 2
    try:
        written = write_kit(story, args.output, source)
    except OSError as exc:
        err.write(_printable(f"{args.output}: could not write the kit: {exc.strerror or exc}") + "\n")
        return 2
    out.write(_printable(f"{args.output}: the teacher's kit, {len(written)} files; open index.html, "
                         f"or print kit.html for everything") + "\n")
    return 0
