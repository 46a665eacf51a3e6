"""A DMN model to mmdsl source text, with the map from DMN names to mmdsl names.

Input data become inputs; decision tables become tables, in an order where each table comes after
the decisions it reads (a column that reads another decision reads `table.output`); boolean
literal expressions over the inputs become derived facts. Every DMN name is mapped to an mmdsl
name (`mmdsl.dmn.names`) and kept as the description. What mmdsl cannot say with the same meaning
is reported, never approximated: `cells` explains each refusal.

Default outputs. mmdsl has no default output; a table with `defaultOutputEntry` gets one more
rule, last, that gives the defaults exactly when no other rule applies:

- FIRST: a rule of `-` cells (the first rule that applies wins, so it applies last);
- every other policy but COLLECT COUNT: a derived fact `TABLE_no_rule` that holds when no rule's
  cells all hold, and a rule that requires it. Facts read inputs and facts only, so this needs a
  table that reads no other decision; otherwise, and for COUNT (where the default row would count
  as 1, not be the answer), the import reports MD705 and stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from mmdsl.diagnostics import Severity
from mmdsl.dmn import model as m
from mmdsl.dmn.names import RESERVED, Namespace
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.cells import (
    CellProblem,
    Column,
    condition_text,
    on_null_outcome,
    value_text,
)
from mmdsl.frontends.dmn.mmdsltext import number_text, quote_loose
from mmdsl.frontends.dmn.report import Reporter
from mmdsl.frontends.dmn.types import NUMBER_TYPES, DmnType, TypeProblem, ValueType
from mmdsl.frontends.dmn.types import resolve as resolve_type
from mmdsl.frontends.dmn.types import value_type as to_value_type
from mmdsl.semantics.policies import AGGREGATES, POLICIES, dmn_name

HIT_POLICIES = {dmn_name(policy): policy for policy in POLICIES}  # DMN's spelling to ours
AGGREGATIONS = {dmn_name(aggregate): aggregate for aggregate in AGGREGATES}

ResultKind = Literal["single", "list", "number", "fact", "computed", "text"]
T = TypeVar("T")


# ---- the name map: what the import hands to programs (the TCK runner, tools) ------------------------


@dataclass(frozen=True, slots=True)
class InputName:
    dmn_name: str
    name: str
    type: ValueType
    unknown: bool = False  # declared `or unknown`: null is given as None


@dataclass(frozen=True, slots=True)
class OutputName:
    dmn_name: str | None  # None for the one unnamed output of a table
    name: str
    type: ValueType


@dataclass(frozen=True, slots=True)
class DecisionName:
    dmn_name: str
    name: str
    result: ResultKind
    outputs: tuple[OutputName, ...] = ()


@dataclass
class Translation:
    """The mmdsl text (None when the model could not be translated) and the names it uses."""

    text: str | None = None
    inputs: dict[str, InputName] = field(default_factory=dict)
    decisions: dict[str, DecisionName] = field(default_factory=dict)
    # The line of each rule added for a default output that needs a derived fact, and the DMN
    # decision it belongs to: if the compiler finds it can never apply, the rules already cover
    # every case and the import leaves the default out (`importer.import_dmn`).
    default_rules: dict[int, str] = field(default_factory=dict)
    worked: int = 0  # the examples, notes and quotes written back from the mmdsl extension
    # A partial import (`translate(..., partial=True)`): the decisions and inputs left out, each
    # with the reason (the first error reported about it), by DMN name.
    left_out: dict[str, str] = field(default_factory=dict)
    # The line of each computed fact (`fact NAME = EXPR`) and its DMN decision: a partial import
    # leaves out a decision whose fact the compiler refuses (a division by a value that may be
    # zero, MD318), with the compiler's reason (`importer.import_dmn`).
    fact_lines: dict[int, str] = field(default_factory=dict)
    # A context input flattened into one input per component: DMN input -> component -> input.
    components: dict[str, dict[str, InputName]] = field(default_factory=dict)


# ---- what a column or a condition can read -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Readable:
    """A value that a table column or a fact can read, under its mmdsl reference."""

    ref: str  # `age`, `approval.status`, `khorana_score`
    type: ValueType
    nullable: bool = False
    listed: bool = False
    is_table: bool = False  # a table's result: facts cannot read it
    time_unit: str | None = None  # a duration counted in days or months (an mmdsl export's)
    duration: bool = False  # a FEEL duration, `end - start` of two dates: tested with durations
    unknown: bool = False  # an input that may be null (`or unknown`), or a fact that reads one
    clock: bool = False  # the time between two dates and times: tested in whole minutes

    @property
    def column(self) -> Column:
        return Column(self.type, self.nullable, self.listed, self.duration, self.unknown,
                      self.months, self.clock)

    @property
    def months(self) -> bool:
        """FEEL's `years and months duration(start, end)`: tested with years and months."""
        return self.duration and self.time_unit == "months"


# ---- the plan of the generated file ----------------------------------------------------------------


@dataclass
class EnumPlan:
    name: str
    description: str
    members: list[tuple[str, str]]  # (member, label or "")
    classes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass
class TablePlan:
    name: str
    title: str
    hit: str
    clauses: list[str]
    outputs: list[str]  # `name: TYPE "description"`
    headers: list[str]  # the input columns, then the output columns
    input_count: int
    rows: list[list[str]]
    annotations: list[str] = field(default_factory=list)  # `evidence`, `caveats`
    rule_names: list[str] | None = None
    default_of: str | None = None  # the DMN decision, when the last row is a default rule


