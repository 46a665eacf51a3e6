"""Building the review document's view model from the IR: every wording decision is made here.

The reader is a hematologist who signs the algorithm off without reading code, so each rule is
given as the table the authors wrote and as a sentence, each sentence names its evidence and
caveats, and every cross-reference (quote, note, caveat, evidence) points at rules by the name the
authors gave them (`table.rule`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from mmdsl.backends.review import signing, view
from mmdsl.examples import ExampleOutcome, shown_value
from mmdsl.ir.model import (
    AllOf,
    Always,
    IRCaveat,
    IRClass,
    IREnum,
    IREvidence,
    IRExample,
    IRGuideline,
    IRInput,
    IRInterval,
    IRRule,
    IRTable,
    IRType,
    JsonValue,
)
from mmdsl.ir.verbalize import (
    Vocabulary,
    describe,
    describe_number,
    describe_text,
    either,
    member_words,
    number_words,
    subject_words,
    unknown_number_words,
    value_words,
    vocabulary_of,
)
from mmdsl.semantics.policies import RANKED_POLICIES
from mmdsl.verify.coverage import FallbackCoverage

if TYPE_CHECKING:  # the verifier's result is data here; the verifier itself is not needed
    from mmdsl.verify.result import TableVerification, Verification

NOT_ANALYSED = "Not yet analysed: the coverage check has not been run for this document."
NOTHING_UNCOVERED = "The coverage check found no patient in scope that the tables leave without an answer."
EXPLICIT_GAPS = ("The coverage check found patients in scope that a table leaves without an answer. "
                 "These are explicit gaps: the table gives them no value (or an empty list), and no "
                 "fallback rule catches them. Each is given in the table's own column words, with "
                 "an example patient:")
FALLBACKS = ("A fallback rule is a rule that matches every patient in scope. In a table that "
             "collects every matching rule it adds its row beside the rows of the other rules that "
             "match, at its place in the table's order; in a single-hit table it decides only when "
             "no other rule matches. Either way it gives every patient an answer, so the check above "
             "does not count the patients it alone answers; but for them the rest of the table says "
             "nothing. Below, for each fallback rule: what it gives, and every group of patients in "
             "scope for whom it is the only answer (the gaps its table would have without it), each "
             "with an example patient.")


def build_review(guideline: IRGuideline, example_results: Sequence[ExampleOutcome] | None = None,
                 uncovered: Sequence[view.UncoveredCase] | None = None,
                 fallbacks: Sequence[FallbackCoverage] | None = None,
                 verification: Verification | None = None,
                 gaps: Mapping[str, FallbackCoverage] | None = None) -> view.ReviewDocument:
    """The whole document; `None` for results or coverage means "not run", never "all is well".

    `uncovered` are the explicit gaps the verifier found; `fallbacks` the tables' fallback rules
    with the patients only they answer, and `gaps` every region of each table's gaps (both from
    `verify.coverage.coverage_of`: the document reads them and runs no analysis); `verification`
    what the verifier proved of each table: a table it did not fully verify gets a notice, and no
    sentence claims of it what was not proven.
    """
    gaps = gaps or {}
    if verification is not None and uncovered is None:
        uncovered = uncovered_cases(verification, gaps)
    words = vocabulary_of(guideline)
    numbers = signing.numbering(guideline)
    examples = tuple(example_view(guideline, e, _outcome_of(e, example_results), words)
                     for e in guideline.examples)
    gaps_summary, clinical = clinical_gaps(guideline, uncovered, verification, words, gaps)
    note_numbers = signing.note_numbers(guideline)
    return view.ReviewDocument(
        provenance=provenance(guideline),
        scope=scope_view(guideline, words),
        inputs=tuple(input_view(item, words) for item in guideline.inputs),
        enums=tuple(enum_view(e) for e in guideline.enums),
        classes=tuple(class_view(guideline, c, words) for c in guideline.classes),
        facts=tuple(fact_view(f.name, f.description, describe(f.condition, words), f.text)
                    for f in guideline.facts)
        + tuple(fact_view(c.name, c.description,
                          describe_number(c.expr, words) + unknown_number_words(c, words), c.text)
                for c in guideline.computed)
        + tuple(fact_view(t.name, t.description,
                          f"text shown with the decision, never tested: {describe_text(t.expr, words)}"
                          + unknown_number_words(t, words), t.text)
                for t in guideline.labels)
        + tuple(duration_view(i, words) for i in guideline.intervals),
        tables=tuple(table_view(guideline, table, words, _verified(verification, table.name))
                     for table in guideline.tables),
        references=tuple(view.ReferenceView(r.number, anchor("ref", str(r.number)), r.citation)
                         for r in guideline.references),
        evidence=tuple(evidence_view(guideline, e, numbers) for e in guideline.evidence),
        caveats=tuple(caveat_view(guideline, c, numbers, n)
                      for n, c in enumerate(guideline.caveats, start=1)),
        quotes=tuple(view.QuoteView(q.name, anchor("quote", q.name), q.text,
                                    target_links(guideline, q.targets)) for q in guideline.quotes),
        unquoted_rules=unquoted_rules(guideline) if guideline.clinical_source else (),
        clinical_source=clinical_source_view(guideline, numbers),
        examples_summary=examples_summary(guideline, example_results),
        examples=examples,
        notes=tuple(view.NoteView(n.name, anchor("note", n.name), n.text, target_links(guideline, n.targets),
                                  note_numbers.get(n.name, 0)) for n in guideline.notes),
        coverage_summary=coverage_summary(uncovered, verification),
        uncovered=tuple(uncovered or ()),
        fallbacks_summary=FALLBACKS if fallbacks else "",
        fallbacks=tuple(fallback_view(guideline, f, words) for f in fallbacks or ()),
        impossible=tuple(view.ImpossibleView(i.name, i.description, describe(i.condition, words), i.text)
                         for i in guideline.impossible),
        summaries=signing.summary_views(guideline, words, fallbacks or (), numbers),
        definitions=signing.definitions(guideline, words),
        recommendations=recommendation_views(guideline, words, numbers),
        gaps_clinical=clinical,
        gaps_summary=gaps_summary,
        catch_all=tuple(c for f in fallbacks or () for c in catch_all_views(guideline, f, words, numbers)),
        clinical_notes=tuple(
            view.NoteView(f"Note {note_numbers[n.name]}", anchor("note", n.name), n.text,
                          signing.recommendation_links(n.targets, numbers, guideline))
            for n in guideline.notes if n.name in note_numbers),
        grid=signing.example_grid(guideline, examples, example_results, words),
        written=tuple(written_table(t) for t in guideline.tables),
    )


def class_view(guideline: IRGuideline, item: IRClass, words: Vocabulary) -> view.ClassView:
    enum = next((e for e in guideline.enums if e.name == item.enum), None)
    labels = dict(enum.labels) if enum else {}
    return view.ClassView(item.name, item.enum, item.description,
                          ", ".join(labels.get(m) or m for m in item.members))


def note_links(guideline: IRGuideline, table: str, rule: str) -> tuple[view.Link, ...]:
    """The notes on a rule as the clinician finds them: `note 4`."""
    numbers = signing.note_numbers(guideline)
    return tuple(view.Link(f"note {numbers[n.name]}", anchor("note", n.name)) for n in guideline.notes
                 if n.name in numbers and _names_rule(n.targets, table, rule))


def recommendation_views(guideline: IRGuideline, words: Vocabulary,
                         numbers: dict[str, int]) -> tuple[view.RecommendationView, ...]:
    found = []
    caveat_numbers = {c.text: n for n, c in enumerate(guideline.caveats, start=1)}
    for table in guideline.tables:
        only_when = signing.distinguishing(table, words)
        for rule in signing.option_order(table):
            number = numbers[f"{table.name}.{rule.name}"]
            values = [signing.output_value_words(table, rule, i, words) for i in range(len(table.outputs))]
            heading = f"{values[0]} ({', '.join(values[1:])})" if len(values) > 1 else (values or [""])[0]
            found.append(view.RecommendationView(
                number=number, anchor=signing.recommendation_anchor(number), heading=heading,
                sentence=only_when.get(rule.name, ""),
                evidence=evidence_words(guideline, rule) or "none cited",
                caveats=tuple(f"warning {n}" for n in sorted(caveat_numbers[c] for c in rule.caveats
                                                             if c in caveat_numbers)),
                notes=note_links(guideline, table.name, rule.name)))
    return tuple(found)


def written_table(table: IRTable) -> view.WrittenTable:
    """The table as its authors wrote it, a cell per column, for the technical appendix."""
    headings = ("rule", *(c.label for c in table.columns), *(o.name for o in table.outputs),
                "evidence", "caveats")
    rows = tuple((rule.name, *rule.cells, *("-" if v is None else shown_value(v) for v in rule.outputs),
                  ", ".join(rule.evidence_names or rule.evidence), ", ".join(rule.caveat_names))
                 for rule in table.rules)
    return view.WrittenTable(table.name, headings, rows)


GAPS_NOT_CHECKED = ("Not yet checked: which patients the algorithm leaves without an answer has not "
                    "been worked out for this document.")
GAPS_NONE = ("Checked over every combination of the facts it reads: every patient this algorithm "
             "applies to is given an answer.")
GAPS_FOUND = "These patients are given no answer at all by the algorithm:"


def clinical_gaps(guideline: IRGuideline, uncovered: Sequence[view.UncoveredCase] | None,
                  verification: Verification | None, words: Vocabulary,
                  every_gap: Mapping[str, FallbackCoverage]) -> tuple[str, tuple[str, ...]]:
    """The patients left without an answer, every group of them, in clinical words."""
    if uncovered is None:
        return GAPS_NOT_CHECKED, ()
    unchecked = [] if verification is None else [
        t.table for t in verification.tables if t.analysis("gaps").status == "not_checked"]
    groups: list[str] = []
    for name in dict.fromkeys(case.table for case in uncovered):
        found = every_gap.get(name)
        if found is not None and found.region_total:
            groups += [f"{describe(c, words)}." for c in found.conditions]
        else:
            groups += [case.summary for case in uncovered if case.table == name]
    if unchecked:
        titles = either([_table_title(guideline, name) for name in unchecked], "and")
        return (f"The check of which patients get no answer did not finish for {titles}: it is not "
                "verified that every patient gets an answer." + (" Where it finished, it found these:"
                                                                  if groups else "")), tuple(groups)
    return (GAPS_FOUND if groups else GAPS_NONE), tuple(groups)


def _table_title(guideline: IRGuideline, name: str) -> str:
    table = next((t for t in guideline.tables if t.name == name), None)
    return f"“{table.title}”" if table is not None and table.title else f"“{name.replace('_', ' ')}”"


def catch_all_views(guideline: IRGuideline, coverage: FallbackCoverage, words: Vocabulary,
                    numbers: dict[str, int]) -> list[view.CatchAllView]:
    """An option every patient gets, said as it behaves, and the patients it alone answers."""
    table = next(t for t in guideline.tables if t.name == coverage.table)
    found = []
    for rule in (r for name in coverage.rules for r in table.rules if r.name == name):
        number = numbers[f"{table.name}.{rule.name}"]
        values = [signing.output_value_words(table, rule, i, words) for i in range(len(table.outputs))]
        extra = f" ({', '.join(values[1:])})" if values[1:] else ""
        heading = f"Recommendation {number}: {values[0]}{extra}"
        if table.result_kind == "list":
            how = ("It is offered to every patient, beside the other options that fit, at its place "
                   "in the order.")
        else:
            how = "It is the answer for every patient that no other line fits."
        if coverage.region_total == 0:
            how += " Every patient also gets another option: it is never the only one."
        else:
            how += (f" For the {coverage.region_total} groups of patients below it is the only option: "
                    "nothing else in the algorithm fits them.")
        only = (f"; for {coverage.region_total} groups of patients it is the only option"
                if coverage.region_total else "; it is never the only option")
        found.append(view.CatchAllView(
            short=f"{heading} is offered to every patient{only}.",
            heading=heading, anchor=signing.recommendation_anchor(number), behaviour=how,
            groups=tuple(f"{describe(c, words)}." for c in coverage.conditions),
            notes=note_links(guideline, table.name, rule.name)))
    return found


def enum_view(enum: IREnum) -> view.EnumView:
    labels = dict(enum.labels)
    return view.EnumView(enum.name, enum.description,
                         tuple(view.MemberView(m, labels.get(m, "")) for m in enum.members))


def provenance(guideline: IRGuideline) -> view.Provenance:
    return view.Provenance(guideline.title, guideline.name, guideline.version or "(no version given)",
                           guideline.source_path, guideline.source_sha256, guideline.mmdsl_version)


def anchor(kind: str, *parts: str) -> str:
    """A stable, ASCII-only HTML id: `rule-recommendations-ide_cel`. Injective: inside a part
    every character but letters, digits and `_` is written `.<hex>.` (`-` is `.2d.`), so `-`
    only separates the parts; table `a-b` rule `c` and table `a` rule `b-c` no longer share
    `rule-a-b-c`, and `.2` followed by `d` is not `-`."""
    return "-".join((kind, *(_ANCHOR_ESCAPE.sub(lambda m: f".{ord(m.group()):x}.", part)
                             for part in parts)))


_ANCHOR_ESCAPE = re.compile(r"[^A-Za-z0-9_]")


# ---- scope and inputs -----------------------------------------------------------------------------


def fact_view(name: str, description: str, in_words: str, written: str) -> view.FactView:
    """A derived fact as the clinician reads it: by its description, else by its name in words
    (`high_risk` as "high risk"; a description is optional in the language)."""
    return view.FactView(name, anchor("fact", name), description or name.replace("_", " "),
                         in_words, written)


def duration_view(interval: IRInterval, words: Vocabulary) -> view.FactView:
    """A duration among the derived facts: the time between its two dates, in words."""
    return fact_view(
        interval.name, interval.description,
        f"the time from {subject_words(interval.start, words)} to "
        f"{subject_words(interval.end, words)}, "
        + ("in minutes, hours, days of 24 hours or weeks" if interval.time
           else "in days, weeks, completed months or years"),
        f"time from {interval.start} to {interval.end}")


def scope_view(guideline: IRGuideline, words: Vocabulary) -> view.ScopeView | None:
    scope = guideline.scope
    if scope is None:
        return None
    return view.ScopeView(scope.description, describe(scope.condition, words), scope.text)


def input_view(item: IRInput, words: Vocabulary) -> view.InputView:
    labelled = (", ".join(member_words(m, item.type, words) for m in item.type.members)
                if item.type.kind in ("enum", "set") else allowed_values(item.type))
    return view.InputView(item.name, anchor("input", item.name), item.description,
                          type_text(item.type), allowed_values(item.type),
                          required_text(item, words), includes_text(item, words), labelled)


def type_text(value_type: IRType) -> str:
    names = {"bool": "yes/no", "integer": "whole number", "decimal": "number", "text": "text",
             "date": "date", "datetime": "date and time", "time": "time of day"}
    if value_type.kind == "enum" and "." in (value_type.enum_name or "."):
        return "one of the values listed"  # an enumeration declared with its output
    if value_type.kind == "enum":
        return f"one of {value_type.enum_name}"
    if value_type.kind == "set":
        return f"list of {value_type.enum_name} (none, one or several)"
    return names[value_type.kind]


def allowed_values(value_type: IRType) -> str:
    """What the facts may say, by the names the facts use (labels are in the vocabulary)."""
    if value_type.kind in ("enum", "set"):
        return ", ".join(value_type.members)
    if value_type.kind in ("integer", "decimal"):
        return number_range(value_type)
    return {"bool": "yes or no", "text": "any text",
            "date": "a date, year-month-day",
            "datetime": "a date and time, year-month-dayThour:minute (an offset may follow)",
            "time": "a time of day, hour:minute (00:00 to 23:59), without an offset"
            }[value_type.kind]


def number_range(value_type: IRType) -> str:
    low, high = value_type.low, value_type.high
    unit = f" {value_type.unit}" if value_type.unit else ""
    if low is not None and high is not None:
        return f"{number_words(low)} to {number_words(high)}{unit}"
    if low is not None:
        return f"at least {number_words(low)}{unit}"
    if high is not None:
        return f"at most {number_words(high)}{unit}"
    return f"any number{unit}"


def required_text(item: IRInput, words: Vocabulary) -> str:
    may_be_unknown = "; may be given as unknown" if item.unknown else ""
    if item.required:
        return "required" + may_be_unknown
    return f"optional; when not given: {json_words(item.default, item.type, words)}{may_be_unknown}"


def includes_text(item: IRInput, words: Vocabulary) -> str:
    if item.includes is None:
        return ""
    other = words.meanings.get(item.includes, item.includes)
    return f"Every value of “{other}” counts here too, whether listed or not."


def json_words(value: JsonValue, value_type: IRType, words: Vocabulary) -> str:
    """A value in the JSON form the facts use (a list for a set) as a clinician reads it."""
    if isinstance(value, list):
        items = [json_words(v, value_type, words) for v in value]
        return ", ".join(items) if items else "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {json_words(v, value_type, words)}" for k, v in value.items())
    return value_words(value, value_type, words)


# ---- tables and rules -------------------------------------------------------------------------------


def _verified(verification: Verification | None, table: str) -> TableVerification | None:
    return None if verification is None else verification.of(table)


def table_view(guideline: IRGuideline, table: IRTable, words: Vocabulary,
               verified: TableVerification | None = None) -> view.TableView:
    return view.TableView(
        name=table.name, anchor=anchor("table", table.name), title=table.title or table.name,
        hit_policy=table.hit + (f" {table.aggregate}" if table.aggregate else ""),
        policy_explained=explain_policy(table, words, verified),
        verification_notice=verified.notice() if verified is not None else "",
        verification_note=verified.acknowledgement if verified is not None else "",
        columns=tuple(view.ColumnView(c.label, words.meanings.get(c.ref, c.ref)) for c in table.columns),
        outputs=tuple(view.OutputView(o.name, o.description, type_text(o.type), allowed_values(o.type))
                      for o in table.outputs),
        written=table.written,
        rules=tuple(rule_view(guideline, table, rule, words) for rule in table.rules),
    )


def rule_view(guideline: IRGuideline, table: IRTable, rule: IRRule, words: Vocabulary) -> view.RuleView:
    key = f"{table.name}.{rule.name}"
    return view.RuleView(
        key=key, anchor=rule_anchor(table.name, rule.name), number=rule.index, line=rule.line,
        sentence=rule_sentence(guideline, table, rule, words), as_written=rule.why,
        evidence=evidence_words(guideline, rule),
        caveats=tuple(caveat_words(guideline, c) for c in rule.caveats),
        quotes=tuple(view.Link(q.name, anchor("quote", q.name)) for q in guideline.quotes
                     if _names_rule(q.targets, table.name, rule.name)),
        notes=tuple(view.Link(n.name, anchor("note", n.name)) for n in guideline.notes
                    if _names_rule(n.targets, table.name, rule.name)),
    )


def caveat_words(guideline: IRGuideline, text: str) -> str:
    """A caveat's text with its references: `Watch for bleeding. (ref 2)`."""
    caveat = next((c for c in guideline.caveats if c.text == text), None)  # rules keep the text
    return f"{text} ({refs_words(caveat.refs)})" if caveat and caveat.refs else text


