"""Messages with hints: the common mistakes of a new author, each with its exact message.

Every message here is our own wording (not PyYAML's), so each test asserts it whole:
where it is, what is wrong, and what to write instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.check import check_story
from game.engine.loader import read_story

MANIFEST = """\
id: hints
title: Hints
files: [s.yaml]
variables:
  army: {min: 0, max: 100, start: 50}
characters:
  trotsky: {name: Leon Trotsky, start: hall}
  zinoviev: {name: Grigory Zinoviev, start: hall}
endings:
  - id: alma-ata
    title: Alma-Ata
    if: army < 30
    text: Exile.
  - id: won
    title: Won
    text: You won.
"""

SCENES = """\
scenes:
  - id: hall
    date: 1923-03-05
    place: Moscow
    title: The hall
    text: The hall.
    note:
      text: A note.
      sources: [A source (1990)]
    choices:
      - id: speak
        text: Speak.
        effects: {army: +5}
        goto: end
      - id: wait
        text: Wait.
        effects: {army: -5}
        goto: end
  - id: end
    date: 1923-04
    place: Moscow
    title: The end
    text: The end.
    note:
      text: A note.
      sources: [A source (1990)]
    resolve: true
"""


def problems(tmp_path: Path, old: str = "", new: str = "", *, manifest: str = MANIFEST) -> list[str]:
    """Every problem of the story with ``old`` replaced by ``new`` in its scene file, as
    printed, with the folder left out of the paths."""
    assert old in SCENES
    (tmp_path / "story.yaml").write_text(manifest, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(SCENES.replace(old, new, 1), encoding="utf-8")
    story, found = read_story([tmp_path])
    if story is not None:
        check_story(story, found)
    ordered = sorted(found.items, key=lambda p: (p.location.path, p.location.line, p.location.column))  # as printed
    return [str(p).replace(f"{tmp_path}/", "") for p in ordered]


def test_the_base_story_is_clean(tmp_path):
    assert problems(tmp_path) == []


# ---- YAML --------------------------------------------------------------------------------

def test_a_tab_in_the_indentation(tmp_path):
    assert problems(tmp_path, "        effects: {army: +5}", "\teffects: {army: +5}") == [
        "s.yaml:13:1: YAML syntax: a tab character in the indentation (indent with spaces; YAML does not allow tabs there)"]


@pytest.mark.parametrize("key, old, new, column", [
    ("text", "text: Speak.", "text: Speak: say it plainly.", 20),
    ("title", "title: The hall", "title: The hall: morning", 20),
    ("place", "place: Moscow\n    title: The hall", "place: Moscow: the Kremlin\n    title: The hall", 18),
])
def test_a_colon_and_a_space_in_plain_text_under_any_key(tmp_path, key, old, new, column):
    value = new.split("\n")[0].split(": ", 1)[1]
    line = SCENES.split("\n").index(next(x for x in SCENES.split("\n") if x.strip() == old.split("\n")[0])) + 1
    assert problems(tmp_path, old, new) == [
        f"s.yaml:{line}:{column}: YAML syntax: the ': ' in the text of '{key}' makes YAML read a key and a value "
        f"(put the text in quotes, {key}: \"{value}\", or write '{key}: |' and the text on the lines below, indented)"]


def test_a_colon_in_a_source_that_yaml_reads_as_a_mapping(tmp_path):
    assert problems(tmp_path, "      sources: [A source (1990)]\n    choices",
                    "      sources:\n        - Carr: The Interregnum (1954)\n    choices") == [
        "s.yaml:10:11: each source must be a reference such as 'E. H. Carr, The Interregnum (1954)' "
        "(a ': ' inside plain text makes YAML read a key and a value; put the text in quotes, or use '|')"]


@pytest.mark.parametrize("old, new, message", [
    ("    text: The hall.", "    text:\n      - The hall.\n      - Stalin says: no",
     "s.yaml:8:9: the ': ' after 'Stalin says' in 'text' of scene 'hall' makes YAML read a key and a value"),
    ("        text: Speak.", "        text:\n          Speak up: now",
     "s.yaml:13:11: the ': ' after 'Speak up' in 'text' of choice 'speak' in scene 'hall' makes YAML read a key and a value"),
])
def test_a_colon_in_text_that_yaml_reads_as_a_mapping(tmp_path, old, new, message):
    assert problems(tmp_path, old, new) == [message + " (put the text in quotes, or use '|')"]


def test_a_plain_value_starting_with_percent(tmp_path):
    assert problems(tmp_path, "effects: {army: +5}", "effects: {army: %+5}") == [
        "s.yaml:13:25: YAML syntax: a plain value cannot start with '%' "
        "(a fair effect such as \"%+20\" is text to YAML, so put it in quotes: army: \"%+5\")"]


def test_a_key_indented_too_far(tmp_path):
    assert problems(tmp_path, "        goto: end\n      - id: wait", "         goto: end\n      - id: wait") == [
        "s.yaml:14:10: YAML syntax: 'goto:' is indented 9 spaces, but 'effects:' above it on line 13 is indented 8 "
        "(indent 'goto:' by 8 spaces to keep it with 'effects:')"]


def test_a_key_indented_too_far_under_plain_text(tmp_path):
    assert problems(tmp_path, "        effects: {army: +5}", "         effects: {army: +5}") == [
        "s.yaml:13:10: YAML syntax: 'effects:' is indented more than 'text:' on line 12, so YAML reads it as more "
        "of the text of 'text' (indent 'effects:' by 8 spaces, as 'text:' is)"]


def test_a_key_indented_too_little(tmp_path):
    assert problems(tmp_path, "        goto: end\n      - id: wait", "      goto: end\n      - id: wait") == [
        "s.yaml:14:7: YAML syntax: 'goto:' is indented 6 spaces, but 'effects:' above it on line 13 is indented 8 "
        "(indent 'goto:' by 8 spaces to keep it with 'effects:', or begin a new list item with '- ')"]


def test_a_list_item_out_of_line(tmp_path):
    assert problems(tmp_path, "      - id: wait", "       - id: wait") == [
        "s.yaml:15:8: YAML syntax: this list item is indented 7 spaces, but the item on line 11 is indented 6 "
        "(line its '-' up with the one on line 11, 6 spaces in)"]


def test_a_key_written_twice_names_both_places(tmp_path):
    assert problems(tmp_path, "        goto: end\n      - id: wait", "        goto: end\n        text: Again.\n      - id: wait") == [
        "s.yaml:15:9: key 'text' appears twice in this mapping; the first is at line 12, column 9 (keep one of them)"]


# ---- expressions -------------------------------------------------------------------------

@pytest.mark.parametrize("condition, column, message", [
    ("army = 50", 18, "unexpected character '=' (did you mean '=='?)"),
    ("army => 50", 18, "unexpected character '=' (did you mean '>='?)"),
    ("army > 50 && army < 90", 23, "unexpected character '&' (did you mean 'and'?)"),
    ("army > 50 || army < 90", 23, "unexpected character '|' (did you mean 'or'?)"),
    ("army >> 50", 18, "'>>' is not an operator (did you mean '>' or '>='?)"),
    ("character == trotsky", 26, "'trotsky' needs quotes here: a character id is text (write character == \"trotsky\")"),
])
def test_condition_syntax_says_what_was_meant(tmp_path, condition, column, message):
    assert problems(tmp_path, "        text: Wait.", f"        text: Wait.\n        if: {condition}") == [
        f"s.yaml:17:{column}: in 'if': {message}"]


def test_an_unknown_character_id_in_a_condition(tmp_path):
    assert problems(tmp_path, "        text: Wait.", '        text: Wait.\n        if: character == "zinovev"') == [
        "s.yaml:17:27: 'zinovev' is not a character of this story (did you mean 'zinoviev'?)"]


def test_an_unknown_character_id_in_a_text_block(tmp_path):
    found = problems(tmp_path, "    text: The hall.", '    text:\n      - The hall.\n      - if: character != "bukharin"\n'
                                                        '        text: It is quiet.')
    assert found == ["s.yaml:8:27: 'bukharin' is not a character of this story (the characters are trotsky, zinoviev)"]


# ---- references and ids ------------------------------------------------------------------

def test_a_goto_naming_an_ending(tmp_path):
    assert problems(tmp_path, "        effects: {army: -5}\n        goto: end", "        effects: {army: -5}\n        goto: alma-ata") == [
        "s.yaml:18:15: choice 'wait' in scene 'hall' leads to 'alma-ata', which is an ending, not a scene "
        "(endings are reached through a scene with 'resolve: true', such as 'end': lead there, "
        "and the first ending whose 'if' holds is the one the player reaches)"]


def test_a_duplicate_choice_id_names_both_places(tmp_path):
    assert problems(tmp_path, "id: wait", "id: speak") == [
        "s.yaml:15:13: scene 'hall' already has a choice 'speak' at s.yaml:11:9 (give one of them another id)"]


def test_a_duplicate_scene_id_names_both_places(tmp_path):
    found = problems(tmp_path, "  - id: end", "  - id: hall")
    assert "s.yaml:19:9: scene id 'hall' is already used at s.yaml:2:9" in found


def test_a_duplicate_variable_names_both_places(tmp_path):
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "story.yaml").write_text("mod: true\nid: m\nvariables:\n  army: {min: 0, max: 10}\n", encoding="utf-8")
    problems(tmp_path)
    story, found = read_story([tmp_path, mod])
    assert [str(p).replace(f"{tmp_path}/", "") for p in found.items] == [
        "mod/story.yaml:4:3: variable 'army' is already declared at story.yaml:5:3"]


# ---- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("date, message", [
    ("March 1923", "the date of scene 'hall', 'March 1923', is not a date the story can read (write 1923-03)"),
    ("5 March 1923", "the date of scene 'hall', '5 March 1923', is not a date the story can read (write 1923-03-05)"),
    ("1923-3-5", "the date of scene 'hall', '1923-3-5', is not a date the story can read (write 1923-03-05)"),
    ("1925-13-45", "the date of scene 'hall', '1925-13-45', is not a date: there is no month 13 "
                   "(write it as 1923-03-05, or 1923-03 or 1923 when only the month or the year is known)"),
    ("1923-02-30", "the date of scene 'hall', '1923-02-30', is not a date: February 1923 has no day 30 "
                   "(write it as 1923-03-05, or 1923-03 or 1923 when only the month or the year is known)"),
    ("spring", "the date of scene 'hall', 'spring', is not a date "
               "(write it as 1923-03-05, or 1923-03 or 1923 when only the month or the year is known)"),
])
def test_a_date_that_is_not_a_date_is_an_error(tmp_path, date, message):
    assert problems(tmp_path, "date: 1923-03-05", f"date: {date}") == [f"s.yaml:3:11: {message}"]


@pytest.mark.parametrize("date", ["1923-03-05", "1923-03", "1923"])
def test_the_three_forms_of_a_date_are_dates(tmp_path, date):
    assert problems(tmp_path, "date: 1923-03-05", f"date: {date}") == []


# ---- roads no run can take ---------------------------------------------------------------

def test_a_choice_whose_condition_can_never_hold_is_a_warning(tmp_path):
    found = problems(tmp_path, "        text: Wait.", "        text: Wait.\n        if: army >= 160")
    assert found == [
        "s.yaml:15:9: warning: choice 'wait' in scene 'hall' can never be taken: "
        "its 'if' (army >= 160) can never hold (army lies within 0..100)"]


def test_a_choice_whose_condition_never_holds_when_its_scene_is_entered(tmp_path):
    found = problems(tmp_path, "        text: Wait.", "        text: Wait.\n        if: army > 50")
    assert found == [
        "s.yaml:15:9: warning: choice 'wait' in scene 'hall' can never be taken: "
        "its 'if' (army > 50) never holds when the scene is entered (army is 50 there)"]


def test_a_choice_for_characters_who_never_reach_its_scene(tmp_path):
    manifest = MANIFEST.replace("  zinoviev: {name: Grigory Zinoviev, start: hall}\n", "")
    found = problems(tmp_path, "        text: Wait.", "        text: Wait.\n        for: [zinoviev]", manifest=manifest)
    assert found == ["s.yaml:17:15: 'zinoviev' in 'for' is not a character"]


EXTRA = """\
  - id: annex
    date: 1923-03-20
    place: Moscow
    title: The annex
    text: The annex.
    note:
      text: A note.
      sources: [A source (1990)]
    choices:
      - id: leave
        text: Leave.
        effects: {army: +1}
        goto: end
