"""The glossary, the who's who and the timeline of real events: read from the story folder,
checked by `testament check`, and found by what a scene mentions."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.classroom import glossary, timeline
from game.compiled import load_checked
from game.engine import start, states_of, step, view
from game.engine.errors import Problems

KITCHEN = Path(__file__).parent.parent / "fixtures" / "kitchen"

#: The names and terms the classroom review asked the glossary to explain first.
REQUIRED = ["Orgburo", "Revvoensovet", "Control Commission", "kulak", "NEPman", "troika", "Thermidor", "Bonaparte",
            "Derzhimorda", "Rabkrin", "OGPU", "Sovnarkom", "STO", "Comintern", "ECCI", "Lenin Enrolment",
            "Declaration of the 46", "Stalin", "Trotsky", "Zinoviev", "Kamenev", "Bukharin", "Rykov", "Tomsky",
            "Krupskaya", "Frunze", "Voroshilov", "Sklyansky", "Lashevich", "Dzerzhinsky", "Menzhinsky", "Molotov",
            "Kirov", "Uglanov", "Radek", "Pyatakov", "Preobrazhensky", "Rakovsky", "Joffe", "Sokolnikov",
            "Antonov-Ovseenko", "Mdivani", "Ordzhonikidze", "Kuibyshev", "Eastman", "Bazhanov"]


def test_the_campaign_glossary_covers_the_names_a_class_meets(campaign):
    names = {e.name for e in glossary.entries(campaign)}
    assert len(names) >= 60
    assert not [n for n in REQUIRED if n not in names]
    people = [e for e in glossary.entries(campaign) if e.kind == "person"]
    assert all(e.dates for e in people)


def test_entries_are_found_in_the_order_a_scene_mentions_them(campaign):
    found = glossary.entries_in(campaign, ["Zinoviev asks the Orgburo; Stalin says nothing. The kulaks wait."])
    assert [e.name for e in found] == ["Zinoviev", "Orgburo", "Stalin", "kulak"]
    assert [e.name for e in glossary.entries_in(campaign, ["Leningrad, and the Kameneva household"])] == ["Leningrad"]


def test_lookup_by_any_form_prefix_or_near_spelling(campaign):
    assert [e.name for e in glossary.lookup(campaign, "revolutionary military council")[0]] == ["Revvoensovet"]
    assert [e.name for e in glossary.lookup(campaign, "gpu")[0]] == ["OGPU"]
    assert glossary.lookup(campaign, "preobrajensky") == ([], ["Preobrazhensky"])
    people, _ = glossary.lookup(campaign, "", kinds=["person"])
    assert people and all(e.kind == "person" for e in people)


def _kitchen(tmp_path: Path, name: str, text: str):
    folder = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, folder)
    (folder / name).write_text(text, encoding="utf-8")
    story, problems = load_checked([folder])
    assert story is not None
    return story


def test_check_finds_duplicates_and_names_the_story_never_uses(tmp_path):
    story = _kitchen(tmp_path, glossary.FILE, """entries:
  - {name: Zinoviev, kind: person, dates: 1883-1936, text: Leader of Leningrad.}
  - {name: Trotsky, kind: person, dates: 1879-1940, text: Not in this story.}
  - {name: zinoviev, kind: person, dates: 1883-1936, text: Again.}
  - {name: soup, kind: term, text: Cold.}
  - {name: Kamenev, kind: chairman, dates: 1883-1936, text: Chairs.}
""")
    problems = Problems()
    glossary.check(story, problems)
    messages = [str(p) for p in problems.errors]
    assert any(":4:" in m and "twice" in m for m in messages), messages
    assert any(":3:" in m and "'Trotsky'" in m and "never mentions" in m for m in messages), messages
    assert any("kind 'chairman'" in m for m in messages), messages
    assert not any("'soup'" in m for m in messages)


def test_timeline_beside_a_run_stops_at_the_run_s_present(tmp_path):
    story = _kitchen(tmp_path, timeline.FILE, """events:
  - {date: 1925-12-18, title: The congress opens}
  - {date: 1925-12-21, title: Kamenev speaks}
""")
    s0 = start(story, "kamenev")
    rows = timeline.beside(story, [s0])
    assert [(r.side, r.title) for r in rows] == [("run", "Supper")]
    s1 = step(story, s0, "agree")
    rows = timeline.beside(story, states_of(story, s1))
    assert [(r.side, r.title) for r in rows] == [("run", "Supper"), ("real", "The congress opens"), ("run", "The congress")]


def test_timeline_check_wants_dates_in_order(tmp_path):
    story = _kitchen(tmp_path, timeline.FILE, """events:
  - {date: 1925-12-21, title: Kamenev speaks}
  - {date: 1925-12-18, title: The congress opens}
  - {date: 1925-13, title: No such month}
""")
    problems = Problems()
    timeline.check(story, problems)
    messages = [str(p) for p in problems.errors]
    assert any(":3:" in m and "comes before" in m for m in messages), messages
    assert any(":4:" in m and "not a date" in m for m in messages), messages


def test_the_campaign_timeline_runs_from_1923_to_the_exile(campaign):
    events = timeline.events(campaign)
    assert events[0].date.startswith("1923") and events[-1].date.startswith("1928-01")
    rows = timeline.beside(campaign, [start(campaign, "trotsky")])
    assert rows[-1].side == "run" and all(r.date <= "1923-03-05" for r in rows)


def test_testament_check_checks_the_aids_beside_the_story(tmp_path, capsys):
    from game.cli import main
    _kitchen(tmp_path, glossary.FILE, "entries:\n  - {name: Trotsky, kind: person, dates: 1879-1940, text: Absent.}\n")
    assert main(["check", str(tmp_path / "kitchen")]) == 2
    out = capsys.readouterr().out
    assert "glossary.yaml:2:" in out and "never mentions" in out


def test_a_mod_adds_its_own_entries_and_cannot_repeat_the_story_s(tmp_path):
    root = Path(__file__).parent.parent / "fixtures"
    story_folder, mod = tmp_path / "features", tmp_path / "mod-branch"
    shutil.copytree(root / "features", story_folder)
    shutil.copytree(root / "mod-branch", mod)
    (story_folder / glossary.FILE).write_text("entries:\n  - {name: Moscow, kind: place, text: The capital.}\n",
                                              encoding="utf-8")
    (mod / glossary.FILE).write_text("entries:\n  - {name: garden, kind: place, text: Lilac.}\n"
                                     "  - {name: moscow, kind: place, text: Again.}\n", encoding="utf-8")
    story, problems = load_checked([story_folder, mod])
    assert story is not None, problems.errors
    assert [e.name for e in glossary.entries(story)] == ["Moscow", "garden"]
    found = Problems()
    glossary.check(story, found)
    assert [p.location.path.endswith("mod-branch/glossary.yaml") and "twice" in p.message for p in found.errors] == [True]
