"""The Python back end: a guideline's IR becomes one dependency-free Python module.

Python builds a view model (strings of finished code, laid out by `pycode`), and the templates
`python_module.py.j2` and `python_runtime.py.j2` only place it. The module embeds the prelude
(validation shared with the interpreter) verbatim; the decision logic is its own. The output
depends on the IR alone: no clock, no hash order, no absolute path of our own.
"""

from __future__ import annotations

import inspect
import re
import types
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from mmdsl.backends.python.conditions import Refs, condition_code
from mmdsl.backends.python.core import (
    Bounds,
    core_lines,
    fact_lines,
    input_bounds,
    member_constants,
    read_facts_lines,
    scope_lines,
)
from mmdsl.backends.python.pycode import Group, Node, Prefixed, Str, Text, call, literal, render
from mmdsl.backends.python.why_not import Explainers
from mmdsl.backends.templates import template_environment
from mmdsl.ir import model as ir
from mmdsl.ir.walk import evaluation_order, refs_read, unknown_durations
from mmdsl.ir.why_not import TablePlan, plans_of
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import InputField
from mmdsl.semantics import calendar, clock

DECIDERS = {
    "unique": "decide_unique", "any": "decide_any", "first": "decide_first",
    "priority": "decide_priority", "collect": "decide_in_rule_order",
    "rule order": "decide_in_rule_order", "output order": "decide_in_output_order",
}
AGGREGATORS = {"sum": "decide_sum", "min": "decide_min", "max": "decide_max",
               "count": "decide_count"}
PUBLISHERS = {"single": "publish_row", "list": "publish_rows", "number": "publish_number"}
TABLES_TYPE = "tuple[tuple[Table, Callable[[Values], Outcome], Explainers | None], ...]"


@dataclass(frozen=True, slots=True)
class TableView:
    constant_name: str  # TABLE_<n>_<NAME>: see table_identifier
    function: str  # table_<n>_<name>; its decision core is <function>_core
    constant: str  # the statement that defines the table's data
    core: tuple[str, ...]  # the body of the decision core: the positions of the matching rules
    core_returns: str  # its return type
    hit: str  # the hit policy, for the core's docstring
    decide: str
    publish: str  # the function that makes the result readable by later tables; "" if none reads it
    summary: str  # the docstring of the table's function
    why_not: str  # the statement of its why-not explainers (WHY_NOT_<n>); "" for a number
    why_not_name: str  # that constant's name, or "None"


@dataclass(frozen=True, slots=True)
class ModuleView:
    mmdsl_version: str
    source_path: str
    source_sha256: str
    prelude: str
    constants: tuple[str, ...]
    inputs: str
    members: tuple[str, ...]
    facts: str
    scope: str
    read_facts: tuple[str, ...]
    fact_statements: tuple[str, ...]
    scope_statements: tuple[str, ...]
    impossible: str
    impossible_statement: str
    tables: tuple[TableView, ...]
    explainers: tuple[str, ...]  # the functions the WHY_NOT_<n> constants list
    table_list: str
    calendar: str = ""  # the calendar functions, pasted when the guideline has durations
    dates: bool = False  # whether an input is a date (`date` and the reader `date_value` pasted)
    intervals: str = ""  # INTERVALS: each duration's name, start and end
    unknown_durations: bool = False  # whether a duration may be unknown (a date `or unknown`)
    evaluation_date: str = ""  # the repr of the evaluation date's input, if declared
    evaluation_key: str = "evaluation_date"  # its provenance key ("evaluation_date_time")
    clock: str = ""  # the clock functions, pasted when an input is a date and time
    timed_intervals: str = ""  # TIMED: the durations between dates and times
    trace_kind: str = ""  # the durations' trace: "dates", "times" or "both"
    numbers: str = ""  # runtime/numbers.py, pasted when the guideline has a numeric fact
    number_kinds: str = ""  # NUMBERS: each numeric fact, True for an integer
    # the trace line of each yes/no fact by its value (with None when a fact may be unknown)
    fact_trace: str = 'FACT_TRACE = tuple((f"fact {name}: no", f"fact {name}: yes") for name in FACTS)'
    yes_no: str = '"yes" if value else "no"'  # a yes/no fact's word in the trace
    text_facts: str = ""  # TEXTS: the text facts, shown as they are


PIECE = "\x00"  # never in a module's text: authored text reaches it only through repr()


def render_module(guideline: ir.IRGuideline) -> str:
    """The source text of the evaluator module for a guideline."""
    return _template().render(m=module_view(guideline), cut="")


def module_pieces(guideline: ir.IRGuideline) -> list[str]:
    """The module's text cut where its top-level statements begin: joined, they are
    `render_module`'s text. See `load_module`."""
    return _template().render(m=module_view(guideline), cut=PIECE).split(PIECE)


