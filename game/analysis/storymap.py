"""A map of a story as one offline HTML page: scenes on a timeline, choices as edges.

The layout is our own, not Graphviz's: the campaign is a history, so the horizontal axis
is the scene's date (chapters become bands of years) and only the vertical order is
free. Scenes of one date are stacked in lanes, ordered by the mean height of the scenes
that lead to them (one barycentre sweep), which keeps the four characters' roads apart
and most edges short. Graphviz's ``dot`` would order by rank and ignore the dates, and it
is not installed on a class's machines; this layout needs nothing and is deterministic.

Past ``COLLAPSE_AT`` scenes (a generated 10,000-scene story), scenes of the same month
and file are drawn as one cluster, with their count, and the edges between clusters are
merged; the page stays readable and is written in well under a second.
"""

from __future__ import annotations

import html
import json
import os
from collections import defaultdict
from pathlib import Path

from attrs import frozen

from game.engine.model import Scene, Story

COLLAPSE_AT = 1500
COL_W = 200           # pixels per month that has scenes (empty months take a narrow gap)
GAP_W = 24
LANE_H = 28           # pixels per lane
LEFT, TOP = 30, 70
NODE_W = 14
LABEL_CHARS = 26
#: One colour per character, in story order; scenes for everyone are ink-coloured.
PALETTE = ["#c8102e", "#1f5fa8", "#2e7d32", "#8e44ad", "#b8860b", "#00838f", "#6d4c41", "#ad1457"]


@frozen
class Node:
    key: str
    label: str
    title: str
    month: float
    file: str
    line: int
    column: int
    characters: tuple[str, ...]   # empty: for everyone
    count: int = 1
    ending: bool = False
    counterfactual: bool = False


def _month(date: str, first_year: int) -> float:
    """Months since January of ``first_year``; a day moves the scene within its month."""
    parts = str(date).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
    except (ValueError, IndexError):
        return 0.0
    return (year - first_year) * 12 + (month - 1) + (day - 1) / 31


def _first_year(story: Story) -> int:
    years = []
    for scene in story.scenes.values():
        head = str(scene.date).split("-")[0]
        if head.isdigit():
            years.append(int(head))
    return min(years) if years else 0


def _analyses(story: Story, exact: bool) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(scenes each character can enter, endings each resolution scene can lead to).

    For a story drawn scene by scene, the checker's interval fixpoint gives both. For a
    collapsed one, a plain walk of the choices (conditions ignored) and "any ending" keep
    the page quick to write.
    """
    reach: dict[str, set[str]] = {}
    ends: dict[str, set[str]] = defaultdict(set)
    if exact:
        from game.analysis.bounds import bounds
        for cid in story.characters:
            result = bounds(story, cid)
            reach[cid] = set(result.scenes)
            for ending_id, scenes in result.possible.items():
                for sid in scenes:
                    ends[sid].add(ending_id)
        return reach, ends
    from game.analysis.stats import scenes_open_to
    for cid in story.characters:
        reach[cid] = set(scenes_open_to(story, cid))
    every = {e.id for e in story.endings}
    for sid, scene in story.scenes.items():
        if scene.resolve:
            ends[sid] = every
    return reach, ends


def build(story: Story) -> tuple[list[Node], list[tuple[str, str, str]], dict[str, list[str]]]:
    """Nodes, edges (source, target, kind: choice/goto/fallback/end) and each character's reachable nodes."""
    first = _first_year(story)
    collapse = len(story.scenes) > COLLAPSE_AT
    key_of: dict[str, str] = {}
    members: dict[str, list[Scene]] = defaultdict(list)
    for scene in story.scenes.values():
        key = scene.id
        if collapse:
            key = f"{scene.location.path}@{int(_month(scene.date, first))}"
        key_of[scene.id] = key
        members[key].append(scene)
    nodes: list[Node] = []
    for key, group in members.items():
        s = group[0]
        chars = sorted(set().union(*[(m.only_for or frozenset()) for m in group])) if all(m.only_for for m in group) else []
        label = s.id if len(group) == 1 else f"{Path(s.location.path).stem} ×{len(group)}"
        title = s.title if len(group) == 1 else f"{len(group)} scenes of {Path(s.location.path).name}, from {s.date}"
        nodes.append(Node(key, label, title, _month(s.date, first), s.location.path, s.location.line, s.location.column,
                          tuple(chars), len(group), False, any(m.note.counterfactual for m in group)))
    last = max((n.month for n in nodes), default=0) + 3
    for ending in story.endings:
        nodes.append(Node(f"ending:{ending.id}", ending.id, ending.title, last, ending.location.path,
                          ending.location.line, ending.location.column, (), 1, True))
    edges: set[tuple[str, str, str]] = set()
    for scene in story.scenes.values():
        src = key_of[scene.id]
        for choice in scene.choices:
            kind = "goto" if len(choice.goto) > 1 else "choice"
            for branch in choice.goto:
                if key_of[branch.target] != src:
                    edges.add((src, key_of[branch.target], kind))
        if scene.fallback and key_of[scene.fallback] != src:
            edges.add((src, key_of[scene.fallback], "fallback"))
    reached, ends_of = _analyses(story, exact=not collapse)
    for scene in story.scenes.values():
        for ending_id in sorted(ends_of.get(scene.id, ())) if scene.resolve else ():
            edges.add((key_of[scene.id], f"ending:{ending_id}", "end"))
    reach = {cid: sorted({key_of[s] for s in ids}) for cid, ids in reached.items()}
    return nodes, sorted(edges), reach