def rule_anchor(table: str, rule: str) -> str:
    return anchor("rule", table, rule)


def rule_sentence(guideline: IRGuideline, table: IRTable, rule: IRRule, words: Vocabulary) -> str:
    """`If A and B, then regimen is X and tier is Y, because of KarMMa (ref 1).`"""
    tests = [t for t in rule.tests if not isinstance(t, Always)]
    condition = f"If {describe(AllOf(tuple(tests)), words)}, then" if tests else "In every case,"
    because = evidence_words(guideline, rule)
    ending = f", because of {because}." if because else "."
    return f"{condition} {outputs_words(table, rule, words)}{ending}"


def outputs_words(table: IRTable, rule: IRRule, words: Vocabulary) -> str:
    parts = [f"{output.name} is {value_words(value, output.type, words)}" if value is not None
             else f"{output.name} is not given"
             for output, value in zip(table.outputs, rule.outputs, strict=True)]
    return either(parts, "and")


def evidence_words(guideline: IRGuideline, rule: IRRule) -> str:
    """`BOSTON (ref 2) and real-world data (ref 4)`: each cited entry with its references."""
    return either([_cited(title, _evidence_titled(guideline, title)) for title in rule.evidence], "and")


def _cited(title: str, entry: IREvidence | None) -> str:
    return f"{title} ({refs_words(entry.refs)})" if entry and entry.refs else title


