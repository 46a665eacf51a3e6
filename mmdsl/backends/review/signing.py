"""The clinician's part of the review document: what a reviewing clinician reads and signs.

Everything here is in clinical words: who gets which option, in which order, with which strength
and evidence; what the strengths mean (the authors' notes on an output's values); the patients
the algorithm answers only with its catch-all option or not at all. Rule names, hit policies,
column words and the table as written belong to the technical appendix (`build`), never
here: `tests/review/test_vocabulary.py` holds the clinician's part to that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from mmdsl.backends.review import view
from mmdsl.examples import ExampleOutcome
from mmdsl.ir.model import (
    AllOf,
    Always,
    Cond,
    IRExample,
    IRGuideline,
    IRInput,
    IRRule,
    IRTable,
    JsonValue,
    OneOf,
    Scalar,
)
from mmdsl.ir.verbalize import Vocabulary, describe, either, member_words, value_words
from mmdsl.verify.coverage import FallbackCoverage


def option_order(table: IRTable) -> list[IRRule]:
    """The rules in the order their options reach the patient: by the declared order of the
    sorting outputs (`order by`, or every output of a priority table), then as written."""
    keys = table.order_by or (tuple(o.name for o in table.outputs) if table.hit == "priority" else ())
    positions = [i for i, o in enumerate(table.outputs) if o.name in keys and o.type.kind == "enum"]

    def rank(rule: IRRule) -> tuple[int, ...]:
        found = []
        for i in positions:
            members, value = table.outputs[i].type.members, rule.outputs[i]
            found.append(members.index(value) if value in members else len(members))
        return (*found, rule.index)

    return sorted(table.rules, key=rank)


def numbering(guideline: IRGuideline) -> dict[str, int]:
    """Each rule's number in the summary (`table.rule` -> 1, 2, ...), counted across tables."""
    found: dict[str, int] = {}
    for table in guideline.tables:
        for rule in option_order(table):
            found[f"{table.name}.{rule.name}"] = len(found) + 1
    return found


def summary_views(guideline: IRGuideline, words: Vocabulary, fallbacks: Sequence[FallbackCoverage],
                  numbers: dict[str, int]) -> tuple[view.SummaryView, ...]:
    catch_all = {(f.table, name) for f in fallbacks for name in f.rules}
    return tuple(summary_view(guideline, table, words, catch_all, numbers) for table in guideline.tables)


def summary_view(guideline: IRGuideline, table: IRTable, words: Vocabulary,
                 catch_all: set[tuple[str, str]], numbers: dict[str, int]) -> view.SummaryView:
    rows = []
    for group in merged(option_order(table)):
        first, shown = group[0], [numbers[f"{table.name}.{rule.name}"] for rule in group]
        tests = first.tests if len(group) == 1 else _without_column(first, group[1])
        rows.append(view.SummaryRow(
            number=shown[0], anchor=recommendation_anchor(shown[0]),
            values=tuple(output_value_words(table, first, i, words) for i in range(len(table.outputs))),
            patients=patients_words(table, tests, words, (table.name, first.name) in catch_all),
            evidence=main_evidence(guideline, first),
            label=" and ".join(str(n) for n in shown)))
    return view.SummaryView(
        title=table.title or table.name.replace("_", " "),
        headings=tuple(o.description or o.name.replace("_", " ") for o in table.outputs),
        how=how_options_are_given(table, words),
        rows=tuple(rows),
    )


TwinKey = tuple[object, ...]  # what two yes/no twins share (signing._twin_keys)