@dataclass
class Plan:
    guideline: str
    title: str
    version: str = ""
    preamble: list[str] = field(default_factory=list)  # bibliography statements
    enums: list[EnumPlan] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    scope: str | None = None
    tables: list[TablePlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worked examples, notes, quotes


TableStep = Callable[["_Translator", m.Decision, m.DecisionTable], None]
"""Translates one decision table into the plan (`tables.translate_table`); passed in,
so that this module, which the table translator imports, does not import it back."""


def translate(model: m.Model, reporter: Reporter, never_default: frozenset[str] = frozenset(),
              worked: bool = True, *, translate_table: TableStep,
              partial: bool = False, unread: frozenset[str] = frozenset(),
              refused: dict[str, str] | None = None) -> Translation:
    """The mmdsl text of `model`; on any error the diagnostics say why and `text` is None.
    The decisions in `never_default` get no default rule: their rules cover every case. With
    `worked`, the examples, notes and quotes an mmdsl export kept are written back.

    With `partial`, the decisions that cannot be translated are left out (`left_out` says why;
    the errors stay in the diagnostics) and the text holds the others, when there are any: a
    model is often mostly tables with one decision mmdsl cannot say, and its tables can still be
    run and compared. The result is never presented as the model: the import's errors stand.
    The inputs in `unread` (that no decision kept reads) are left out too: mmdsl requires every
    input it declares, and no case of the left-out decisions would give them."""
    translator = _Translator(model, reporter, never_default, translate_table)
    translator.unread = unread
    translator.refused = refused or {}
    translator.run()
    translation = translator.translation
    if worked and not reporter.failed:
        translator.add_worked_statements()
    if not reporter.failed or (partial and translation.decisions):
        translation.text = render(translator.plan)
        translation.default_rules = default_rule_lines(translation.text, translator.plan)
        lines = {line: number for number, line in enumerate(translation.text.split("\n"), 1)}
        translation.fact_lines = {lines[line]: decision
                                  for decision, line in translator.computed.items()
                                  if line in lines}
    return translation


def default_rule_lines(text: str, plan: Plan) -> dict[int, str]:
    lines = text.split("\n")
    found = {}
    for table in plan.tables:
        if table.default_of is not None:
            start = lines.index(table_line(table))
            header_lines = len(table.clauses) + len(table.outputs) + 2
            found[start + 1 + header_lines + len(table.rows)] = table.default_of
    return found


MONTHS_TYPES = ("", "yearMonthDuration", "years and months duration")
"""The type of a decision that may be `years and months duration(start, end)` (DMN 1.1's name,
DMN 1.2's, or none)."""


class Readables(dict[str, Readable]):
    """The values columns and facts can read, by DMN name; beside them, kept up to date as they
    are added, the ones a fact may read (not a table's result) and their FEEL name index, so
    that each fact of a model with thousands does not copy and sort them all again."""

    def __init__(self) -> None:
        super().__init__()
        self.for_facts: dict[str, Readable] = {}
        self.fact_index = feel.NameIndex()
        self.dates: set[str] = set()  # the date (and date-and-time) inputs, whose difference a
        # fact may test
        self.clock = False  # whether the model has dates and times (FEEL literals of them read)
        self.times = False  # whether the model has times of day (FEEL literals of them read)

    def __setitem__(self, key: str, value: Readable) -> None:
        super().__setitem__(key, value)
        self.clock = self.clock or value.type.kind == "datetime" or value.clock
        self.times = self.times or value.type.kind == "time"
        if value.type.kind in ("date", "datetime") and not value.is_table:
            self.dates.add(key)
        else:
            self.dates.discard(key)
        if not value.is_table:
            self.for_facts[key] = value
            self.fact_index.add(key)
        elif self.for_facts.pop(key, None) is not None:  # a name taken again (reported elsewhere)
            self.fact_index = feel.NameIndex(self.for_facts)


class _Translator:
    """Walks the model once, in dependency order, filling the plan and the name map."""

    def __init__(self, model: m.Model, reporter: Reporter, never_default: frozenset[str],
                 translate_table: TableStep) -> None:
        self.model = model
        self.translate_table = translate_table
        self.reporter = reporter
        self.never_default = never_default
        self.top = Namespace(RESERVED)
        self.readable = Readables()  # by DMN name (`Decision.Output` for components)
        self.durations: dict[str, str] = {}  # a duration exported by mmdsl -> its mmdsl name
        self.months_warned: set[str] = set()  # durations read in FEEL's months (MD710 given)
        self.differences: dict[str, str] = {}  # `a - b` of a cell naming b -> its fact's name
        self.broken: set[str] = set()  # DMN names already reported as unusable
        self._model_names: feel.NameIndex | None = None  # see model_names()
        self.unread: frozenset[str] = frozenset()  # inputs a partial import leaves out
        self.refused: dict[str, str] = {}  # decisions a partial import leaves out, and why
        self.computed: dict[str, str] = {}  # a computed fact's decision -> its line
        self.fact_unknown = False  # whether the last fact condition read a value that may be null
        self.translation = Translation()
        info = model.guideline or m.Guideline()
        name = self.top.claim(info.name or model.name, "imported")
        self.plan = Plan(name, info.title or model.name, info.version)
        self.enum_names: dict[str, str] = {}  # DMN item definition name -> declared enum
        self.enum_classes: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}

    def run(self) -> None:
        if quote_loose(self.plan.title)[1]:
            self.reporter.report("dmn-text-changed", self.model.where,
                                 "the model's name held line breaks or hidden characters; in the "
                                 "guideline's title they were replaced by spaces or removed")
        self.plan.preamble = list(bibliography(self.model.guideline))
        self.declare_enumerations()
        for data in self.model.inputs:
            before = len(self.reporter.diagnostics)
            self.add_input(data)
            if data.name in self.unread:
                self.translation.left_out[data.name] = "no decision that is kept reads it"
            elif data.name in self.broken:
                self.translation.left_out[data.name] = self.reason(data.name, before)
        for decision in dependency_order(self.model, self.reporter, self.broken):
            before = len(self.reporter.diagnostics)
            if decision.name in self.refused:
                self.broken.add(decision.name)
                self.translation.left_out[decision.name] = self.refused[decision.name]
                continue
            self.add_decision(decision)
            if decision.name in self.broken:
                self.translation.left_out[decision.name] = self.reason(decision.name, before)

    def reason(self, name: str, before: int) -> str:
        """Why a decision or input is left out: the first error reported while translating it,
        else the first error about it by name (the reader's), else what it reads."""
        errors = [d for d in self.reporter.diagnostics if d.severity is Severity.ERROR]
        new = [d for d in self.reporter.diagnostics[before:] if d.severity is Severity.ERROR]
        named = [d for d in errors if f"`{name}`" in d.message]
        found = (new or named)[:1]
        if found:
            return f"{found[0].code} {found[0].message}"
        texts = self.texts_of(name)
        read = sorted(n for n in self.translation.left_out
                      if n != name and any(names_key(n) in t for t in texts))
        return "it reads what is left out" + (f" (`{read[0]}`)" if read else "")

    def texts_of(self, name: str) -> list[str]:
        """The FEEL texts a decision reads through: its columns, or its expression."""
        decision = next((d for d in self.model.decisions if d.name == name), None)
        logic = decision.logic if decision else None
        if isinstance(logic, m.DecisionTable):
            return [" ".join(c.expression.value.split()) for c in logic.inputs]
        return [logic.text.value] if isinstance(logic, m.LiteralExpression) else []

    def add_worked_statements(self) -> None:
        from mmdsl.frontends.dmn.worked import statements

        problems: list[str] = []
        worked = list(statements(self.model.guideline, self.translation, problems))
        self.plan.notes += worked
        self.translation.worked = len(worked)
        for problem in problems:
            self.reporter.report("dmn-extension-left-out", self.model.where,
                                 f"{problem}; it is left out")

    # -- enumerations from an mmdsl export --

    def declare_enumerations(self) -> None:
        """The enumerations an mmdsl export recorded; one whose members or classes are not
        mmdsl names is not the export's and is read like any other DMN value list."""
        for enum in (self.model.guideline.enumerations if self.model.guideline else ()):
            if not is_recorded_enum(enum):
                continue
            name = self.top.claim(enum.name, "values")
            self.enum_names[enum.name] = name
            self.enum_classes[name] = tuple((c, frozenset(members)) for c, _, members in enum.classes
                                            if is_safe_name(c))
            self.plan.enums.append(EnumPlan(name, enum.description, list(enum.members),
                                            enum.classes))

    # -- inputs --

    def add_input(self, data: m.InputData) -> None:
        dmn_type = resolve_type(data.type_ref or self.clause_type(data.name), self.model.items)
        if dmn_type.base == "context" and not dmn_type.collection and dmn_type.components:
            self.add_context_input(data, dmn_type)
            return
        try:
            values = self.clause_values(data.name)
            if dmn_type.base == "string" and dmn_type.collection and not dmn_type.allowed:
                values = values or self.named_in_cells(data.name)
            value_type = to_value_type(dmn_type, values)
        except (TypeProblem, feel.FeelError) as problem:
            self.reporter.report("dmn-unsupported-type", data.where,
                                 f"input `{data.name}` has a type mmdsl cannot hold: {problem}")
            self.broken.add(data.name)
            return
        name = self.top.claim(data.name, f"input_{len(self.translation.inputs) + 1}")
        value_type = self.with_members(value_type, name, dmn_type)
        extras = dict(data.extras)
        unknown = extras.get("unknown") == "true"
        self.readable[names_key(data.name)] = Readable(name, value_type, unknown=unknown)
        if data.name in self.unread:  # not declared: the decisions that read it are left out
            return
        self.translation.inputs[data.name] = InputName(data.name, name, value_type, unknown)
        description = self.describe(data.name, name, data.description, data.where)
        type_text = f"evaluation {self.type_text(value_type)}" \
            if value_type.kind in ("date", "datetime") and extras.get("evaluation") == "true" \
            else self.type_text(value_type)
        self.plan.inputs.append(f"input {name}: {type_text}"
                                f"{input_extras(extras, value_type)}{description}")

    def add_context_input(self, data: m.InputData, dmn_type: DmnType) -> None:
        """A context input is one input per simple component, at any depth: `loan.principal`
        is read as `loan_principal`, `Applicant data.Monthly.Income` as
        `Applicant_data_Monthly_Income`. A context with a list or a type mmdsl cannot hold is
        refused (MD704), naming the component."""
        try:
            types = leaves(dmn_type)
        except (TypeProblem, feel.FeelError) as problem:
            self.reporter.report("dmn-unsupported-type", data.where,
                                 f"input `{data.name}` has a type mmdsl cannot hold: its "
                                 f"component {problem}")
            self.broken.add(data.name)
            return
        flattened: dict[str, InputName] = {}
        for component, value_type, component_type in types:
            path = f"{data.name}.{component}"
            name = self.top.claim(f"{data.name}_{component.replace('.', '_')}",
                                  f"input_{len(self.translation.inputs) + len(flattened) + 1}")
            value_type = self.with_members(value_type, name, component_type)
            self.readable[names_key(path)] = Readable(name, value_type)
            flattened[component] = InputName(path, name, value_type)
            description = self.describe(path, name, "", data.where)
            self.plan.inputs.append(f"input {name}: {self.type_text(value_type)}{description}")
        if data.name not in self.unread:
            self.translation.components[data.name] = flattened
        else:  # not declared after all: nothing kept reads it
            self.plan.inputs = self.plan.inputs[:-len(flattened)]

    def named_in_cells(self, name: str) -> m.Text | None:
        """For a list of strings without allowed values: the strings that the cells of the
        columns reading it name (`list contains(?, "a")`), as its list of values, so that it is
        a set of them. A value no cell names cannot change what a rule decides, but mmdsl
        refuses a member its enumeration does not list: a case with one is refused, never
        answered otherwise. None when no cell names one (the input stays refused)."""
        named: list[str] = []
        for decision in self.model.decisions:
            logic = decision.logic
            if not isinstance(logic, m.DecisionTable):
                continue
            for column, clause in enumerate(logic.inputs):
                if " ".join(clause.expression.value.split()) == " ".join(name.split()):
                    named += [v for rule in logic.rules if column < len(rule.inputs)
                              for v in strings_in_cell(rule.inputs[column].value)]
        if not named:
            return None
        listed = ", ".join(feel_string(v) for v in dict.fromkeys(named))
        return m.Text(listed, self.model.where)

    def clause_type(self, name: str) -> str | None:
        types = {c.type_ref for c in self.clauses_reading(name) if c.type_ref}
        return types.pop() if len(types) == 1 else None

    def clause_values(self, name: str) -> m.Text | None:
        """The inputValues of the clauses that read an input, when they all list the same."""
        texts = [c.values for c in self.clauses_reading(name)]
        listed = {t.value for t in texts if t is not None}
        if len(listed) == 1 and None not in texts:
            return next(t for t in texts if t is not None)
        return None

    def clauses_reading(self, name: str) -> Iterator[m.InputClause]:
        for decision in self.model.decisions:
            if isinstance(decision.logic, m.DecisionTable):
                yield from (c for c in decision.logic.inputs if c.expression.value == name)

    def with_members(self, value_type: ValueType, owner: str, dmn_type: DmnType) -> ValueType:
        """The type with mmdsl names for its values, declaring an enumeration where one is needed."""
        if value_type.kind not in ("enum", "set"):
            return value_type
        declared = self.enum_names.get(dmn_type.values_item)
        if declared:
            members = {v: v for v in value_type.values}
            return ValueType(value_type.kind, value_type.values, enum=declared, members=members,
                             classes=self.enum_classes.get(declared, ()))
        space = Namespace(RESERVED)
        members = {v: space.claim(v, f"value_{i + 1}") for i, v in enumerate(value_type.values)}
        needs_declaration = value_type.kind == "set" or len(members) == 1 \
            or any(k != v for k, v in members.items())
        enum = None
        if needs_declaration:
            enum = self.top.claim(f"{owner}_values", "values")
            labels = [(member, "" if member == value else value) for value, member in members.items()]
            self.plan.enums.append(EnumPlan(enum, "", labels))
        return ValueType(value_type.kind, value_type.values, enum=enum, members=members)

    def type_text(self, value_type: ValueType) -> str:
        kind = value_type.kind
        if kind == "bool":
            return "yes/no"
        if kind == "text":
            return "text"
        if kind == "date":
            return "date"
        if kind == "datetime":
            return "date and time"
        if kind == "time":
            return "time of day"
        if kind in ("integer", "decimal"):
            bounds = "" if value_type.low is None or value_type.high is None else \
                f" {number_text(value_type.low)}..{number_text(value_type.high)}"
            unit = f" unit {quote_loose(value_type.unit)[0]}" if value_type.unit else ""
            return f"{kind}{bounds}{unit}"
        if value_type.enum:
            return f"{'set' if kind == 'set' else 'one'} of {value_type.enum}"
        return "one of " + ", ".join(value_type.members.values())

    def describe(self, original: str, name: str, description: str, where: m.Position) -> str:
        """` "description"`: the DMN name when it had to change, and the DMN description; ""
        when there is neither."""
        parts = ([original] if original != name else []) + ([description] if description else [])
        if not parts:
            return ""
        quoted, changed = quote_loose(": ".join(parts))
        if changed:
            self.reporter.report("dmn-text-changed", where,
                                 f"the description of `{original}` held line breaks or hidden "
                                 "characters; they were replaced by spaces or removed")
        return f" {quoted}"

    # -- decisions --

    def add_decision(self, decision: m.Decision) -> None:
        extras = dict(decision.extras)
        if decision.invokes_knowledge:  # reported by the reader
            self.broken.add(decision.name)
        elif "duration" in extras and extras.get("unit") in ("days", "weeks", "months", "years",
                                                             "time"):
            self.add_duration(decision, extras)
        elif isinstance(decision.logic, m.LiteralExpression):
            self.add_fact(decision, decision.logic)
        elif isinstance(decision.logic, m.DecisionTable):
            self.translate_table(self, decision, decision.logic)
        else:
            self.broken.add(decision.name)

    def add_duration(self, decision: m.Decision, extras: dict[str, str]) -> None:
        """A duration an mmdsl export wrote as two decisions (its days, its months): one
        `fact NAME = time from START to END`, which both decisions' readers read."""
        dates = [self.translation.inputs.get(extras.get(end, "")) for end in ("start", "end")]
        description = decision.description.removesuffix(f", in {extras['unit']}")
        kind = "datetime" if extras["unit"] == "time" else "date"  # `time`: one decision, `end
        # - start` of two dates and times, tested with days-and-time durations
        if any(d is None or d.type.kind != kind for d in dates):
            self.reporter.report("dmn-unsupported-construct", decision.where,
                                 f"decision `{decision.name}` counts the time between values "
                                 "that are not date inputs of the model")
            self.broken.add(decision.name)
            return
        name = self.durations.get(extras["duration"])
        if name is None:
            name = self.top.claim(extras["duration"], f"duration_{len(self.durations) + 1}")
            self.durations[extras["duration"]] = name
            start, end = (d.name for d in dates if d is not None)
            described = self.describe(extras["duration"], name, description, decision.where)
            self.plan.facts.append(f"fact {name}{described} = time from {start} to {end}")
        unknown = any(d is not None and d.unknown for d in dates)  # null with a date
        self.readable[names_key(decision.name)] = Readable(
            name, ValueType("integer"), time_unit=extras["unit"], unknown=unknown) \
            if kind == "date" else Readable(name, ValueType("integer"), time_unit="minutes",
                                            duration=True, clock=True, unknown=unknown)

    def add_fact(self, decision: m.Decision, logic: m.LiteralExpression) -> None:
        dmn_type = resolve_type(decision.type_ref, self.model.items)
        if self.add_months_decision(logic, dmn_type, decision.name):
            return
        if dmn_type.base in NUMBER_TYPES:
            self.add_number(decision, logic)
            return
        try:
            constant = self.constant_of(dmn_type, logic)
        except CellProblem as problem:
            self.reporter.report(problem.code, logic.text,
                                 f"decision `{decision.name}`: {problem.message}")
            self.broken.add(decision.name)
            return
        if constant is not None:
            self.add_constant(decision, *constant)
            return
        if dmn_type.base == "string" and not dmn_type.collection:
            self.add_text(decision, logic)
            return
        condition = self.fact_condition(decision, logic, self.readable.for_facts)
        if condition is None:
            self.broken.add(decision.name)
            return
        name = self.top.claim(decision.name, f"fact_{len(self.plan.facts) + 1}")
        self.readable[names_key(decision.name)] = Readable(name, ValueType("bool"),
                                                            unknown=self.fact_unknown)
        self.translation.decisions[decision.name] = DecisionName(decision.name, name, "fact")
        guideline = self.model.guideline
        if guideline and guideline.scope_decision and guideline.scope_decision == decision.id:
            self.plan.scope = f"scope {quote_loose(guideline.scope_description)[0]} = {condition}"
            return
        description = self.describe(decision.name, name, decision.description, decision.where)
        self.plan.facts.append(f"fact {name}{description} = {condition}")

    def constant_of(self, dmn_type: DmnType, logic: m.LiteralExpression
                    ) -> tuple[str, ValueType] | None:
        """A yes/no or text literal alone (`true`, `"foo bar"`): the output cell that says it and
        its type; None for anything else (a condition, a computation)."""
        kinds = {"": "bool", "boolean": "bool", "string": "text"}
        if dmn_type.base not in kinds or dmn_type.collection:
            return None
        try:
            literal = feel.parse_literal(logic.text.value)
        except feel.FeelError:
            return None
        value_type = ValueType(kinds[dmn_type.base])  # type: ignore[arg-type]
        if literal is None or literal.duration or not isinstance(
                literal.value, bool if value_type.kind == "bool" else str):
            return None
        return value_text(literal, value_type), value_type  # CellProblem: text it cannot hold

    def add_constant(self, decision: m.Decision, cell: str, value_type: ValueType) -> None:
        """A constant: a fact is a condition over inputs and facts, so a decision that is always
        the same yes/no or text is what mmdsl says with a table of one rule that tests nothing
        (docs/dmn.md, Constants)."""
        name = self.top.claim(decision.name, f"table_{len(self.plan.tables) + 1}")
        title = decision.label or (decision.name if decision.name != name else "")
        self.plan.tables.append(TablePlan(name, title, "unique", [],
                                          [f"{name}: {self.type_text(value_type)}"], [name], 0,
                                          [[cell]], rule_names=["always"]))
        self.translation.decisions[decision.name] = DecisionName(
            decision.name, name, "single", (OutputName(None, name, value_type),))
        self.readable[names_key(decision.name)] = Readable(f"{name}.{name}", value_type,
                                                           is_table=True)

    def add_number(self, decision: m.Decision, logic: m.LiteralExpression) -> None:
        """A number computed from numeric inputs and facts: `fact NAME = EXPR`."""
        from mmdsl.frontends.dmn.arithmetic import ArithmeticProblem, translate_arithmetic
        from mmdsl.syntax.parser import MAX_DIGITS

        unknown = False  # whether the number reads a value that may be null

        def resolve(feel_name: str, offset: int) -> str:
            nonlocal unknown
            readable = self.readable.for_facts.get(names_key(feel_name))
            if readable is None or readable.type.kind not in ("integer", "decimal") \
                    or readable.time_unit:
                what = "a number that a fact can read" if readable is None or \
                    readable.time_unit else "a number"
                raise ArithmeticProblem(f"`{feel_name}` is not {what}", offset)
            unknown = unknown or readable.unknown
            return readable.ref

        def condition(text: str, offset: int) -> str:
            with condition_problems(text, offset):
                parsed = feel.parse_expression(text, self.readable.fact_index)
                names = self.readable.for_facts
                if any(names[n].unknown for n in names_in(parsed) if n in names):
                    raise ArithmeticProblem(
                        f"the condition `{text}` reads a value that may be null: FEEL then "
                        "takes the `else`, where mmdsl's number is unknown", offset)
                return expression_text(parsed, names)

        try:
            expression = translate_arithmetic(logic.text.value, self.readable.fact_index,
                                              resolve, MAX_DIGITS, condition, self.model.formulas)
        except ArithmeticProblem as problem:
            self.reporter.report("dmn-unsupported-feel", shifted(logic.text, problem.offset),
                                 f"decision `{decision.name}`: {problem.message}",
                                 help=self.unknown_name_help(logic.text.value))
            self.broken.add(decision.name)
            return
        name = self.top.claim(decision.name, f"fact_{len(self.plan.facts) + 1}")
        # FEEL's null, or a division by a constant zero, written `unknown`
        unknown = unknown or re.search(r"(?<![\w.])unknown(?!\w)", expression) is not None
        self.readable[names_key(decision.name)] = Readable(name, ValueType("decimal"),
                                                           unknown=unknown)
        self.translation.decisions[decision.name] = DecisionName(decision.name, name, "computed")
        description = self.describe(decision.name, name, decision.description, decision.where)
        line = f"fact {name}{description or ' ' + quote_loose(decision.name)[0]} = {expression}"
        self.plan.facts.append(line)
        self.computed[decision.name] = line

    def add_text(self, decision: m.Decision, logic: m.LiteralExpression) -> None:
        """Text joined from strings, text inputs and text facts: `fact NAME = "a" + b`."""
        from mmdsl.frontends.dmn.arithmetic import ArithmeticProblem
        from mmdsl.frontends.dmn.text import translate_text

        unknown = False  # whether the text joins a value that may be null (then null, as mmdsl)

        def resolve(feel_name: str, offset: int) -> str:
            nonlocal unknown
            readable = self.readable.for_facts.get(names_key(feel_name))
            if readable is not None and readable.type.kind == "text" and not readable.nullable:
                unknown = unknown or readable.unknown
                return readable.ref
            if readable is not None and readable.type.kind == "enum" and all(
                    readable.type.members.get(v) == v for v in readable.type.values):
                unknown = unknown or readable.unknown
                return readable.ref  # its member's name is its DMN string
            if readable is None and names_key(feel_name) in self.readable:
                raise ArithmeticProblem(f"`{feel_name}` is the result of a decision table, "
                                        "which a fact cannot read", offset)
            if readable is None and feel_name in self.broken:
                raise ArithmeticProblem(f"`{feel_name}` is left out", offset)
            what = "text that a fact can read" if readable is None or readable.type.kind in (
                "text", "enum") else "text"
            raise ArithmeticProblem(f"`{feel_name}` is not {what}", offset)

        def condition(text: str, offset: int) -> str:
            with condition_problems(text, offset):
                parsed = feel.parse_expression(text, self.readable.fact_index)
                names = self.readable.for_facts
                if any(names[n].unknown for n in names_in(parsed) if n in names):
                    raise ArithmeticProblem(
                        f"the condition `{text}` reads a value that may be null: FEEL then "
                        "takes the `else`, where mmdsl's text is unknown", offset)
                return expression_text(parsed, names)

        try:
            expression = translate_text(logic.text.value, self.readable.fact_index, resolve,
                                        condition, self.model_names())
        except ArithmeticProblem as problem:
            self.reporter.report("dmn-unsupported-feel", shifted(logic.text, problem.offset),
                                 f"decision `{decision.name}`: {problem.message}",
                                 help=self.unknown_name_help(logic.text.value))
            self.broken.add(decision.name)
            return
        name = self.top.claim(decision.name, f"fact_{len(self.plan.facts) + 1}")
        self.readable[names_key(decision.name)] = Readable(name, ValueType("text"),
                                                           unknown=unknown)
        self.translation.decisions[decision.name] = DecisionName(decision.name, name, "text")
        description = self.describe(decision.name, name, decision.description, decision.where)
        line = f"fact {name}{description or ' ' + quote_loose(decision.name)[0]} = {expression}"
        self.plan.facts.append(line)

    def model_names(self) -> feel.NameIndex:
        """Every input and decision name of the model, indexed once."""
        if self._model_names is None:
            inputs = [names_key(data.name) for data in self.model.inputs]
            self._model_names = feel.NameIndex(
                [*inputs, *(names_key(decision.name) for decision in self.model.decisions)])
        return self._model_names

    def fact_condition(self, decision: m.Decision, logic: m.LiteralExpression,
                       names: dict[str, Readable]) -> str | None:
        dmn_type = resolve_type(decision.type_ref, self.model.items)
        if dmn_type.base not in ("", "boolean") or dmn_type.collection:
            what = "a list" if dmn_type.collection else "text" if dmn_type.base == "string" \
                else f"of type `{dmn_type.base}`"
            self.reporter.report("dmn-unsupported-construct", logic.where,
                                 f"decision `{decision.name}` is a literal expression whose value "
                                 f"is {what}; mmdsl computes yes/no facts and numbers only",
                                 help="compute the value in a decision table")
            return None
        try:
            index = self.readable.fact_index
            expr = feel.parse_expression(logic.text.value, index, self.readable.dates,
                                         self.readable.clock, self.readable.times)
            differences = differences_in(expr)
            if differences:
                names = names | {d: self.time_between(d, logic.text) for d in differences}
            # a fact over a value that may be null may be null (Kleene, as mmdsl)
            self.fact_unknown = any(names[n].unknown for n in names_in(expr) if n in names)
            return expression_text(expr, names)
        except feel.FeelError as error:
            self.reporter.report("dmn-unsupported-feel", shifted(logic.text, error.offset),
                                 f"decision `{decision.name}`: {error.message}",
                                 help=self.unknown_name_help(logic.text.value))
        except CellProblem as problem:
            self.reporter.report(problem.code, logic.text,
                                 f"decision `{decision.name}`: {problem.message}")
        return None

    def time_between(self, subject: str, where: m.Text) -> Readable:
        """The duration a test's subject reads: `end - start`, or `years and months
        duration(start, end)`."""
        ends = feel.months_subject_ends(subject)
        if ends is not None and any(self.readable[names_key(n)].type.kind == "datetime"
                                    for n in ends):
            raise CellProblem("`years and months duration` of dates and times: mmdsl counts "
                              "the time between dates and times in minutes, hours, days and "
                              "weeks, and months between dates only")
        return self.date_difference(subject) if ends is None else self.months_between(*ends, where)

    def months_between_of(self, text: str, where: m.Text) -> Readable | None:
        """The duration an input expression `years and months duration(start, end)` reads, when
        both are date inputs."""
        try:
            expr = feel.parse_expression(text, self.readable.fact_index, self.readable.dates)
        except feel.FeelError:
            return None
        if not isinstance(expr, feel.NameRef):
            return None
        ends = feel.months_subject_ends(expr.name)
        if ends is None or any(self.readable[names_key(n)].type.kind == "datetime" for n in ends):
            return None  # months between dates and times: reported as general FEEL
        return self.months_between(*ends, where)

    def add_months_decision(self, logic: m.LiteralExpression, dmn_type: DmnType,
                            decision_name: str) -> bool:
        """A decision that is `years and months duration(start, end)` of two date inputs: a
        name for `time from start to end` in completed months, which tables and facts read
        (tested with years-and-months durations); False for any other decision."""
        if dmn_type.collection or dmn_type.base not in MONTHS_TYPES:
            return False
        readable = self.months_between_of(" ".join(logic.text.value.split()), logic.text)
        if readable is None:
            return False
        self.readable[names_key(decision_name)] = readable
        return True

    def months_between(self, start_name: str, end_name: str, where: m.Text) -> Readable:
        """FEEL's `years and months duration(start, end)` of two date inputs: the same `fact NAME
        = time from start to end` as their difference in days, read in completed months, with
        MD710 saying where FEEL engines count the months otherwise."""
        days = self.date_difference(f"{end_name} - {start_name}",
                                    f"years and months duration({start_name}, {end_name})")
        start, end = (self.readable[names_key(n)].ref for n in (start_name, end_name))
        if days.ref not in self.months_warned:
            self.months_warned.add(days.ref)
            self.reporter.report(
                "dmn-months-at-month-end", where,
                f"`years and months duration({start_name}, {end_name})` is read as `{days.ref} = "
                f"time from {start} to {end}` in completed calendar months: FEEL engines count "
                "the months as Java's Period does, which differs only when the later date is the "
                "last day of a month shorter than the earlier date's day of the month (31 "
                "January to 29 February 2024 is 1 completed month for a clinician, 0 months and "
                "29 days for Java's Period); the clinician's completed months are used",
                help="check the rules for patients whose later date is the last day of a month")
        return Readable(days.ref, ValueType("integer"), time_unit="months", duration=True)

    def number_difference(self, column: Readable, column_text: str, other_name: str) -> Readable:
        """`COLUMN - OTHER` of a column and another number a fact can read, a computed fact
        declared once per pair: a cell `[numB..numC]` tests `numA - numB` and `numA - numC`
        against 0 (`ends.split_ends`)."""
        other = self.readable.for_facts[names_key(other_name)]
        key = f"{column.ref} - {other.ref}"
        name = self.differences.get(key)
        if name is None:
            name = self.top.claim(f"{column.ref}_minus_{other.ref}",
                                  f"difference_{len(self.differences) + 1}")
            self.differences[key] = name
            described = quote_loose(f"{column_text} - {other_name}")[0]
            self.plan.facts.append(f"fact {name} {described} = {column.ref} - {other.ref}")
        return Readable(name, ValueType("decimal"))

    def date_difference_of(self, text: str) -> Readable | None:
        """The duration an input expression `end - start` reads, when both are date inputs."""
        parts = text.split(" - ")
        readables = [self.readable.for_facts.get(names_key(p)) for p in parts]
        if len(parts) != 2 or any(r is None or r.type.kind not in ("date", "datetime")
                                  for r in readables):
            return None
        try:
            return self.date_difference(text)
        except CellProblem:
            return None  # a date and a date and time: the column is reported as general FEEL

    def date_difference(self, text: str, described: str | None = None) -> Readable:
        """`end - start` of two date inputs, a FEEL duration: `fact NAME = time from start to
        end`, declared once per pair, read in days (its tests are durations of whole days);
        described as `described`, or else as the text."""
        end, start = (self.readable[names_key(n)] for n in text.split(" - "))
        clock = end.type.kind == "datetime"
        if clock != (start.type.kind == "datetime"):
            raise CellProblem(f"`{text}` is the time between a date and a date and time, which "
                              "mmdsl does not count (a day has no clock time to count from)")
        key = f"{start.ref} to {end.ref}"
        name = self.durations.get(key)
        if name is None:
            name = self.top.claim(f"time_from_{start.ref}_to_{end.ref}",
                                  f"duration_{len(self.durations) + 1}")
            self.durations[key] = name
            self.plan.facts.append(f"fact {name} {quote_loose(described or text)[0]} = time from "
                                   f"{start.ref} to {end.ref}")
        unknown = start.unknown or end.unknown  # null with an end
        if clock:  # tested with durations of whole minutes, written in minutes
            return Readable(name, ValueType("integer"), time_unit="minutes", duration=True,
                            clock=True, unknown=unknown)
        return Readable(name, ValueType("integer"), time_unit="days", duration=True,
                        unknown=unknown)

    def unknown_name_help(self, text: str) -> str | None:
        tables = [n for n, r in self.readable.items() if r.is_table and n in text]
        if tables:
            return (f"it reads the result of `{tables[0]}`, a decision table; in mmdsl a derived "
                    "fact reads inputs and facts only: make this decision a table")
        return None


