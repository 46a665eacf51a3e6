"""The SQL back end: a guideline's IR as one SQL query over a table of patients.

The query reads a relation `patients` with a column `_row` (the patient's row number) and one
column per input, already checked (docs/cohort.md): yes/no as BOOLEAN, integer as BIGINT, decimal
as DOUBLE, text and members as VARCHAR, dates as DATE, dates and times as BIGINT moment codes
(`moment_code`: the clock time's seconds and the offset, whole numbers that every dialect
compares and subtracts alike, with no time zone of the engine's), sets as BIGINT bit masks (bit i: the i-th
member of the set's type), so that a membership is a bitwise AND; a set of more than 63 members
(rare: a mask has 63 bits) stays a VARCHAR[] list, each member a condition reads tested once per
patient with `list_contains` (`input_type`). It returns, per patient, the decision of
docs/decision.md without the trace, in typed columns: status, reason, conflicts, each table's
result as rule positions (the rules' rows are the same for every patient: `cohort_tables` gives
them once, for the file's metadata) and the derived facts. It is written in DuckDB's dialect with
only the constructs sqlglot translates faithfully (CASE, `&`, lists, structs, `list_contains`,
`list_filter`), so that `transpiled` can give the same query to Spark SQL and the other dialects
sqlglot knows.

Python builds a view model of finished SQL fragments; `sql_query.sql.j2` only places them. Every
authored string reaches the SQL through `string_literal`, every name through `identifier`.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import jinja2

from mmdsl.backends.sql.exact import (
    Guard,
    Overflow,
    Ratio,
    compared,
    decimals_written,
    input_scale,
    ratio_of,
    shown,
)
from mmdsl.backends.templates import template_environment
from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, evaluation_order, parts, unknown_durations
from mmdsl.semantics import clock
from mmdsl.semantics.policies import RANKED_POLICIES

MAX_STEPS_PER_QUERY = 200  # DuckDB binds a chain of CTEs recursively, to a depth of 1,000
MAX_EXACT_SUM_RULES = 12  # `collect sum` of decimals: one precomputed sum per set of rules
MASK_BITS = 63  # bits of a BIGINT bit mask (the sign bit left alone): set members, list rules
COHORT_SCHEMA = "2"  # the decisions file's layout (docs/cohort.md); raised on any change
RESERVED_COLUMNS = ("row", "status", "reason", "errors", "derived")
SQL_TYPES = {"bool": "BOOLEAN", "integer": "BIGINT", "decimal": "DOUBLE", "text": "VARCHAR",
             "enum": "VARCHAR", "set": "VARCHAR[]", "date": "DATE",
             "datetime": "BIGINT",  # a set: see input_type; a date and time: moment_code
             "time": "BIGINT"}  # a time of day: its seconds since midnight (clock_code)
MOMENT_SCALE = 4096  # a date and time in SQL: its clock seconds times this, plus its offset code
OFFSET_CODE = 2000  # the code of an offset: its minutes plus this (0: no offset); offsets are
# less than 24 hours (runtime/prelude.py), so a code is 561..3439, less than MOMENT_SCALE



def moment_code(value: datetime.datetime) -> int:
    """A date and time as the decision query reads it: the seconds of its clock time as written
    from 0001-01-01 (semantics/clock.py, `moment_number`) times MOMENT_SCALE, plus its offset's
    minutes plus OFFSET_CODE when it has an offset (0 when not). A fixed date and time is then a
    comparison of codes (the offset code is below MOMENT_SCALE), and a duration a difference of
    them, in whole numbers."""
    offset = value.utcoffset()
    code = 0 if offset is None else offset // datetime.timedelta(minutes=1) + OFFSET_CODE
    return clock.moment_number(value) * MOMENT_SCALE + code


def clock_code(value: datetime.time) -> int:
    """A time of day as the decision query reads it: its seconds since midnight, 0 to 86,399
    (semantics/clock.py), so that a fixed time of day is a comparison of whole numbers."""
    return clock.seconds_of_day(value)


def masked(item: ir.IRInput) -> bool:
    """Whether a set input is carried as a bit mask: one of at most MASK_BITS members."""
    return item.type.kind == "set" and len(item.type.members) <= MASK_BITS


def input_type(item: ir.IRInput) -> str:
    """The SQL type of an input's checked column in `patients`."""
    return "BIGINT" if masked(item) else SQL_TYPES[item.type.kind]


class SqlUnsupported(Exception):
    """A guideline the SQL back end cannot evaluate exactly; the message says what and why."""


# ---- the two ways authored text reaches SQL -----------------------------------------------------


def identifier(name: str) -> str:
    """A name as a quoted SQL identifier: `"name"`, a double quote inside doubled."""
    return '"' + name.replace('"', '""') + '"'


def string_literal(text: str) -> str:
    """Text as an SQL string literal: `'…'` with quotes doubled; characters that are not
    printable (control characters, NUL) are joined in with `chr(n)`, never written raw."""
    parts: list[str] = []
    for printable, chars in itertools.groupby(text, key=lambda c: c.isprintable() or c == " "):
        piece = "".join(chars)
        if printable:
            parts.append("'" + piece.replace("'", "''") + "'")
        else:
            parts += [f"chr({ord(c)})" for c in piece]
    if not parts:
        return "''"
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def literal(value: ir.Scalar | None, kind: str | None = None) -> str:
    """A value as SQL: text through string_literal, numbers as written for their type."""
    if value is None:
        return f"CAST(NULL AS {SQL_TYPES[kind or 'text']})"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, float) or kind == "decimal":
        return _double(float(value))
    return str(int(value))


def _double(value: float) -> str:
    """A DOUBLE literal (`1.5E0`): an exponent makes every SQL dialect read a double, not a
    decimal, and repr() gives the shortest text that reads back as the same double."""
    if not math.isfinite(value):
        raise SqlUnsupported(f"{value!r} has no SQL literal")
    text = repr(value)
    return text if "e" in text else text + "E0"


def list_literal(items: Sequence[str], element_type: str) -> str:
    """`[a, b]`, or a typed empty list."""
    return f"[{', '.join(items)}]" if items else f"CAST([] AS {element_type}[])"


# ---- the view model ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """A common table expression: `name AS (SELECT *, columns FROM source)`."""

    name: str
    source: str
    columns: tuple[str, ...]  # `expression AS _name`


@dataclass(frozen=True, slots=True)
class QueryView:
    guideline: str  # for the comment at the top (escaped)
    steps: tuple[Step, ...]
    last: str
    outputs: tuple[str, ...]  # `expression AS "name"`
    where: str = ""  # rows left out: an impossible combination, or a guard's flag
    guards: tuple[Guard, ...] = ()  # decimal inputs read exactly: a row with more decimals is left out


def render_sql(guideline: ir.IRGuideline, carry: Sequence[tuple[str, str]] = ()) -> str:
    """The decision query in DuckDB's dialect (raises SqlUnsupported). `carry`: columns of
    `patients` to copy into the result after `row`, as (column, name in the result)."""
    return _template().render(q=query_view(guideline, carry))