def merged(rules: Sequence[IRRule]) -> list[list[IRRule]]:
    """The rules, two merged where they give the same and differ only in one yes/no column that
    one requires yes and the other no: for the summary, they are one group of patients.

    Each rule joins the earliest group still alone that is its twin. Twins are found through an
    index of the rules by everything but one yes/no test (50,000 rows took hours when each rule
    was compared with every group: `make fuzz`, big inputs)."""
    groups: list[list[IRRule]] = []
    waiting: dict[TwinKey, list[int]] = {}  # twin key -> groups of one that have it
    numbers: dict[object, int] = {}  # each distinct test (and outputs, evidence) as a number
    for rule in rules:
        # the first group of one rule complementary to this one (same outputs and evidence, one
        # yes/no test the other way, every other test the same), found through the keys of its
        # possible twins instead of a look at every group: 10,000 rules were 100 s of compares
        keys = _twin_keys(rule, numbers)
        found = [index for key, twin in keys for index in waiting.get(twin, ())
                 if len(groups[index]) == 1]
        if found:
            groups[min(found)].append(rule)
            continue
        for key, _ in keys:
            waiting.setdefault(key, []).append(len(groups))
        groups.append([rule])
    return groups


def _twin_keys(rule: IRRule, numbers: dict[object, int]) -> list[tuple[TwinKey, TwinKey]]:
    """For each yes/no test of `rule`: (its key, its twin's key). A key is what twins have in
    common (the outputs, the evidence, every other test: each by its number in `numbers`, so
    that a test is hashed once) and that one test's input and value."""
    tests = [numbers.setdefault(t, len(numbers)) for t in rule.tests]
    common = (numbers.setdefault((rule.outputs, rule.evidence), len(numbers)), *tests)
    keys: list[tuple[TwinKey, TwinKey]] = []
    for position, test in enumerate(rule.tests):
        if isinstance(test, OneOf) and test.values in ((True,), (False,)):
            others = (*common[:position + 1], None, *common[position + 2:])
            keys.append(((position, test.ref, bool(test.values[0]), others),
                         (position, test.ref, not test.values[0], others)))
    return keys


def distinguishing(table: IRTable, words: Vocabulary) -> dict[str, str]:
    """For rules merged in the summary, what tells each from its twin: `“has received X”`."""
    found = {}
    for group in merged(option_order(table)):
        if len(group) == 2:
            for rule, other in (group, group[::-1]):
                found[rule.name] = " and ".join(describe(x, words) for x, y in
                                                zip(rule.tests, other.tests, strict=True) if x != y)
    return found


def note_numbers(guideline: IRGuideline) -> dict[str, int]:
    """The notes the clinician reads, numbered in the order written (definitions are not among them)."""
    defining = defining_notes(guideline)
    kept = [n.name for n in guideline.notes if n.name not in defining]
    return {name: number for number, name in enumerate(kept, start=1)}


def _without_column(a: IRRule, b: IRRule) -> tuple[Cond, ...]:
    return tuple(x if x == y else Always() for x, y in zip(a.tests, b.tests, strict=True))


def recommendation_anchor(number: int) -> str:
    return f"recommendation-{number}"


def output_value_words(table: IRTable, rule: IRRule, index: int, words: Vocabulary) -> str:
    value = rule.outputs[index]
    return "—" if value is None else value_words(value, table.outputs[index].type, words)


def patients_words(table: IRTable, cells: Sequence[Cond], words: Vocabulary, catch_all: bool) -> str:
    tests = [t for t in cells if not isinstance(t, Always)]
    if catch_all and table.result_kind == "list":
        return "every patient, beside the other options that fit"
    if catch_all:
        return "every patient that no line above fits"
    return describe(AllOf(tuple(tests)), words) if tests else "every patient"


def main_evidence(guideline: IRGuideline, rule: IRRule) -> str:
    """The first evidence the rule cites, by title (all of it, with figures, in the details)."""
    return rule.evidence[0] if rule.evidence else "none cited"


def how_options_are_given(table: IRTable, words: Vocabulary) -> str:
    """How a patient's answer is read off the list, in clinical words (no policy names)."""
    if table.result_kind == "number":
        return ("The lines that fit the patient are combined into one number "
                f"({table.aggregate} of their values).")
    if table.result_kind == "single":
        if table.hit == "first":
            return "The first line that fits the patient gives the answer; the lines below it are not read."
        if table.hit == "priority":
            return ("Of the lines that fit the patient, the one listed first gives the answer "
                    "(they are listed by strength).")
        return ("At most one line fits any patient, and it gives the answer; if two lines with "
                "different answers fit, the algorithm reports an error instead of answering.")
    sentence = "The patient is offered every option whose description fits, in the order listed"
    sorted_by = [o for o in table.outputs if o.name in table.order_by and o.type.kind == "enum"]
    if sorted_by:
        ranked = "; ".join(", then ".join(member_words(m, o.type, words) for m in o.type.members)
                           for o in sorted_by)
        sentence += f" (by {either([o.description or o.name for o in sorted_by], 'and')}: {ranked})"
    if table.distinct_by:
        sentence += "; an option that fits more than once is offered once, at its first place"
    return sentence + "."


