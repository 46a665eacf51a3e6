"""Checking patients' rows in SQL: the typed value of each input, and whether the row is plain.

A row is *plain* when every input is given with exactly the expected type and a valid value, so
that the rules of docs/decision.md certainly accept it; its typed values (a set as its bit mask,
docs/cohort.md) then go straight into the decision query. A row that is not plain is not refused
here: it is read back into Python and checked by the evaluator's own validation (`rows.py`), which
either accepts it (with the very same values) or names every problem. The SQL check therefore only
has to be sound (never call plain a row the evaluator would refuse, never give a different value);
it may be cautious.

How a column holds each type (docs/cohort.md):
- Parquet: BOOLEAN; any integer type; DOUBLE or FLOAT (and integers) for decimals; VARCHAR for
  text and members; a list of VARCHAR for sets. NULL means "not given".
- CSV: every cell is text: `true`/`false`, numbers as JSON writes them, sets as JSON arrays of
  names (`["daratumumab", "pomalidomide"]`, `[]`); an empty cell means "not given".
For an input declared `or unknown`, NULL (an empty CSV cell) is the unknown value instead, a valid
row, as `null` is for the evaluator; its default, if it has one, applies when there is no column.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmdsl.backends.sql import (
    MOMENT_SCALE,
    OFFSET_CODE,
    balanced_sum,
    identifier,
    input_type,
    list_literal,
    literal,
    masked,
    string_literal,
)
from mmdsl.ir import model as ir

INTEGER_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                           "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"})
FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})
EXACT_IN_DOUBLE = 2 ** 53  # an integer beyond this may not survive the way to a double
JSON_SPACE = r"[ \t\n\r]*"
JSON_NAME = r'"[^"\\\x00-\x1f]*"'
JSON_NAMES = rf"\[{JSON_SPACE}({JSON_NAME}{JSON_SPACE}(,{JSON_SPACE}{JSON_NAME}{JSON_SPACE})*)?\]"
JSON_INTEGER = r"-?(0|[1-9][0-9]{0,17})"
JSON_NUMBER = r"-?(0|[1-9][0-9]{0,99})(\.[0-9]+)?([eE][+-]?[0-9]+)?"
DATE_TEXT = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}"  # year 1 on
CLOCK_TEXT = r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"  # DuckDB reads 24:00 as the next day
TIME_OF_DAY_TEXT = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"  # 00:00 to 23:59:59
OFFSET_TEXT = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
TIMESTAMP_TYPES = frozenset({"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"})


@dataclass(frozen=True, slots=True)
class Checked:
    """One input in SQL: its typed value (on plain rows), and when that value is plain."""

    value: str
    plain: str
    prepared: tuple[str, ...] = ()  # `expression AS name`: computed once, before value and plain


def checked_input(item: ir.IRInput, column_type: str | None, text_cells: bool) -> Checked:
    """The checks of one input whose column has `column_type` (None: there is no column)."""
    if column_type is None:
        if item.required:
            return Checked("NULL", "FALSE")
        return Checked(_default(item), "TRUE")
    column = identifier(item.name)
    given = _text_cell(item, column) if text_cells else _typed_cell(item, column, column_type)
    if item.unknown:  # NULL: the unknown value (a wrong type: only its NULLs can be plain)
        if given is None:
            return Checked(f"CAST(NULL AS {input_type(item)})", f"({column} IS NULL)")
        return Checked(f"CASE WHEN {column} IS NOT NULL THEN {given.value} END",
                       f"({column} IS NULL OR {given.plain})", given.prepared)
    if given is None:  # a column of the wrong type: only its empty cells can be plain
        return Checked(_default(item) if not item.required else "NULL",
                       "FALSE" if item.required else f"({column} IS NULL)")
    if item.required:
        return Checked(given.value, f"({column} IS NOT NULL AND {given.plain})", given.prepared)
    return Checked(f"CASE WHEN {column} IS NULL THEN {_default(item)} ELSE {given.value} END",
                   f"({column} IS NULL OR {given.plain})", given.prepared)


def _default(item: ir.IRInput) -> str:
    if item.type.kind == "set":
        members = [str(m) for m in item.default] if isinstance(item.default, list) else []
        if not masked(item):
            return list_literal([string_literal(m) for m in members], "VARCHAR")
        return f"CAST({set_mask(item, members)} AS BIGINT)"
    value = item.default
    assert not isinstance(value, list | dict)
    return literal(value, item.type.kind)


def _typed_cell(item: ir.IRInput, column: str, column_type: str) -> Checked | None:
    kind = item.type.kind
    if kind == "bool":
        return Checked(column, "TRUE") if column_type == "BOOLEAN" else None
    if kind == "integer" and column_type in INTEGER_TYPES:
        return Checked(f"TRY_CAST({column} AS BIGINT)",
                       _within(column, item.type, -(2 ** 63), 2 ** 63 - 1))
    if kind == "decimal" and column_type in FLOAT_TYPES:
        double = f"CAST({column} AS DOUBLE)"
        return Checked(double, f"(isfinite({double}) AND {_within(double, item.type)})")
    if kind == "decimal" and column_type in INTEGER_TYPES:
        return Checked(f"TRY_CAST({column} AS DOUBLE)",
                       _within(column, item.type, -EXACT_IN_DOUBLE, EXACT_IN_DOUBLE))
    if kind in ("text", "enum") and column_type == "VARCHAR":
        return Checked(column, _member(column, item) if kind == "enum" else "TRUE")
    if kind == "set" and column_type == "VARCHAR[]":
        if not masked(item):
            return Checked(column, _set_plain(column, item))
        mask = identifier(f"_mask:{item.name}")  # computed once, read by value and check
        checked = _set(column, item, mask)
        return Checked(mask, checked.plain, (f"{checked.value} AS {mask}",))
    if kind == "date" and column_type == "DATE":
        return Checked(column, f"({column} >= DATE '0001-01-01' AND {column} <= DATE '9999-12-31')")
    if kind == "date" and column_type == "VARCHAR":
        return _date_text(column)
    if kind == "datetime" and column_type in TIMESTAMP_TYPES:  # a clock time, without an offset
        # (a TIMESTAMP WITH TIME ZONE is an instant: Python reads it, with its offset)
        return Checked(f"({_clock_seconds(column)} * {MOMENT_SCALE})",
                       f"({column} = date_trunc('second', {column}) AND "
                       f"{column} >= TIMESTAMP '0001-01-01 00:00:00' AND "
                       f"{column} < TIMESTAMP '10000-01-01 00:00:00')")
    if kind == "datetime" and column_type == "VARCHAR":
        return _moment_text(column)
    if kind == "time" and column_type == "VARCHAR":
        return _clock_text(column)
    return None  # a TIME column too: Python reads it (a fraction of a second is refused)


def _clock_seconds(timestamp: str) -> str:
    """The seconds of a TIMESTAMP from 0001-01-01 (`moment_number`, semantics/clock.py)."""
    return f"(date_diff('second', TIMESTAMP '0001-01-01 00:00:00', {timestamp}) + 86400)"


def _moment_text(column: str) -> Checked:
    """A date and time written as the facts write it (runtime/prelude.py) that exists, as its
    moment code (backends/sql `moment_code`): the clock time (16 characters, or 19 with
    seconds) and the offset after it, none, `Z` or `+01:00`."""
    shaped = f"regexp_full_match({column}, {string_literal(DATE_TEXT + CLOCK_TEXT + OFFSET_TEXT)})"
    length = f"CASE WHEN substr({column}, 17, 1) = ':' THEN 19 ELSE 16 END"
    stamp = f"TRY_CAST(replace(substr({column}, 1, {length}), 'T', ' ') AS TIMESTAMP)"
    rest = f"substr({column}, {length} + 1)"
    minutes = (f"(CASE WHEN substr({rest}, 1, 1) = '-' THEN -1 ELSE 1 END * "
               f"(CAST(substr({rest}, 2, 2) AS BIGINT) * 60 + CAST(substr({rest}, 5, 2) AS BIGINT)))")
    code = f"CASE {rest} WHEN '' THEN 0 WHEN 'Z' THEN {OFFSET_CODE} ELSE {minutes} + {OFFSET_CODE} END"
    return Checked(f"CASE WHEN {shaped} THEN {_clock_seconds(stamp)} * {MOMENT_SCALE} + {code} END",
                   f"CASE WHEN {shaped} THEN {stamp} IS NOT NULL ELSE FALSE END")


def _clock_text(column: str) -> Checked:
    """A time of day written as the facts write it (runtime/prelude.py), `14:30` or `14:30:05`,
    that exists and has no offset, as its seconds since midnight (backends/sql `clock_code`)."""
    shaped = f"regexp_full_match({column}, {string_literal(TIME_OF_DAY_TEXT)})"
    seconds = (f"(CAST(substr({column}, 1, 2) AS BIGINT) * 3600 + "
               f"CAST(substr({column}, 4, 2) AS BIGINT) * 60 + "
               f"CASE WHEN length({column}) = 8 THEN CAST(substr({column}, 7, 2) AS BIGINT) "
               "ELSE 0 END)")
    return Checked(f"CASE WHEN {shaped} THEN {seconds} END", f"COALESCE({shaped}, FALSE)")


def same_offsets(guideline: ir.IRGuideline, checks: dict[str, Checked]) -> list[str]:
    """A row is plain only when the two ends of each duration between dates and times both
    have an offset or neither has (the evaluator names the other rows' problem)."""
    found = []
    for item in guideline.inputs:
        for other in item.offset_with:
            one, two = checks[item.name].value, checks[other].value
            found.append(f"COALESCE((({one}) % {MOMENT_SCALE} = 0) = (({two}) % {MOMENT_SCALE} = 0), "
                         "TRUE)")
    return found


def _date_text(column: str) -> Checked:
    """A date written year-month-day that exists (TRY_CAST gives NULL for 2024-02-30)."""
    date = f"TRY_CAST({column} AS DATE)"
    shaped = f"regexp_full_match({column}, {string_literal(DATE_TEXT)})"
    return Checked(f"CASE WHEN {shaped} THEN {date} END",
                   f"CASE WHEN {shaped} THEN {date} IS NOT NULL ELSE FALSE END")


def _text_cell(item: ir.IRInput, column: str) -> Checked:
    """A CSV cell (text): the value it spells, when it spells one plainly."""
    kind = item.type.kind
    if kind == "bool":
        return Checked(f"({column} = 'true')", f"({column} IN ('true', 'false'))")
    if kind == "integer":
        number = f"TRY_CAST({column} AS BIGINT)"
        return Checked(number, f"(regexp_full_match({column}, {string_literal(JSON_INTEGER)}) "
                               f"AND {_within(number, item.type)})")
    if kind == "decimal":
        number = f"TRY_CAST({column} AS DOUBLE)"
        return Checked(number, f"(regexp_full_match({column}, {string_literal(JSON_NUMBER)}) "
                               f"AND isfinite({number}) AND {_within(number, item.type)})")
    if kind in ("text", "enum"):
        return Checked(column, _member(column, item) if kind == "enum" else "TRUE")
    if kind == "date":
        return _date_text(column)
    if kind == "datetime":
        return _moment_text(column)
    if kind == "time":
        return _clock_text(column)
    # CASE, not AND: the cast must run only on cells that are such arrays
    names = f"CAST(json({column}) AS VARCHAR[])"
    shaped = f"regexp_full_match({column}, {string_literal(JSON_NAMES)})"
    checked = _set(names, item) if masked(item) else Checked(names, _set_plain(names, item))
    return Checked(f"CASE WHEN {shaped} THEN {checked.value} END",
                   f"CASE WHEN {shaped} THEN {checked.plain} ELSE FALSE END")


def _within(value: str, value_type: ir.IRType, low: int | None = None,
            high: int | None = None) -> str:
    """`value` within the input's bounds (and within `low`..`high`, what the type can carry)."""
    parts = [f"{value} IS NOT NULL"]
    for bound, op in ((value_type.low, ">="), (low, ">="), (value_type.high, "<="), (high, "<=")):
        if bound is not None:
            kind = "decimal" if isinstance(bound, float) else "integer"
            parts.append(f"{value} {op} {literal(bound, kind)}")
    return "(" + " AND ".join(parts) + ")"


def _member(value: str, item: ir.IRInput) -> str:
    members = ", ".join(string_literal(m) for m in item.type.members)
    return f"({value} IN ({members}))"


def _set_plain(value: str, item: ir.IRInput) -> str:
    """Every item a member, none twice (nor NULL): as many items as members the list contains.
    (One `list_contains` per member is several times faster in DuckDB than `list_has_all` and
    `list_unique`.)"""
    held = balanced_sum([f"CASE WHEN list_contains({value}, {string_literal(m)}) THEN 1 ELSE 0 END"
                         for m in item.type.members])  # balanced: thousands of members nest
    return f"({value} IS NOT NULL AND len({value}) = {held})"


def set_mask(item: ir.IRInput, members: list[str]) -> int:
    """The bit mask of a set input's value: bit i for the i-th member of its type."""
    return sum(1 << item.type.members.index(member) for member in set(members))


def _set(value: str, item: ir.IRInput, mask_column: str | None = None) -> Checked:
    """A list of names as the set's bit mask, each item looked up once (one CASE per item, not
    one `list_contains` per member); plain when every item is a member and none is there twice
    (nor NULL): then the mask has as many bits as the list has items. With `mask_column`, the
    mask is computed once into that column (Checked.prepared) and the check reads it there."""
    members = item.type.members
    bits = " ".join(f"WHEN {string_literal(m)} THEN CAST({1 << i} AS BIGINT)"
                    for i, m in enumerate(members))
    mask = (f"COALESCE(list_aggregate(list_transform({value}, lambda x: CASE x {bits} END), "
            f"'bit_or'), CAST(0 AS BIGINT))") if members else "CAST(0 AS BIGINT)"
    counted = mask_column or mask  # the plain test reads the mask's column when there is one
    return Checked(mask, f"({value} IS NOT NULL AND bit_count({counted}) = len({value}))")