def transpiled(guideline: ir.IRGuideline, dialect: str) -> str:
    """The decision query for another SQL dialect, translated by sqlglot (an optional extra)."""
    return translated(render_sql(guideline), dialect)


def translated(query: str, dialect: str) -> str:
    """DuckDB SQL (as this back end writes it) in another dialect, through sqlglot."""
    if dialect == "duckdb":
        return query
    from mmdsl.extras import require

    sqlglot = require("sqlglot", "sql")
    trees = [tree for tree in sqlglot.parse(query, read="duckdb") if tree is not None]
    if dialect in CHR_MOD_256:
        trees = [tree.transform(_spark_text) for tree in trees]
    # Every identifier quoted: sqlglot writes a struct's keys (`{'größe': …}`) as bare aliases,
    # which Spark refuses beyond ASCII (`STRUCT(_f0 AS strAße)`: found by make fuzz's Spark
    # campaign, tests/reliability/sql_names.py) and other engines would fold to one case.
    statements = [tree.sql(dialect=dialect, pretty=True, identify=True) for tree in trees]
    return ";\n".join(statements) + "\n"


CHR_MOD_256 = ("spark", "spark2", "databricks")
"""Dialects whose `chr(n)` is `chr(n % 256)`: U+2028 would become `(`."""


def _spark_text(node: Any) -> Any:
    """`chr(n)` above U+00FF as a Spark string literal with a Unicode escape (`'\\u2028'`,
    `'\\U0010FFFF'`): Spark's chr keeps only the low byte, its literals read Java's escapes."""
    from sqlglot import exp

    argument = node.expressions[0] if isinstance(node, exp.Chr) and node.expressions else None
    if argument is None or len(node.expressions) != 1 or not argument.is_int:
        return node
    code = int(argument.name)
    if code <= 0xFF:
        return node
    return exp.Var(this=f"'\\u{code:04X}'" if code <= 0xFFFF else f"'\\U{code:08X}'")


@cache
def _template() -> jinja2.Template:
    return template_environment("mmdsl.backends.sql").get_template("sql_query.sql.j2")


def query_view(guideline: ir.IRGuideline, carry: Sequence[tuple[str, str]] = ()) -> QueryView:
    distinct_columns(guideline)
    names = Names(guideline)
    steps: list[Step] = []

    def add(name: str, columns: Iterator[str] | tuple[str, ...]) -> None:
        steps.append(Step(name, steps[-1].name if steps else "patients", tuple(columns)))

    if names.members:
        add("_h", names.member_columns())
    if guideline.intervals:
        add("_d", names.duration_columns(guideline))
    guards = exact_guards(guideline, names)
    if guards:  # None: no decimal fact; (): one that reads no decimal input
        add("_x", tuple(column for guard in guards for column in guard.columns()))
    for position, (name, fact) in enumerate(evaluation_order(guideline)):
        if isinstance(fact, ir.IRComputed) and fact.type.kind == "decimal":
            exact = ExactFact(fact, position, names.exact, Conditions(names).sql,
                              unknown_sql(fact, names))
            add(f"_f{position}e", exact.columns())
            add(f"_f{position}", (f"{exact.shown} AS _f{position}",))
            names.exact[name] = exact.column_ratio
            names.decimal_facts.add(name)
            names.refs[name] = f"_f{position}"
            if fact.unknown_when is not None:
                names.nullable.add(name)
            continue
        if isinstance(fact, ir.IRComputed):
            value = number_sql(fact, names)
        elif isinstance(fact, ir.IRLabel):
            value = label_sql(fact, names)
        else:
            value = fact_sql(fact, names)
        add(f"_f{position}", (f"{value} AS _f{position}",))
        names.refs[name] = f"_f{position}"
        if may_be_unknown(fact):
            names.nullable.add(name)
        if guards is not None and isinstance(fact, ir.IRComputed):
            names.exact[name] = whole_ratio(f"_f{position}", fact.type, name)
    if guideline.impossible:  # facts that cannot occur: refused, as the evaluators refuse them
        add("_i", tuple(f"{Conditions(names).sql(i.condition)} AS _i{position}"
                        for position, i in enumerate(guideline.impossible)))
    scope = Conditions(names).sql(guideline.scope.condition) if guideline.scope else "TRUE"
    add("_s", (f"{scope} AS _in_scope",))
    read = {ref for condition in conditions(guideline) for part in parts(condition)
            if isinstance(part, ir.IsSet | ir.Compare | ir.OneOf | ir.SetTest)
            for ref in (part.ref,)}
    tables = [TableQuery(table, number, names, read) for number, table in
              enumerate(guideline.tables, start=1)]
    for table in tables:
        add(f"_t{table.number}", table.match_columns())
        add(f"_t{table.number}r", table.result_columns())
        table.publish()
    return QueryView(
        guideline=guideline.name.encode("unicode_escape").decode("ascii"),
        steps=tuple(steps), last=steps[-1].name,
        outputs=tuple(_outputs(guideline, tables, carry)),
        where=f"NOT ({_any_refused(guideline, guards or ())})"
        if guideline.impossible or guards else "",
        guards=guards or (),
    )


def distinct_columns(guideline: ir.IRGuideline) -> None:
    """Refuse names that SQL would take as one: DuckDB and Spark compare column and struct field
    names without regard to case, so inputs `A` and `a` would silently read one column (check's
    MD204 refuses them first; this keeps the back end safe on its own)."""
    groups = [("an input", [i.name for i in guideline.inputs]),
              ("a table", [t.name for t in guideline.tables]),
              ("a fact", [name for name, _ in evaluation_order(guideline)]),
              *((f"an output of `{t.name}`", [o.name for o in t.outputs]) for t in guideline.tables)]
    for what, names in groups[:3]:  # the query's own columns start with `_` (check's MD120)
        own = next((name for name in names if name.startswith("_")), None)
        if own is not None:
            raise SqlUnsupported(f"`{own}` ({what}) starts with `_`, as the query's own columns "
                                 "(`_row`, `_f0`, …) do, and SQL ignores case; rename it")
    for what, names in groups:
        seen: dict[str, str] = {}
        for name in names:
            other = seen.setdefault(name.casefold(), name)
            if other != name:
                raise SqlUnsupported(f"`{name}` and `{other}` ({what}) differ only in case, and "
                                     "SQL takes them as one column; rename one of them")


def _any_refused(guideline: ir.IRGuideline, guards: Sequence[Guard]) -> str:
    """The flags of a row left out: an impossible combination, an input with too many decimals."""
    return " OR ".join([*(f"_i{p}" for p in range(len(guideline.impossible))),
                        *(guard.flag for guard in guards)])