def strings_in_cell(text: str) -> list[str]:
    """The strings a list test names (`list contains(?, "a")`, `some item in ["a", "b"] ...`)."""
    try:
        tests = feel.parse_unary_tests(text)
    except feel.FeelError:
        return []
    return [v for t in tests.tests if isinstance(t, feel.Membership) for v in t.members]


def feel_string(value: str) -> str:
    """A FEEL string literal: quotes and backslashes escaped."""
    escaped = value.replace(BACKSLASH, BACKSLASH * 2).replace('"', BACKSLASH + '"')
    return f'"{escaped}"'


BACKSLASH = chr(92)


def leaves(dmn_type: DmnType, prefix: str = "") -> list[tuple[str, ValueType, DmnType]]:
    """The simple components of a context type, by path (`Monthly.Income`), in order; raises
    TypeProblem naming the first component mmdsl cannot hold."""
    found = []
    for component, component_type in dmn_type.components:
        path = f"{prefix}{component}"
        if component_type.collection:
            raise TypeProblem(f"`{path}` is a list")
        if component_type.base == "context":
            found += leaves(component_type, f"{path}.")
            continue
        try:
            found.append((path, to_value_type(component_type), component_type))
        except TypeProblem as problem:
            raise TypeProblem(f"`{path}` is {problem}") from problem
    return found


