"""What to write instead: plain words for the YAML mistakes authors make most.

PyYAML (and libyaml) say what their parser met ("mapping values are not allowed in this
context", "found character that cannot start any token"), not what the author did. This
module looks at the text around the place of such an error and, when it recognises the
mistake, says it in the author's terms with one line of what to write instead:

- a tab in the indentation;
- a ``': '`` inside plain text (under any key: a title, a choice's text, a source), which
  YAML reads as a key and a value;
- a plain value starting with ``%`` (a fair effect) or another character that cannot
  start one (``@``, a backquote);
- a key indented more than the key above it (YAML reads it as more of that key's text)
  or less than its siblings, and a list item out of line with the items above it;
- text after a closing quote, and a quote that is never closed.

It only reads the text; when nothing is recognised, the parser's own words stay.
"""

from __future__ import annotations

import re

#: A line that begins a key (after its indentation, and after ``- `` for a list item).
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)")
#: The key just before a value that starts at the end of this text (``apparatus: ``).
_KEY_BEFORE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*$")

TAB = "a tab character in the indentation"
TAB_HINT = "indent with spaces; YAML does not allow tabs there"


def explain(text: str, problem: str, line: int, column: int, context: str = "",
            context_at: tuple[int, int] | None = None) -> tuple[str, str, int, int] | None:
    """``_explain``, which never raises: a message that fails keeps the parser's words."""
    try:
        return _explain(text, problem, line, column, context, context_at)
    except Exception:  # pragma: no cover - a hint must never turn an error into a crash
        return None


def _explain(text: str, problem: str, line: int, column: int, context: str = "",
             context_at: tuple[int, int] | None = None) -> tuple[str, str, int, int] | None:
    """(message, hint, line, column) for a YAML syntax error at ``line``:``column`` (1-based),
    or None when the mistake is not one this module knows.

    ``problem`` and ``context`` are the parser's own descriptions, used only to tell kinds
    of error apart; ``context_at`` is the (line, column) where the parser's context began.
    """
    lines = text.split("\n")
    if "quoted scalar" in context and "end of stream" in problem and context_at is not None:
        quote = lines[context_at[0] - 1][context_at[1] - 1: context_at[1]] if context_at[0] <= len(lines) else '"'
        return (f"YAML syntax: the {quote} opened here is never closed",
                "end the text with the same quote; inside it write \\\" for \" (in double quotes) or '' for ' (in single quotes)",
                context_at[0], context_at[1])
    if not 1 <= line <= len(lines):
        return None
    here = lines[line - 1].rstrip("\r")
    at = here[column - 1] if 0 < column <= len(here) else ""
    # 1. A tab among the leading spaces of this line (or of the line the parser stopped in).
    lead = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in lead or (at == "\t" and not here[: column - 1].strip()):
        return f"YAML syntax: {TAB}", TAB_HINT, line, lead.index("\t") + 1 if "\t" in lead else column
    # 2. A plain value that begins with a character YAML reserves.
    if at in ("%", "@", "`") and "cannot start any token" in problem:
        return _reserved_start(here, column, at, line)
    # 3. ': ' in plain text, or a key indented too far (YAML reads it as text, then meets ':').
    if at == ":" and "mapping values" in problem:
        return _colon(lines, line, column)
    # 4. Text after a closing quote.
    before = here[: column - 1].rstrip()
    if before.endswith(('"', "'")) and ("expected key" in problem or "but found '<scalar>'" in problem):
        return ("YAML syntax: text after the closing quote",
                "put all of the text inside the quotes, or none of it", line, column)
    # 5. A key or list item out of line with those above it.
    if "expected '-' indicator" in problem or "expected key" in problem or "expected <block end>" in problem:
        return _out_of_line(lines, line, column, problem)
    return None