def render_impossible_sql(guideline: ir.IRGuideline, view: QueryView | None = None) -> str:
    """The rows of `patients` that the decision query leaves out: `row` and one flag per
    declaration of an impossible combination, `_i0`, `_i1`, … (in declaration order), then one
    per decimal input read exactly (`view.guards`: a value with more decimals than the query
    reads). `view`: the query to read them from (the last part of a staged query), the whole
    query by default."""
    view = view or query_view(guideline)
    flags = tuple(f"_i{position}" for position in range(len(guideline.impossible)))
    flags += tuple(guard.flag for guard in view.guards)
    return _template().render(q=dataclasses.replace(
        view, outputs=('_row AS "row"', *flags), where=_any_refused(guideline, view.guards) or "FALSE"))


def render_view(view: QueryView) -> str:
    return _template().render(q=view)


def staged(view: QueryView, name: str = "_stage",
           limit: int | None = None) -> tuple[list[tuple[str, QueryView]], QueryView]:
    """The query split where its chain of steps is too long for one query: (table name, query)
    for each stage, whose result the engine keeps as a temporary table that the next stage
    reads, and the last part, which reads the last stage. A guideline of a thousand chained
    facts or tables is valid; the chain is what DuckDB cannot bind in one query. A query of at
    most `limit` steps comes back whole, with no stage."""
    limit = limit or MAX_STEPS_PER_QUERY
    steps, source = list(view.steps), "patients"
    stages: list[tuple[str, QueryView]] = []
    while len(steps) > limit:
        chunk, steps = _reading(steps[:limit], source), steps[limit:]
        source = f"{name}{len(stages) + 1}"
        stages.append((source, QueryView(view.guideline, tuple(chunk), chunk[-1].name, ("*",))))
    last = _reading(steps, source)
    return stages, dataclasses.replace(view, steps=tuple(last),
                                       last=last[-1].name if last else source)


def _reading(steps: list[Step], source: str) -> list[Step]:
    """`steps` with the first reading `source`."""
    return [dataclasses.replace(steps[0], source=source), *steps[1:]] if steps else []


def _outputs(guideline: ir.IRGuideline, tables: list[TableQuery],
             carry: Sequence[tuple[str, str]]) -> Iterator[str]:
    taken = {name.casefold(): name for name in (*RESERVED_COLUMNS, *(name for _, name in carry))}
    clash = [t.name for t in guideline.tables if t.name.casefold() in taken]
    if clash:
        raise SqlUnsupported(f"a table named `{clash[0]}` would share its column with the "
                             f"decision's own column `{taken[clash[0].casefold()]}` (SQL ignores "
                             "case); rename the table")
    errors = [error for t in tables for error in t.errors()]
    any_conflict = " OR ".join(flag for flag, _ in errors) or "FALSE"
    yield '_row AS "row"'
    for column, name in carry:
        yield f"{identifier(column)} AS {identifier(name)}"
    yield (f"CASE WHEN NOT _in_scope THEN 'out_of_scope' WHEN {any_conflict} THEN 'error' "
           "ELSE 'ok' END AS \"status\"")
    reason = (string_literal("outside the scope of this guideline: " + guideline.scope.description)
              if guideline.scope else "CAST(NULL AS VARCHAR)")
    yield f"CASE WHEN NOT _in_scope THEN {reason} END AS \"reason\""
    yield f"{_errors(errors, any_conflict)} AS \"errors\""
    for table in tables:
        yield f"CASE WHEN _in_scope THEN {table.result} END AS {identifier(table.table.name)}"
    if guideline.facts or guideline.computed or guideline.labels:
        fields = ", ".join(f"{string_literal(name)}: _f{position}"
                           for position, (name, _) in enumerate(evaluation_order(guideline)))
        yield f"{{{fields}}} AS \"derived\""


def _errors(errors: list[tuple[str, str]], any_error: str) -> str:
    """The errors (conflicts, no rule in a complete table) as JSON text
    (`[{"table": …, "kind": …, "rules": […], "message": …}]`), else NULL."""
    if not errors:
        return "CAST(NULL AS VARCHAR)"
    return f"CASE WHEN _in_scope AND ({any_error}) THEN {_json_list(errors)} END"


# ---- refs and conditions -------------------------------------------------------------------------


class Names:
    """The SQL column of each ref: inputs by their own (quoted) name, the rest by position; and
    the members of each set input, whose column is a bit mask (bit i: `members[i]`)."""

    def __init__(self, guideline: ir.IRGuideline) -> None:
        self.refs: dict[str, str] = {item.name: identifier(item.name) for item in guideline.inputs}
        # refs that may be NULL: single-hit outputs, sums…, and values that may be unknown (inputs
        # declared `or unknown`, Kleene facts, numbers with `unknown_when`): a test on one is
        # COALESCEd to FALSE, as the evaluators take every test on a missing value as false
        self.nullable: set[str] = {item.name for item in guideline.inputs if item.unknown}
        self.sets: dict[str, tuple[str, ...]] = {  # the sets carried as bit masks
            item.name: item.type.members for item in guideline.inputs if masked(item)}
        listed = {item.name for item in guideline.inputs
                  if item.type.kind == "set" and not masked(item)}
        self.members: dict[tuple[str, str], str] = {}  # (listed set, member) -> `_h` column
        self.exact: dict[str, Ratio] = {}  # what decimal facts read, as exact ratios (exact.py)
        self.decimal_facts: set[str] = set()  # compared exactly, with thresholds as written
        self.durations: dict[str, tuple[str, str]] = {}  # duration -> (days, months) columns
        for condition in conditions(guideline):
            for part in parts(condition):
                if isinstance(part, ir.SetTest) and part.ref in listed:
                    for member in part.members:
                        self.members.setdefault((part.ref, member), f"_h{len(self.members)}")

    def mask(self, ref: str, members: Sequence[str]) -> int:
        """The bit mask of `members` of the set input `ref`."""
        return sum(1 << self.sets[ref].index(member) for member in set(members))

    def duration_columns(self, guideline: ir.IRGuideline) -> Iterator[str]:
        """Each duration once per patient, in days and in completed calendar months; between
        dates and times, in seconds times MOMENT_SCALE (`moment_code`: the clock times' difference,
        less the offsets' when both ends have one, which checked rows have both or neither)."""
        for position, interval in enumerate(guideline.intervals):
            start, end = self.refs[interval.start], self.refs[interval.end]
            if interval.time:
                scale = MOMENT_SCALE
                yield (f"(({end} - {end} % {scale}) - ({start} - {start} % {scale}) - CASE WHEN "
                       f"{end} % {scale} = 0 THEN 0 ELSE {60 * scale} * ({end} % {scale} - "
                       f"{start} % {scale}) END) AS _d{position}")
                self.durations[interval.name] = (f"_d{position}", f"_d{position}")
                continue
            yield f"date_diff('day', {start}, {end}) AS _d{position}"
            yield f"{completed_months(start, end)} AS _m{position}"
            self.durations[interval.name] = (f"_d{position}", f"_m{position}")
            if interval.name in unknown_durations(guideline):  # NULL when a date is NULL: its
                self.refs[interval.name] = f"_d{position}"  # tests are guarded by IS NOT NULL

    def member_columns(self) -> Iterator[str]:
        for (ref, member), column in self.members.items():
            yield f"list_contains({self.refs[ref]}, {string_literal(member)}) AS {column}"