def is_recorded_enum(enum: m.Enumeration) -> bool:
    members = [member for member, _ in enum.members]
    names = members + [name for name, _, _ in enum.classes]
    return bool(members) and all(is_safe_name(n) for n in names) \
        and len(set(names)) == len(names) \
        and all(set(listed) <= set(members) and listed for _, _, listed in enum.classes)


def names_key(name: str) -> str:
    """A DMN name as an expression refers to it: runs of white space count as one space."""
    return " ".join(name.split())


def shifted(text: m.Text, offset: int) -> m.Text:
    """The part of `text` from `offset`, placed where it is in the file (on the first line)."""
    before = text.value[:offset]
    if "\n" in before:
        return m.Text(text.value[offset:], text.where)
    return m.Text(text.value[offset:], m.Position(text.where.line, text.where.column + offset))


def input_extras(extras: dict[str, str], value_type: ValueType) -> str:
    """`or unknown`, `includes OTHER` and `default VALUE` of an input exported by mmdsl."""
    parts = [" or unknown"] if extras.get("unknown") == "true" else []
    if extras.get("includes") and is_safe_name(extras["includes"]):
        parts.append(f" includes {extras['includes']}")
    if extras.get("default"):
        default = default_text(extras["default"], value_type)
        if default:
            parts.append(f" default {default}")
    return "".join(parts)


