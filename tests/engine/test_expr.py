"""The condition language: parsing, compiling, and the interval over-approximation."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings, strategies as st

from game.engine.expr import ExprError, make_condition, parse
from game.engine.intervals import truth

VARIABLES = {"army": 0, "workers": 1, "cadres": 2}
RANGES = {0: (0, 100), 1: (0, 100), 2: (-10, 10)}


class S:
    def __init__(self, values, flags=frozenset(), character="trotsky", visits=None):
        self.values, self.flags, self.character, self.visits = values, flags, character, visits or {}


@pytest.mark.parametrize("text, expected", [
    ("army >= 60", True),
    ("army >= 60 and not georgia", False),
    ("army + workers - 100 > 0", True),
    ("(army < 10 or workers == 50) and character == \"trotsky\"", True),
    ("character != 'trotsky'", False),
    ("visits(twelfth-congress) >= 2", True),
    ("-cadres > 2", True),
    ("true and not false", True),
])
def test_evaluation(text, expected):
    state = S((70, 50, -5), frozenset({"georgia"}), visits={"twelfth-congress": 2})
    assert make_condition(text, VARIABLES)(state) is expected


@pytest.mark.parametrize("text", ["army >=", "and army", "army >= (1", "visits(Bad Id) > 0", "army == workers == 1", "'a' < 'b'"])
def test_syntax_errors(text):
    with pytest.raises(ExprError):
        make_condition(text, VARIABLES)


def test_error_offsets_point_at_the_problem():
    with pytest.raises(ExprError) as info:
        make_condition("army >= 50 and workrs > 3", VARIABLES)
    assert info.value.offset == len("army >= 50 and ")
    assert "did you mean 'workers'" in info.value.hint


# ---- properties ----------------------------------------------------------------------

_CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


def numbers():
    leaf = st.one_of(st.sampled_from(list(VARIABLES)), st.integers(0, 120).map(str))
    return st.recursive(leaf, lambda inner: st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"), max_leaves=4)


def conditions():
    compare = st.tuples(numbers(), st.sampled_from(list(_CMP)), numbers()).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
    leaf = st.one_of(compare, st.sampled_from(["georgia", "funeral"]))
    return st.recursive(leaf, lambda inner: st.one_of(
        inner.map(lambda x: f"not ({x})"),
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})")), max_leaves=6)


def reference(text: str, state: S) -> bool:
    """An independent evaluator: Python's own, on a translation of our syntax (test only)."""
    env = {name: state.values[i] for name, i in VARIABLES.items()}
    env.update({"georgia": "georgia" in state.flags, "funeral": "funeral" in state.flags})
    return bool(eval(text, {"__builtins__": {}}, env))  # noqa: S307 - test oracle on generated text


values = st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(-10, 10))
flag_sets = st.frozensets(st.sampled_from(["georgia", "funeral"]))


@settings(max_examples=300, deadline=None)
@given(conditions(), values, flag_sets)
def test_compiled_conditions_agree_with_a_reference_evaluator(text, vals, flags):
    state = S(vals, flags)
    assert make_condition(text, VARIABLES)(state) == reference(text, state)


@settings(max_examples=300, deadline=None)
@given(conditions(), values, flag_sets)
def test_intervals_are_sound(text, vals, flags):
    """Whatever a state within the ranges makes of a condition, truth() allows it."""
    cond = make_condition(text, VARIABLES)
    can_be_false, can_be_true = truth(cond.tree, RANGES)
    assert can_be_true if cond(S(vals, flags)) else can_be_false


def test_intervals_prove_impossible_thresholds():
    tree, _ = parse("army > 100 or cadres < -10", VARIABLES)
    assert truth(tree, RANGES) == (True, False)
    tree, _ = parse("army + workers >= 0", VARIABLES)
    assert truth(tree, RANGES) == (False, True)