def _at_time(column: str, op: str, moment: str) -> str:
    """A date and time's code against a fixed date and time (its clock time as written): the
    clock time is at or after X exactly when the code is at least X's code without an offset,
    and before X + 1 second exactly when the code is below that one's."""
    at = clock.moment_number(clock.moment(moment)) * MOMENT_SCALE
    after = at + MOMENT_SCALE
    return {"<": f"({column} < {at})", ">=": f"({column} >= {at})",
            "<=": f"({column} < {after})", ">": f"({column} >= {after})",
            "==": f"({column} >= {at} AND {column} < {after})",
            "!=": f"({column} < {at} OR {column} >= {after})"}[op]


class Conditions:
    """IR conditions as SQL predicates that are TRUE or FALSE, never NULL."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def sql(self, condition: ir.Cond) -> str:
        match condition:
            case ir.Always():
                return "TRUE"
            case ir.IsSet(ref=ref):
                return f"({self.names.refs[ref]} IS NOT NULL)"
            case ir.Not(item=item):
                return f"(NOT {self.sql(item)})"
            case ir.AllOf(items=items):
                return self._chain(" AND ", items, "TRUE")
            case ir.AnyOf(items=items):
                return self._chain(" OR ", items, "FALSE")
            case ir.Compare() | ir.OneOf() | ir.SetTest():
                return self._test(condition)
            case ir.Elapsed(ref=ref, unit="seconds", op=op, amount=amount):
                seconds, _ = self.names.durations[ref]  # scaled by MOMENT_SCALE
                return (f"({seconds} {'<>' if op == '!=' else '=' if op == '==' else op} "
                        f"{amount * MOMENT_SCALE})")
            case ir.AtTime(ref=ref, op=op, moment=moment):
                test = _at_time(self.names.refs[ref], op, moment)
                return f"COALESCE({test}, FALSE)" if ref in self.names.nullable else test
            case ir.AtClock(ref=ref, op=op, clock=written):  # seconds since midnight
                since = clock.seconds_of_day(clock.time_of_day(written))
                sign = "<>" if op == "!=" else "=" if op == "==" else op
                test = f"({self.names.refs[ref]} {sign} {since})"
                return f"COALESCE({test}, FALSE)" if ref in self.names.nullable else test
            case ir.Elapsed(ref=ref, unit=unit, op=op, amount=amount):
                days, months = self.names.durations[ref]
                column = days if unit == "days" else months
                return f"({column} {'<>' if op == '!=' else '=' if op == '==' else op} {amount})"
            case ir.OnDay(ref=ref, op=op, day=day):  # a DATE literal: DuckDB and Spark SQL alike
                column = self.names.refs[ref]
                test = f"({column} {'<>' if op == '!=' else '=' if op == '==' else op} DATE '{day}')"
                return f"COALESCE({test}, FALSE)" if ref in self.names.nullable else test
        raise TypeError(f"not a condition: {condition!r}")

    def _chain(self, joiner: str, items: tuple[ir.Cond, ...], empty: str) -> str:
        """`(a AND b)`; an item that is the chain's neutral value (`TRUE` in AND) left out."""
        parts = [part for part in (self.sql(item) for item in items) if part != empty]
        absorbing = "FALSE" if empty == "TRUE" else "TRUE"
        if absorbing in parts:
            return absorbing
        if len(parts) == 1:
            return parts[0]
        return "(" + joiner.join(parts) + ")" if parts else empty

    def _test(self, condition: ir.Compare | ir.OneOf | ir.SetTest) -> str:
        test = self._plain_test(condition)
        if condition.ref not in self.names.nullable or test == "FALSE":
            return test
        if test == "TRUE":  # `none of` nothing: still false on a missing value
            return f"({self.names.refs[condition.ref]} IS NOT NULL)"
        return f"COALESCE({test}, FALSE)"  # a test on a missing value is false

    def _plain_test(self, condition: ir.Compare | ir.OneOf | ir.SetTest) -> str:
        if condition.ref in self.names.decimal_facts and not isinstance(condition, ir.SetTest):
            return exact_test(self.names.exact[condition.ref], condition)
        column = self.names.refs[condition.ref]
        if isinstance(condition, ir.SetTest) and condition.ref in self.names.sets:
            return _masked(column, condition.quantifier,
                           self.names.mask(condition.ref, condition.members))
        if isinstance(condition, ir.SetTest):  # a set of more members than a mask has bits
            held = [self.names.members.get((condition.ref, m)) for m in condition.members]
            if all(held):
                return _quantified(condition.quantifier, [h for h in held if h])
        return _atom(column, condition)


def may_be_unknown(fact: ir.IRFact | ir.IRComputed | ir.IRLabel) -> bool:
    """Whether a fact's column may be NULL: the fact is unknown for some patients."""
    if isinstance(fact, ir.IRFact):
        return fact.false_when is not None
    return fact.unknown_when is not None


def fact_sql(fact: ir.IRFact, names: Names) -> str:
    """A yes/no fact: TRUE or FALSE; one that may be unknown (Kleene's logic) TRUE when its
    condition holds, FALSE when its `false_when` does, NULL (unknown) otherwise."""
    conditions = Conditions(names)
    if fact.false_when is None:
        return conditions.sql(fact.condition)
    return (f"CASE WHEN {conditions.sql(fact.condition)} THEN TRUE "
            f"WHEN {conditions.sql(fact.false_when)} THEN FALSE END")


def unknown_sql(fact: ir.IRComputed | ir.IRLabel, names: Names) -> str | None:
    """When a computed number or a text fact is unknown (NULL), as SQL; None: it always has a
    value."""
    return None if fact.unknown_when is None else Conditions(names).sql(fact.unknown_when)


def label_sql(fact: ir.IRLabel, names: Names) -> str:
    """A text fact: its words, NULL where it is unknown (a part it joins is, or the condition of
    an `if` it chooses by)."""
    unknown = unknown_sql(fact, names)
    if unknown == "TRUE":
        return "CAST(NULL AS VARCHAR)"
    words = text_sql(fact.expr, names)
    return words if unknown is None else f"CASE WHEN {unknown} THEN NULL ELSE {words} END"