def default_text(feel_text: str, value_type: ValueType) -> str | None:
    """An input default from its FEEL literal (`false`, `3`, `"a"`, `[]`, `["a"]`); None when
    it is not a value of the input's type."""
    text = feel_text.strip()
    if value_type.kind == "set":
        if text == "[]":
            return "none"
        text = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        literal = feel.parse_literal(text)
        return None if literal is None else value_text(literal, value_type)
    except (feel.FeelError, CellProblem):
        return None


def is_safe_name(text: str) -> bool:
    from mmdsl.dmn.names import is_plain_name

    return is_plain_name(text)


# ---- facts -------------------------------------------------------------------------------------------


def expression_text(expr: feel.Expr, names: dict[str, Readable]) -> str:
    """A FEEL boolean expression as an mmdsl condition."""
    match expr:
        case feel.NameRef(name=name):
            readable = names[name]
            if readable.type.kind != "bool":
                raise CellProblem(f"`{name}` is not a yes/no value; compare it with something")
            return readable.ref
        case feel.Check(name=name, tests=tests):
            readable = names[name]
            if readable.unknown:
                return _unknown_check(readable, tests)
            condition = condition_text(readable.ref, tests, readable.type, readable.duration,
                                       readable.months, readable.clock)
            if condition is None:
                raise CellProblem("a test that always holds (`-`) is not a condition")
            if readable.time_unit and not readable.clock:  # `age >= 42` of `age_days` is
                # `age >= 42 days` (a duration between dates and times is written with its units)
                return with_unit_after(readable.ref, condition, readable.time_unit)
            return condition
        case feel.And(items=items):
            return " and ".join(_grouped(i, names) for i in items)
        case feel.Or(items=items):
            return " or ".join(_grouped(i, names) for i in items)
        case feel.Not(item=item):
            return f"not ({expression_text(item, names)})"
    raise CellProblem("not a condition")