def refs_words(refs: Iterable[int]) -> str:
    numbers = [str(n) for n in refs]
    return f"ref {numbers[0]}" if len(numbers) == 1 else f"refs {', '.join(numbers)}"


def _evidence_titled(guideline: IRGuideline, title: str) -> IREvidence | None:
    # a rule keeps the titles of its evidence (what the trace shows); titles name one entry each
    return next((e for e in guideline.evidence if e.title == title), None)


def _names_rule(targets: Iterable[str], table: str, rule: str) -> bool:
    return f"{table}.{rule}" in targets or table in targets


# ---- hit policies in words ------------------------------------------------------------------------

POLICY_WORDS = {
    "unique": "Hit policy unique: the rules must not overlap. The table gives the outputs of the one "
              "rule that matches; if several match, that is a conflict: the table gives no value and "
              "the decision reports an error.",
    "any": "Hit policy any: several rules may match a patient if they give the same outputs, and the "
           "table gives those outputs; matching rules with different outputs are a conflict: the "
           "table gives no value and the decision reports an error.",
    "first": "Hit policy first: the rules are tried from top to bottom, and the first rule that "
             "matches gives the table's outputs; the rules below it are not considered.",
    "priority": "Hit policy priority: of the rules that match, the table gives the outputs of the one "
                "whose output values come first in their declared order; between equals, the rule "
                "written first.",
    "collect": "Hit policy collect: every rule that matches adds a row, and the table gives all "
               "the rows, in the order of the rules.",
    "rule order": "Hit policy rule order: every rule that matches adds a row, and the table gives "
                  "all the rows, in the order of the rules.",
    "output order": "Hit policy output order: every rule that matches adds a row, and the rows are "
                    "sorted by the declared order of the output values; between equals, the rule "
                    "written first comes first.",
}
AGGREGATE_WORDS = {
    "sum": "Hit policy collect sum: the table gives the sum of {output} over the rules that match; "
           "when none matches, it gives no value.",
    "min": "Hit policy collect min: the table gives the smallest {output} among the rules that match; "
           "when none matches, it gives no value.",
    "max": "Hit policy collect max: the table gives the largest {output} among the rules that match; "
           "when none matches, it gives no value.",
    "count": "Hit policy collect count: the table gives how many different values of {output} the "
             "rules that match give (0 when none matches).",
}


