"""The condition language: parsed once at load time into a tree, then compiled to closures.

Story text is never handed to ``eval``: this module tokenises and parses it itself, checks
every name against the story's variables and flags, checks types (a condition must be
true/false, arithmetic needs numbers), and compiles the tree into nested Python closures
that read a ``State`` directly.

Expressions are untrusted too, so they are bounded before anything recursive touches
them: at most ``MAX_EXPRESSION_CHARS`` characters, nested at most ``MAX_EXPRESSION_DEPTH``
levels, numbers at most ``MAX_NUMBER``. A chain of ``and`` (or of ``or``) is built as a
balanced tree, so a long chain is shallow. Every tree is therefore shallow enough for the
recursive walks of analysis, compiling, calling the compiled closures and pickling.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable, Union

from attrs import field, frozen

from game.engine.errors import did_you_mean


#: The longest expression accepted, in characters (the campaign's longest is under 200).
MAX_EXPRESSION_CHARS = 1000
#: The deepest nesting accepted: parentheses, ``not`` and unary minus while parsing, and
#: the depth of the finished tree (each ``+``/``-`` of a sum, each comparison, each level
#: of a balanced ``and``/``or`` chain). The campaign's deepest tree has 7 levels.
MAX_EXPRESSION_DEPTH = 32
#: The largest number an expression may contain, as in the YAML files.
MAX_NUMBER = 1_000_000_000


class ExprError(ValueError):
    """A problem in an expression; ``offset`` is the character position in its text."""

    def __init__(self, message: str, offset: int, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


# ---- the tree ---------------------------------------------------------------------------

@frozen
class Num:
    value: int


@frozen
class Str:
    value: str
    #: Where the quoted text starts in the expression (its opening quote), for messages.
    offset: int = field(default=0, eq=False)


@frozen
class Bool:
    value: bool


@frozen
class Var:
    """A declared variable, by name and index into ``State.values``."""
    name: str
    index: int


@frozen
class Flag:
    name: str
    offset: int = field(default=0, eq=False)


@frozen
class CharacterRef:
    pass


@frozen
class Visits:
    scene: str
    offset: int


@frozen
class Not:
    operand: "Node"


@frozen
class BoolOp:
    op: str  # "and" | "or"
    left: "Node"
    right: "Node"


@frozen
class Arith:
    op: str  # "+" | "-"
    left: "Node"
    right: "Node"


@frozen
class Compare:
    op: str
    left: "Node"
    right: "Node"


Node = Union[Num, Str, Bool, Var, Flag, CharacterRef, Visits, Not, BoolOp, Arith, Compare]

# ---- tokens -----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>[0-9]+)
    | (?P<str>"[^"]*"|'[^']*')
    | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\))
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_SCENE_ARG = re.compile(r"\s*([a-z0-9][a-z0-9-]*)\s*\)")
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
KEYWORDS = {"and", "or", "not", "true", "false", "character", "visits"}


class _Parser:
    def __init__(self, text: str, variables: dict[str, int]):
        self.text = text
        self.variables = variables
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                bad = len(text[pos:]) - len(text[pos:].lstrip()) + pos
                raise ExprError(f"unexpected character {text[bad]!r}", bad, _instead(text, bad))
            kind = m.lastgroup or ""
            start = m.start(kind)
            if kind == "op" and m.group(kind) in ("<", ">") and text[m.end():m.end() + 1] == m.group(kind):
                raise ExprError(f"'{m.group(kind) * 2}' is not an operator", start, f"did you mean '{m.group(kind)}' or '{m.group(kind)}='?")
            self.tokens.append((kind, m.group(kind), start))
            pos = m.end()
            if kind == "name" and m.group(kind) == "visits":
                self._scene_argument(pos)
                pos = self._after_visits
        self.i = 0
        #: How deeply the parser is nested in parentheses, ``not`` and unary minus now.
        self.depth = 0

    def deeper(self, pos: int) -> None:
        """Enter one more level of nesting; refuse beyond ``MAX_EXPRESSION_DEPTH``."""
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise ExprError(f"the expression is nested more than {MAX_EXPRESSION_DEPTH} levels deep", pos,
                            "split it: give a part its own flag, or simplify")

    def _scene_argument(self, pos: int) -> None:
        m = re.compile(r"\s*\(").match(self.text, pos)
        if not m:
            raise ExprError("visits needs a scene id in parentheses: visits(scene-id)", pos)
        arg = _SCENE_ARG.match(self.text, m.end())
        if not arg:
            raise ExprError("visits needs a scene id in parentheses: visits(scene-id)", m.end())
        self.tokens.append(("scene", arg.group(1), arg.start(1)))
        self._after_visits = arg.end()

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", len(self.text))

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> tuple[Node, str]:
        node, kind = self.or_()
        tok = self.peek()
        if tok[0] != "end":
            raise ExprError(f"unexpected '{tok[1]}'", tok[2], "join conditions with 'and' or 'or'")
        return node, kind

    def logic(self, op: str, operand) -> tuple[Node, str]:
        """A chain of ``operand op operand ...``, where both sides must be conditions."""
        left, lt = operand()
        terms = [left]
        while self.peek()[:2] == ("name", op):
            pos = self.take()[2]
            right, rt = operand()
            _want("bool", lt, pos, op)
            _want("bool", rt, pos, op)
            terms.append(right)
            lt = "bool"
        return _balanced(op, terms), lt

    def or_(self) -> tuple[Node, str]:
        return self.logic("or", self.and_)

    def and_(self) -> tuple[Node, str]:
        return self.logic("and", self.not_)

    def not_(self) -> tuple[Node, str]:
        if self.peek()[:2] == ("name", "not"):
            pos = self.take()[2]
            self.deeper(pos)
            operand, kind = self.not_()
            self.depth -= 1
            _want("bool", kind, pos, "not")
            return Not(operand), "bool"
        return self.compare()

    def compare(self) -> tuple[Node, str]:
        left, lt = self.sum_()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in _COMPARE:
            self.take()
            right, rt = self.sum_()
            if tok[1] in ("==", "!="):
                _unquoted_character(left, right, tok[1])
                if lt != rt:
                    raise ExprError(f"cannot compare {_NAMES[lt]} with {_NAMES[rt]}", tok[2])
            else:
                self.number(left, lt, tok[2], tok[1])
                self.number(right, rt, tok[2], tok[1])
            if self.peek()[0] == "op" and self.peek()[1] in _COMPARE:
                raise ExprError("comparisons cannot be chained", self.peek()[2], "write a < b and b < c")
            return Compare(tok[1], left, right), "bool"
        return left, lt

    def number(self, node: "Node", kind: str, pos: int, what: str) -> None:
        """Demand a number; an unknown name here is a misspelt variable, not a flag."""
        if isinstance(node, Flag):
            raise ExprError(f"'{node.name}' is not a declared variable", node.offset, did_you_mean(node.name, self.variables))
        _want("int", kind, pos, what)

    def sum_(self) -> tuple[Node, str]:
        left, lt = self.atom()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op, pos = self.take()[1:]
            right, rt = self.atom()
            self.number(left, lt, pos, op)
            self.number(right, rt, pos, op)
            left, lt = Arith(op, left, right), "int"
        return left, lt

    def atom(self) -> tuple[Node, str]:
        kind, text, pos = self.take()
        if kind == "num":
            digits = text.lstrip("0")
            if len(digits) > len(str(MAX_NUMBER)) or int(digits or "0") > MAX_NUMBER:
                shown = text if len(text) <= 16 else text[:8] + "..." + text[-4:]
                raise ExprError(f"the number {shown} is too big: numbers in a condition are at most {MAX_NUMBER:,}", pos)
            return Num(int(digits or "0")), "int"
        if kind == "str":
            return Str(text[1:-1], pos), "str"
        if kind == "op" and text == "(":
            self.deeper(pos)
            node, nk = self.or_()
            self.depth -= 1
            close = self.take()
            if close[:2] != ("op", ")"):
                raise ExprError("missing ')'", close[2])
            return node, nk
        if kind == "op" and text == "-":
            self.deeper(pos)
            operand, ok = self.atom()
            self.depth -= 1
            _want("int", ok, pos, "-")
            return Arith("-", Num(0), operand), "int"
        if kind == "name":
            if text in ("true", "false"):
                return Bool(text == "true"), "bool"
            if text == "character":
                return CharacterRef(), "str"
            if text == "visits":
                scene = self.take()
                return Visits(scene[1], scene[2]), "int"
            if text in ("and", "or", "not"):
                raise ExprError(f"'{text}' needs something before it", pos)
            if text in self.variables:
                return Var(text, self.variables[text]), "int"
            return Flag(text, pos), "bool"
        if kind == "end":
            raise ExprError("the expression ends too soon", pos)
        raise ExprError(f"unexpected '{text}'", pos)


_NAMES = {"int": "a number", "bool": "a condition", "str": "text"}
#: What an author coming from C, Python or JavaScript may have meant by a character
#: the language does not have.
_MEANT = {"&": "and", "|": "or", "!": "not"}


def _instead(text: str, at: int) -> str:
    """A did-you-mean for the character at ``at`` that no token can start, or ``""``."""
    char = text[at]
    if char == "=":
        after = text[at + 1:at + 2]
        return f"did you mean '{after}='?" if after in ("<", ">") else "did you mean '=='?"
    if char in _MEANT:
        return f"did you mean '{_MEANT[char]}'?"
    return ""


def _unquoted_character(left: "Node", right: "Node", op: str) -> None:
    """Refuse ``character == zinoviev``: a character id compared without quotes."""
    for a, b in ((left, right), (right, left)):
        if isinstance(a, CharacterRef) and isinstance(b, Flag):
            raise ExprError(f"'{b.name}' needs quotes here: a character id is text", b.offset,
                            f'write character {op} "{b.name}"')


def character_names(node: "Node") -> list[Str]:
    """The texts a tree compares with ``character`` (``character == "trotsky"``), in order."""
    return [side for n in walk(node) if isinstance(n, Compare) and CharacterRef() in (n.left, n.right)
            for side in (n.left, n.right) if isinstance(side, Str)]


def _want(expected: str, found: str, pos: int, what: str) -> None:
    if expected != found:
        raise ExprError(f"'{what}' needs {_NAMES[expected]} but found {_NAMES[found]}", pos)


def _balanced(op: str, terms: list[Node]) -> Node:
    """``terms[0] op terms[1] op ...`` as a balanced tree: same value, same order of
    evaluation (and of short-circuiting), depth log2 of the number of terms."""
    while len(terms) > 1:
        paired = [BoolOp(op, terms[i], terms[i + 1]) for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def depth(node: Node) -> int:
    """The number of levels of a tree, counted without recursion."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        n, d = stack.pop()
        deepest = max(deepest, d)
        for child in (getattr(n, "operand", None), getattr(n, "left", None), getattr(n, "right", None)):
            if child is not None:
                stack.append((child, d + 1))
    return deepest