def load_module(guideline: ir.IRGuideline, module_name: str, filename: str) -> types.ModuleType:
    """The evaluator module, compiled and run in memory a group of statements at a time.

    CPython's compile() holds the tokens, the syntax tree and the symbol table of all it is given
    at once, about 70 bytes for each byte of source: a 50,000-rule table's 25 MB module would peak
    near 2 GB compiled whole. In pieces of about a megabyte, run in order into one namespace, it
    is the same module (every top-level statement runs once, in order), with the same line
    numbers in its tracebacks, and the peak is that of the largest statement."""
    module = types.ModuleType(module_name)
    module.__file__ = filename
    pieces = module_pieces(guideline)
    pieces.reverse()  # popped from the end: each piece's text is freed once it has run
    line = 1
    while pieces:
        group = [pieces.pop()]
        size = len(group[0])
        while pieces and size + len(pieces[-1]) <= GROUP_CHARACTERS:
            size += len(pieces[-1])
            group.append(pieces.pop())
        text = "".join(group)
        code = _moved(compile(text, filename, "exec", dont_inherit=True), line - 1)
        exec(code, module.__dict__)
        line += text.count("\n")
    return module


GROUP_CHARACTERS = 1_000_000


def _moved(code: types.CodeType, lines: int) -> types.CodeType:
    """`code` as if its source began `lines` lines further down: its functions' too."""
    if not lines:
        return code
    constants = tuple(_moved(c, lines) if isinstance(c, types.CodeType) else c
                      for c in code.co_consts)
    return code.replace(co_firstlineno=code.co_firstlineno + lines, co_consts=constants)


@cache
def _template() -> jinja2.Template:
    return template_environment("mmdsl.backends.python").get_template("python_module.py.j2")


def prelude_text() -> str:
    return resources.files("mmdsl.runtime").joinpath("prelude.py").read_text("utf-8").rstrip()


def calendar_text() -> str:
    """The functions of semantics/calendar.py that durations need, text for text."""
    functions = [inspect.getsource(getattr(calendar, name)).rstrip()
                 for name in calendar.RUNTIME_FUNCTIONS]
    return ("# ---- durations between dates: mmdsl/semantics/calendar.py --------------------------"
            "----------\n\n\n" + "\n\n\n".join(functions))


def clock_text() -> str:
    """The functions of semantics/clock.py that dates and times need, text for text."""
    functions = [inspect.getsource(getattr(clock, name)).rstrip()
                 for name in clock.RUNTIME_FUNCTIONS]
    return ("# ---- dates and times: mmdsl/semantics/clock.py ----------------------------------------"
            "----------\n\n\n" + "\n\n\n".join(functions))


def _time_parts(guideline: ir.IRGuideline) -> dict[str, str]:
    timed = any(i.type.kind == "datetime" for i in guideline.inputs)
    parts = {"clock": clock_text()} if timed else {}
    if guideline.evaluation_date:
        kind = next(i.type.kind for i in guideline.inputs if i.name == guideline.evaluation_date)
        key = "evaluation_date_time" if kind == "datetime" else "evaluation_date"
        parts |= {"evaluation_date": repr(guideline.evaluation_date), "evaluation_key": key}
    if not guideline.intervals:
        return parts
    timed_names = tuple(i.name for i in guideline.intervals if i.time)
    if timed_names:
        parts["timed_intervals"] = render(literal(timed_names), 0, "TIMED: tuple[str, ...] = ")
    if len(timed_names) < len(guideline.intervals):  # durations between dates: calendar days
        parts["calendar"] = calendar_text()
    parts["trace_kind"] = "times" if "calendar" not in parts else \
        "both" if timed_names else "dates"
    intervals = literal(tuple((i.name, i.start, i.end) for i in guideline.intervals))
    return parts | {"intervals": render(intervals, 0,
                                        "INTERVALS: tuple[tuple[str, str, str], ...] = ")}


def numbers_text() -> str:
    """runtime/numbers.py, text for text: exact arithmetic for numeric facts."""
    return resources.files("mmdsl.runtime").joinpath("numbers.py").read_text("utf-8").rstrip()


def _number_parts(guideline: ir.IRGuideline) -> dict[str, str]:
    if not guideline.computed and not guideline.labels:
        return {}
    kinds = "".join(f"{c.name!r}: {c.type.kind == 'integer'}, " for c in guideline.computed)
    texts = {"text_facts": render(Group("frozenset({", tuple(Str(t.name) for t in guideline.labels),
                                        "})"), 0, "TEXTS: frozenset[str] = ")} \
        if guideline.labels else {}
    return {"numbers": numbers_text(),
            "number_kinds": f"NUMBERS: dict[str, bool] = {{{kinds.rstrip(', ')}}}", **texts}