def text_sql(expr: ir.TextExpr, names: Names) -> str:
    """A text fact's words in SQL: authored text only as string literals (quotes doubled, control
    characters as `chr(n)`), joined with `||`; a member of an enumeration input is its name."""
    match expr:
        case ir.Quoted(text=text):
            return string_literal(text)
        case ir.Part(ref=ref):
            return names.refs[ref]
        case ir.Join(parts=parts):
            return "(" + " || ".join(text_sql(part, names) for part in parts) + ")"
        case ir.PickText(condition=condition, then=then, otherwise=otherwise):
            return (f"CASE WHEN {Conditions(names).sql(condition)} THEN {text_sql(then, names)} "
                    f"ELSE {text_sql(otherwise, names)} END")
    raise SqlUnsupported(f"no SQL for the text {expr!r}")


def number_sql(fact: ir.IRComputed, names: Names) -> str:
    """A whole-number fact in SQL, exact: whole numbers as DECIMAL(38, 0) (no engine rounds them,
    and no step overflows before 10**38), the fact itself a BIGINT. (A decimal fact is an
    ExactFact: the engines divide DECIMALs into DOUBLEs (DuckDB) or round them (Spark).)"""
    if fact.type.low is None or fact.type.high is None or max(
            abs(fact.type.low), abs(fact.type.high)) >= 2 ** 63:
        raise SqlUnsupported(f"`{fact.name}` can be larger than a BIGINT holds: declare the "
                             "ranges of the inputs it reads")
    unknown = unknown_sql(fact, names)
    if unknown == "TRUE":  # `10 + unknown`: always unknown
        return "CAST(NULL AS BIGINT)"
    number = f"CAST({_whole_number(fact.expr, names)} AS BIGINT)"
    return number if unknown is None else f"CASE WHEN {unknown} THEN NULL ELSE {number} END"


def _whole_number(expr: ir.NumExpr, names: Names) -> str:
    match expr:
        case ir.Num(text=text):
            return f"CAST({int(text)} AS DECIMAL(38, 0))"
        case ir.NoNumber():  # `unknown` in arithmetic: the fact's `unknown_when` holds here
            return "CAST(NULL AS DECIMAL(38, 0))"
        case ir.Read(ref=ref):
            return f"CAST({names.refs[ref]} AS DECIMAL(38, 0))"
        case ir.Neg(item=item):
            return f"(-{_whole_number(item, names)})"
        case ir.Calc(op="**", left=left, right=ir.Num(text=power)):
            base = _whole_number(left, names)
            return "(" + " * ".join([base] * int(power)) + ")" if int(power) else \
                "CAST(1 AS DECIMAL(38, 0))"
        case ir.Calc(op="**"):
            raise SqlUnsupported("a power whose exponent is computed (not a number written in the "
                                 "fact): the SQL back end writes powers as products; evaluate it "
                                 "with the generated Python module")
        case ir.Calc(op=op, left=left, right=right) if op in ("+", "-", "*"):
            return f"({_whole_number(left, names)} {op} {_whole_number(right, names)})"
        case ir.Pick(condition=condition, then=then, otherwise=otherwise):
            return (f"CASE WHEN {Conditions(names).sql(condition)} THEN "
                    f"{_whole_number(then, names)} ELSE {_whole_number(otherwise, names)} END")
    raise SqlUnsupported(f"no whole-number SQL for {expr!r}")


# ---- decimal numeric facts, exactly (exact.py) ----------------------------------------------------


EXACT_LIMITS = ("the cohort's SQL computes decimal facts exactly, within 38 digits (a shown value "
                "within 2**53): narrow the declared ranges, or evaluate with the generated Python "
                "module")


class ExactFact:
    """A decimal numeric fact: its exact value's columns (`_f0n`, `_f0d`), the value as shown,
    and the ratio that later facts and conditions read (from those columns)."""

    def __init__(self, fact: ir.IRComputed, position: int, refs: dict[str, Ratio],
                 condition: Callable[[ir.Cond], str], unknown: str | None = None) -> None:
        what = f"`{fact.name}`"
        try:
            value = ratio_of(fact.expr, refs, condition, what)
            self.shown = shown(dataclasses.replace(
                value, num=f"_f{position}n", den=value.den and f"_f{position}d"), what)
        except Overflow as error:
            raise SqlUnsupported(f"{error}; {EXACT_LIMITS}") from error
        self.value = value
        self.column_ratio = dataclasses.replace(value, num=f"_f{position}n",
                                                den=value.den and f"_f{position}d")
        self.position = position
        self.unknown = unknown  # when the fact is unknown (its columns NULL), as SQL

    def columns(self) -> tuple[str, ...]:
        columns = [f"{self._known(self.value.num)} AS _f{self.position}n"]
        if self.value.den is not None:
            columns.append(f"{self._known(self.value.den)} AS _f{self.position}d")
        return tuple(columns)

    def _known(self, value: str) -> str:
        if self.unknown is None:
            return value
        if self.unknown == "TRUE":
            return "CAST(NULL AS DECIMAL(38, 0))"
        return f"CASE WHEN {self.unknown} THEN NULL ELSE {value} END"


def whole_ratio(column: str, number_type: ir.IRType, name: str) -> Ratio:
    """An integer (an input's column or a whole-number fact's) as an exact ratio."""
    low, high = number_type.low, number_type.high
    if low is None or high is None:
        raise SqlUnsupported(f"`{name}` is read by a decimal computed fact and has no declared "
                             "range: declare one, so that the cohort's SQL can bound it exactly")
    return Ratio(f"CAST({column} AS DECIMAL(38, 0))", None, 0, int(low), int(high))


def exact_test(ratio: Ratio, condition: ir.Compare | ir.OneOf) -> str:
    """A test of a decimal fact, exact, with each threshold as written."""
    what = "a decimal fact"
    if isinstance(condition, ir.Compare):
        return compared(ratio, condition.op, condition.value, what)
    tests = [compared(ratio, "==", value, what) for value in condition.values
             if isinstance(value, int | float) and not isinstance(value, bool)]
    return tests[0] if len(tests) == 1 else "(" + " OR ".join(tests or ["FALSE"]) + ")"


def _decimal_inputs(guideline: ir.IRGuideline) -> list[ir.IRInput]:
    """The decimal inputs that decimal facts read, in declaration order."""
    read = {node.ref for fact in guideline.computed if fact.type.kind == "decimal"
            for node in _reads(fact.expr)}
    return [item for item in guideline.inputs if item.name in read and item.type.kind == "decimal"]


def _reads(expr: ir.NumExpr) -> Iterator[ir.Read]:
    match expr:
        case ir.Read():
            yield expr
        case ir.Neg(item=item):
            yield from _reads(item)
        case ir.Calc(left=left, right=right):
            yield from _reads(left)
            yield from _reads(right)
        case ir.Pick(then=then, otherwise=otherwise):
            yield from _reads(then)
            yield from _reads(otherwise)