def explain_policy(table: IRTable, words: Vocabulary,
                   verified: TableVerification | None = None) -> tuple[str, ...]:
    """The hit policy, ordering, de-duplication and what happens when no rule matches."""
    first_output = table.outputs[0].name if table.outputs else "the output"
    sentences = [AGGREGATE_WORDS[table.aggregate].format(output=first_output) if table.aggregate
                 else POLICY_WORDS[table.hit]]
    if table.hit in RANKED_POLICIES:
        sentences += [_declared_order(output.name, output.type, words) for output in table.outputs
                      if output.type.kind == "enum"]
    sentences += [_ordering(table, name, words) for name in table.order_by]
    sentences += [f"Of the rows that give the same {name}, only the first is kept."
                  for name in table.distinct_by]
    if table.result_kind != "number":
        sentences.append(_no_match(table))
    if table.complete:
        sentences.append(_declared_complete(verified))
    return tuple(sentences)


def _declared_complete(verified: TableVerification | None) -> str:
    """The authors' claim of completeness, and what the coverage check made of it: a claim that
    was not proven is never repeated as if it were."""
    claim = "The authors declare the table complete (every patient in scope should match a rule)"
    if verified is None:
        return f"{claim}; the coverage check has not been run for this document."
    status = verified.analysis("gaps").status
    if status == "proved":
        return f"{claim}; the coverage check proved it."
    if status == "found":
        return f"{claim}, but the coverage check found patients in scope that no rule matches (see below)."
    return f"{claim}; this is not verified: the coverage check did not run to the end."