def parse(text: str, variables: dict[str, int]) -> tuple[Node, str]:
    """Parse ``text``; return the tree and its type (``bool``, ``int`` or ``str``).

    ``ExprError`` for anything wrong, including an expression longer than
    ``MAX_EXPRESSION_CHARS`` or deeper than ``MAX_EXPRESSION_DEPTH``.
    """
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExprError(f"the expression is {len(text):,} characters long; at most {MAX_EXPRESSION_CHARS:,} are allowed", 0,
                        "split it: give a part its own flag, or simplify")
    if not text.strip():
        raise ExprError("the expression is empty", 0)
    node, kind = _Parser(text, variables).parse()
    if depth(node) > MAX_EXPRESSION_DEPTH:
        raise ExprError(f"the expression is nested more than {MAX_EXPRESSION_DEPTH} levels deep", 0,
                        "a long chain of '+' and '-' counts a level for each term; split it")
    return node, kind


def walk(node: Node):
    """Every node of a tree, parents first."""
    yield node
    for child in (getattr(node, "operand", None), getattr(node, "left", None), getattr(node, "right", None)):
        if child is not None:
            yield from walk(child)


# ---- compiling --------------------------------------------------------------------------

Compiled = Callable[[Any], Any]


def compile_node(node: Node) -> Compiled:
    """A closure computing ``node`` for a state (anything with values, flags, character, visits)."""
    t = type(node)
    if t is Num or t is Str or t is Bool:
        value = node.value
        return lambda s: value
    if t is Var:
        index = node.index
        return lambda s: s.values[index]
    if t is Flag:
        name = node.name
        return lambda s: name in s.flags
    if t is CharacterRef:
        return lambda s: s.character
    if t is Visits:
        scene = node.scene
        return lambda s: s.visits.get(scene, 0)
    if t is Not:
        inner = compile_node(node.operand)
        return lambda s: not inner(s)
    left = compile_node(node.left)
    right = compile_node(node.right)
    if t is BoolOp:
        if node.op == "and":
            return lambda s: left(s) and right(s)
        return lambda s: left(s) or right(s)
    if t is Arith:
        if node.op == "+":
            return lambda s: left(s) + right(s)
        return lambda s: left(s) - right(s)
    fn = _COMPARE[node.op]
    if isinstance(node.right, Num):
        constant = node.right.value
        return lambda s: fn(left(s), constant)
    return lambda s: fn(left(s), right(s))


@frozen
class Condition:
    """A parsed, compiled condition with its source text for messages and analysis."""

    source: str
    tree: Node
    test: Compiled = None  # type: ignore[assignment]

    def __call__(self, state: Any) -> bool:
        return bool(self.test(state))

    def __reduce__(self):
        # The compiled closure cannot be pickled; the tree can, and compiles again in microseconds.
        return (_recompiled, (self.source, self.tree))


def _recompiled(source: str, tree: Node) -> "Condition":
    return Condition(source, tree, compile_node(tree))


def make_condition(text: str, variables: dict[str, int]) -> Condition:
    """Parse and compile a condition, which must be true/false."""
    tree, kind = parse(text, variables)
    if kind != "bool":
        raise ExprError(f"a condition must be true or false, but this is {_NAMES[kind]}", 0,
                        "compare it, e.g. 'army >= 50'")
    return Condition(text, tree, compile_node(tree))
