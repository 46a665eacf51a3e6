"""One DMN decision table to one mmdsl table (see `translate` for the whole model)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mmdsl.diagnostics import Severity
from mmdsl.diagnostics.names import CodeName
from mmdsl.dmn import model as m
from mmdsl.dmn.names import RESERVED, Namespace, is_plain_name
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.cells import CellProblem, cell_text, condition_text, output_text
from mmdsl.frontends.dmn.ends import SplitCell, split_ends
from mmdsl.frontends.dmn.mmdsltext import quote_loose
from mmdsl.frontends.dmn.translate import (
    AGGREGATIONS,
    HIT_POLICIES,
    DecisionName,
    OutputName,
    Readable,
    TablePlan,
    names_key,
    shifted,
    with_unit,
    with_unit_after,
)
from mmdsl.frontends.dmn.types import DmnType, TypeProblem, ValueType, element_type, infer_from_outputs
from mmdsl.frontends.dmn.types import resolve as resolve_type
from mmdsl.frontends.dmn.types import value_type as to_value_type
from mmdsl.semantics.policies import SINGLE_HIT

if TYPE_CHECKING:
    from mmdsl.frontends.dmn.translate import _Translator

_DATE_COMPARISON = re.compile(r"\s*(<=|>=|!=|<|>|=)?\s*([^\W\d][\w ]*?)\s*|\s*-\s*")


def _op(entry: str) -> str:
    """The comparison of a cell `> dateE` (`=` for a bare name)."""
    found = _DATE_COMPARISON.fullmatch(entry)
    assert found is not None
    return found.group(1) or "="


_REFERENCE = re.compile(r"[^\W\d][\w ]*(?:\.[^\W\d][\w ]*)*")
# Annotation columns that an mmdsl export writes, read back as the rule's name and citations.
RULE, EVIDENCE, CAVEATS = "rule", "evidence", "caveats"


@dataclass(frozen=True, slots=True)
class Output:
    dmn_name: str | None
    name: str
    type: ValueType
    default: feel.Literal | None
    clause: m.OutputClause


def translate_table(owner: _Translator, decision: m.Decision, table: m.DecisionTable) -> None:
    """One decision table into the owner's plan (the `TableStep` that `translate` is given)."""
    TableTranslator(owner, decision, table).run()