def module_view(guideline: ir.IRGuideline) -> ModuleView:
    refs = Refs(nullable_refs(guideline), booleans=boolean_refs(guideline))
    fields = input_fields(guideline.inputs)
    read = frozenset(ref for table in guideline.tables for rule in table.rules
                     for test in rule.tests for ref in refs_read(test))
    bounds = input_bounds(guideline.inputs)
    explainers = Explainers(Refs(refs.nullable, booleans=refs.booleans))
    plans = {plan.table: plan for plan in plans_of(guideline)}
    tables = tuple(table_view(table, table_identifier(number, table.name), refs, read, bounds,
                              explainers, plans.get(table.name))
                   for number, table in enumerate(guideline.tables, start=1))
    return ModuleView(
        mmdsl_version=comment_text(guideline.mmdsl_version),
        source_path=comment_text(guideline.source_path),
        source_sha256=comment_text(guideline.source_sha256),
        prelude=prelude_text(),
        constants=provenance(guideline),
        inputs=render(_tuple(input_code(f) for f in fields), 0,
                      "INPUTS: tuple[InputField, ...] = "),
        members=tuple(member_constants(fields)),
        facts=render(literal(tuple(name for name, _ in evaluation_order(guideline))), 0,
                     "FACTS: tuple[str, ...] = "),
        scope=render(literal(guideline.scope.description if guideline.scope else None), 0,
                     "SCOPE: str | None = "),
        read_facts=tuple(read_facts_lines(fields)),
        fact_statements=tuple(duration_lines(guideline)
                              + fact_lines(tuple(f for _, f in evaluation_order(guideline)), refs)),
        scope_statements=tuple(scope_lines(guideline.scope, refs)),
        impossible=render(literal(tuple((i.name, i.description) for i in guideline.impossible)), 0,
                          "IMPOSSIBLE: tuple[tuple[str, str], ...] = "),
        impossible_statement=render(_tuple(condition_code(i.condition, refs)
                                           for i in guideline.impossible), 4, "held: tuple[bool, ...] = "),
        tables=tables,
        explainers=tuple(explainers.functions),
        table_list=render(_tuple(Text(f"({t.constant_name}, {t.function}, {t.why_not_name})")
                                 for t in tables), 0, f"TABLES: {TABLES_TYPE} = "),
        **_time_parts(guideline),
        unknown_durations=bool(unknown_durations(guideline)),
        dates=any(i.type.kind == "date" for i in guideline.inputs),
        **_number_parts(guideline),
        **_unknown_parts(guideline),
    )


def duration_lines(guideline: ir.IRGuideline) -> list[str]:
    """Each duration that may be unknown into `values`, for `IsSet` of it: None when a date is
    unknown (DMN: date arithmetic with null is null), else its days (its tests read the dates)."""
    unknown = {item.name for item in guideline.inputs if item.unknown}
    lines = []
    for interval in guideline.intervals:
        if interval.name not in unknown_durations(guideline):
            continue
        ends = [end for end in (interval.start, interval.end) if end in unknown]
        days = Text(f"days(values[{interval.start!r}], values[{interval.end!r}])")
        code = Group("(", (Prefixed("None if ", Group("(", tuple(
            Text(f"values[{end!r}] is None") for end in ends), ")", joiner=" or ")), days), ")",
            joiner=" else ")
        lines.append(render(code, 4, f"values[{interval.name!r}] = "))
    return lines


def _unknown_parts(guideline: ir.IRGuideline) -> dict[str, str]:
    """A fact that may be unknown (None) has a third trace line (Kleene's logic)."""
    if all(fact.false_when is None for fact in guideline.facts):
        return {}
    return {"fact_trace": 'FACT_TRACE = tuple({False: f"fact {name}: no", True: f"fact {name}: '
                          'yes", None: f"fact {name}: unknown"} for name in FACTS)',
            "yes_no": '"unknown" if value is None else "yes" if value else "no"'}


def provenance(guideline: ir.IRGuideline) -> tuple[str, ...]:
    clinical = guideline.clinical_source.sha256 if guideline.clinical_source else None
    return tuple(render(literal(value), 0, f"{name} = ") for name, value in (
        ("GUIDELINE", guideline.name), ("VERSION", guideline.version),
        ("SOURCE_SHA256", guideline.source_sha256), ("MMDSL_VERSION", guideline.mmdsl_version),
        ("CLINICAL_SOURCE_SHA256: str | None", clinical)))


