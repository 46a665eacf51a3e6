"""Conditions in words, one kind of condition at a time, as a clinician reads them."""

from __future__ import annotations

import pytest

from mmdsl.ir.model import (
    AllOf,
    Always,
    AnyOf,
    Compare,
    Cond,
    IRClass,
    IRType,
    IsSet,
    Not,
    OneOf,
    SetTest,
)
from mmdsl.ir.verbalize import Vocabulary, describe, simplify

DRUGS = ("daratumumab", "lenalidomide", "bortezomib", "carfilzomib", "ixazomib", "selinexor")
WORDS = Vocabulary(
    subjects={"lines": "“prior lines of therapy”", "refractory": "“drugs the disease is refractory to”",
              "tcr": "“triple-class refractory”", "t11_14": "“t(11;14) confirmed”",
              "drug": "“the last drug”", "crcl": "“creatinine clearance”", "note": "“the remark”",
              "plan.tier": "“tier” from the table “Plan”"},
    meanings={},
    types={"lines": IRType("integer", low=0, high=30, unit="lines"),
           "refractory": IRType("set", DRUGS, enum_name="drug"),
           "tcr": IRType("bool"), "t11_14": IRType("bool"),
           "drug": IRType("enum", DRUGS, enum_name="drug"),
           "crcl": IRType("decimal", unit="mL/min"), "note": IRType("text"),
           "plan.tier": IRType("enum", ("preferred", "other"), enum_name="plan.tier")},
    labels={"drug": {"lenalidomide": "lenalidomide (Revlimid)"}},
    classes=(IRClass("PI", "drug", "proteasome inhibitors", ("bortezomib", "carfilzomib", "ixazomib")),),
)
PI = ("bortezomib", "carfilzomib", "ixazomib")


def words(cond: Cond) -> str:
    return describe(cond, WORDS)


# ---- Always and IsSet ---------------------------------------------------------------------------


def test_always() -> None:
    assert words(Always()) == "always"


def test_is_set_and_its_negation() -> None:
    assert words(IsSet("plan.tier")) == "“tier” from the table “Plan” has a value"
    assert words(Not(IsSet("plan.tier"))) == "“tier” from the table “Plan” has no value"


def test_a_guard_beside_a_test_of_the_same_value_is_not_said() -> None:
    guarded = AllOf((IsSet("plan.tier"), OneOf("plan.tier", ("preferred",))))
    assert words(guarded) == "“tier” from the table “Plan” is preferred"
    assert simplify(guarded) == OneOf("plan.tier", ("preferred",))


# ---- Compare and ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "expected"), [
    (">=", "is at least 4 lines"), (">", "is more than 4 lines"), ("<=", "is at most 4 lines"),
    ("<", "is less than 4 lines"), ("==", "is 4 lines"), ("!=", "is not 4 lines"),
])
def test_comparisons(op: str, expected: str) -> None:
    assert words(Compare("lines", op, 4)) == f"“prior lines of therapy” {expected}"  # type: ignore[arg-type]


def test_a_negated_comparison_is_the_opposite_comparison() -> None:
    assert words(Not(Compare("lines", ">=", 4))) == "“prior lines of therapy” is less than 4 lines"


def test_a_decimal_keeps_its_written_form_and_unit() -> None:
    assert words(Compare("crcl", "<", 30.0)) == "“creatinine clearance” is less than 30.0 mL/min"


def test_a_closed_range_reads_from_to() -> None:
    cond = AllOf((Compare("lines", ">=", 1), Compare("lines", "<=", 3)))
    assert words(cond) == "“prior lines of therapy” is from 1 to 3 lines"


def test_a_half_open_range() -> None:
    cond = AllOf((Compare("lines", ">=", 1), Compare("lines", "<", 3)))
    assert words(cond) == "“prior lines of therapy” is at least 1 but less than 3 lines"


def test_outside_a_range() -> None:
    cond = Not(AllOf((Compare("lines", ">=", 1), Compare("lines", "<=", 3))))
    assert words(cond) == "“prior lines of therapy” is less than 1 or more than 3 lines"


def test_alternatives_on_one_value_name_it_once() -> None:
    cond = AnyOf((AllOf((Compare("lines", ">=", 1), Compare("lines", "<", 3))), Compare("lines", "==", 5)))
    assert words(cond) == "“prior lines of therapy” is at least 1 but less than 3 or 5 lines"


# ---- OneOf ---------------------------------------------------------------------------------------------


def test_yes_and_no() -> None:
    assert words(OneOf("tcr", (True,))) == "“triple-class refractory”"
    assert words(OneOf("tcr", (False,))) == "not “triple-class refractory”"
    assert words(Not(OneOf("tcr", (True,)))) == "not “triple-class refractory”"


def test_members_by_their_labels() -> None:
    assert words(OneOf("drug", ("lenalidomide",))) == "“the last drug” is lenalidomide (Revlimid)"
    assert words(OneOf("drug", ("selinexor", "daratumumab"))) == "“the last drug” is selinexor or daratumumab"
    assert words(OneOf("drug", ("selinexor", "daratumumab", "lenalidomide"))) == (
        "“the last drug” is one of selinexor, daratumumab, lenalidomide (Revlimid)")


def test_members_negated() -> None:
    assert words(Not(OneOf("drug", ("selinexor",)))) == "“the last drug” is not selinexor"
    assert words(Not(OneOf("drug", ("selinexor", "daratumumab")))) == (
        "“the last drug” is neither selinexor nor daratumumab")
    assert words(Not(AnyOf((Compare("lines", "==", 1), Compare("lines", "==", 2))))) == (
        "“prior lines of therapy” is neither 1 nor 2 lines")