def layout(nodes: list[Node], edges: list[tuple[str, str, str]]) -> tuple[dict[str, tuple[float, float]], dict[int, tuple[float, float]]]:
    """Positions, and the x-extent of each year.

    Each month that has scenes is one column wide enough for a label; months without
    scenes shrink to a gap, so the axis keeps the order and the rhythm of the dates
    without miles of empty paper. In a column, scenes take the free lane nearest the
    mean lane of the scenes that lead to them.
    """
    columns: dict[int, list[Node]] = defaultdict(list)
    for n in nodes:
        columns[int(n.month)].append(n)
    preds: dict[str, list[str]] = defaultdict(list)
    for a, b, _ in edges:
        preds[b].append(a)
    lane: dict[str, int] = {}
    pos: dict[str, tuple[float, float]] = {}
    years: dict[int, tuple[float, float]] = {}
    x = LEFT
    months = sorted(columns)
    for m in range(months[0], months[-1] + 1) if months else []:
        year = m // 12
        start = x
        if m in columns:
            column = columns[m]
            order = {n.key: i for i, n in enumerate(sorted(column, key=lambda n: (n.month, n.key)))}

            def weight(n: Node) -> float:
                known = [lane[p] for p in preds.get(n.key, ()) if p in lane]
                return sum(known) / len(known) if known else float(order[n.key])

            used: set[int] = set()
            for n in sorted(column, key=lambda n: (weight(n), n.month, n.key)):
                want = max(0, round(weight(n)))
                i, step = want, 0
                while i in used or i < 0:
                    step += 1
                    i = want + (step + 1) // 2 * (1 if step % 2 else -1)
                used.add(i)
                lane[n.key] = i
                pos[n.key] = (x + NODE_W, TOP + i * LANE_H)
            x += COL_W
        else:
            x += GAP_W
        lo, hi = years.get(year, (start, x))
        years[year] = (min(lo, start), x)
    return pos, years