def _unknown_check(readable: Readable, tests: feel.UnaryTests) -> str:
    """A FEEL test on a value that may be null, as mmdsl says it: FEEL's comparisons with null
    give null (mmdsl's unknown), but `=` gives false and `!=` true, which mmdsl says apart."""
    on_null = on_null_outcome(tests)
    kept = feel.UnaryTests(tuple(t for t in tests.tests if not isinstance(t, feel.IsNull)),
                           tests.negated)
    if not kept.tests:
        if on_null is None:  # `x = null` alone never occurs: an IsNull makes it known
            raise CellProblem("a test of null that mmdsl cannot write")
        return f"{readable.ref} is {'' if on_null else 'not '}unknown"
    condition = condition_text(readable.ref, kept, readable.type, readable.duration,
                               readable.months, readable.clock)
    if condition is None:
        raise CellProblem("a test that always holds (`-`) is not a condition")
    if on_null is True:
        return f"({readable.ref} is unknown or {condition})"
    if on_null is False:
        return f"({readable.ref} is not unknown and {condition})"
    return condition


def names_in(expr: feel.Expr) -> list[str]:
    """The names an expression reads."""
    match expr:
        case feel.NameRef(name=name) | feel.Check(name=name):
            return [name]
        case feel.And(items=items) | feel.Or(items=items):
            return [n for item in items for n in names_in(item)]
        case feel.Not(item=item):
            return names_in(item)
    return []