class TableTranslator:
    """Translates one decision table into a TablePlan, reporting each cell it cannot write."""

    def __init__(self, owner: _Translator, decision: m.Decision, table: m.DecisionTable) -> None:
        self.owner = owner
        self.reporter = owner.reporter
        self.decision = decision
        self.table = table
        self.errors_before = self.error_count()
        self.name = owner.top.claim(decision.name, f"decision_{len(owner.plan.tables) + 1}")
        self.against: dict[int, str] = {}  # a date column compared with another date: its name
        # cells naming other numbers (`[numB..numC]`), by (id of the rule, column index), and
        # the columns `COLUMN - OTHER` added for them, as (column index, OTHER)
        self.split: dict[tuple[int, int], SplitCell] = {}
        self.added: list[tuple[int, str]] = []

    def error_count(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.reporter.diagnostics)

    def run(self) -> None:
        policy = self.hit_policy()
        columns = self.columns()
        outputs = self.outputs(policy)
        if policy is None or columns is None or outputs is None:
            self.owner.broken.add(self.decision.name)
            return
        rows = [self.row(rule, columns, outputs) for rule in self.table.rules]
        columns, rows = self.merged_durations(columns, rows)
        if self.error_count() > self.errors_before:
            self.owner.broken.add(self.decision.name)
            return
        no_rule_fact = self.default_rule(policy, columns, outputs, rows)
        if self.error_count() > self.errors_before:
            self.owner.broken.add(self.decision.name)
            return
        headers = [ref for ref, _ in columns]
        if no_rule_fact is not None:
            headers.append(no_rule_fact[0])
            self.owner.plan.facts.append(no_rule_fact[1])
        self.publish(policy, outputs, headers, rows)
        if no_rule_fact is not None:
            self.owner.plan.tables[-1].default_of = self.decision.name

    # -- hit policy --

    def hit_policy(self) -> str | None:
        policy = HIT_POLICIES.get(self.table.hit_policy)
        aggregation = self.table.aggregation
        if policy is None:
            self.report("dmn-not-a-model", self.table.where,
                        f"`{self.table.hit_policy}` is not a DMN hit policy")
            return None
        if aggregation is None:
            return policy
        if policy != "collect" or aggregation not in AGGREGATIONS:
            self.report("dmn-not-a-model", self.table.where,
                        f"the aggregation `{aggregation}` needs the COLLECT hit policy")
            return None
        return f"collect {AGGREGATIONS[aggregation]}"

    # -- columns --

    def columns(self) -> list[tuple[str, Readable]] | None:
        found = [self.column(clause) for clause in self.table.inputs]
        if any(c is None for c in found):
            return None
        for index, clause in enumerate(self.table.inputs):
            other = self.compared_date(index, found[index])
            if other is not None:  # `dateD` with `> dateE`: the days from dateE to dateD, `> 0`
                text = " ".join(clause.expression.value.split())
                difference = self.owner.date_difference(f"{text} - {other}")
                found[index], self.against[index] = (difference.ref, difference), other
        columns = [c for c in found if c is not None]
        return columns + self.difference_columns(columns)

    def difference_columns(self, columns: list[tuple[str, Readable]]) -> list[tuple[str, Readable]]:
        """The columns `COLUMN - OTHER` that cells naming other numbers test against 0
        (`ends.split_ends`): `[numB..numC]` on numA is `numA - numB >= 0` and `numA - numC <=
        0`. Each cell so split is kept in `self.split`, read by `entries`."""
        owner = self.owner

        def is_number(name: str) -> bool:
            readable = owner.readable.for_facts.get(names_key(name))
            return readable is not None and readable.type.kind in ("integer", "decimal") \
                and not readable.time_unit and not readable.unknown

        added: list[tuple[str, Readable]] = []
        for index, (_, readable) in enumerate(columns):
            if readable.type.kind not in ("integer", "decimal") or readable.time_unit \
                    or readable.is_table or readable.unknown or index in self.against:
                continue  # such a cell is read as usual, and refused with its reason
            text = " ".join(self.table.inputs[index].expression.value.split())
            for rule in self.table.rules:
                if len(rule.inputs) != len(self.table.inputs):
                    continue  # reported with the rule
                cell = split_ends(rule.inputs[index].value, owner.readable.fact_index, is_number)
                if cell is None:
                    continue
                self.split[(id(rule), index)] = cell
                for other in cell.against:
                    if (index, other) not in self.added:
                        self.added.append((index, other))
                        difference = owner.number_difference(readable, text, other)
                        added.append((difference.ref, difference))
        return added

    def compared_date(self, index: int, column: tuple[str, Readable] | None) -> str | None:
        """The other date input that every cell of a date column compares it with (`> dateE`,
        `<= dateE`, `-`), if there is one: FEEL's `dateD > dateE` is mmdsl's `time from dateE
        to dateD > 0 days`. None when the column is no date or its cells are anything else."""
        if column is None or column[1].type.kind != "date":
            return None
        others = set()
        for rule in self.table.rules:
            if len(rule.inputs) != len(self.table.inputs):
                return None  # reported with the rule
            found = _DATE_COMPARISON.fullmatch(rule.inputs[index].value)
            if found is None:
                return None
            if found.group(2) is not None:
                others.add(" ".join(found.group(2).split()))
        other = others.pop() if len(others) == 1 else None
        readable = self.owner.readable.for_facts.get(other or "")
        return other if readable is not None and readable.type.kind == "date" else None

    def entries(self, rule: m.Rule) -> list[m.Text]:
        """A rule's input entries, those comparing two dates as durations: `> dateE` is
        `> @"P0D"` of the column `dateD - dateE`; those naming other numbers split between
        their column and the added columns `COLUMN - OTHER` (`difference_columns`)."""
        found = [replace(entry, value=f'{_op(entry.value)} @"P0D"')
                 if index in self.against and entry.value.strip() != "-" else entry
                 for index, entry in enumerate(rule.inputs)]
        if not self.added:
            return found
        split = {index: cell for index in range(len(found))
                 if (cell := self.split.get((id(rule), index))) is not None}
        own = [replace(entry, value=split[index].own) if index in split else entry
               for index, entry in enumerate(found)]
        return own + [replace(rule.inputs[index], value=split[index].against.get(other, "-")
                              if index in split else "-")
                      for index, other in self.added]

    def column(self, clause: m.InputClause) -> tuple[str, Readable] | None:
        text = " ".join(clause.expression.value.split())
        readable = self.owner.readable.get(text) or self.owner.date_difference_of(text) \
            or self.owner.months_between_of(text, clause.expression)
        if readable is not None:
            return readable.ref, readable
        if text in self.owner.broken or text.split(".")[0] in self.owner.broken:
            return None  # reported where it broke
        if _REFERENCE.fullmatch(text):
            self.report("dmn-broken-reference", clause.expression,
                        f"input column `{text}` names no input data and no decision of the model")
        else:
            self.report("dmn-unsupported-feel", clause.expression,
                        f"the input expression `{text}` is general FEEL; an mmdsl column reads "
                        "an input or a decision's result by name",
                        help="compute the value in its own decision or input")
        return None

    def merged_durations(self, columns: list[tuple[str, Readable]], rows: list[list[str]]
                         ) -> tuple[list[tuple[str, Readable]], list[list[str]]]:
        """The columns of one duration in days and in months (an mmdsl export's) as one column
        again; a rule that tests both gives the range they bound (`28 days..6 months`)."""
        refs = [ref for ref, readable in columns if readable.time_unit]
        twice = [ref for ref in dict.fromkeys(refs) if refs.count(ref) > 1]
        for ref in twice:
            first, second = [i for i, (r, _) in enumerate(columns) if r == ref][:2]
            for row in rows:
                if row:
                    row[first] = self.both(row[first], row.pop(second))
            columns = columns[:second] + columns[second + 1:]
        return columns, rows

    def both(self, one: str, other: str) -> str:
        if "-" in (one, other):
            return other if one == "-" else one
        if one == other and one in ("unknown", "not unknown"):  # the days and months are null
            return one  # together: when a date is (an export of a duration that may be unknown)
        bounds = {}
        for cell in (one, other):
            found = re.fullmatch(r"(>=|>|<=|<) (\d+ \w+)", cell)
            if found is None:
                break
            bounds["low" if found.group(1).startswith(">") else "high"] = found.groups()
        if set(bounds) != {"low", "high"}:
            self.report("dmn-unsupported-construct", self.table.where,
                        f"a rule tests a duration as `{one}` and `{other}` at once, which is "
                        "no single mmdsl cell")
            return "-"
        (low_op, low), (high_op, high) = bounds["low"], bounds["high"]
        return f"{'[' if low_op == '>=' else ']'}{low}..{high}{']' if high_op == '<=' else '['}"

    # -- outputs --

    def outputs(self, policy: str | None) -> list[Output] | None:
        clauses = self.table.outputs
        if not clauses:
            self.report("dmn-not-a-model", self.table.where,
                        f"decision table `{self.decision.name}` has no output column")
            return None
        names = Namespace(RESERVED)
        found: list[Output] = []
        for index, clause in enumerate(clauses):
            dmn_name = clause.name if len(clauses) > 1 or clause.name else None
            fallback = self.name if len(clauses) == 1 else f"output_{index + 1}"
            value_type = self.output_type(clause, index, policy)
            if value_type is None:
                return None
            name = names.claim(clause.name or self.decision.name, fallback)
            value_type = self.owner.with_members(value_type, f"{self.name}_{name}",
                                                 self.dmn_output_type(clause, index, policy))
            default = self.default_value(clause)
            found.append(Output(dmn_name, name, value_type, default, clause))
        return found if self.check_policy(policy, found) else None

    def dmn_output_type(self, clause: m.OutputClause, index: int, policy: str | None) -> DmnType:
        items = self.owner.model.items
        if clause.type_ref:
            return resolve_type(clause.type_ref, items)
        whole = resolve_type(self.table.type_ref or self.decision.type_ref, items)
        if policy is not None and policy not in SINGLE_HIT and whole.collection:
            whole = element_type(whole)
        if len(self.table.outputs) == 1:
            return whole
        parts = dict(whole.components)
        return parts.get(clause.name or "", DmnType(""))

    def output_type(self, clause: m.OutputClause, index: int, policy: str | None) -> ValueType | None:
        dmn_type = self.dmn_output_type(clause, index, policy)
        try:
            if dmn_type.base:
                return to_value_type(dmn_type, clause.values)
            return self.inferred_type(clause, index)
        except (TypeProblem, feel.FeelError) as problem:
            self.report("dmn-unsupported-type", clause.where,
                        f"output `{clause.name or self.decision.name}` has a type mmdsl cannot "
                        f"hold: {problem}")
            return None

    def inferred_type(self, clause: m.OutputClause, index: int) -> ValueType | None:
        """An output without a type: a value list makes it one-of, else the values decide."""
        if clause.values is not None:
            return to_value_type(DmnType("string"), clause.values)
        literals = []
        for rule in self.table.rules:
            entry = rule.outputs[index] if index < len(rule.outputs) else None
            literal = self.literal(entry) if entry is not None else None
            if literal is not None:
                literals.append(literal)
        inferred = infer_from_outputs(literals)
        if inferred is None:
            raise TypeProblem("no type is given and its values are of several kinds")
        return inferred

    def literal(self, entry: m.Text) -> feel.Literal | None:
        try:
            return feel.parse_literal(entry.value)
        except feel.FeelError:
            return None  # reported with the rule

    def default_value(self, clause: m.OutputClause) -> feel.Literal | None:
        if clause.default is None:
            return None
        try:
            return feel.parse_literal(clause.default.value)
        except feel.FeelError as error:
            self.report("dmn-unsupported-feel", shifted(clause.default, error.offset),
                        f"the default output is not a literal value: {error.message}")
            return None

    def check_policy(self, policy: str | None, outputs: list[Output]) -> bool:
        if policy is None:
            return True
        if policy.startswith("collect ") and len(outputs) != 1:
            self.report("dmn-unsupported-construct", self.table.where,
                        "an aggregation needs exactly one output (DMN allows no compound output "
                        "here either)")
            return False
        numeric = outputs[0].type.kind in ("decimal", "integer")
        if policy in ("collect sum", "collect min", "collect max") and not numeric:
            self.report("dmn-unsupported-construct", self.table.where,
                        f"`{policy}` needs a numeric output")
            return False
        ranked = any(o.type.kind == "enum" for o in outputs)
        if policy in ("priority", "output order") and not ranked:
            self.report("dmn-unsupported-construct", self.table.where,
                        f"a {self.table.hit_policy} table ranks rules by their outputs' lists of "
                        "values (outputValues), and none of its outputs has one",
                        help="list the output values in order of priority")
            return False
        return True

    # -- rules --

    def row(self, rule: m.Rule, columns: list[tuple[str, Readable]],
            outputs: list[Output]) -> list[str]:
        if len(rule.inputs) != len(self.table.inputs) or len(rule.outputs) != len(outputs):
            self.report("dmn-not-a-model", rule.where,
                        f"the rule has {len(rule.inputs)} input and {len(rule.outputs)} output "
                        f"entries for {len(self.table.inputs)} input and {len(outputs)} output "
                        "columns")
            return []
        cells = [self.input_cell(entry, readable) for entry, (_, readable)
                 in zip(self.entries(rule), columns, strict=True)]
        return cells + [self.output_cell(entry, output)
                        for entry, output in zip(rule.outputs, outputs, strict=True)]

    def input_cell(self, entry: m.Text, readable: Readable) -> str:
        try:
            tests = feel.parse_unary_tests(entry.value, durations=readable.duration,
                                           days=_is_date(readable),
                                           clock=_is_clock(readable),
                                           times=readable.type.kind == "time")
            text = cell_text(tests, readable.column)
            return with_unit(text, readable.time_unit) \
                if readable.time_unit and not readable.clock and text != "-" else text
        except feel.FeelError as error:
            self.report("dmn-unsupported-feel", shifted(entry, error.offset),
                        f"`{entry.value}` is not a simple unary test: {error.message}")
        except CellProblem as problem:
            self.report(problem.code, entry, f"`{entry.value}`: {problem.message}")
        return "-"

    def output_cell(self, entry: m.Text, output: Output) -> str:
        try:
            return output_text(feel.parse_literal(entry.value), output.type)
        except feel.FeelError as error:
            self.report("dmn-unsupported-feel", shifted(entry, error.offset),
                        f"output entry `{entry.value}` is not a literal value: {error.message}")
        except CellProblem as problem:
            self.report(problem.code, entry, f"output entry `{entry.value}`: {problem.message}")
        return "-"

    # -- default outputs --

    def default_rule(self, policy: str, columns: list[tuple[str, Readable]], outputs: list[Output],
                     rows: list[list[str]]) -> tuple[str, str] | None:
        """Appends the rule that gives the default outputs; the derived fact it reads, if it
        needs one, as (name, statement)."""
        if all(o.clause.default is None for o in outputs):
            return None
        if any(all(c == "-" for c in row[:len(columns)]) for row in rows if row) \
                or self.decision.name in self.owner.never_default:
            self.owner.plan.notes.append(self.unused_default_note())
            return None  # some rule always applies: the defaults are never used
        values = [self.default_cell(o) for o in outputs]
        if policy == "first":
            rows.append(["-"] * len(columns) + values)
            return None
        if policy == "collect count":
            self.report_default("a COUNT table's default would be counted as one more value, "
                                "not be the answer")
            return None
        if any(readable.is_table for _, readable in columns):
            self.report_default("this table reads another decision's result, and mmdsl can "
                                "only say 'no rule applies' through a derived fact, which cannot "
                                "read a table")
            return None
        fact = self.no_rule_fact(columns)
        for row in rows:
            row.insert(len(columns), "-")
        rows.append(["-"] * len(columns) + ["yes"] + values)
        return fact

    def unused_default_note(self) -> str:
        name = self.owner.top.claim(f"{self.name}_default", "default")
        text = (f"The DMN decision {self.decision.name} has default outputs; its rules cover "
                "every case, so they can never apply and are left out.")
        return f"note {name}: {quote_loose(text)[0]}"

    def default_cell(self, output: Output) -> str:
        if output.clause.default is None:
            return "-"
        try:
            return output_text(output.default, output.type)
        except CellProblem as problem:
            self.report(problem.code, output.clause.default,
                        f"default output `{output.clause.default.value}`: {problem.message}")
            return "-"

    def report_default(self, why: str) -> None:
        where = next(c.default for c in self.table.outputs if c.default is not None)
        self.report("dmn-default-output", where,
                    f"the default output of `{self.decision.name}` cannot be written in mmdsl: "
                    f"{why}", help="add a last rule for the default yourself, in the DMN model")

    def no_rule_fact(self, columns: list[tuple[str, Readable]]) -> tuple[str, str]:
        """`TABLE_no_rule`: no rule's input cells all hold; its name and its statement. (A cell
        that cannot be written is reported as a cell, and the table is then not written.)"""
        rules = []
        for rule in self.table.rules:
            conditions = [self.condition(ref, entry, readable)
                          for entry, (ref, readable) in zip(self.entries(rule), columns,
                                                            strict=True)]
            kept = [c for c in conditions if c]
            rules.append(" and ".join(kept) if len(kept) == 1 else f"({' and '.join(kept)})")
        name = self.owner.top.claim(f"{self.name}_no_rule", "no_rule")
        description = quote_loose(f"no rule of {self.decision.name} applies (the default outputs "
                                  "are given then)")[0]
        joined = " or\n    ".join(rules)
        return name, f"fact {name} {description} =\n    not ({joined})"

    def condition(self, ref: str, entry: m.Text, readable: Readable) -> str | None:
        try:
            tests = feel.parse_unary_tests(entry.value, durations=readable.duration,
                                           days=_is_date(readable),
                                           clock=_is_clock(readable),
                                           times=readable.type.kind == "time")
            text = condition_text(ref, tests, readable.type, readable.duration, readable.months,
                                  readable.clock)
            return with_unit_after(ref, text, readable.time_unit) \
                if text and readable.time_unit and not readable.clock else text
        except (feel.FeelError, CellProblem):
            return None  # the same entry is reported as a cell

    # -- annotations, and what the table gives to later decisions --

    def publish(self, policy: str, outputs: list[Output], headers: list[str],
                rows: list[list[str]]) -> None:
        rule_names, annotations, kept_rows = self.annotation_columns(rows)
        if not headers and rule_names is None:  # no input column: the rule names head the rows
            rule_names = [f"R{i + 1}" for i in range(len(kept_rows))]
        clauses = ([] if policy == "unique" else [f"hit {policy}"]) + self.extension_clauses()
        self.owner.plan.tables.append(TablePlan(
            self.name, self.title(), policy, clauses,
            [self.output_text(o) for o in outputs], headers + [o.name for o in outputs],
            len(headers), kept_rows, annotations, rule_names))
        self.add_notes()
        result = "number" if policy.startswith("collect ") else \
            "single" if policy in SINGLE_HIT else "list"
        names = tuple(OutputName(o.dmn_name, o.name, o.type) for o in outputs)
        self.owner.translation.decisions[self.decision.name] = DecisionName(
            self.decision.name, self.name, result, names)  # type: ignore[arg-type]
        self.make_readable(result, outputs, policy)

    def title(self) -> str:
        """The decision's label, or its DMN name when the table's name had to change."""
        if self.decision.label:
            return self.decision.label
        return self.decision.name if self.decision.name != self.name else ""

    def output_text(self, output: Output) -> str:
        original = output.clause.name or self.decision.name
        parts = ([original] if original != output.name else []) + \
            ([output.clause.description] if output.clause.description else [])
        description = f" {quote_loose(': '.join(parts))[0]}" if parts else ""
        return f"{output.name}: {self.owner.type_text(output.type)}{description}"

    def extension_clauses(self) -> list[str]:
        """`order by`, `distinct by`, `complete`, `requires evidence` of an mmdsl export."""
        extras = dict(self.table.extras)
        clauses = []
        for key, clause in (("orderBy", "order by"), ("distinctBy", "distinct by")):
            names = extras.get(key, "").split()
            if names and all(is_plain_name(n) for n in names):
                clauses.append(f"{clause} {', '.join(names)}")
        clauses += ["complete"] if extras.get("complete") == "true" else []
        clauses += ["requires evidence"] if extras.get("requiresEvidence") == "true" else []
        return clauses

    def annotation_columns(self, rows: list[list[str]]
                           ) -> tuple[list[str] | None, list[str], list[list[str]]]:
        """Rule names and evidence/caveats cells from an mmdsl export's annotation columns;
        columns that say nothing (names R1, R2, ... and `-` everywhere) are left out."""
        names = list(self.table.annotation_names)
        if self.owner.model.guideline is None or not rows:
            return None, [], rows
        index = {name: names.index(name) for name in (RULE, EVIDENCE, CAVEATS) if name in names}
        rules: list[m.Rule | None] = [*self.table.rules, *[None] * (len(rows) - len(self.table.rules))]
        rule_names = None
        if RULE in index:
            rule_names = [self.annotation(r, index[RULE]) or f"default_{i + 1}"
                          for i, r in enumerate(rules)]
            if rule_names == [f"R{i + 1}" for i in range(len(rules))]:
                rule_names = None
        kept = [key for key in (EVIDENCE, CAVEATS)
                if key in index and any(self.annotation(r, index[key]) for r in rules)]
        for row, rule in zip(rows, rules, strict=True):
            row += [self.annotation(rule, index[key]) or "-" for key in kept]
        return rule_names, kept, rows

    def annotation(self, rule: m.Rule | None, position: int) -> str:
        if rule is None or position >= len(rule.annotations):
            return ""
        text = rule.annotations[position]
        names = [n.strip() for n in text.split(",") if n.strip()]
        return ", ".join(names) if names and all(is_plain_name(n) for n in names) else ""

    def add_notes(self) -> None:
        """Each rule's annotations and description, as a note on the rule (DMN files from
        elsewhere; an mmdsl export's annotation columns are read as columns)."""
        if self.owner.model.guideline is not None:
            return
        names = self.table.annotation_names
        for index, rule in enumerate(self.table.rules, start=1):
            parts = [f"{name}: {text}" if name else text
                     for name, text in zip(names, rule.annotations, strict=False) if text]
            parts += [rule.description] if rule.description else []
            if parts:
                note = self.owner.top.claim(f"{self.name}_R{index}_annotation", "annotation")
                self.owner.plan.notes.append(
                    f"note {note} on {self.name}.R{index}: {quote_loose('; '.join(parts))[0]}")

    def make_readable(self, result: str, outputs: list[Output], policy: str) -> None:
        """What later decisions read: `table.output`, a list of values, or a number."""
        readable = self.owner.readable
        if result == "number":
            counted = policy == "collect count"  # a count is a whole number, and never missing
            number = ValueType("integer") if counted else outputs[0].type
            readable[names_key(self.decision.name)] = Readable(self.name, number, not counted,
                                                               is_table=True)
            return
        for output in outputs:
            key = names_key(self.decision.name if len(outputs) == 1 else
                            f"{self.decision.name}.{output.dmn_name}")
            readable[key] = Readable(f"{self.name}.{output.name}", output.type,
                                     nullable=result == "single", listed=result == "list",
                                     is_table=True)

    def report(self, code: CodeName, where: m.Position | m.Text, message: str, *,
               help: str | None = None) -> None:
        self.reporter.report(code, where, message, help=help)


def _is_clock(readable: Readable) -> bool:
    """A column of a date and time, or of the time between two: its tests may be dates and
    times, and durations of whole seconds."""
    return readable.type.kind == "datetime" or readable.clock


def _is_date(readable: Readable) -> bool:
    """A column of a date (not of the days between two): its tests may be calendar days."""
    return readable.type.kind == "date" and not readable.duration