def exact_guards(guideline: ir.IRGuideline, names: Names) -> tuple[Guard, ...] | None:
    """For a guideline with decimal facts: the decimal inputs they read, each with the most
    decimal places (one for all, at most each input's `input_scale`) for which every fact,
    its shown value and every comparison of it stay exact; the inputs' ratios go to `names`."""
    if not any(fact.type.kind == "decimal" for fact in guideline.computed):
        return None
    inputs = _decimal_inputs(guideline)
    for item in inputs:
        if item.type.low is None or item.type.high is None:
            raise SqlUnsupported(f"`{item.name}` is read by a decimal computed fact and has no "
                                 "declared range: declare one, so that the cohort's SQL can "
                                 "bound the fact exactly")
    ceilings = {item.name: input_scale(item) for item in inputs}
    floors = {item.name: decimals_written(item) for item in inputs}
    problem: Overflow | None = None
    for cap in range(max(ceilings.values(), default=0), -1, -1):
        scales = {name: min(ceiling, cap) for name, ceiling in ceilings.items()}
        short = next((name for name in scales if scales[name] < floors[name]), None)
        if short is not None:
            problem = Overflow(f"{problem} when `{short}` is read to the {floors[short]} decimal "
                               "places its declared bounds or default have")
            break
        guards = tuple(Guard(item.name, names.refs[item.name], scales[item.name], f"_x{p}",
                             f"_xg{p}", item.unknown) for p, item in enumerate(inputs))
        try:
            refs = _exact_refs(guideline, names, guards)
            _rehearse(guideline, refs)
        except Overflow as error:
            problem = error
            continue
        names.exact.update(refs)
        return guards
    raise SqlUnsupported(f"{problem or 'a decimal fact cannot be computed exactly'}; {EXACT_LIMITS}")


def _exact_refs(guideline: ir.IRGuideline, names: Names, guards: Sequence[Guard]) -> dict[str, Ratio]:
    """The inputs decimal facts read, as exact ratios: decimal ones scaled by their guard."""
    refs: dict[str, Ratio] = {}
    scaled = {guard.name: guard for guard in guards}
    read = {node.ref for fact in guideline.computed if fact.type.kind == "decimal"
            for node in _reads(fact.expr)}
    for item in guideline.inputs:
        guard = scaled.get(item.name)
        if guard is not None:
            assert item.type.low is not None and item.type.high is not None
            factor = 10 ** guard.scale
            low = math.floor(Fraction(repr(float(item.type.low))) * factor)
            high = math.ceil(Fraction(repr(float(item.type.high))) * factor)
            refs[item.name] = Ratio(guard.number, None, -guard.scale, low, high)
        elif item.type.kind == "integer" and item.name in read:
            refs[item.name] = whole_ratio(names.refs[item.name], item.type, item.name)
    return refs


def _rehearse(guideline: ir.IRGuideline, refs: dict[str, Ratio]) -> None:
    """Every decimal fact and every comparison of one, for their bounds only (raises Overflow)."""
    rehearsed = dict(refs)
    for position, (name, fact) in enumerate(evaluation_order(guideline)):
        if not isinstance(fact, ir.IRComputed):
            continue
        if fact.type.kind != "decimal":
            if fact.type.low is not None and fact.type.high is not None:
                rehearsed[name] = whole_ratio(f"_f{position}", fact.type, name)
            continue
        value = ratio_of(fact.expr, rehearsed, lambda _: "TRUE", f"`{name}`")
        rehearsed[name] = dataclasses.replace(value, num=f"_f{position}n",
                                              den=value.den and f"_f{position}d")
        shown(rehearsed[name], f"`{name}`")
    for condition in conditions(guideline):
        for part in parts(condition):
            if isinstance(part, ir.Compare | ir.OneOf) and part.ref in rehearsed \
                    and _is_decimal_fact(guideline, part.ref):
                exact_test(rehearsed[part.ref], part)


def _is_decimal_fact(guideline: ir.IRGuideline, name: str) -> bool:
    return any(fact.name == name and fact.type.kind == "decimal" for fact in guideline.computed)


def completed_months(start: str, end: str) -> str:
    """semantics/calendar.py's `months` in SQL: completed calendar months, a month completed on
    the same day of a later month or on the last day of a shorter one; negative backwards."""
    def forward(a: str, b: str) -> str:
        return (f"((year({b}) - year({a})) * 12 + month({b}) - month({a}) - CASE WHEN "
                f"day({b}) < day({a}) AND {b} <> last_day({b}) THEN 1 ELSE 0 END)")
    return f"CASE WHEN {end} >= {start} THEN {forward(start, end)} ELSE -{forward(end, start)} END"


def _atom(column: str, condition: ir.Compare | ir.OneOf | ir.SetTest) -> str:
    match condition:
        case ir.Compare(op=op, value=value):
            return f"({column} {'<>' if op == '!=' else '=' if op == '==' else op} {literal(value)})"
        case ir.OneOf(values=values):
            if len(values) == 1 and isinstance(values[0], bool):
                return column if values[0] else f"(NOT {column})"
            if len(values) == 1:
                return f"({column} = {literal(values[0])})"
            return f"({column} IN ({', '.join(literal(v) for v in values)}))"
        case ir.SetTest(quantifier=quantifier, members=members):
            return _quantified(quantifier, [f"list_contains({column}, {string_literal(m)})"
                                            for m in members])
    raise TypeError(f"not a test: {condition!r}")


def _masked(column: str, quantifier: str, mask: int) -> str:
    """A test of a set input's bit mask: any member of `mask` held, none, or all."""
    if not mask:  # `any of` nothing is false, `none of` / `all of` nothing true
        return "FALSE" if quantifier == "any" else "TRUE"
    held = f"({column} & {mask})"
    if quantifier == "all":
        return f"({held} = {mask})"
    return f"({held} {'<>' if quantifier == 'any' else '='} 0)"


def _quantified(quantifier: str, has: list[str]) -> str:
    """any: one of the memberships holds; none: no one does; all: every one does."""
    if quantifier == "all":
        return has[0] if len(has) == 1 else "(" + " AND ".join(has) + ")"
    found = has[0] if len(has) == 1 else "(" + " OR ".join(has) + ")"
    return found if quantifier == "any" else f"(NOT {found})"


# ---- one table -----------------------------------------------------------------------------------