def _declared_order(name: str, output_type: IRType, words: Vocabulary) -> str:
    ranked = [member_words(m, output_type, words) for m in output_type.members]
    return f"The declared order of {name}: {', '.join(ranked)}."


def _ordering(table: IRTable, name: str, words: Vocabulary) -> str:
    output_type = next((o.type for o in table.outputs if o.name == name), None)
    if output_type is None or output_type.kind != "enum":
        order = f"by {name}, smallest first, rows without a value last"
    else:
        ranked = ", ".join(member_words(m, output_type, words) for m in output_type.members)
        order = f"by {name}, in the order {ranked}"
    return f"The rows are sorted {order}; rows that tie keep the order of their rules."


def _no_match(table: IRTable) -> str:
    if table.result_kind == "single":
        return "When no rule matches, the table gives no value."
    return "When no rule matches, the table gives an empty list."


# ---- bibliography, caveats and traceability ---------------------------------------------------------


def evidence_view(guideline: IRGuideline, entry: IREvidence, numbers: dict[str, int]) -> view.EvidenceView:
    keys = [link.text for link in rules_where(guideline, lambda _, rule: entry.title in rule.evidence)]
    return view.EvidenceView(
        entry.name, anchor("evidence", entry.name), entry.title, entry.design, entry.population,
        entry.findings, ref_links(entry.refs), signing.recommendation_links(keys, numbers, guideline),
    )