def render(story: Story, out_path: Path | None = None) -> str:
    """The whole page as a string (written by the caller)."""
    nodes, edges, reach = build(story)
    pos, years = layout(nodes, edges)
    chars = list(story.characters)
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(chars)}
    width = max((x for x, _ in pos.values()), default=0) + COL_W
    height = max((y for _, y in pos.values()), default=0) + 60
    first = _first_year(story)
    parts: list[str] = []
    for i, (year, (x0, x1)) in enumerate(sorted(years.items())):
        fill = "#f1e7d0" if i % 2 == 0 else "#e6d7b8"
        parts.append(f'<rect x="{x0}" y="0" width="{x1 - x0}" height="{height}" fill="{fill}"/>'
                     f'<text x="{x0 + 8}" y="34" class="year">{first + year}</text>')
    base = Path(out_path).parent if out_path else Path.cwd()
    for a, b, kind in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        x1 += NODE_W / 2
        x2 -= NODE_W / 2
        mid = (x1 + x2) / 2 if x2 > x1 + 20 else x1 + 40
        parts.append(f'<path class="edge {kind}" data-a="{html.escape(a)}" data-b="{html.escape(b)}" '
                     f'd="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"/>')
    for n in nodes:
        x, y = pos[n.key]
        fill = "#111" if not n.characters else (colour[n.characters[0]] if len(n.characters) == 1 else "#555")
        if n.ending:
            fill = "#c8102e"
        frame = ' stroke-dasharray="3 2" stroke="#c8102e" stroke-width="2"' if n.counterfactual else ""
        shape = (f'<rect x="{x - NODE_W / 2:.0f}" y="{y - NODE_W / 2:.0f}" width="{NODE_W}" height="{NODE_W}" '
                 f'rx="{NODE_W / 2 if n.ending else 2}" fill="{fill}"{frame}/>')
        link = _editor_link(n, base)
        name = n.title if n.ending else n.label
        label = html.escape(name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…")
        info = json.dumps({"id": n.label, "title": n.title, "where": f"{n.file}:{n.line}:{n.column}", "link": link,
                           "count": n.count, "for": list(n.characters), "counterfactual": n.counterfactual},
                          ensure_ascii=False)
        parts.append(f'<g class="node{" ending" if n.ending else ""}" data-key="{html.escape(n.key)}" '
                     f"data-info='{html.escape(info, quote=True)}'><title>{html.escape(n.title)} ({html.escape(n.file)}:{n.line})</title>"
                     f'{shape}<text x="{x + NODE_W / 2 + 4:.0f}" y="{y + 4:.0f}">{label}</text></g>')
    legend = "".join(f'<label><input type="radio" name="who" value="{html.escape(c)}"> '
                     f'<span class="swatch" style="background:{colour[c]}"></span>{html.escape(story.characters[c].name)}</label>'
                     for c in chars)
    data = json.dumps({"reach": reach}, ensure_ascii=False)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'role="img" aria-label="Map of {html.escape(story.title)}">{"".join(parts)}</svg>')
    collapsed = sum(n.count for n in nodes if not n.ending) != len([n for n in nodes if not n.ending])
    note = (f"{len(story.scenes):,} scenes drawn as {len([n for n in nodes if not n.ending]):,} clusters (same file and month)."
            if collapsed else f"{len(story.scenes)} scenes, {sum(len(s.choices) for s in story.scenes.values())} choices, "
            f"{len(story.endings)} endings.")
    return _PAGE.format(title=html.escape(story.title), note=html.escape(note), legend=legend, svg=svg,
                        data=data.replace("</", "<\\/"))


def _editor_link(n: Node, base: Path) -> str:
    path = Path(n.file)
    if not path.is_absolute():
        path = Path(os.path.abspath(path))
    return f"vscode://file/{path.as_posix().lstrip('/')}:{n.line}:{n.column}" if n.file else ""


