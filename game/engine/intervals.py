"""Sound over-approximation of expressions: what values can this take, given ranges?

Used to prove a condition can never hold (an ending shadowed by impossible thresholds) or
always holds. ``Range`` is an inclusive integer interval; a truth value is the pair
(can be false, can be true).
"""

from __future__ import annotations

from typing import Mapping

from game.engine import expr as e

Range = tuple[int, int]
Truth = tuple[bool, bool]
_BOTH: Truth = (True, True)
_BIG = 10**9


def truth(node: e.Node, ranges: Mapping[int, Range], flags: Mapping[str, Truth] | None = None,
          character: str | None = None) -> Truth:
    """Whether ``node`` can be false and whether it can be true, for values in ``ranges``.

    ``ranges`` maps variable index to its possible interval; ``flags`` maps a flag to
    whether it can be unset/set (unknown flags can be either); ``character``, when
    known, decides comparisons with ``character``.
    """
    t = type(node)
    if t is e.Bool:
        return (not node.value, node.value)
    if t is e.Flag:
        return (flags or {}).get(node.name, _BOTH)
    if t is e.Not:
        f, tr = truth(node.operand, ranges, flags, character)
        return (tr, f)
    if t is e.BoolOp:
        lf, lt = truth(node.left, ranges, flags, character)
        rf, rt = truth(node.right, ranges, flags, character)
        if node.op == "and":
            return (lf or rf, lt and rt)
        return (lf and rf, lt or rt)
    if t is e.Compare:
        if isinstance(node.left, (e.Str, e.CharacterRef)) or isinstance(node.right, (e.Str, e.CharacterRef)):
            sides = [_text_of(x, character) for x in (node.left, node.right)]
            if None not in sides:
                same = sides[0] == sides[1]
                return (not same, same) if node.op == "==" else (same, not same)
            return _BOTH
        if isinstance(node.left, e.Bool | e.Flag | e.Not | e.BoolOp | e.Compare):
            return _BOTH
        a = value_range(node.left, ranges)
        b = value_range(node.right, ranges)
        return _compare(node.op, a, b)
    return _BOTH


def _text_of(node: e.Node, character: str | None) -> str | None:
    if isinstance(node, e.Str):
        return node.value
    if isinstance(node, e.CharacterRef):
        return character
    return None


def value_range(node: e.Node, ranges: Mapping[int, Range]) -> Range:
    t = type(node)
    if t is e.Num:
        return (node.value, node.value)
    if t is e.Var:
        return ranges[node.index]
    if t is e.Visits:
        return (0, _BIG)
    if t is e.Arith:
        a = value_range(node.left, ranges)
        b = value_range(node.right, ranges)
        if node.op == "+":
            return (a[0] + b[0], a[1] + b[1])
        return (a[0] - b[1], a[1] - b[0])
    return (-_BIG, _BIG)


def _compare(op: str, a: Range, b: Range) -> Truth:
    lo = a[0] - b[1]  # smallest possible a - b
    hi = a[1] - b[0]  # largest possible a - b
    if op == "<":
        return (hi >= 0, lo < 0)
    if op == "<=":
        return (hi > 0, lo <= 0)
    if op == ">":
        return (lo <= 0, hi > 0)
    if op == ">=":
        return (lo < 0, hi >= 0)
    if op == "==":
        return (not (lo == hi == 0), lo <= 0 <= hi)
    return (lo <= 0 <= hi, not (lo == hi == 0))