def caveat_view(guideline: IRGuideline, caveat: IRCaveat, numbers: dict[str, int],
                number: int) -> view.CaveatView:
    keys = [link.text for link in rules_where(guideline, lambda _, rule: caveat.text in rule.caveats)]
    return view.CaveatView(caveat.name, anchor("caveat", caveat.name), caveat.text, ref_links(caveat.refs),
                           signing.recommendation_links(keys, numbers, guideline), number)


def ref_links(refs: Iterable[int]) -> tuple[view.Link, ...]:
    return tuple(view.Link(str(n), anchor("ref", str(n))) for n in refs)


def rules_where(guideline: IRGuideline, holds: Callable[[IRTable, IRRule], bool]) -> tuple[view.Link, ...]:
    return tuple(rule_link(table, rule) for table in guideline.tables for rule in table.rules
                 if holds(table, rule))


def rule_link(table: IRTable, rule: IRRule) -> view.Link:
    return view.Link(f"{table.name}.{rule.name}", rule_anchor(table.name, rule.name))


def target_links(guideline: IRGuideline, targets: Iterable[str]) -> tuple[view.Link, ...]:
    """What a quote or note names, each linked to the rule, table, fact or input it describes."""
    return tuple(view.Link(target, target_anchor(guideline, target)) for target in targets)


def target_anchor(guideline: IRGuideline, target: str) -> str:
    table_name, _, rule_name = target.partition(".")
    for table in guideline.tables:
        if table.name == table_name and not rule_name:
            return anchor("table", table.name)
        if table.name == table_name and any(r.name == rule_name for r in table.rules):
            return rule_anchor(table.name, rule_name)
    kinds = (("fact", [f.name for f in guideline.facts]), ("input", [i.name for i in guideline.inputs]))
    if rule_name and any(i.name == table_name for i in guideline.inputs):
        return anchor("input", table_name)  # a value of an input: `exposed.selinexor`
    return next((anchor(kind, target) for kind, names in kinds if target in names), "")


def clinical_source_view(guideline: IRGuideline,
                         numbers: dict[str, int]) -> view.ClinicalSourceView | None:
    """The declared source, line by line, with the quotes found on each line and their rules."""
    declared = guideline.clinical_source
    if declared is None:
        return None
    by_name = {quote.name: quote for quote in guideline.quotes}
    passages = []
    for passage in declared.passages:
        targets = tuple(dict.fromkeys(t for name in passage.quotes for t in by_name[name].targets))
        passages.append(view.PassageView(
            passage.line, passage.text, passage.heading,
            tuple(view.Link(name, anchor("quote", name)) for name in passage.quotes),
            signing.recommendation_links(targets, numbers, guideline)))
    unquoted = sum(1 for p in passages if not p.heading and not p.quotes)
    return view.ClinicalSourceView(declared.title, declared.date, declared.path, declared.sha256,
                                   tuple(passages), unquoted)


def unquoted_rules(guideline: IRGuideline) -> tuple[view.Link, ...]:
    """Rules that no statement of the source is mapped to: each needs a quote or a note."""
    targets = {t for quote in guideline.quotes for t in quote.targets}
    return rules_where(guideline, lambda table, rule: not _names_rule(targets, table.name, rule.name))


