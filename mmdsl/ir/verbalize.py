"""Conditions in words: what a rule, a derived fact or the scope asks of a patient.

A hematologist signs off the review document from these sentences, so they must say exactly
what the evaluator does, in the words the authors gave. Each value is named by its description
in quotes (“prior lines of therapy”), because a description may itself hold a comma or an "and";
the quotes keep it one unit. A yes/no value reads as its description (“t(11;14) translocation
confirmed”) or, for no, `not` before it; every other value gets a predicate ("is at least 4
lines", "include any PI (bortezomib, carfilzomib, ixazomib)").

Missing values: every test on a missing value is false, so the `IsSet` guards that lowering adds
say nothing a reader needs and are dropped when another test on the same value stands beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mmdsl.ir import model as ir
from mmdsl.ir.days import day_words
from mmdsl.ir.model import (
    AllOf,
    Always,
    AnyOf,
    AtClock,
    AtTime,
    Calc,
    Compare,
    Cond,
    Elapsed,
    IRClass,
    IRComputed,
    IRGuideline,
    IRTable,
    IRType,
    IsSet,
    Neg,
    NoNumber,
    Not,
    Num,
    NumExpr,
    OnDay,
    OneOf,
    Pick,
    Read,
    Scalar,
    SetTest,
)
from mmdsl.ir.walk import refs_read, unknown_durations
from mmdsl.semantics.clock import moment_words

# ---- what the values are called ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """How a guideline names its values, members and classes in words."""

    subjects: Mapping[str, str]  # a value's key (input, fact, "table.output", table) -> “its words”
    meanings: Mapping[str, str]  # the same without quotes, for a table of columns
    types: Mapping[str, IRType]  # a value's key -> its type, to choose the wording
    labels: Mapping[str, Mapping[str, str]]  # enumeration name -> member -> label
    classes: tuple[IRClass, ...]
    unknown: frozenset[str] = frozenset()  # inputs declared `or unknown`, facts that read one
    # each condition's words, computed once: a large table repeats its cells rule after rule
    phrases: dict[Cond, Phrase] = field(default_factory=dict, compare=False, hash=False, repr=False)
    clauses: dict[Cond, str] = field(default_factory=dict, compare=False, hash=False, repr=False)


def vocabulary_of(guideline: IRGuideline) -> Vocabulary:
    meanings: dict[str, str] = {}
    types: dict[str, IRType] = {}
    for table in guideline.tables:
        _add_table_values(table, meanings, types)
    for item in guideline.inputs:
        meanings[item.name], types[item.name] = item.description or item.name, item.type
    for fact in guideline.facts:
        meanings[fact.name], types[fact.name] = fact.description or fact.name, IRType("bool")
    for computed in guideline.computed:
        meanings[computed.name], types[computed.name] = computed.description or computed.name, computed.type
    for label in guideline.labels:
        meanings[label.name], types[label.name] = label.description or label.name, IRType("text")
    for interval in guideline.intervals:
        meanings[interval.name] = interval.description or interval.name
        types[interval.name] = IRType("duration")
    subjects = {key: quoted(text) for key, text in meanings.items()}
    for table in guideline.tables:  # a table's value: its own words, then the table's title
        subjects |= _table_subjects(table)
    labels = {enum.name: dict(enum.labels) for enum in guideline.enums}
    unknown = frozenset([i.name for i in guideline.inputs if i.unknown]
                        + [f.name for f in guideline.facts if f.false_when is not None]
                        + [c.name for c in guideline.computed if c.unknown_when is not None]
                        + [t.name for t in guideline.labels if t.unknown_when is not None]
                        + list(unknown_durations(guideline)))
    return Vocabulary(subjects, meanings, types, labels, guideline.classes, unknown)


def _add_table_values(table: IRTable, meanings: dict[str, str], types: dict[str, IRType]) -> None:
    """A table's outputs as other tables read them: one value, a set of values, or a number."""
    title = table.title or table.name
    for output in table.outputs:
        key = f"{table.name}.{output.name}"
        meanings[key] = f"{output.description or output.name}, from the table “{title}”"
        types[key] = _read_as(table, output.type)
    if _readable_as_whole(table):
        meanings[table.name] = f"the result of the table “{title}”"
        types[table.name] = _read_as(table, table.outputs[0].type if table.outputs else IRType("integer"))
    for column in table.columns:  # the headings know best how a value is read
        types[column.ref] = column.type