"""


def test_an_unreachable_scene_no_road_leads_to(tmp_path):
    found = problems(tmp_path, "  - id: end", EXTRA + "  - id: end")
    assert found == [
        "s.yaml:19:9: warning: scene 'annex' cannot be reached by any character: no choice, goto or fallback leads "
        "to it (add a choice that leads here, in this story or with 'extend:' in a mod)"]


def test_an_unreachable_scene_says_which_roads_lead_in_and_why_none_is_open(tmp_path):
    found = problems(tmp_path, "        text: Wait.\n        effects: {army: -5}\n        goto: end",
                     "        text: Wait.\n        if: army >= 160\n        effects: {army: -5}\n        goto: annex\n"
                     "      - id: peek\n        text: Peek.\n        for: [trotsky]\n        effects: {army: +1}\n"
                     "        goto:\n          - if: army > 90\n            to: annex\n          - to: end\n"
                     + EXTRA.rstrip("\n"))
    assert found == [
        "s.yaml:15:9: warning: choice 'wait' in scene 'hall' can never be taken: "
        "its 'if' (army >= 160) can never hold (army lies within 0..100)",
        "s.yaml:28:9: warning: scene 'annex' cannot be reached by any character: 2 roads lead in, and none can be "
        "taken: choice 'wait' of scene 'hall' (s.yaml:15:9): its 'if' (army >= 160) can never hold (army lies within "
        "0..100); branch 1 of the goto of choice 'peek' of scene 'hall' (s.yaml:20:9): its goto takes this branch only "
        "if army > 90, which never holds (army is 51 there)",
    ]