# ---- worked examples ----------------------------------------------------------------------------------


def examples_summary(guideline: IRGuideline, results: Sequence[ExampleOutcome] | None) -> str:
    total = len(guideline.examples)
    if total == 0:
        return "The file has no worked examples."
    if results is None:
        return f"The {total} worked examples were not run for this document."
    failed = [r.example.name for r in results if not r.passed]
    if not failed:
        return f"All {total} worked examples give the expected results."
    return f"{len(failed)} of {total} worked examples do NOT give the expected results: {', '.join(failed)}."


def _outcome_of(example: IRExample, results: Sequence[ExampleOutcome] | None) -> ExampleOutcome | None:
    return next((r for r in results or () if r.example.name == example.name), None)


def example_view(guideline: IRGuideline, example: IRExample, outcome: ExampleOutcome | None,
                 words: Vocabulary) -> view.ExampleView:
    result, tone = verdict(None if outcome is None else outcome.passed)
    return view.ExampleView(
        example.name, anchor("example", example.name), example.description, example.line,
        given=given_views(guideline, example, words), checks=check_views(example, outcome),
        problems=input_problems(outcome), decision=decision_lines(guideline, outcome),
        why_not=why_not_lines(guideline, outcome),
        verdict=result, tone=tone,
    )


def verdict(passed: bool | None) -> tuple[str, str]:
    """The result in words and its tone: pass, FAIL (loud on purpose), or not run."""
    if passed is None:
        return "not run", "pending"
    return ("pass", "pass") if passed else ("FAIL", "fail")


def given_views(guideline: IRGuideline, example: IRExample, words: Vocabulary) -> tuple[view.GivenView, ...]:
    """Every input: its value as given, or the default the evaluator uses when it is not given."""
    rows = []
    for item in guideline.inputs:
        subject = item.name if item.description in ("", item.name) else f"{item.description} ({item.name})"
        if item.name in example.facts and example.facts[item.name] is None:  # `ldh: unknown`
            rows.append(view.GivenView(subject, "unknown"))
        elif item.name in example.facts:
            rows.append(view.GivenView(subject, json_words(example.facts[item.name], item.type, words)))
        elif not item.required:
            rows.append(view.GivenView(subject, f"{json_words(item.default, item.type, words)} (not given)"))
    known = {item.name for item in guideline.inputs}
    rows += [view.GivenView(name, shown_value(value))
             for name, value in example.facts.items() if name not in known]
    return tuple(rows)


def check_views(example: IRExample, outcome: ExampleOutcome | None) -> tuple[view.CheckView, ...]:
    if outcome is None or outcome.input_error is not None:
        return tuple(view.CheckView(e.subject, shown_value(e.expected), "—", *verdict(None))
                     for e in example.expectations)
    return tuple(view.CheckView(r.expectation.subject, shown_value(r.expectation.expected),
                                shown_value(r.actual), *verdict(r.holds))
                 for r in outcome.results)


def decision_lines(guideline: IRGuideline, outcome: ExampleOutcome | None) -> tuple[str, ...]:
    """The whole decision, not only what the example checks: `plan: apixaban, recommended (rule …)`."""
    decision = outcome.decision if outcome else None
    if decision is None:
        return ()
    lines = [f"status: {shown_value(decision.get('status'))}"]
    lines += [f"{key}: {_problem_words(decision[key])}" for key in ("reason", "errors") if key in decision]
    lines += [f"{t.name}: {result_words(t, decision[t.name])}"
              for t in guideline.tables if t.name in decision]
    return tuple(lines)


def why_not_lines(guideline: IRGuideline, outcome: ExampleOutcome | None) -> tuple[str, ...]:
    """`ide-cel (rule ide_cel): not “…”`: each value a table did not give, and why."""
    decision = outcome.decision if outcome else None
    withheld = decision.get("why_not", {}) if isinstance(decision, dict) else {}
    lines = []
    for table in guideline.tables:
        output = table.outputs[0].name if table.outputs else ""
        for entry in withheld.get(table.name, ()):
            lines.append(f"{shown_value(entry.get(output))} (rule {entry.get('rule')}): "
                         f"{entry.get('because')}")
    return tuple(lines)


def _problem_words(value: object) -> str:
    """A reason (text) or a list of table errors (`{"table": …, "message": …}` each)."""
    if isinstance(value, list):
        return "; ".join(_problem_words(item) for item in value)
    if isinstance(value, dict):
        return f"{value.get('table', '')}: {value.get('message', '')}"
    return str(value)


def result_words(table: IRTable, result: object) -> str:
    if isinstance(result, list):
        return "; ".join(row_words(table, row) for row in result) or "none"
    if isinstance(result, dict):
        return row_words(table, result)
    return shown_value(result)


def row_words(table: IRTable, row: object) -> str:
    if not isinstance(row, dict):
        return shown_value(row)
    outputs = ", ".join(f"{o.name} {shown_value(row.get(o.name))}" for o in table.outputs)
    return f"{outputs} (rule {row.get('rule')})"