class TableQuery:
    """The columns that decide one table: each rule's match, then the hit policy's result."""

    def __init__(self, table: ir.IRTable, number: int, names: Names, read: set[str]) -> None:
        self.read = read  # the refs that conditions read: a result no one reads is not published
        self.table = table
        self.number = number
        self.names = names
        self.prefix = f"_t{number}"
        self.rank = rank_order(table)
        self.result = ""  # the result column's expression, set by result_columns
        self.conflict: str | None = None  # the conflict as JSON text, for unique and any

    def match(self, position: int) -> str:
        return f"{self.prefix}_m{position}"

    def errors(self) -> list[tuple[str, str]]:
        """(the column that flags the error, the error as JSON text), in the interpreter's order:
        a conflict, or no rule of a complete table (never both: a conflict needs two rules)."""
        found = [(f"{self.prefix}_x", self.conflict)] if self.conflict is not None else []
        if self.table.complete:
            error = {"table": self.table.name, "kind": "no_rule", "rules": [],
                     "message": f"no rule of table {self.table.name} matches, "
                                "but the table is declared complete"}
            found.append((f"{self.prefix}_g", string_literal(json.dumps(error, ensure_ascii=False))))
        return found

    def _no_rule(self) -> Iterator[str]:
        """For a complete table, whether no rule matches (an error, as in the interpreter)."""
        if self.table.complete:
            matches = " OR ".join(self.match(p) for p in range(len(self.table.rules))) or "FALSE"
            yield f"(NOT ({matches})) AS {self.prefix}_g"

    def match_columns(self) -> Iterator[str]:
        conditions = Conditions(self.names)
        for position, rule in enumerate(self.table.rules):
            yield f"{conditions.sql(ir.AllOf(rule.tests))} AS {self.match(position)}"

    def result_columns(self) -> Iterator[str]:
        yield from self._no_rule()
        kind = self.table.result_kind
        if kind == "number":
            yield from self._number()
        elif kind == "list":
            yield from self._list()
        else:
            yield from self._single()

    # ---- one row: unique, any, first, priority

    def _single(self) -> Iterator[str]:
        chosen = f"{self.prefix}_c"
        hit = self.table.hit
        order = self.rank if hit == "priority" else list(range(len(self.table.rules)))
        first_match = _first_of([(self.match(p), str(p)) for p in order])
        if hit in ("unique", "any"):
            conflict = self._unique_conflict() if hit == "unique" else self._any_conflict()
            yield f"{conflict} AS {self.prefix}_x"
            yield f"CASE WHEN NOT {self.prefix}_x THEN {first_match} END AS {chosen}"
            self.conflict = self._error_json()
        else:
            yield f"{first_match} AS {chosen}"
        self.result = chosen  # the chosen rule's position (NULL: none)
        for index, output in enumerate(self.table.outputs):
            if f"{self.table.name}.{output.name}" not in self.read:
                continue
            values = [(str(p), literal(rule.outputs[index], output.type.kind))
                      for p, rule in enumerate(self.table.rules)]
            yield f"{_case_of(chosen, values)} AS {self.prefix}_o{index}"

    def _unique_conflict(self) -> str:
        count = balanced_sum([f"CASE WHEN {self.match(p)} THEN 1 ELSE 0 END"
                        for p in range(len(self.table.rules))])
        return f"({count} > 1)"

    def _any_conflict(self) -> str:
        groups: dict[tuple[ir.Scalar | None, ...], list[int]] = {}
        for position, rule in enumerate(self.table.rules):
            groups.setdefault(rule.outputs, []).append(position)
        count = balanced_sum([
            "CASE WHEN " + " OR ".join(self.match(p) for p in members) + " THEN 1 ELSE 0 END"
            for members in groups.values()])
        return f"({count} > 1)"

    def _error_json(self) -> str:
        """`{"table": …, "kind": "conflict", "rules": [the matched rules], "message": "rules A, B
        all match, …"}` as
        JSON text; each name enters it as JSON writes it (quoted in the list, escaped in the
        message)."""
        suffix = (" all match, but a unique table allows only one" if self.table.hit == "unique"
                  else " match with different outputs, but an any table needs them to agree")
        table = json.dumps(self.table.name, ensure_ascii=False)
        quoted = self._matched_names(lambda name: json.dumps(name, ensure_ascii=False))
        inner = self._matched_names(_json_inner)
        parts = [string_literal('{"table": ' + table + ', "kind": "conflict", "rules": ['), quoted,
                 string_literal('], "message": "rules '), inner,
                 string_literal(_json_inner(suffix) + '"}')]
        return "(" + " || ".join(parts) + ")"

    def _matched_names(self, spell: Callable[[str], str]) -> str:
        """The names of the rules that match, each as `spell` writes it, joined by `, `."""
        return "concat_ws(', ', " + ", ".join(
            f"CASE WHEN {self.match(p)} THEN {string_literal(spell(rule.name))} END"
            for p, rule in enumerate(self.table.rules)) + ")"

    # ---- a list of rows: collect, rule order, output order

    def _list(self) -> Iterator[str]:
        kept = self._kept()
        for position in self.rank:
            yield f"{kept[position]} AS {self.prefix}_k{position}"
        self.result = _rules_in_list([(f"{self.prefix}_k{p}", p) for p in self.rank])
        for index, output in enumerate(self.table.outputs):
            if f"{self.table.name}.{output.name}" not in self.read:
                continue
            values = [(f"{self.prefix}_k{p}", literal(self.table.rules[p].outputs[index],
                                                     output.type.kind))
                      for p in self.rank if self.table.rules[p].outputs[index] is not None]
            yield (f"{_present_list(values, SQL_TYPES[output.type.kind])} "
                   f"AS {self.prefix}_o{index}")

    def _kept(self) -> dict[int, str]:
        """Each rule's row is in the list when it matches and, under `distinct by`, no rule before
        it (in the list's order) with the same distinct outputs matches."""
        positions = {o.name: i for i, o in enumerate(self.table.outputs)}
        by = [positions[name] for name in self.table.distinct_by]
        kept: dict[int, str] = {}
        for place, position in enumerate(self.rank):
            identity = [self.table.rules[position].outputs[i] for i in by]
            earlier = [self.match(q) for q in self.rank[:place]
                       if by and [self.table.rules[q].outputs[i] for i in by] == identity]
            kept[position] = (self.match(position) if not earlier else
                              f"({self.match(position)} AND NOT ({' OR '.join(earlier)}))")
        return kept

    # ---- a number: collect sum, min, max, count

    def _number(self) -> Iterator[str]:
        rules = self.table.rules
        kind = self.table.outputs[0].type.kind
        present = [(self.match(p), rule.outputs[0]) for p, rule in enumerate(rules)
                   if rule.outputs[0] is not None]
        aggregate = self.table.aggregate
        if aggregate == "count":
            by_value: dict[ir.Scalar, list[str]] = {}
            for match, value in present:
                by_value.setdefault(value, []).append(match)
            terms = [f"CASE WHEN {' OR '.join(ms)} THEN 1 ELSE 0 END" for ms in by_value.values()]
            number = balanced_sum(terms)
        elif aggregate in ("min", "max"):
            cases = [f"CASE WHEN {m} THEN {literal(v, kind)} END" for m, v in present]
            function = "LEAST" if aggregate == "min" else "GREATEST"
            number = (f"{function}({', '.join(cases)})" if len(cases) > 1 else
                      cases[0] if cases else f"CAST(NULL AS {SQL_TYPES[kind]})")
        else:
            number = _sum(present, kind)
        self.result = f"{self.prefix}_n"
        yield f"{number} AS {self.prefix}_n"

    # ---- what later tables read

    def publish(self) -> None:
        name = self.table.name
        if self.table.result_kind == "number":
            self.names.refs[name] = f"{self.prefix}_n"
            if self.table.aggregate != "count":
                self.names.nullable.add(name)
            return
        for index, output in enumerate(self.table.outputs):
            ref = f"{name}.{output.name}"
            self.names.refs[ref] = f"{self.prefix}_o{index}"
            if self.table.result_kind == "single":
                self.names.nullable.add(ref)


