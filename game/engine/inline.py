"""Inline phrases that follow the run: ``{flag then|otherwise}`` inside a sentence.

The form is ChoiceScript's multireplace with ink's braces: the condition is one flag name,
``not`` and a flag name, or any condition in parentheses; then the phrase to show when it
holds, and after ``|`` the phrase to show when it does not (which may be left out):

    {stalin_removed Rykov|Stalin} reads the list.
    The {(army >= 60) loyal|wavering} garrison.
    {not early_bloc They come to you by night, like conspirators.}

``{{`` and ``}}`` stand for literal braces. Phrases do not nest. Parsing happens once, at
load time; a broken phrase is an error with its position in the text.
"""

from __future__ import annotations

import re
from typing import Callable

from game.engine.expr import Condition, ExprError
from game.engine.model import Inline, Part

_NAME = re.compile(r"(not\s+)?[A-Za-z_][A-Za-z0-9_]*")
#: Characters of a phrase; a longer one is almost always a missing '}'.
MAX_PHRASE = 2000


def parse_parts(text: str, compile_condition: Callable[[str], Condition]) -> tuple[Part, ...]:
    """Split ``text`` into literal strings and ``Inline`` phrases.

    ``compile_condition`` parses a condition (it raises ``ExprError`` with an offset into
    the condition); errors are raised as ``ExprError`` with an offset into ``text``.
    """
    if "{" not in text and "}" not in text:
        return (text,)
    parts: list[Part] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "{}" and text.startswith(ch * 2, i):
            literal.append(ch)
            i += 2
            continue
        if ch == "}":
            raise ExprError("a '}' with no '{' before it", i, "write '}}' for a literal brace")
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        close = text.find("}", i + 1)
        if close < 0 or close - i > MAX_PHRASE:
            raise ExprError("an inline phrase '{' has no closing '}'", i, "write '{{' for a literal brace")
        inner = text[i + 1:close]
        if "{" in inner:
            raise ExprError("inline phrases cannot be nested", i + 1 + inner.index("{"))
        source, rest, offset = _split_condition(inner, i + 1)
        try:
            condition = compile_condition(source)
        except ExprError as exc:
            raise ExprError(f"in the inline phrase: {exc.message}", offset + exc.offset, exc.hint) from None
        arms = rest.split("|")
        if len(arms) > 2:
            raise ExprError("an inline phrase has at most two arms, 'then|otherwise'", i)
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(Inline(condition, arms[0], arms[1] if len(arms) == 2 else ""))
        i = close + 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _split_condition(inner: str, offset: int) -> tuple[str, str, int]:
    """(condition source, the arms after it, offset of the condition in the whole text)."""
    if inner.startswith("("):
        depth = 0
        quote = ""
        for j, ch in enumerate(inner):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return inner[1:j], _after_space(inner[j + 1:]), offset + 1
        raise ExprError("the condition of an inline phrase is missing its ')'", offset)
    m = _NAME.match(inner)
    if not m:
        raise ExprError("an inline phrase starts with its condition: a flag, 'not flag', or '(condition)'",
                        offset, "for example {stalin_removed Rykov|Stalin}")
    return m.group(0), _after_space(inner[m.end():]), offset


def _after_space(rest: str) -> str:
    """The arms, without the one space that separates them from the condition."""
    return rest[1:] if rest.startswith(" ") else rest
