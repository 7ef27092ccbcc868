"""One self-contained HTML file that plays a checked story in any browser, offline.

The page holds the story export (``game.web.export``), the runtime (``runtime.js``), the
interface (``app.js``, ``style.css``, ``page.html``) and the display and dyslexia fonts
inline, with their licences; it needs no server and makes no network request (its
Content-Security-Policy forbids any), so it opens from a downloaded file.
"""

from __future__ import annotations

import base64
import html
import json
import re
from importlib import resources
from pathlib import Path

from game.engine.model import Story
from game.paths import assets_dir
from game.web.export import FORMAT_VERSION, export_story

#: Fonts inlined, with the CSS family the stylesheet asks for and their licence files.
#: Bebas Neue (SIL OFL 1.1) and OpenDyslexic (CC-BY 3.0 / Bitstream Vera) may be
#: redistributed embedded in a document when their notices travel with them, so the page
#: carries the licence texts. Body text uses the reader's system fonts (Open Sans, at
#: 0.9 MB, is left out to keep the file small).
FONTS = [
    ("Testament Display", 700, "BebasNeue-Bold.otf", "opentype"),
    ("Testament Dyslexic", 400, "OpenDyslexic-Regular.otf", "opentype"),
    ("Testament Dyslexic", 700, "OpenDyslexic-Bold.otf", "opentype"),
]
LICENCES = [
    ("Bebas Neue: SIL Open Font License 1.1", "LICENSE-BebasNeue.txt"),
    ("OpenDyslexic: CC-BY 3.0 and Bitstream Vera licence", "LICENSE-OpenDyslexic.txt"),
]
_MARKER = re.compile(r"@@([A-Z]+)@@")


def _source(name: str) -> str:
    return resources.files("game.web").joinpath(name).read_text(encoding="utf-8")


def _fonts(folder: Path) -> str:
    rules = []
    for family, weight, filename, kind in FONTS:
        path = folder / filename
        if not path.is_file():
            continue  # the stylesheet falls back to system fonts
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
                     f'font-display: swap; src: url(data:font/{"otf" if kind == "opentype" else "ttf"};base64,{data}) '
                     f'format("{kind}"); }}')
    return "\n".join(rules)


def _licences(folder: Path) -> str:
    out = []
    for title, filename in LICENCES:
        path = folder / filename
        if path.is_file():
            out.append(f'<section data-title="{html.escape(title)}">{html.escape(path.read_text(encoding="utf-8"))}</section>')
    return "".join(out)


def story_json(story: Story) -> str:
    """The export as text safe inside a <script> element: every '<' is written \\u003c."""
    text = json.dumps(export_story(story), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build_page(story: Story, *, fonts: Path | None = None) -> str:
    """The whole game as one HTML document."""
    folder = fonts if fonts is not None else assets_dir() / "fonts"
    runtime, app, style = _source("runtime.js"), _source("app.js"), _source("style.css")
    for name, text, closing in (("runtime.js", runtime, "</script"), ("app.js", app, "</script"), ("style.css", style, "</style")):
        if closing in text.lower():
            raise ValueError(f"{name} contains '{closing}', which would end its element early")
    parts = {
        "TITLE": html.escape(story.title),
        "GENERATOR": f"testament export-web (story export format {FORMAT_VERSION})",
        "FONTS": _fonts(folder),
        "STYLE": style,
        "LICENCES": _licences(folder),
        "STORY": story_json(story),
        "RUNTIME": runtime,
        "APP": app,
    }
    # One pass, so nothing inserted is ever read as a marker.
    return _MARKER.sub(lambda m: parts[m.group(1)], _source("page.html"))