def result_encoding(table: ir.IRTable) -> str:
    """How a table's result is held in a cohort row (docs/cohort.md): `number` (the number),
    `rule` (the position of the chosen rule, NULL for none), `mask` (a list: bit p set when the
    rule at position p is in it) or `rules` (a list of more rules than a mask has bits: the
    positions, in the list's order)."""
    if table.result_kind == "number":
        return "number"
    if table.result_kind != "list":
        return "rule"
    return "mask" if len(table.rules) <= MASK_BITS else "rules"


def cohort_tables(guideline: ir.IRGuideline) -> dict[str, dict[str, object]]:
    """What a cohort row's rule positions stand for, by table (the part of a result that does not
    depend on the patient, written once in the decisions file's metadata): the encoding, the order
    of a list's rows (positions), and each rule's row: its outputs by name, its name, and what it
    cites (docs/decision.md: evidence, refs, caveats)."""
    return {table.name: {
        "result": result_encoding(table),
        "order": rank_order(table) if table.result_kind == "list" else [],
        "rules": [{"outputs": {o.name: v for o, v in zip(table.outputs, rule.outputs, strict=True)},
                   "rule": rule.name, "evidence": list(rule.evidence), "refs": list(rule.refs),
                   "caveats": list(rule.caveats)} for rule in table.rules]}
        for table in guideline.tables}


def rank_order(table: ir.IRTable) -> list[int]:
    """Rule positions in the order of a list result or a priority choice (docs/decision.md):
    by `order by`, then by output priority (priority and output order), then by position."""
    positions = {o.name: i for i, o in enumerate(table.outputs)}
    by_priority = table.hit in RANKED_POLICIES

    def key(position: int) -> tuple[object, ...]:
        rule = table.rules[position]
        ordered = tuple(_rank(table.outputs[positions[n]], rule.outputs[positions[n]])
                        for n in table.order_by)
        priority = tuple(_rank(o, v) for o, v in zip(table.outputs, rule.outputs, strict=True)
                         if o.type.kind == "enum") if by_priority else ()
        return (ordered, priority, position)

    return sorted(range(len(table.rules)), key=key)


def _rank(output: ir.IROutput, value: ir.Scalar | None) -> tuple[int, object]:
    if value is None:
        return (1, 0)
    if output.type.kind == "enum":
        return (0, output.type.members.index(str(value)))
    return (0, value)


def _first_of(cases: list[tuple[str, str]]) -> str:
    """`CASE WHEN a THEN x WHEN b THEN y END`: the first that holds, else NULL."""
    if not cases:
        return "CAST(NULL AS INTEGER)"
    return "CASE " + " ".join(f"WHEN {c} THEN {v}" for c, v in cases) + " END"


def _case_of(subject: str, cases: list[tuple[str, str]]) -> str:
    """`CASE subject WHEN 0 THEN x … END`."""
    if not cases:
        return "NULL"
    return f"CASE {subject} " + " ".join(f"WHEN {k} THEN {v}" for k, v in cases) + " END"


def balanced_sum(terms: list[str]) -> str:
    """`(a + b + c)` grouped as a balanced tree, `((a + b) + (c + d))`: SQL parses `+` two
    operands at a time, so a flat sum over a thousand rules is a thousand levels deep, past
    what DuckDB accepts (1,000); balanced, it is ten. AND and OR lists stay flat: the parser
    reads them as one list."""
    if not terms:
        return "0"
    while len(terms) > 2:
        terms = [f"({' + '.join(terms[i:i + 2])})" if i + 1 < len(terms) else terms[i]
                 for i in range(0, len(terms), 2)]
    return f"({' + '.join(terms)})"


def _json_list(items: list[tuple[str, str]]) -> str:
    """A JSON array of the JSON texts whose condition holds, in order (concat_ws skips NULLs)."""
    if not items:
        return "'[]'"
    cases = ", ".join(f"CASE WHEN {c} THEN {v} END" for c, v in items)
    return f"('[' || concat_ws(', ', {cases}) || ']')"


def _rules_in_list(kept: list[tuple[str, int]]) -> str:
    """The rules in a list result: a BIGINT bit mask (bit p: the rule at position p is in the
    list), or, past MASK_BITS rules, their positions in the list's order."""
    if len(kept) > MASK_BITS:
        cases = ", ".join(f"CASE WHEN {c} THEN {p} END" for c, p in kept)
        return f"list_filter([{cases}], lambda x: x IS NOT NULL)"
    bits = " + ".join(f"CASE WHEN {c} THEN {1 << p} ELSE 0 END" for c, p in sorted(
        kept, key=lambda item: item[1])) or "0"
    return f"CAST(({bits}) AS BIGINT)"


def _json_inner(text: str) -> str:
    """Text as it stands inside a JSON string (escaped, without the quotes)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _present_list(items: list[tuple[str, str]], element_type: str | None) -> str:
    """The list of the values whose condition holds, in order."""
    if not items:
        return f"CAST([] AS {element_type or 'VARCHAR'}[])"
    cases = ", ".join(f"CASE WHEN {c} THEN {v} END" for c, v in items)
    return f"list_filter([{cases}], lambda x: x IS NOT NULL)"


def _sum(present: list[tuple[str, ir.Scalar]], kind: str) -> str:
    """collect sum: integers exactly in SQL; decimals as the correctly rounded sum (math.fsum)
    of the matched values, one precomputed number per set of matched rules."""
    if not present:
        return f"CAST(NULL AS {SQL_TYPES[kind]})"
    if kind != "decimal":
        any_match = " OR ".join(m for m, _ in present)
        terms = balanced_sum([f"CASE WHEN {m} THEN {literal(v)} ELSE 0 END" for m, v in present])
        return f"CASE WHEN {any_match} THEN CAST({terms} AS BIGINT) END"
    if len(present) > MAX_EXACT_SUM_RULES:
        raise SqlUnsupported(
            f"a `collect sum` of decimals over {len(present)} rules: SQL adds doubles one by one, "
            f"which can differ from the correctly rounded sum that mmdsl gives, and more than "
            f"{MAX_EXACT_SUM_RULES} rules are too many to precompute; use the Python evaluator")
    mask = " + ".join(f"CASE WHEN {m} THEN {1 << i} ELSE 0 END" for i, (m, _) in enumerate(present))
    sums = []
    for bits in range(1, 1 << len(present)):
        chosen = [float(v) for i, (_, v) in enumerate(present) if bits >> i & 1]
        sums.append(f"WHEN {bits} THEN {_double(math.fsum(chosen))}")
    return f"CASE {mask} {' '.join(sums)} END"
