"""Completion: what may be written where the cursor is.

In a row of a table, the column under the cursor decides: the members of its enumeration (and
the class names after `any of`), `yes`/`no`, the values of an output, the evidence or caveat
names, and `unknown`/`not unknown` where the column's value may be unknown; in the header, the
inputs, facts and tables a column may read. Elsewhere: a statement keyword at the start of a line,
`or unknown` after an input's type, a table's clauses, the values a worked example may give an
input (`unknown` when it is declared `or unknown`), or the names a condition may read (`unknown`
after `NAME is` when NAME may be unknown). `unknown` is offered only where MD320 would
not refuse it.

While a row is half written its table may not parse; the server then passes the symbols of the
last version that did (`fallback`), so the columns are still known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types

from mmdsl.lsp.analysis import Analysis
from mmdsl.lsp.features import cursor
from mmdsl.lsp.index import column_kinds, enum_of
from mmdsl.semantics.symbols import ANNOTATION_COLUMNS, RULE_COLUMN, Symbols, TableInfo
from mmdsl.semantics.types import BoolT, EnumT, SetT, ValueType
from mmdsl.syntax.parser import STATEMENT_KEYWORDS

Kind = types.CompletionItemKind
TABLE_CLAUSES = ("hit first", "hit unique", "hit any", "hit priority", "hit collect", "output",
                 "order by", "distinct by", "complete", "requires evidence")
CONDITION_WORDS = ("and", "or", "not", "is", "in", "has", "any of", "none of", "all of")
UNKNOWN_TESTS = (("unknown", "the value is not known"), ("not unknown", "the value is known"))
_AFTER_IS = re.compile(r"(?<![\w.-])([^\W\d][\w-]*)\s+is\s+[\w-]*$")  # `ldh is `: a plain name
_PARTIAL = re.compile(r"[\w-]*$")
# `input NAME: TYPE ` with the type complete, and neither `or unknown` nor what follows it yet
_AFTER_TYPE = re.compile(
    r"input\s+[^\W\d][\w-]*\s*:\s*(yes/no|text|time\s+of\s+day|date\s+and\s+time|date"
    r"|evaluation\s+date\s+and\s+time|evaluation\s+date|set\s+of\s+[\w-]+"
    r"|one\s+of\s+[\w-]+(?:\s*,\s*[\w-]+)*"
    r"|(?:integer|decimal)(?:\s+-?[\d.]+\s*\.\.\s*-?[\d.]+)?(?:\s+unit\s+\"[^\"]*\")?)"
    r"\s+[\w-]*$")
_AFTER_OF = re.compile(r"\b(?:any|none|all) of\s*\(?[\w\s,-]*$")
_GIVEN = re.compile(r"\s+([^\W\d][\w-]*)\s*:\s*[\w-]*$")  # `  ldh: ` in a worked example


def completions(analysis: Analysis, position: types.Position,
                fallback: Symbols | None = None) -> list[types.CompletionItem]:
    offset = cursor(analysis, position)
    text = analysis.compilation.source.text
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    partial = _PARTIAL.search(prefix)
    start = offset - (len(partial.group()) if partial else 0)
    replace = analysis.lines.range(start + analysis.shift, offset + analysis.shift)
    symbols = analysis.compilation.symbols
    if prefix.lstrip().startswith("|"):
        around = _table_around(symbols, offset, fallback)
        items = _in_row(*around, prefix, offset, text) if around is not None else []
    elif (typed := _AFTER_TYPE.match(prefix)) is not None:
        items = [] if typed.group(1).startswith("evaluation") else [
            _item("or unknown", Kind.Keyword, "the caller may give the value as unknown (null)")]
    elif _AFTER_OF.search(prefix):
        items = _names(symbols.classes if symbols else (), Kind.Class, "class")
    elif not prefix[:1].isspace() and " " not in prefix:
        items = [_item(k, Kind.Keyword, "statement") for k in STATEMENT_KEYWORDS]
    elif (given := _GIVEN.match(prefix)) is not None and _in_example(text, line_start):
        items = _given_values(symbols or fallback, given.group(1))
    elif prefix[:1].isspace() and _table_around(symbols, offset, fallback) is not None:
        items = [_item(c, Kind.Keyword, "table clause") for c in TABLE_CLAUSES]
    else:
        tested = _AFTER_IS.search(prefix)
        items = [_item(w, Kind.Value, said) for w, said in UNKNOWN_TESTS] \
            if tested and symbols and symbols.may_be_unknown(tested.group(1)) else []
        items += _readable(symbols) + [_item(w, Kind.Keyword, "condition") for w in CONDITION_WORDS]
    for item in items:
        item.text_edit = types.TextEdit(range=replace, new_text=item.insert_text or item.label)
    return items


def _in_example(text: str, line_start: int) -> bool:
    """Whether the line starting at `line_start` is inside an `example` block: the statement
    it continues (the last line before it that starts in the first column, comments aside) is
    an example."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line[:1] and not line[:1].isspace() and not line.startswith("#"):
            return line.startswith("example") and line[7:8].isspace()
        end = start - 1
    return False