def definitions(guideline: IRGuideline, words: Vocabulary) -> tuple[view.DefinitionView, ...]:
    """The authors' definitions of the values of an output (notes on `output.value`)."""
    found: list[view.DefinitionView] = []
    for table in guideline.tables:
        for output in table.outputs:
            if output.type.kind != "enum":
                continue
            defined = tuple(view.ValueDefinition(member_words(m, output.type, words), note.text)
                            for m in output.type.members for note in guideline.notes
                            if f"{output.name}.{m}" in note.targets)
            if defined and all(d.term != output.name for d in found):
                found.append(view.DefinitionView(output.name, output.description or output.name, defined))
    return tuple(found)


def defining_notes(guideline: IRGuideline) -> set[str]:
    """The notes that define an output's values: shown with the summary, not among the notes."""
    values = {f"{o.name}.{m}" for t in guideline.tables for o in t.outputs if o.type.kind == "enum"
              for m in o.type.members}
    inputs = {i.name for i in guideline.inputs}
    return {n.name for n in guideline.notes
            if n.targets and all(t in values and t.split(".")[0] not in inputs for t in n.targets)}


def recommendation_links(targets: Sequence[str], numbers: dict[str, int],
                         guideline: IRGuideline) -> tuple[view.Link, ...]:
    """What a note, quote or caveat concerns, as the summary numbers it: `recommendation 3`."""
    links: list[view.Link] = []
    for target in targets:
        if target in numbers:
            number = numbers[target]
            links.append(view.Link(f"recommendation {number}", recommendation_anchor(number)))
        elif any(t.name == target for t in guideline.tables):
            links += [view.Link(f"recommendation {n}", recommendation_anchor(n))
                      for key, n in numbers.items() if key.startswith(f"{target}.")]
        else:
            links.append(view.Link(_term(target, guideline), ""))
    return tuple(dict.fromkeys(links))


def _term(target: str, guideline: IRGuideline) -> str:
    """A fact, input or value named in words: `refractory to lenalidomide`, `drugs received: selinexor`."""
    name, _, member = target.partition(".")
    described_as = {f.name: f.description for f in guideline.facts} | {
        i.name: i.description for i in guideline.inputs}
    if name in described_as:
        described = described_as[name] or name.replace("_", " ")
        return f"{described}: {member.replace('_', ' ')}" if member else described
    return target.replace("_", " ")


# ---- the worked examples as one grid -----------------------------------------------------------


def example_grid(guideline: IRGuideline, examples: Sequence[view.ExampleView],
                 results: Sequence[ExampleOutcome] | None, words: Vocabulary) -> view.ExampleGrid:
    """Every example on one line: only the facts that differ from the most common value."""
    usual = {item.name: _most_common(guideline.examples, item) for item in guideline.inputs}
    rows: list[view.ExampleRow] = []
    for example, shown in zip(guideline.examples, examples, strict=True):
        outcome = next((r for r in results or () if r.example.name == example.name), None)
        rows.append(view.ExampleRow(
            number=len(rows) + 1, name=example.name, anchor=shown.anchor,
            description=example.description,
            differs=tuple(f"{_input_words(item)}: {_value_text(value, item, words)}"
                          for item in guideline.inputs
                          if (value := _given(example, item)) != usual[item.name]),
            result=_result_text(guideline, outcome, words),
            why_not=_why_not(guideline, outcome, words), verdict=_verdict(shown), tone=shown.tone,
            problems=shown.problems))
    return view.ExampleGrid(
        usual=tuple(f"{_input_words(item)}: {_value_text(usual[item.name], item, words)}"
                    for item in guideline.inputs),
        rows=tuple(rows))