def _readable_as_whole(table: IRTable) -> bool:
    return table.result_kind == "number" or len(table.outputs) == 1


def _table_subjects(table: IRTable) -> dict[str, str]:
    title = quoted(table.title or table.name)
    subjects = {f"{table.name}.{o.name}": f"{quoted(o.description or o.name)} from the table {title}"
                for o in table.outputs}
    if _readable_as_whole(table):
        subjects[table.name] = f"the result of the table {title}"
    return subjects


def _read_as(table: IRTable, output_type: IRType) -> IRType:
    if table.result_kind == "list" and output_type.kind == "enum":
        return IRType("set", output_type.members, enum_name=output_type.enum_name)
    if table.result_kind == "number" and table.aggregate == "count":
        return IRType("integer")
    return output_type


def quoted(text: str) -> str:
    return f"“{text}”"


def subject_words(ref: str, words: Vocabulary) -> str:
    return words.subjects.get(ref) or quoted(ref)


# ---- values ---------------------------------------------------------------------------------------


def value_words(value: Scalar | None, value_type: IRType, words: Vocabulary) -> str:
    """One value as a clinician reads it: yes/no, a number with its unit, a member's label."""
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _with_unit(number_words(value), value_type)
    if value_type.kind in ("enum", "set"):
        return member_words(value, value_type, words)
    return f"“{value}”"


def number_words(value: int | float) -> str:
    return repr(value)


def _with_unit(text: str, value_type: IRType) -> str:
    """`5 lines`, `at least 1 line`: the unit after the number, singular after exactly 1."""
    unit = value_type.unit
    if not unit:
        return text
    if text == "1" or text.endswith(" 1"):
        unit = singular(unit)
    return f"{text} {unit}"


def singular(unit: str) -> str:
    # units are authored in the plural ("lines", "years"); "mL/min" or "mass" stay as they are
    plural = len(unit) > 2 and unit.endswith("s") and unit[-2].isalpha() and unit[-2] != "s"
    return unit[:-1] if plural else unit


def member_words(member: str, value_type: IRType, words: Vocabulary) -> str:
    """A member by its label where the enumeration gives one (lenalidomide "Revlimid")."""
    labels = words.labels.get(value_type.enum_name or "", {})
    return labels.get(member) or member