def differences_in(expr: feel.Expr) -> list[str]:
    """The `end - start` subjects of the tests of an expression."""
    match expr:
        case feel.Check(name=name):
            return [name] if " - " in name or feel.months_subject_ends(name) else []
        case feel.And(items=items) | feel.Or(items=items):
            return [d for item in items for d in differences_in(item)]
        case feel.Not(item=item):
            return differences_in(item)
    return []


def with_unit_after(ref: str, text: str, unit: str) -> str:
    """A condition on `ref` with each number written as a duration (`ref`'s own digits kept)."""
    return ref.join(with_unit(part, unit) for part in text.split(ref))


def with_unit(text: str, unit: str) -> str:
    """Each number of a test written as a duration: `[28..42[` in days is `[28 days..42 days[`."""
    def written(number: re.Match[str]) -> str:
        return f"{number.group()} {unit[:-1] if number.group() == '1' else unit}"
    return re.sub(r"-?\d+(?:\.\d+)?", written, text)


def _grouped(expr: feel.Expr, names: dict[str, Readable]) -> str:
    text = expression_text(expr, names)
    return f"({text})" if isinstance(expr, (feel.And, feel.Or)) else text


# ---- the order of the decisions ----------------------------------------------------------------------


def dependency_order(model: m.Model, reporter: Reporter, broken: set[str]) -> list[m.Decision]:
    """The decisions, each after those it reads (document order otherwise); cycles reported.

    A depth-first walk with its own stack: a chain of thousands of decisions, each reading the
    one before, must not exhaust Python's."""
    by_name = {d.name: d for d in model.decisions}
    reads = _Reads(by_name)
    ordered: list[m.Decision] = []
    state: dict[str, str] = {}

    def walk(root: m.Decision) -> None:
        state[root.name] = "visiting"
        stack = [(root, iter(reads.of(root)))]
        while stack:
            decision, pending = stack[-1]
            for name in pending:
                read = by_name[name]
                if state.get(name) == "visiting":
                    reporter.report("dmn-broken-reference", read.where,
                                    f"decision `{read.name}` depends on itself through the "
                                    "decisions it reads",
                                    help="break the cycle: a decision cannot read its own result")
                    broken.add(read.name)
                elif state.get(name) != "done":
                    state[name] = "visiting"
                    stack.append((read, iter(reads.of(read))))
                    break
            else:
                stack.pop()
                state[decision.name] = "done"
                ordered.append(decision)

    for decision in model.decisions:
        if state.get(decision.name) != "done":
            walk(decision)
    return ordered