def _given_values(symbols: Symbols | None, name: str) -> list[types.CompletionItem]:
    """What a worked example may give an input: the members of its enumeration, yes or no, and
    `unknown` when it is declared `or unknown` (never otherwise, where it is MD320)."""
    info = symbols.inputs.get(name) if symbols is not None else None
    if symbols is None or info is None:
        return []
    enum = enum_of(info.type)
    items = [_item(m, Kind.EnumMember, f"value of {enum.name}", enum.labels.get(m))
             for m in enum.members] if enum is not None else \
        [_item("yes", Kind.Value, "yes/no"), _item("no", Kind.Value, "yes/no")] \
        if isinstance(info.type, BoolT) else []
    if symbols.may_be_unknown(name):
        items.append(_item("unknown", Kind.Value, "the value is not known (null)"))
    return items


def _item(label: str, kind: types.CompletionItemKind, detail: str,
          documentation: str | None = None) -> types.CompletionItem:
    return types.CompletionItem(label=label, kind=kind, detail=detail, documentation=documentation)


def _names(names: Iterable[str], kind: types.CompletionItemKind, detail: str) -> list[types.CompletionItem]:
    return [_item(name, kind, detail) for name in names]


def _readable(symbols: Symbols | None) -> list[types.CompletionItem]:
    """The inputs, facts and tables a condition or a column may read."""
    if symbols is None:
        return []
    items = [_item(n, Kind.Variable, "input", _description(i.decl.description))
             for n, i in symbols.inputs.items()]
    items += [_item(n, Kind.Function, "fact", _description(f.description)) for n, f in symbols.facts.items()]
    items += [_item(n, Kind.Function, "duration", _description(d.description))
              for n, d in symbols.intervals.items()]
    for table in symbols.tables.values():
        items += [_item(f"{table.name}.{o}", Kind.Field, "table output") for o in table.outputs]
    return items


def _description(text: object) -> str | None:
    value = getattr(text, "value", None)
    return value if isinstance(value, str) else None


def _table_around(symbols: Symbols | None, offset: int,
                  fallback: Symbols | None) -> tuple[Symbols, TableInfo] | None:
    """The table whose statement holds `offset` (in the current symbols, else the fallback's by
    name: the table that starts last before the cursor)."""
    for candidates in (symbols, fallback):
        if candidates is None:
            continue
        before = [t for t in candidates.tables.values() if t.decl.span.start <= offset]
        if before:
            table = max(before, key=lambda t: t.decl.span.start)
            if candidates is symbols and offset > table.decl.span.end + 1 and fallback is not None:
                continue  # past the table's end: the table being typed did not parse
            return candidates, table
    return None


def _in_row(symbols: Symbols, table: TableInfo, prefix: str, offset: int,
            text: str) -> list[types.CompletionItem]:
    """What the cell under the cursor may hold."""
    column = len(re.findall(r"\|\|?", prefix)) - 1
    if _is_header(table, offset, text):
        return _readable(symbols) + [_item(c, Kind.Keyword, "column") for c in
                                      (RULE_COLUMN, *ANNOTATION_COLUMNS)]
    kinds = list(column_kinds(symbols, table))
    if not 0 <= column < len(kinds):
        return []
    kind, value_type = kinds[column]
    cell = prefix.rsplit("|", 1)[-1]
    if kind == "evidence":
        return _names(symbols.evidence, Kind.Reference, "evidence")
    if kind == "caveats":
        return _names(symbols.caveats, Kind.Reference, "caveat")
    if kind == RULE_COLUMN:
        return []
    return _values(symbols, value_type, cell, kind == "input") + _unknown_tests(symbols, table, column)


def _unknown_tests(symbols: Symbols, table: TableInfo, column: int) -> list[types.CompletionItem]:
    """`unknown` and `not unknown` in the column of a value that may be unknown (an input
    declared `or unknown`, a fact reading one); never elsewhere, where they are MD320."""
    inputs = column - (1 if table.layout.has_rule_column else 0)
    if not 0 <= inputs < len(table.layout.inputs):
        return []
    subject = table.layout.inputs[inputs].subject
    if subject.member is not None or not symbols.may_be_unknown(subject.name.text):
        return []
    return [_item(w, Kind.Value, said) for w, said in UNKNOWN_TESTS]


def _values(symbols: Symbols, value_type: ValueType | None, cell: str,
            is_input: bool) -> list[types.CompletionItem]:
    enum = enum_of(value_type)
    if enum is not None and _AFTER_OF.search(cell) and "(" not in cell.rsplit("of", 1)[-1]:
        classes = [c for c, info in symbols.classes.items() if info.decl.enum.text == enum.name]
        return _names(classes, Kind.Class, f"class of {enum.name}")
    items: list[types.CompletionItem] = []
    if enum is not None:
        items = [_item(m, Kind.EnumMember, f"value of {enum.name}", enum.labels.get(m))
                 for m in enum.members]
    elif isinstance(value_type, BoolT):
        items = [_item("yes", Kind.Value, "yes/no"), _item("no", Kind.Value, "yes/no")]
    if is_input:
        items.append(_item("-", Kind.Operator, "any value"))
    if isinstance(value_type, SetT) and is_input:
        items += [_item(w, Kind.Keyword, "set test") for w in ("has", "any of", "none of", "all of")]
    elif isinstance(value_type, EnumT) and is_input:
        items.append(_item("not", Kind.Keyword, "negation"))
    return items


def _is_header(table: TableInfo, offset: int, text: str) -> bool:
    """Whether the cursor's line is the table's header row."""
    header = table.decl.header
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    return bool(header) and line_start <= header[0].span.start <= line_end