def test_a_class_of_members() -> None:
    assert words(OneOf("drug", PI)) == "“the last drug” is one of PI (bortezomib, carfilzomib, ixazomib)"


def test_text_is_quoted() -> None:
    assert words(OneOf("note", ("stable",))) == "“the remark” is “stable”"


# ---- SetTest -------------------------------------------------------------------------------------------


def test_set_any() -> None:
    assert words(SetTest("refractory", "any", ("daratumumab",))) == (
        "“drugs the disease is refractory to” include daratumumab")
    assert words(SetTest("refractory", "any", PI)) == (
        "“drugs the disease is refractory to” include any PI (bortezomib, carfilzomib, ixazomib)")
    assert words(SetTest("refractory", "any", ("selinexor", "daratumumab"))) == (
        "“drugs the disease is refractory to” include selinexor or daratumumab")


def test_set_none() -> None:
    assert words(SetTest("refractory", "none", ("selinexor",))) == (
        "“drugs the disease is refractory to” do not include selinexor")
    assert words(SetTest("refractory", "none", ("selinexor", "bortezomib"))) == (
        "“drugs the disease is refractory to” include neither selinexor nor bortezomib")
    assert words(SetTest("refractory", "none", PI)) == (
        "“drugs the disease is refractory to” include no PI (bortezomib, carfilzomib, ixazomib)")
    assert words(SetTest("refractory", "none", ("selinexor", *PI))) == (
        "“drugs the disease is refractory to” include neither selinexor nor any PI "
        "(bortezomib, carfilzomib, ixazomib)")


def test_set_all() -> None:
    assert words(SetTest("refractory", "all", ("lenalidomide", "daratumumab"))) == (
        "“drugs the disease is refractory to” include both lenalidomide (Revlimid) and daratumumab")
    assert words(SetTest("refractory", "all", ("lenalidomide", "daratumumab", "selinexor"))) == (
        "“drugs the disease is refractory to” include all of lenalidomide (Revlimid), daratumumab and "
        "selinexor")
    assert words(SetTest("refractory", "all", PI)) == (
        "“drugs the disease is refractory to” include every PI (bortezomib, carfilzomib, ixazomib)")


def test_set_negated() -> None:
    assert words(Not(SetTest("refractory", "any", ("daratumumab",)))) == (
        "“drugs the disease is refractory to” do not include daratumumab")
    assert words(Not(SetTest("refractory", "none", PI))) == (
        "“drugs the disease is refractory to” include any PI (bortezomib, carfilzomib, ixazomib)")
    assert words(Not(SetTest("refractory", "all", ("lenalidomide", "daratumumab")))) == (
        "“drugs the disease is refractory to” do not include both lenalidomide (Revlimid) and daratumumab")


# ---- Not, AllOf, AnyOf across values ---------------------------------------------------------------


def test_all_of_several_values() -> None:
    cond = AllOf((OneOf("tcr", (True,)), Compare("lines", ">=", 4), SetTest("refractory", "any", PI)))
    assert words(cond) == ("“triple-class refractory” and “prior lines of therapy” is at least 4 lines and "
                           "“drugs the disease is refractory to” include any PI (bortezomib, carfilzomib, "
                           "ixazomib)")


def test_tests_of_one_value_stay_together_among_others() -> None:
    cond = AllOf((Compare("lines", ">=", 1), OneOf("tcr", (False,)), Compare("lines", "<=", 3)))
    assert words(cond) == "“prior lines of therapy” is from 1 to 3 lines and not “triple-class refractory”"


def test_an_alternative_inside_a_conjunction_is_bracketed() -> None:
    cond = AllOf((AnyOf((OneOf("tcr", (True,)), Compare("lines", ">=", 4))), OneOf("t11_14", (True,))))
    assert words(cond) == ("(“triple-class refractory” or “prior lines of therapy” is at least 4 lines) "
                           "and “t(11;14) confirmed”")


def test_a_conjunction_inside_an_alternative_is_bracketed() -> None:
    cond = AnyOf((OneOf("t11_14", (True,)), AllOf((OneOf("tcr", (True,)), Compare("lines", ">=", 4)))))
    assert words(cond) == ("“t(11;14) confirmed” or (“triple-class refractory” and “prior lines of therapy” "
                           "is at least 4 lines)")


def test_not_of_several_values() -> None:
    cond = Not(AllOf((OneOf("t11_14", (True,)), Compare("lines", ">=", 3))))
    assert words(cond) == "not (“t(11;14) confirmed” and “prior lines of therapy” is at least 3 lines)"


def test_nested_groups_of_the_same_kind_are_flattened() -> None:
    cond = AllOf((AllOf((OneOf("tcr", (True,)), OneOf("t11_14", (True,)))), Compare("lines", ">", 2)))
    assert words(cond) == ("“triple-class refractory” and “t(11;14) confirmed” and “prior lines of therapy” "
                           "is more than 2 lines")


def test_an_unknown_value_is_named_by_its_key() -> None:
    assert describe(OneOf("mystery", (True,)), WORDS) == "“mystery” is yes"


def test_a_unit_is_singular_after_exactly_one() -> None:
    assert words(Compare("lines", ">=", 1)) == "“prior lines of therapy” is at least 1 line"
    assert words(Compare("lines", "==", 11)) == "“prior lines of therapy” is 11 lines"
    assert words(Compare("crcl", "==", 1)) == "“creatinine clearance” is 1 mL/min"