def either(items: Sequence[str], word: str = "or") -> str:
    """`a`, `a or b`, `a, b or c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def member_groups(members: tuple[str, ...], value_type: IRType, words: Vocabulary) -> list[str | IRClass]:
    """Members with each run that is exactly a class (as lowering expands `any of PI`) as the class."""
    groups: list[str | IRClass] = []
    position = 0
    while position < len(members):
        found = _class_at(members, position, value_type, words)
        groups.append(found or members[position])
        position += len(found.members) if found else 1
    return groups


def _class_at(members: tuple[str, ...], position: int, value_type: IRType,
              words: Vocabulary) -> IRClass | None:
    for candidate in words.classes:
        size = len(candidate.members)
        if (size > 1 and candidate.enum == value_type.enum_name
                and members[position:position + size] == candidate.members):
            return candidate
    return None


def class_words(found: IRClass, value_type: IRType, words: Vocabulary) -> str:
    """`PI (bortezomib, carfilzomib, ixazomib)`: the class and what it stands for."""
    listed = ", ".join(member_words(m, value_type, words) for m in found.members)
    return f"{found.name} ({listed})"


# ---- conditions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    joined_by: str = ""  # "and" / "or" at the top level of a compound, to know when to bracket


_OPERATION_WORDS = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}
_POWER_WORDS = {2: "squared", 3: "cubed"}


def describe_number(expr: NumExpr, words: Vocabulary) -> str:
    """A numeric fact's arithmetic in words: `“body weight” divided by (“height” squared)`,
    `(2 if “age” is at least 75, else 0) plus …`."""
    match expr:
        case Num(text=text):
            return text
        case NoNumber():
            return "unknown"
        case Read(ref=ref):
            return words.subjects.get(ref, ref)
        case Neg(item=item):
            return f"minus {_operand_words(item, words)}"
        case Calc(op="**", left=left, right=Num(text=power)):
            said = _POWER_WORDS.get(int(power), f"to the power {power}")
            return f"{_operand_words(left, words)} {said}"
        case Calc(op="**", left=left, right=right):
            return f"{_operand_words(left, words)} to the power {_operand_words(right, words)}"
        case Calc(op=op, left=left, right=right):
            return (f"{_operand_words(left, words, op)} {_OPERATION_WORDS[op]} "
                    f"{_operand_words(right, words)}")
        case Pick(condition=condition, then=then, otherwise=otherwise):
            return (f"{_operand_words(then, words)} if {describe(condition, words)}, "
                    f"else {_operand_words(otherwise, words)}")
    raise TypeError(f"no words for the number {expr!r}")


def describe_text(expr: ir.TextExpr, words: Vocabulary) -> str:
    """A text fact's words in words: `the text “Hello ”, then “the patient's name”`, an `if` as
    `(A if CONDITION, else B)`."""
    match expr:
        case ir.Quoted(text=text):
            return f"the text “{text}”" if text else "no text"
        case ir.Part(ref=ref):
            return words.subjects.get(ref, ref)
        case ir.Join(parts=parts):
            return ", then ".join(_text_operand(part, words) for part in parts)
        case ir.PickText(condition=condition, then=then, otherwise=otherwise):
            return (f"{_text_operand(then, words)} if {describe(condition, words)}, "
                    f"else {_text_operand(otherwise, words)}")
    raise TypeError(f"no words for the text {expr!r}")


def _text_operand(expr: ir.TextExpr, words: Vocabulary) -> str:
    said = describe_text(expr, words)
    return said if isinstance(expr, ir.Quoted | ir.Part) else f"({said})"


def unknown_number_words(fact: IRComputed | ir.IRLabel, words: Vocabulary) -> str:
    """When a computed number (or a text fact) is unknown, for the reader: `; unknown when “LDH”
    is unknown`."""
    if fact.unknown_when is None:
        return ""
    if isinstance(fact.unknown_when, Always):
        return "; always unknown"
    read = [ref for ref in dict.fromkeys(refs_read(fact.unknown_when)) if ref in words.unknown]
    names = either([subject_words(ref, words) for ref in read])
    return f"; unknown when {names} is unknown" if read else "; it may be unknown"


def _operand_words(expr: NumExpr, words: Vocabulary, op: str = "") -> str:
    """An operand in brackets when it is itself an operation (a sum on the left of a sum reads
    the same without them)."""
    said = describe_number(expr, words)
    if isinstance(expr, Num | Read) or (op in ("+", "-") and isinstance(expr, Calc) and expr.op == "+"):
        return said
    return f"({said})"


def describe(cond: Cond, words: Vocabulary) -> str:
    """A condition as a clause: `“prior lines of therapy” is at least 4 lines`."""
    known = words.clauses.get(cond)
    if known is None:
        known = words.clauses[cond] = _phrase(simplify(cond, words.unknown), words).text
    return known


def _phrase(cond: Cond, words: Vocabulary) -> Phrase:
    known = words.phrases.get(cond)
    if known is None:
        known = words.phrases[cond] = _new_phrase(cond, words)
    return known


def _new_phrase(cond: Cond, words: Vocabulary) -> Phrase:
    refs = refs_of(cond)
    if isinstance(cond, Always):
        return Phrase("always")
    if len(refs) == 1:
        return Phrase(_about_one_value(next(iter(refs)), cond, words))
    match cond:
        case AllOf(items):
            return _joined([_phrase(i, words) for i in by_value(items, AllOf)], "and")
        case AnyOf(items):
            return _joined([_phrase(i, words) for i in by_value(items, AnyOf)], "or")
        case Not(item):
            inner = _phrase(item, words)
            return Phrase(f"not ({inner.text})" if inner.joined_by else f"not {inner.text}")
    raise TypeError(f"no words for the condition {cond!r}")


def by_value(items: tuple[Cond, ...], kind: type[AllOf] | type[AnyOf]) -> list[Cond]:
    """The tests of one value gathered, so that its subject is named once (`from 1 to 3`)."""
    groups: dict[str, list[Cond]] = {}
    ordered: list[Cond | str] = []
    for item in items:
        refs = refs_of(item)
        if len(refs) != 1:
            ordered.append(item)
            continue
        ref = next(iter(refs))
        if ref not in groups:
            groups[ref] = []
            ordered.append(ref)
        groups[ref].append(item)
    return [_group(groups[e], kind) if isinstance(e, str) else e for e in ordered]


def _group(items: list[Cond], kind: type[AllOf] | type[AnyOf]) -> Cond:
    return items[0] if len(items) == 1 else kind(tuple(items))


def _joined(phrases: list[Phrase], word: str) -> Phrase:
    """Parts joined by `and` / `or`, a part joined by the other word in brackets."""
    parts = [f"({p.text})" if p.joined_by not in ("", word) else p.text for p in phrases]
    return Phrase(f" {word} ".join(parts), word)


def _about_one_value(ref: str, cond: Cond, words: Vocabulary) -> str:
    value_type = words.types.get(ref, IRType("text"))
    subject = subject_words(ref, words)
    if value_type.kind == "bool":
        return _yes_no_clause(subject, cond, False, ref in words.unknown)
    text = predicate(cond, value_type, words, False)
    if value_type.kind in ("integer", "decimal") and not text.endswith(("value", "known")):
        text = _with_unit(text, value_type)  # once, at the end: `is from 1 to 3 lines`
    return f"{subject} {text}"


# ---- yes/no values --------------------------------------------------------------------------------


def _yes_no_clause(subject: str, cond: Cond, negated: bool, unknown: bool = False) -> str:
    match cond:
        case OneOf(values=values):
            truths = {bool(v) for v in values}
            return _truth_clause(subject, {True, False} - truths if negated else truths)
        case IsSet() if unknown:
            return f"{subject} is {'unknown' if negated else 'known'}"
        case IsSet():
            return f"{subject} has {'no' if negated else 'a'} value"
        case Not(item):
            return _yes_no_clause(subject, item, not negated, unknown)
        case AllOf(items) | AnyOf(items):
            word = "and" if isinstance(cond, AllOf) != negated else "or"
            return f" {word} ".join(_yes_no_clause(subject, i, negated, unknown) for i in items)
    return f"{subject} is {'never' if negated else 'anything'}"


def _truth_clause(subject: str, truths: set[bool]) -> str:
    if truths == {True}:
        return subject
    if truths == {False}:
        return f"not {subject}"
    return f"{subject} is yes or no" if truths else f"{subject} is neither yes nor no"


# ---- numbers, members, text and sets ----------------------------------------------------------------

INVERSE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
DAY_WORDS = {"<": "before", "<=": "on or before", ">": "after", ">=": "on or after", "==": "on",
             "!=": "not on"}  # a date against a fixed day: `is on or after 1 September 2019`
MOMENT_WORDS = {"<": "before", "<=": "at or before", ">": "after", ">=": "at or after", "==": "at",
                "!=": "not at"}  # a date and time: `is at or after 08:00 on 1 March 2024`
COMPARISON_WORDS = {"<": "less than", "<=": "at most", ">": "more than", ">=": "at least",
                    "==": "", "!=": "not"}


def predicate(cond: Cond, value_type: IRType, words: Vocabulary, negated: bool) -> str:
    """What a condition on one value asks of it, verb included, unit left out: `is from 1 to 3`."""
    match cond:
        case IsSet(ref=ref) if ref in words.unknown:
            return f"is {'unknown' if negated else 'known'}"
        case IsSet():
            return f"has {'no' if negated else 'a'} value"
        case Compare(op=op, value=value):
            return f"is {comparison(INVERSE[op] if negated else op, value)}"
        case Elapsed(op=op, written=written):
            wording = COMPARISON_WORDS[INVERSE[op] if negated else op]
            return f"is {wording} {written}" if wording else f"is {written}"
        case OnDay(op=op, day=day):
            return f"is {DAY_WORDS[INVERSE[op] if negated else op]} {day_words(day)}"
        case AtTime(op=op, moment=moment):
            return f"is {MOMENT_WORDS[INVERSE[op] if negated else op]} {moment_words(moment)}"
        case AtClock(op=op, clock=clock):  # `is at or after 17:00`, `is before 08:00`
            return f"is {MOMENT_WORDS[INVERSE[op] if negated else op]} {clock}"
        case OneOf(values=values):
            return one_of_words(values, value_type, words, negated)
        case SetTest():
            return set_words(cond, value_type, words, negated)
        case Not(item):
            return predicate(item, value_type, words, not negated)
        case AllOf(items):
            return _all_of_words(items, value_type, words, negated)
        case AnyOf(items):
            return _any_of_words(items, value_type, words, negated)
    return "is never" if negated else "may be anything"


def comparison(op: str, value: int | float) -> str:
    words = COMPARISON_WORDS[op]
    number = number_words(value)
    return f"{words} {number}" if words else number


def _all_of_words(items: tuple[Cond, ...], value_type: IRType, words: Vocabulary, negated: bool) -> str:
    items = _without_guards(items)
    span = range_words(items) if not negated else None
    if span:
        return f"is {span}"
    if len(items) == 1:
        return predicate(items[0], value_type, words, negated)
    parts = [predicate(i, value_type, words, negated) for i in items]
    return _join_predicates(parts, "or" if negated else "and")


def _any_of_words(items: tuple[Cond, ...], value_type: IRType, words: Vocabulary, negated: bool) -> str:
    merged = _merged_values(items)
    if merged is not None:
        return one_of_words(merged, value_type, words, negated)
    parts = [predicate(i, value_type, words, negated) for i in items]
    return _join_predicates(parts, "and" if negated else "or")


def _without_guards(items: tuple[Cond, ...]) -> tuple[Cond, ...]:
    """A guard beside a test of the same value adds nothing: a missing value fails every test."""
    tests = tuple(i for i in items if not isinstance(i, IsSet))
    return tests or items


def _join_predicates(parts: list[str], word: str) -> str:
    """`is at least 1 or is 5` reads `is at least 1 or 5`: the verb is said once."""
    if len(parts) > 1 and all(p.startswith("is ") for p in parts):
        parts = [parts[0]] + [p.removeprefix("is ") for p in parts[1:]]
    return f" {word} ".join(parts)


def day_range_words(items: tuple[Cond, ...]) -> str | None:
    """`from 1 January 2019 to 31 December 2019`; `on or after 1 January 2020 but before …`."""
    low, high = items
    assert isinstance(low, OnDay) and isinstance(high, OnDay)
    return _fixed_range_words((low.op, day_words(low.day)), (high.op, day_words(high.day)),
                              DAY_WORDS)


def moment_range_words(items: tuple[Cond, ...]) -> str | None:
    """`from 08:00 on 1 March 2024 to 08:00 on 2 March 2024`; `at or after … but before …`."""
    low, high = items
    assert isinstance(low, AtTime) and isinstance(high, AtTime)
    return _fixed_range_words((low.op, moment_words(low.moment)),
                              (high.op, moment_words(high.moment)), MOMENT_WORDS)


def clock_range_words(items: tuple[Cond, ...]) -> str | None:
    """`from 08:00 to 17:00`; `at or after 08:00 but before 17:00`."""
    low, high = items
    assert isinstance(low, AtClock) and isinstance(high, AtClock)
    return _fixed_range_words((low.op, low.clock), (high.op, high.clock), MOMENT_WORDS)


def _fixed_range_words(low: tuple[str, str], high: tuple[str, str],
                       op_words: Mapping[str, str]) -> str | None:
    """A range of days, dates and times or times of day, each end (its operator, its words):
    `from A to B` when both ends are included, else `on or after A but before B`; None when the
    two are not a lower and an upper end."""
    (low_op, low_words), (high_op, high_words) = low, high
    if low_op not in (">", ">=") or high_op not in ("<", "<="):
        return None
    if low_op == ">=" and high_op == "<=":
        return f"from {low_words} to {high_words}"
    return f"{op_words[low_op]} {low_words} but {op_words[high_op]} {high_words}"


def range_words(items: tuple[Cond, ...]) -> str | None:
    """`from 1 to 3` for a closed range; `at least 1 but less than 3` for a half-open one."""
    if len(items) == 2 and all(isinstance(i, OnDay) for i in items):
        return day_range_words(items)
    if len(items) == 2 and all(isinstance(i, AtTime) for i in items):
        return moment_range_words(items)
    if len(items) == 2 and all(isinstance(i, AtClock) for i in items):
        return clock_range_words(items)
    if len(items) != 2 or not all(isinstance(i, Compare) for i in items):
        return None
    low, high = items
    assert isinstance(low, Compare) and isinstance(high, Compare)
    if low.op not in (">", ">=") or high.op not in ("<", "<="):
        return None
    if low.op == ">=" and high.op == "<=":
        return f"from {number_words(low.value)} to {number_words(high.value)}"
    return f"{comparison(low.op, low.value)} but {comparison(high.op, high.value)}"


def _merged_values(items: tuple[Cond, ...]) -> tuple[Scalar, ...] | None:
    """Alternatives that each name values (`1, 2` in a cell) as one list of values."""
    values: list[Scalar] = []
    for item in items:
        if isinstance(item, OneOf):
            values += item.values
        elif isinstance(item, Compare) and item.op == "==":
            values.append(item.value)
        else:
            return None
    return tuple(values)


def one_of_words(values: tuple[Scalar, ...], value_type: IRType, words: Vocabulary, negated: bool) -> str:
    """`is IsaPd`, `is IsaPd or IsaKd`, `is neither 1 nor 2`, `is one of PI (…)`."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        texts = [number_words(v) for v in values]  # type: ignore[arg-type]
        return _listed(texts, negated, "is")
    texts = [_group_words(g, value_type, words, "one of ") for g in _value_groups(values, value_type, words)]
    return _listed(texts, negated, "is")


def _value_groups(values: tuple[Scalar, ...], value_type: IRType, words: Vocabulary) -> list[str | IRClass]:
    if all(isinstance(v, str) for v in values) and value_type.kind in ("enum", "set"):
        return member_groups(tuple(str(v) for v in values), value_type, words)
    return [value_words(v, value_type, words) for v in values]


def _group_words(group: str | IRClass, value_type: IRType, words: Vocabulary, class_prefix: str) -> str:
    if isinstance(group, IRClass):
        return class_prefix + class_words(group, value_type, words)
    if value_type.kind in ("enum", "set"):
        return member_words(group, value_type, words)
    return group


def _listed(texts: list[str], negated: bool, verb: str) -> str:
    if not negated:
        return f"{verb} {texts[0]}" if len(texts) == 1 else f"{verb} {_one_of(texts)}"
    if len(texts) == 1:
        return f"{verb} not {texts[0]}"
    if len(texts) == 2:
        return f"{verb} neither {texts[0]} nor {texts[1]}"
    return f"{verb} none of {', '.join(texts)}"


def _one_of(texts: list[str]) -> str:
    return either(texts) if len(texts) == 2 else f"one of {', '.join(texts)}"


def set_words(test: SetTest, value_type: IRType, words: Vocabulary, negated: bool) -> str:
    """`include daratumumab`, `include any PI (…)`, `include neither a nor b`, `include every …`."""
    groups = member_groups(test.members, value_type, words)
    quantifier = test.quantifier
    if negated and quantifier != "all":
        quantifier = "none" if quantifier == "any" else "any"
    if quantifier == "any":
        return f"include {either([_group_words(g, value_type, words, 'any ') for g in groups])}"
    if quantifier == "none":
        return _include_none(groups, value_type, words)
    return _include_all(groups, value_type, words, negated)


def _include_none(groups: list[str | IRClass], value_type: IRType, words: Vocabulary) -> str:
    if len(groups) == 1 and isinstance(groups[0], IRClass):
        return f"include no {class_words(groups[0], value_type, words)}"
    texts = [_group_words(g, value_type, words, "any ") for g in groups]
    if len(texts) == 1:
        return f"do not include {texts[0]}"
    if len(texts) == 2:
        return f"include neither {texts[0]} nor {texts[1]}"
    return f"include none of {', '.join(texts)}"


def _include_all(groups: list[str | IRClass], value_type: IRType, words: Vocabulary, negated: bool) -> str:
    texts = [_group_words(g, value_type, words, "every ") for g in groups]
    verb = "do not include" if negated else "include"
    if len(texts) == 1:
        return f"{verb} {texts[0]}"
    if len(texts) == 2:
        return f"{verb} both {texts[0]} and {texts[1]}"
    return f"{verb} all of {either(texts, 'and')}"


# ---- simplifying and reading conditions ---------------------------------------------------------------


def simplify(cond: Cond, unknown: frozenset[str] = frozenset()) -> Cond:
    """Nested ands and ors flattened, single-item groups unwrapped, redundant guards dropped.

    `unknown`: the values that may be unknown; a negated test of one is unknown or fails
    (`not (known and more than 250)` reads `unknown or at most 250`), so its guard is kept."""
    match cond:
        case AllOf(items) | AnyOf(items):
            kind = type(cond)
            flat: list[Cond] = []
            for item in (simplify(i, unknown) for i in items):
                flat += item.items if isinstance(item, kind) else [item]
            if isinstance(cond, AllOf):
                flat = _drop_guards(flat)
            return flat[0] if len(flat) == 1 else kind(tuple(flat))
        case Not(AllOf(items)) if any(isinstance(i, IsSet) and i.ref in unknown for i in items):
            guards = [i for i in items if isinstance(i, IsSet) and i.ref in unknown]
            others = [i for i in items if i not in guards]
            negated: list[Cond] = [Not(g) for g in guards]
            if others:
                negated.append(Not(others[0] if len(others) == 1 else AllOf(tuple(others))))
            return simplify(AnyOf(tuple(negated)), unknown)
        case Not(item):
            return Not(simplify(item, unknown))
    return cond


def _drop_guards(items: list[Cond]) -> list[Cond]:
    """`IsSet(x)` beside another test that reads only `x` is implied by that test."""
    tested = {ref for i in items if not isinstance(i, IsSet) for ref in _only_ref(i)}
    return [i for i in items if not (isinstance(i, IsSet) and i.ref in tested)]


def _only_ref(cond: Cond) -> set[str]:
    refs = refs_of(cond)
    return refs if len(refs) == 1 else set()


def refs_of(cond: Cond) -> set[str]:
    """The keys of the values a condition reads."""
    match cond:
        case IsSet(ref=ref) | Compare(ref=ref) | OneOf(ref=ref) | SetTest(ref=ref) \
                | Elapsed(ref=ref) | OnDay(ref=ref) | AtTime(ref=ref) | AtClock(ref=ref):
            return {ref}
        case Not(item):
            return refs_of(item)
        case AllOf(items) | AnyOf(items):
            return {ref for i in items for ref in refs_of(i)}
    return set()