def _verdict(shown: view.ExampleView) -> str:
    """`pass`, `not run`, or `FAIL: plan.drug expected apixaban, got warfarin` for each failed check."""
    failed = [f"{c.subject} expected {c.expected}, got {c.actual}"
              for c in shown.checks if c.verdict == "FAIL"]
    return f"{shown.verdict}: {'; '.join(failed)}" if failed else shown.verdict


def _given(example: IRExample, item: IRInput) -> JsonValue:
    value = example.facts.get(item.name, item.default)
    return sorted(value, key=str) if isinstance(value, list) else value


def _most_common(examples: Sequence[IRExample], item: IRInput) -> JsonValue:
    counted = Counter(repr(_given(e, item)) for e in examples)
    if not counted:
        return item.default
    best = counted.most_common(1)[0][0]
    return next(_given(e, item) for e in examples if repr(_given(e, item)) == best)


def _input_words(item: IRInput) -> str:
    return item.description or item.name.replace("_", " ")


def _value_text(value: JsonValue, item: IRInput, words: Vocabulary) -> str:
    if isinstance(value, list):
        return ", ".join(value_words(v, item.type, words) for v in value
                         if isinstance(v, str | int | float | bool)) or "none"
    if value is None:
        return "unknown" if item.unknown else "not given"
    if isinstance(value, dict):
        return str(value)
    return value_words(value, item.type, words)


def _result_text(guideline: IRGuideline, outcome: ExampleOutcome | None, words: Vocabulary) -> str:
    """What the patient was offered, in order, with the values of each option: `ide-cel (preferred)`."""
    decision = outcome.decision if outcome else None
    if not isinstance(decision, dict):
        return "not run"
    if decision.get("status") != "ok":
        reason = decision.get("reason") or decision.get("status")
        return f"no recommendation: {reason}"
    parts: list[str] = []
    for table in guideline.tables:
        result = decision.get(table.name)
        rows = result if isinstance(result, list) else [result] if isinstance(result, dict) else []
        parts.extend(_row_text(table, row, words) for row in rows if isinstance(row, dict))
        if not rows and result is not None and not isinstance(result, list):
            parts.append(str(result))
    return "; ".join(parts) or "nothing offered"


def _row_text(table: IRTable, row: Mapping[str, JsonValue], words: Vocabulary) -> str:
    """`ide-cel (preferred)`: the first output, then the other outputs that have a value.

    The first output always leads, even when the rule gives it no value (`-` in its cell): a
    later output must not be read as the option."""
    if not table.outputs:
        return "no value"
    first, *others = table.outputs
    head = value_words(_scalar(row.get(first.name)), first.type, words)
    extras = [value_words(value, o.type, words) for o in others
              if (value := _scalar(row.get(o.name))) is not None]
    return f"{head} ({', '.join(extras)})" if extras else head


def _scalar(value: JsonValue) -> Scalar | None:
    return value if isinstance(value, str | int | float | bool) else None


def _why_not(guideline: IRGuideline, outcome: ExampleOutcome | None, words: Vocabulary) -> tuple[str, ...]:
    """`ide-cel: not “CAR-T can be given now”`: each option not offered and the first reason."""
    decision = outcome.decision if outcome else None
    withheld = decision.get("why_not", {}) if isinstance(decision, dict) else {}
    lines = []
    for table in guideline.tables:
        if not table.outputs:
            continue
        output = table.outputs[0]
        for entry in withheld.get(table.name, ()):
            value = entry.get(output.name)
            scalar = isinstance(value, str | int | float | bool)
            shown = value_words(value, output.type, words) if scalar else "—"
            lines.append(f"{shown}: {entry.get('because')}")
    return tuple(lines)


def clinical_conditions(conditions: Sequence[Cond], words: Vocabulary) -> tuple[str, ...]:
    return tuple(describe(c, words) for c in conditions)