def write_map(story: Story, out: Path) -> Path:
    text = render(story, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    return out


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: story map</title>
<style>
 body {{ margin: 0; font: 14px/1.4 "Helvetica Neue", Arial, sans-serif; background: #f4ecd8; color: #111; }}
 header {{ position: sticky; top: 0; z-index: 2; background: #111; color: #f4ecd8; padding: 10px 16px;
          display: flex; gap: 18px; align-items: center; flex-wrap: wrap; border-bottom: 6px solid #c8102e; }}
 header h1 {{ font: 700 20px/1 "Arial Narrow", Arial, sans-serif; letter-spacing: .06em; text-transform: uppercase; margin: 0; }}
 header label {{ cursor: pointer; white-space: nowrap; }}
 .swatch {{ display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 2px; vertical-align: -1px; }}
 #wrap {{ overflow: auto; height: calc(100vh - 60px); }}
 svg text {{ font-size: 12px; fill: #111; }}
 svg text.year {{ font: 700 22px "Arial Narrow", Arial, sans-serif; fill: #7a6a4f; }}
 .edge {{ fill: none; stroke: #6b5d45; stroke-opacity: .35; stroke-width: 1.2; }}
 .edge.goto {{ stroke-dasharray: 5 3; }}
 .edge.fallback {{ stroke-dasharray: 1 3; }}
 .edge.end {{ stroke: #c8102e; stroke-opacity: .5; }}
 .node {{ cursor: pointer; }}
 .dim {{ opacity: .12; }}
 .hot {{ stroke: #c8102e !important; stroke-opacity: 1 !important; stroke-width: 2.5 !important; }}
 #info {{ position: fixed; right: 16px; bottom: 16px; max-width: 380px; background: #fffaf0; border: 3px solid #111;
          padding: 12px 14px; box-shadow: 6px 6px 0 #c8102e; display: none; }}
 #info a {{ color: #c8102e; }}
 .note {{ opacity: .8; }}
</style></head>
<body>
<header><h1>{title}: the map</h1><span class="note">{note}</span>
 <span>Reachable by:</span><label><input type="radio" name="who" value="" checked> everyone</label>{legend}
 <span class="note">solid: choice · dashed: computed goto · dotted: fallback · red frame: counterfactual</span></header>
<div id="wrap">{svg}</div>
<div id="info" role="dialog" aria-live="polite"></div>
<script>
const DATA = {data};
const info = document.getElementById('info');
document.querySelectorAll('input[name=who]').forEach(r => r.addEventListener('change', () => {{
  const who = document.querySelector('input[name=who]:checked').value;
  const ok = who ? new Set(DATA.reach[who] || []) : null;
  document.querySelectorAll('.node').forEach(g => {{
    const k = g.dataset.key;
    g.classList.toggle('dim', !!ok && !k.startsWith('ending:') && !ok.has(k));
  }});
  document.querySelectorAll('.edge').forEach(e => {{
    e.classList.toggle('dim', !!ok && !(ok.has(e.dataset.a) && (ok.has(e.dataset.b) || e.dataset.b.startsWith('ending:'))));
  }});
}}));
const wanted = new URLSearchParams(location.hash.slice(1)).get('who');
if (wanted) {{
  const r = document.querySelector('input[name=who][value="' + CSS.escape(wanted) + '"]');
  if (r) {{ r.checked = true; r.dispatchEvent(new Event('change')); }}
}}
document.querySelectorAll('.node').forEach(g => g.addEventListener('click', () => {{
  const d = JSON.parse(g.dataset.info);
  document.querySelectorAll('.hot').forEach(e => e.classList.remove('hot'));
  document.querySelectorAll('.edge').forEach(e => {{
    if (e.dataset.a === g.dataset.key || e.dataset.b === g.dataset.key) e.classList.add('hot');
  }});
  const esc = s => String(s).replace(/[&<>"]/g, c => ({{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}}[c]));
  info.innerHTML = '<strong>' + esc(d.title) + '</strong><br><code>' + esc(d.id) + '</code>' +
    (d.for.length ? '<br>only for ' + esc(d.for.join(', ')) : '') +
    (d.counterfactual ? '<br>counterfactual' : '') +
    '<br><a href="' + esc(d.link) + '">' + esc(d.where) + '</a>';
  info.style.display = 'block';
}}));
</script>
</body></html>
"""