class _Reads:
    """Which other decisions a decision reads; the names are indexed once for the whole model,
    so that the work grows with the size of the model rather than its square."""

    def __init__(self, decisions: dict[str, m.Decision]) -> None:
        self.decisions = decisions
        self.order = {name: place for place, name in enumerate(decisions)}
        self.index = feel.NameIndex(decisions)
        self.lengths = sorted({len(name) for name in decisions})

    def of(self, decision: m.Decision) -> list[str]:
        """The names of the other decisions that `decision` reads, in document order."""
        return sorted(self.found(decision) - {decision.name}, key=self.order.__getitem__)

    def found(self, decision: m.Decision) -> set[str]:
        logic = decision.logic
        if isinstance(logic, m.DecisionTable):
            # a column reads `Name` or a component `Name.output` (a name may hold dots itself)
            texts = [c.expression.value for c in logic.inputs]
            return {prefix for t in texts for prefix in self.dotted_prefixes(t)
                    if prefix in self.decisions}
        if isinstance(logic, m.LiteralExpression):
            try:
                tokens = feel.tokenize(logic.text.value, self.index)
            except feel.FeelError:
                return set()
            return {t.text for t in tokens if t.kind == "name" and t.text in self.decisions}
        return set()

    def dotted_prefixes(self, text: str) -> Iterator[str]:
        """`text` itself and each part of it before a dot that is as long as some decision's
        name: the names `text` may be a path from (a text with many dots costs no more)."""
        yield text
        for length in self.lengths:
            if length >= len(text):
                break
            if text[length] == ".":
                yield text[:length]


# ---- what an mmdsl export keeps: the bibliography ------------------------------------------------------


def bibliography(guideline: m.Guideline | None) -> Iterator[str]:
    """The references, evidence and caveats an mmdsl export recorded (each name or number once:
    a repeated one is not the export's own and is left out)."""
    if guideline is None:
        return
    if guideline.version:
        yield f"version {quote_loose(guideline.version)[0]}"
    for number, citation in _first_of_each(guideline.references, lambda r: r[0]):
        yield f"reference {number} {quote_loose(citation)[0]}"
    for evidence in _first_of_each(guideline.evidence, lambda e: e.name):
        yield from _evidence_lines(evidence)
    for caveat in _first_of_each(guideline.caveats, lambda c: c.name):
        if is_safe_name(caveat.name):
            refs = f" refs {', '.join(map(str, caveat.refs))}" if caveat.refs else ""
            yield f"caveat {caveat.name} {quote_loose(caveat.text)[0]}{refs}"


def _first_of_each(items: Iterable[T], key: Callable[[T], object]) -> list[T]:
    seen: set[object] = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def _evidence_lines(evidence: m.Evidence) -> Iterator[str]:
    if not is_safe_name(evidence.name):
        return
    title = f" {quote_loose(evidence.title)[0]}" if evidence.title else ""
    lines = [f"evidence {evidence.name}{title}"]
    if evidence.refs:
        lines.append(f"  refs {', '.join(map(str, evidence.refs))}")
    lines += [f"  design {quote_loose(t)[0]}" for t in evidence.design]
    lines += [f"  population {quote_loose(t)[0]}" for t in evidence.population]
    lines += [f"  finding {quote_loose(t)[0]}" for t in evidence.findings]
    yield "\n".join(lines)


# ---- writing the file ---------------------------------------------------------------------------------


HEADER = ("# Imported from a DMN model by `mmdsl import`. DMN names that are not mmdsl names were\n"
          "# renamed; the DMN names are kept as descriptions and titles.\n")


def render(plan: Plan) -> str:
    blocks = [HEADER + f"guideline {plan.guideline} {quote_loose(plan.title)[0]}"]
    blocks += ["\n".join(plan.preamble)] if plan.preamble else []
    blocks += ["\n".join(_enum_text(e) for e in plan.enums)] if plan.enums else []
    blocks += ["\n".join(plan.inputs)] if plan.inputs else []
    blocks += ["\n".join(plan.facts)] if plan.facts else []
    blocks += [plan.scope] if plan.scope else []
    blocks += [_table_text(t) for t in plan.tables]
    blocks += ["\n".join(n for n in plan.notes if "\n" not in n)] if plan.notes else []
    blocks += [n for n in plan.notes if "\n" in n]  # worked examples, each a block
    return "\n\n".join(blocks) + "\n"


def _enum_text(enum: EnumPlan) -> str:
    description = f" {quote_loose(enum.description)[0]}" if enum.description else ""
    members = ", ".join(f"{member} {quote_loose(label)[0]}" if label else member
                        for member, label in enum.members)
    lines = [f"enum {enum.name}{description} = {members}"]
    for name, class_description, class_members in enum.classes:
        text = f" {quote_loose(class_description)[0]}" if class_description else ""
        lines.append(f"class {name} of {enum.name}{text} = {', '.join(class_members)}")
    return "\n".join(lines)


def table_line(table: TablePlan) -> str:
    return f"table {table.name} {quote_loose(table.title)[0]}" if table.title else \
        f"table {table.name}"


def _table_text(table: TablePlan) -> str:
    lines = [table_line(table)]
    lines += [f"  {clause}" for clause in table.clauses]
    lines += [f"  output {output}" for output in table.outputs]
    rule_column = ["rule"] if table.rule_names is not None else []
    header = rule_column + table.headers + table.annotations
    rows = [([name] if table.rule_names is not None else []) + row
            for name, row in zip(table.rule_names or [""] * len(table.rows), table.rows, strict=True)]
    widths = [max(3, *(len(r[i]) for r in [header, *rows])) for i in range(len(header))]
    groups = _column_groups(len(rule_column) + table.input_count, len(table.headers)
                            - table.input_count, len(table.annotations))
    lines.append(_row(header, widths, groups))
    lines.append(_row(["-" * w for w in widths], widths, groups))
    lines += [_row(row, widths, groups) for row in rows]
    return "\n".join(f"  {line}" if line.startswith("|") else line for line in lines)


def _column_groups(inputs: int, outputs: int, annotations: int) -> list[int]:
    """How many columns each `||` section holds: inputs, outputs, annotations (when any)."""
    return [inputs, outputs] + ([annotations] if annotations else [])


def _row(cells: list[str], widths: list[int], groups: list[int]) -> str:
    padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=True)]
    sections, start = [], 0
    for size in groups:
        sections.append(" | ".join(padded[start:start + size]))
        start += size
    return "| " + " || ".join(sections) + " |"


@contextmanager
def condition_problems(text: str, offset: int) -> Iterator[None]:
    """The FEEL or cell problem of an `if`'s condition, as a problem of the arithmetic or text
    it is in, at its place (numbers and text facts read conditions alike)."""
    from mmdsl.frontends.dmn.arithmetic import ArithmeticProblem  # as its callers import it

    try:
        yield
    except feel.FeelError as error:
        raise ArithmeticProblem(f"the condition `{text}`: {error.message}",
                                offset + error.offset) from error
    except CellProblem as problem:
        raise ArithmeticProblem(f"the condition `{text}`: {problem.message}", offset) from problem