def _quoted(value: str, most: int = 48) -> str:
    """``value`` in the quotes YAML needs, clipped to about ``most`` characters."""
    if len(value) > most:
        value = value[: most - 3].rstrip() + "..."
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _reserved_start(here: str, column: int, char: str, line: int) -> tuple[str, str, int, int]:
    rest = here[column - 1:]
    inline = re.search(r"[,}\]]", rest) if "{" in here[: column - 1] or "[" in here[: column - 1] else None
    value = (rest[: inline.start()] if inline else rest).strip()
    if " #" in value:
        value = value[: value.index(" #")].rstrip()
    key = _KEY_BEFORE.search(here[: column - 1])
    written = f"{key.group('key')}: {_quoted(value)}" if key else _quoted(value)
    what = "a fair effect such as \"%+20\" is text to YAML, so" if char == "%" else ""
    hint = f"{what + ' ' if what else ''}put it in quotes: {written}"
    return f"YAML syntax: a plain value cannot start with '{char}'", hint, line, column


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content(lines: list[str], line: int) -> tuple[int, str] | None:
    """The nearest line above ``line`` (1-based) that holds something other than a comment."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1].rstrip("\r")
        if text.strip() and not text.lstrip().startswith("#"):
            return number, text
    return None


def _key_column(text: str) -> tuple[str, int] | None:
    """The key a line begins and the 0-based column of that key, or None."""
    m = _KEY_LINE.match(text)
    if not m:
        return None
    return m.group("key"), len(m.group("indent")) + len(m.group("dash") or "")


def _owner(lines: list[str], line: int, indent: int) -> tuple[int, str, int] | None:
    """The line, key and key column of the key whose value holds line ``line``: the
    nearest key line above it (or it) whose key starts left of ``indent``, or on it."""
    for number in range(line, 0, -1):
        text = lines[number - 1].rstrip("\r")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        found = _key_column(text)
        if found and (number == line or found[1] < indent):
            return number, found[0], found[1]
        if _indent(text) < indent and not found:
            indent = _indent(text)
    return None


def _colon(lines: list[str], line: int, column: int) -> tuple[str, str, int, int] | None:
    here = lines[line - 1].rstrip("\r")
    found = _key_column(here)
    if found and here.index(":", found[1]) == column - 1:
        # The ':' ends a key at the start of its line: this key is indented too far, so
        # YAML has read it as more of the plain text above.
        above = _content(lines, line)
        owner = _owner(lines, above[0], _indent(above[1]) + 1) if above else None
        if owner and owner[2] < found[1]:
            key, spaces = found[0], owner[2]
            return (f"YAML syntax: '{key}:' is indented more than '{owner[1]}:' on line {owner[0]}, "
                    f"so YAML reads it as more of the text of '{owner[1]}'",
                    f"indent '{key}:' by {spaces} space{'s' if spaces != 1 else ''}, as '{owner[1]}:' is",
                    line, found[1] + 1)
        return None
    owner = _owner(lines, line, _indent(here) + (0 if found else 1))
    if owner is None:
        return None
    number, key, _ = owner
    start_line = lines[number - 1].rstrip("\r")
    value = start_line[start_line.index(":", _key_column(start_line)[1]) + 1:].strip()
    if number != line:
        value = (value + " " + " ".join(lines[i].strip() for i in range(number, line))).strip()
    if value.startswith(("|", ">", '"', "'")) or not value:
        return None
    return (f"YAML syntax: the ': ' in the text of '{key}' makes YAML read a key and a value",
            f"put the text in quotes, {key}: {_quoted(value)}, or write '{key}: |' and the text on the lines below, indented",
            line, column)


def _out_of_line(lines: list[str], line: int, column: int, problem: str) -> tuple[str, str, int, int] | None:
    here = lines[line - 1].rstrip("\r")
    stripped = here.lstrip(" ")
    spaces = _indent(here)
    above = _content(lines, line)
    if above is None:
        return None
    if stripped.startswith("- ") or stripped == "-":
        # A list item: compare with the nearest item above that is not nested deeper.
        for number in range(line - 1, 0, -1):
            text = lines[number - 1].rstrip("\r")
            if text.lstrip(" ").startswith("- ") and _indent(text) <= spaces + 1 and _indent(text) != spaces:
                want = _indent(text)
                return (f"YAML syntax: this list item is indented {spaces} space{'s' if spaces != 1 else ''}, "
                        f"but the item on line {number} is indented {want}",
                        f"line its '-' up with the one on line {number}, {want} space{'s' if want != 1 else ''} in",
                        line, column)
            if _indent(text) < spaces - 1 and text.strip() and not text.lstrip().startswith("#"):
                break
        return None
    found = _key_column(here)
    if found is None:
        return None
    key = found[0]
    # The keys of the mapping just above: the key column of the line above, or of its owner.
    number, text = above
    sibling = _key_column(text)
    if sibling is None:
        owner = _owner(lines, number, _indent(text) + 1)
        if owner is None:
            return None
        number, name, want = owner
    else:
        name, want = sibling
    if want == spaces:
        return None
    plural = "s" if want != 1 else ""
    instead = f"indent '{key}:' by {want} space{plural} to keep it with '{name}:'"
    if "'-' indicator" in problem or "'?'" in problem:
        instead += ", or begin a new list item with '- '"
    return (f"YAML syntax: '{key}:' is indented {spaces} space{'s' if spaces != 1 else ''}, "
            f"but '{name}:' above it on line {number} is indented {want}", instead, line, column)