def comment_text(text: str) -> str:
    """Text that stays inside its comment line: anything unprintable is escaped."""
    return text if text.isprintable() else repr(text)[1:-1]


def boolean_refs(guideline: ir.IRGuideline) -> frozenset[str]:
    """Refs that always hold True or False: yes/no inputs (validated, defaults too) and facts,
    but for those that may be unknown."""
    return frozenset([item.name for item in guideline.inputs
                      if item.type.kind == "bool" and not item.unknown]
                     + [fact.name for fact in guideline.facts if fact.false_when is None])


def nullable_refs(guideline: ir.IRGuideline) -> frozenset[str]:
    """Refs whose value may be None: single-hit outputs, sum/min/max of no rule, and inputs and
    facts that may be unknown."""
    refs: set[str] = {item.name for item in guideline.inputs if item.unknown}
    refs |= {fact.name for fact in guideline.facts if fact.false_when is not None}
    refs |= {fact.name for fact in guideline.computed if fact.unknown_when is not None}
    refs |= {fact.name for fact in guideline.labels if fact.unknown_when is not None}
    refs |= unknown_durations(guideline)
    for table in guideline.tables:
        if table.result_kind == "single":
            refs |= {f"{table.name}.{output.name}" for output in table.outputs}
        elif table.aggregate in ("sum", "min", "max"):
            refs.add(table.name)
    return frozenset(refs)


def _tuple(items: Iterable[Node]) -> Group:
    return Group("(", tuple(items), ")", one_item_comma=True)


def input_code(field: InputField) -> Node:
    """`InputField(...)` naming only what differs from the field's defaults, to stay short."""
    defaults = InputField._field_defaults
    return call("InputField", {name: literal(value) for name, value in field._asdict().items()
                               if name not in defaults or value != defaults[name]})


# ---- tables ---------------------------------------------------------------------------------------


def table_identifier(number: int, name: str) -> str:
    """`table_<n>_<name>`: a traceback or a reader finds the table by its name, while the position
    keeps the identifier unique and apart from every name the module defines. Authored text
    reaches the identifier only as ASCII letters, digits and `_` (`café` -> `cafe`); a name with
    none of them leaves `table_<n>`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_name).strip("_")
    return f"table_{number}_{plain}" if plain else f"table_{number}"


def table_view(table: ir.IRTable, function: str, refs: Refs, read: frozenset[str],
               bounds: Bounds, explainers: Explainers, plan: TablePlan | None) -> TableView:
    """`read`: the refs that tables read; a result no table reads is not published."""
    constant_name = function.upper()
    why_not_name = "WHY_NOT" + constant_name.removeprefix("TABLE")  # WHY_NOT_<n>_<name>
    decide = AGGREGATORS[table.aggregate] if table.aggregate else DECIDERS[table.hit]
    keys = {table.name} | {f"{table.name}.{output.name}" for output in table.outputs}
    return TableView(
        constant_name=constant_name, function=function,
        constant=render(Group("prepared(", (table_code(table),), ")"), 0, f"{constant_name} = "),
        core=tuple(core_lines(table, refs, bounds)),
        core_returns="int | None" if table.hit == "first" else "list[int]",
        hit=table.hit + (f" {table.aggregate}" if table.aggregate else ""),
        decide=decide, publish=PUBLISHERS[table.result_kind] if keys & read else "",
        summary=f"{constant_name} decided: its core, then its hit policy"
                + ("; its result published for later tables." if keys & read else "."),
        why_not=explainers.table_constant(why_not_name, plan) if plan else "",
        why_not_name=why_not_name if plan else "None",
    )


def table_code(table: ir.IRTable) -> Node:
    positions = {output.name: index for index, output in enumerate(table.outputs)}
    return call("Table", {
        "name": literal(table.name),
        "hit": literal(table.hit),
        "outputs": literal(tuple(output.name for output in table.outputs)),
        "members": literal(tuple(ranking(output) for output in table.outputs)),
        "order_by": literal(tuple(positions[name] for name in table.order_by)),
        "distinct_by": literal(tuple(positions[name] for name in table.distinct_by)),
        "rules": _tuple(rule_code(rule) for rule in table.rules),
        "complete": literal(table.complete),
    })


def ranking(output: ir.IROutput) -> tuple[str, ...]:
    """The members that rank an output's values (enumerations only; others sort naturally)."""
    return output.type.members if output.type.kind == "enum" else ()


def rule_code(rule: ir.IRRule) -> Node:
    return call("Rule", {
        "name": literal(rule.name), "outputs": literal(rule.outputs),
        "evidence": literal(rule.evidence), "refs": literal(rule.refs),
        "caveats": literal(rule.caveats), "why": literal(rule.why), "line": literal(rule.line),
    })
