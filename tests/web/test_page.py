"""The export and the page without a browser: what export-web refuses, what the page
holds, and the contrast of every text colour in both palettes."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from game.cli import main
from game.compiled import load_checked
from game.engine import expr as E
from game.web import export
from game.web.build import build_page, story_json

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
STYLE = (ROOT / "game" / "web" / "style.css").read_text(encoding="utf-8")


def _story(name: str):
    story, problems = load_checked([FIXTURES / name])
    assert story is not None and not problems.errors
    return story


def test_export_web_refuses_a_story_that_fails_check(tmp_path, capsys):
    out = tmp_path / "broken.html"
    assert main(["export-web", str(FIXTURES / "broken"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"scenes\.yaml:\d+:\d+: ", err) and "nothing was exported" in err
    assert not out.exists()


def test_export_web_writes_one_page(tmp_path, capsys):
    out = tmp_path / "kitchen.html"
    assert main(["export-web", str(FIXTURES / "kitchen"), "-o", str(out)]) == 0
    assert "The Kitchen Table" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "lenins-testament-story" in text
    assert out.stat().st_mode & 0o044  # readable by others, to be shared


def test_export_web_takes_mods(tmp_path):
    out = tmp_path / "mod.html"
    assert main(["export-web", str(ROOT / "story"), "--mod", str(ROOT / "examples" / "mods" / "factory-gate"),
                 "-o", str(out)]) == 0
    assert "factory-gate@" in out.read_text(encoding="utf-8")


def test_the_export_is_versioned_and_leaves_authors_information_out():
    data = export.export_story(_story("remembers"))
    assert data["format"] == "lenins-testament-story" and data["version"] == export.FORMAT_VERSION == 2
    text = repr(data)
    assert "assumes" not in text and "scenes.yaml" not in text and "location" not in text


def test_an_expression_node_the_runtime_does_not_know_is_refused():
    @attrs.frozen
    class Times:
        left: object
        right: object
    with pytest.raises(export.ExportError, match="cannot evaluate"):
        export.node(Times(E.Num(2), E.Num(3)))
    with pytest.raises(export.ExportError):
        export.node(E.Compare("=~", E.Num(1), E.Num(1)))


def test_a_field_the_exporter_was_not_written_for_is_refused_unless_default(monkeypatch):
    """A field added to the engine later (here: pretend the exporter never knew 'once')."""
    story = _story("features")
    known = dict(export._KNOWN)
    known[type(next(iter(story.scenes.values())).choices[0])] = known[type(next(iter(story.scenes.values())).choices[0])] - {"once"}
    monkeypatch.setattr(export, "_KNOWN", known)
    with pytest.raises(export.ExportError, match="'once'"):
        export.export_story(story)                      # features has a once-only choice
    export.export_story(_story("kitchen"))              # kitchen has none: nothing lost


def test_an_unknown_effect_is_refused():
    story = _story("kitchen")
    scene = story.scenes["supper"]
    choice = scene.choices[0]
    odd = attrs.evolve(choice, effects=(attrs.evolve(choice.effects[0], op="*"),))
    story = attrs.evolve(story, scenes={**story.scenes, "supper": attrs.evolve(scene, choices=(odd,) + scene.choices[1:])})
    with pytest.raises(export.ExportError, match="cannot apply"):
        export.export_story(story)


def test_story_text_cannot_close_the_script_element():
    story = attrs.evolve(_story("kitchen"), title='</script><script>alert(1)</script> & <b>')
    page = build_page(story)
    assert "<script>alert(1)" not in page
    assert "<title>&lt;/script&gt;" in page
    assert "\\u003c/script>" in story_json(story)
    assert page.count("</script>") == 3  # the story data, the runtime, the interface


# ---- contrast ----------------------------------------------------------------------------------

def _palette(selector: str) -> dict[str, tuple[int, int, int]]:
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", STYLE, re.S).group(1)
    out = {}
    for name, value in re.findall(r"--([a-z0-9-]+):\s*#([0-9a-fA-F]{6})", block):
        out[name] = tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
    return out


def _contrast(a, b) -> float:
    def lum(c):
        def ch(v):
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b_ = (ch(v) for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: Every (text colour, background) pair the stylesheet draws text with.
TEXT_PAIRS = [("ink", "paper"), ("muted", "paper"), ("red", "paper"), ("ink", "paper-2"), ("muted", "paper-2"),
              ("on-red", "red"), ("on-dark", "dark"), ("muted", "locked-bg"), ("paper", "muted"), ("focus", "paper"),
              ("red", "paper-2"), ("ink", "locked-bg")]


@pytest.mark.parametrize("scheme", [":root", ":root.contrast"])
def test_every_text_colour_meets_wcag_aa(scheme):
    colours = {**_palette(":root"), **(_palette(":root.contrast") if scheme != ":root" else {})}
    low = {f"{fg} on {bg}": round(_contrast(colours[fg], colours[bg]), 2) for fg, bg in TEXT_PAIRS
           if _contrast(colours[fg], colours[bg]) < 4.5}
    assert not low, f"below 4.5:1 in {scheme}: {low}"
