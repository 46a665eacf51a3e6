"""Code text: literals that rebuild their value within 100 columns, conditions that mean the IR."""

from __future__ import annotations

import ast
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmdsl.backends.python.conditions import Refs, condition_code
from mmdsl.backends.python.pycode import WIDTH, Plain, Str, layout, literal, one_line, render
from mmdsl.interpreter import holds
from mmdsl.ir import model as ir


def lines_fit(code: str) -> bool:
    return all(len(line) <= WIDTH for line in code.splitlines())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(0, 80))
def test_a_string_literal_rebuilds_its_text_within_the_width(text: str, column: int) -> None:
    code = " " * column + layout(Str(text), column, column)
    assert ast.literal_eval(code.strip()) == text
    assert lines_fit(code)


plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=150),
    lambda children: st.lists(children, max_size=12).map(tuple), max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(plain_values)
def test_a_literal_rebuilds_its_value_within_the_width(value: Plain) -> None:
    code = render(literal(value), 4, "x = ")
    assert ast.literal_eval(code.split("=", 1)[1].strip()) == value
    assert lines_fit(code)


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_number_without_a_literal_is_refused(number: float) -> None:
    with pytest.raises(ValueError):
        literal(number)


# ---- conditions: the generated expression means what the interpreter computes --------------------

NULLABLE = frozenset({"j", "t", "e"})  # refs that may hold None, like an earlier table's output
MEMBERS = ("a", "b", "c")


def leaves() -> st.SearchStrategy[ir.Cond]:
    numbers = st.integers(-2, 2)
    members = st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True).map(tuple)
    return st.one_of(
        st.just(ir.Always()),
        st.sampled_from(["j", "t", "e"]).map(ir.IsSet),
        st.builds(ir.Compare, st.sampled_from(["i", "j"]),
                  st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers),
        st.builds(ir.OneOf, st.just("b"), st.sampled_from([(True,), (False,), (True, False)])),
        st.builds(ir.OneOf, st.just("e"), members),
        st.builds(ir.SetTest, st.sampled_from(["s", "t"]),
                  st.sampled_from(["any", "none", "all"]), members),
    )


conditions = st.recursive(leaves(), lambda children: st.one_of(
    children.map(ir.Not),
    st.lists(children, min_size=1, max_size=3).map(lambda items: ir.AllOf(tuple(items))),
    st.lists(children, min_size=1, max_size=3).map(lambda items: ir.AnyOf(tuple(items))),
), max_leaves=8)

member_sets = st.frozensets(st.sampled_from(MEMBERS))
patient_values = st.fixed_dictionaries({
    "i": st.integers(-3, 3), "j": st.none() | st.integers(-3, 3), "b": st.booleans(),
    "s": member_sets, "t": st.none() | member_sets, "e": st.none() | st.sampled_from(MEMBERS),
})


@settings(max_examples=600, deadline=None)
@given(conditions, patient_values)
def test_generated_conditions_agree_with_the_interpreter(condition: ir.Cond,
                                                         values: dict[str, Any]) -> None:
    code = one_line(condition_code(condition, Refs(NULLABLE)), bare=True)
    assert eval(code, {}, {"values": values}) is holds(condition, values), code


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
@pytest.mark.parametrize("ref", ["i", "j"])
def test_a_negated_comparison_is_its_exact_opposite(op: str, ref: str) -> None:
    condition = ir.Not(ir.Compare(ref, op, 0))  # type: ignore[arg-type]
    for value in (-1, 0, 1, None):
        values = {ref: value}
        if value is not None or ref in NULLABLE:
            assert eval(code_of(condition), {}, {"values": values}) is holds(condition, values)


def code_of(condition: ir.Cond) -> str:
    return one_line(condition_code(condition, Refs(NULLABLE)), bare=True)


def test_negations_are_written_as_a_reader_expects() -> None:
    assert code_of(ir.Not(ir.OneOf("e", ("a", "b")))) == "values['e'] not in ('a', 'b')"
    assert code_of(ir.Not(ir.OneOf("b", (True,)))) == "values['b'] is not True"
    assert code_of(ir.Not(ir.IsSet("j"))) == "values['j'] is None"
    assert code_of(ir.Not(ir.Compare("i", "==", 1))) == "values['i'] != 1"
    assert code_of(ir.Not(ir.SetTest("s", "any", ("a",)))) == "'a' not in values['s']"
    assert code_of(ir.Not(ir.Not(ir.IsSet("j")))) == "values['j'] is not None"


def test_a_test_on_a_value_that_may_be_missing_is_guarded_once() -> None:
    assert code_of(ir.Compare("j", ">=", 1)) == "values['j'] is not None and values['j'] >= 1"
    guarded = ir.AllOf((ir.IsSet("j"), ir.Compare("j", ">=", 1)))
    assert code_of(guarded) == "values['j'] is not None and values['j'] >= 1"
    assert code_of(ir.Compare("i", ">=", 1)) == "values['i'] >= 1"