def input_problems(outcome: ExampleOutcome | None) -> tuple[str, ...]:
    """The facts the evaluator refused, `field: message` each."""
    if outcome is None or outcome.input_error is None:
        return ()
    return tuple(f"{e['field']}: {e['message']}" if e.get("field") else e.get("message", "")
                 for e in outcome.input_error.errors)


# ---- coverage ---------------------------------------------------------------------------------------------


def coverage_summary(uncovered: Sequence[view.UncoveredCase] | None,
                     verification: Verification | None = None) -> str:
    if uncovered is None:
        return NOT_ANALYSED
    unchecked = [] if verification is None else [
        t.table for t in verification.tables if t.analysis("gaps").status == "not_checked"]
    if unchecked:
        tables = either([f"table {name}" for name in unchecked], "and")
        found = " Where it did finish, it" + (" found the gaps below." if uncovered else
                                              " found no patient in scope left without an answer.")
        return (f"The coverage check did not run to the end for {tables}: which patients "
                f"{'it leaves' if len(unchecked) == 1 else 'they leave'} without an answer is not "
                f"verified.{found}")
    if not uncovered:
        return NOTHING_UNCOVERED
    return EXPLICIT_GAPS


def uncovered_cases(verification: Verification,
                    every_gap: Mapping[str, FallbackCoverage] | None = None) -> list[view.UncoveredCase]:
    """The verifier's gap findings, as the review document shows them: a region, a patient; all
    of them when `every_gap` has the table (the verifier reports the first few)."""
    cases = []
    for table in verification.tables:
        for gap in table.gaps:
            witnesses = gap.extra.get("witnesses", [])
            assert isinstance(witnesses, list)
            regions, patients = list(gap.regions), list(witnesses)
            if gap.region_total > len(regions) and every_gap is not None:
                found = every_gap.get(table.table)
                if found is not None and found.region_total >= len(regions):
                    regions, patients = list(found.regions), list(found.witnesses)
            for region, witness in zip(regions, patients, strict=True):
                cases.append(view.UncoveredCase(table.table, f"{region}.", witness_words(witness)))
    return cases


def witness_words(facts: Mapping[str, JsonValue]) -> tuple[str, ...]:
    """A witness patient as an author writes an example's facts: `prior_lines: 2`, `t11_14: no`."""
    return tuple(f"{name}: {shown_value(value)}" for name, value in facts.items())


def fallback_view(guideline: IRGuideline, coverage: FallbackCoverage, words: Vocabulary) -> view.FallbackView:
    """A table's fallback rules, what they give, why, and the patients they alone answer."""
    table = next(t for t in guideline.tables if t.name == coverage.table)
    rules = [r for name in coverage.rules for r in table.rules if r.name == name]
    named = either([r.name for r in rules], "and")
    kind = "rule" if len(rules) == 1 else "rules"
    notes = tuple(view.NoteView(n.name, anchor("note", n.name), n.text, target_links(guideline, n.targets))
                  for n in guideline.notes if any(f"{table.name}.{r.name}" in n.targets for r in rules))
    return view.FallbackView(
        table=table.name, anchor=anchor("fallback", table.name),
        heading=f"Table {table.name}: fallback {kind} {named}", kind=kind,
        rules=tuple(view.Link(r.name, rule_anchor(table.name, r.name)) for r in rules),
        sentences=tuple(f"Rule {r.name}: {rule_sentence(guideline, table, r, words)}" for r in rules),
        caveats=tuple(dict.fromkeys(caveat_words(guideline, c) for r in rules for c in r.caveats)),
        notes=notes,
        handling=fallback_handling(table, named, kind, coverage, documented=bool(notes)),
        regions=tuple(view.RegionView(region, witness_words(witness))
                      for region, witness in zip(coverage.regions, coverage.witnesses, strict=True)),
        more="",
    )


def fallback_handling(table: IRTable, named: str, kind: str, coverage: FallbackCoverage, *,
                      documented: bool) -> str:
    total = coverage.region_total
    if total == 0:
        return (f"Every patient in scope also matches another rule of table {table.name}: "
                f"{kind} {named} {'is' if kind == 'rule' else 'are'} never the only answer.")
    how = ("a documented fallback (the authors' notes above say why)" if documented
           else "a fallback that no note explains (add a note that says why)")
    if total == 1:
        found = "1 region of such patients, with an example patient"
    elif total <= len(coverage.regions):
        found = f"{total} regions of such patients, each with an example patient"
    else:
        found = (f"{total} regions of such patients; the first {len(coverage.regions)}, "
                 "each with an example patient")
    return (f"The guideline handles the patients below with {how}: {kind} {named} "
            f"{'is' if kind == 'rule' else 'are'} their only answer from table {table.name}, "
            f"since no other rule of the table matches them. The coverage check finds {found}:")
