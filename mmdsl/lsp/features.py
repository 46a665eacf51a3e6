"""What the editor asks for, answered from an `Analysis`: diagnostics, hover, go to definition,
references, rename, the outline, formatting and quick fixes. Completion is in `completion.py`.

Pure functions of an analysis and a position, so that each can be tested without an editor; the
server (`server.py`) only routes requests to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsprotocol import types

from mmdsl.diagnostics import Diagnostic, Severity
from mmdsl.ir.model import IRFact
from mmdsl.ir.verbalize import Vocabulary
from mmdsl.lsp.analysis import Analysis
from mmdsl.lsp.index import Key, Occurrence, column_kinds, names_in
from mmdsl.semantics.symbols import RULE_COLUMN, Symbols
from mmdsl.semantics.types import EnumT, SetT
from mmdsl.source import Span
from mmdsl.syntax import ast

NAME_PATTERN = re.compile(r"[^\W\d]\w*(?:-\w+)*")
"""A name as the grammar's NAME terminal reads it."""

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}


# ---- diagnostics ------------------------------------------------------------------------------


def lsp_diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    return [lsp_diagnostic(analysis, d) for d in analysis.diagnostics]


def lsp_diagnostic(analysis: Analysis, diagnostic: Diagnostic) -> types.Diagnostic:
    """The diagnostic as `mmdsl check` words it, its help on a second line."""
    message = diagnostic.message + (f"\nhelp: {diagnostic.help}" if diagnostic.help else "")
    fix = fix_of(diagnostic)
    return types.Diagnostic(
        range=span_range(analysis, diagnostic.span), message=message,
        severity=SEVERITIES[diagnostic.severity], code=diagnostic.code, source="mmdsl",
        data={"fix": fix} if fix else None)


def span_range(analysis: Analysis, span: Span) -> types.Range:
    return analysis.lines.range(span.start + analysis.shift, span.end + analysis.shift)


def occurrence_range(analysis: Analysis, occurrence: Occurrence) -> types.Range:
    return analysis.lines.range(occurrence.start + analysis.shift, occurrence.end + analysis.shift)


def cursor(analysis: Analysis, position: types.Position) -> int:
    """The compiler's offset of an editor's position."""
    return analysis.lines.offset(position) - analysis.shift


# ---- quick fixes --------------------------------------------------------------------------------

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
_WRITE = re.compile(r"write `([^`]+)`")


def fix_of(diagnostic: Diagnostic) -> dict[str, object] | None:
    """The concrete replacement a diagnostic's help line proposes, as file offsets and text: the
    hint's own fix, or the name of a "did you mean `x`?", or the value of a "write `x`" that is
    the whole help line. None when the help describes a change rather than gives one."""
    fix = diagnostic.data.get("fix")
    if isinstance(fix, dict):
        return dict(fix)
    help_text = diagnostic.help or ""
    match = _DID_YOU_MEAN.search(help_text) or _WRITE.fullmatch(help_text)
    if match is None or diagnostic.span.end <= diagnostic.span.start:
        return None
    return {"start": diagnostic.span.start, "end": diagnostic.span.end, "text": match.group(1)}


def code_actions(analysis: Analysis, wanted: types.Range) -> list[types.CodeAction]:
    """A quick fix for each diagnostic with a concrete replacement that touches `wanted`."""
    actions = []
    for diagnostic in analysis.diagnostics:
        fix = fix_of(diagnostic)
        where = span_range(analysis, diagnostic.span)
        if fix is None or not _touches(where, wanted):
            continue
        start, end, text = int(str(fix["start"])), int(str(fix["end"])), str(fix["text"])
        edit = types.TextEdit(range=analysis.lines.range(start + analysis.shift, end + analysis.shift),
                              new_text=text)
        actions.append(types.CodeAction(
            title=_fix_title(diagnostic, analysis.text[start + analysis.shift:end + analysis.shift], text),
            kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diagnostic(analysis, diagnostic)],
            is_preferred=True, edit=types.WorkspaceEdit(changes={analysis.uri: [edit]})))
    return actions


def _fix_title(diagnostic: Diagnostic, old: str, new: str) -> str:
    if not new:
        return f"{diagnostic.code}: remove `{old.strip()}`"
    if not old.strip():
        return f"{diagnostic.code}: join the lines"
    return f"{diagnostic.code}: write `{new}` instead of `{old}`"


def _touches(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


# ---- go to definition, references, rename ----------------------------------------------------


def definition(analysis: Analysis, position: types.Position) -> types.Location | None:
    occurrence = analysis.index.at(cursor(analysis, position))
    if occurrence is None:
        return None
    target = analysis.index.definition(occurrence.key)
    if target is None:
        return None
    return types.Location(uri=analysis.uri, range=occurrence_range(analysis, target))


def references(analysis: Analysis, position: types.Position,
               include_declaration: bool) -> list[types.Location]:
    occurrence = analysis.index.at(cursor(analysis, position))
    if occurrence is None:
        return []
    return [types.Location(uri=analysis.uri, range=occurrence_range(analysis, o))
            for o in analysis.index.of(occurrence.key) if include_declaration or not o.definition]


def highlights(analysis: Analysis, position: types.Position) -> list[types.DocumentHighlight]:
    occurrence = analysis.index.at(cursor(analysis, position))
    if occurrence is None:
        return []
    return [types.DocumentHighlight(range=occurrence_range(analysis, o),
                                    kind=types.DocumentHighlightKind.Write if o.definition
                                    else types.DocumentHighlightKind.Read)
            for o in analysis.index.of(occurrence.key)]


def prepare_rename(analysis: Analysis, position: types.Position) -> types.Range | None:
    occurrence = analysis.index.at(cursor(analysis, position))
    if occurrence is None or analysis.index.definition(occurrence.key) is None:
        return None
    return occurrence_range(analysis, occurrence)


class RenameRefused(ValueError):
    """A rename that would break the file; the message says why."""


def rename(analysis: Analysis, position: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    """Every occurrence of the name under the cursor renamed; refused when the new name is no
    name or is taken by another thing of the same kind."""
    occurrence = analysis.index.at(cursor(analysis, position))
    if occurrence is None or analysis.index.definition(occurrence.key) is None:
        return None
    if NAME_PATTERN.fullmatch(new_name) is None:
        raise RenameRefused(f"`{new_name}` is not a name: a name starts with a letter and holds "
                            "letters, digits, `_` and single `-` between them")
    taken = (*occurrence.key[:-1], new_name)
    if new_name != occurrence.key[-1] and analysis.index.definition(taken) is not None:
        raise RenameRefused(f"`{new_name}` is already the name of another {occurrence.key[0]}")
    edits = [types.TextEdit(range=occurrence_range(analysis, o), new_text=new_name)
             for o in analysis.index.of(occurrence.key)]
    return types.WorkspaceEdit(changes={analysis.uri: edits})


# ---- hover ------------------------------------------------------------------------------------


def hover(analysis: Analysis, position: types.Position) -> types.Hover | None:
    offset = cursor(analysis, position)
    occurrence = analysis.index.at(offset)
    symbols = analysis.compilation.symbols
    if symbols is None:
        return None
    if occurrence is None:
        return _hover_cell(analysis, symbols, offset)
    text = describe(analysis, symbols, occurrence.key)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=occurrence_range(analysis, occurrence))


def describe(analysis: Analysis, symbols: Symbols, key: Key) -> str | None:
    """What a name names, in Markdown: the first line says what kind of thing it is."""
    kind, name = key[0], key[-1]
    match kind:
        case "input" if name in symbols.inputs:
            return _describe_input(symbols, name)
        case "fact" if name in symbols.facts:
            return _describe_fact(analysis, symbols.facts[name])
        case "fact" if name in symbols.intervals:
            interval = symbols.intervals[name]
            units = ("minutes, hours, days of 24 hours or weeks" if symbols.duration_type(
                interval).time else "days, weeks, completed months or years")
            unknown = [f"`{end.text}`" for end in (interval.start, interval.end)
                       if symbols.may_be_unknown(end.text)]  # null in date arithmetic: null
            return (f"**duration** `{name}`{_described(interval.description)}\n\n"
                    f"`time from {interval.start.text} to {interval.end.text}`: tested in {units}"
                    + (f"\n\nmay be unknown: unknown when {' or '.join(unknown)} is unknown"
                       if unknown else ""))
        case "class" if name in symbols.classes:
            found = symbols.classes[name]
            return (f"**class** `{name}` of `{found.decl.enum.text}`{_described(found.decl.description)}"
                    f"\n\nmembers: {', '.join(f'`{m}`' for m in found.members)}")
        case "enum" if name in symbols.enums:
            enum = symbols.enums[name]
            return (f"**enumeration** `{name}`{_said(enum.description)}\n\n"
                    f"members: {', '.join(f'`{m}`' for m in enum.members)}")
        case "member":
            return _describe_member(symbols, key[1], name)
        case "evidence" if name in symbols.evidence:
            return _describe_evidence(symbols.evidence[name])
        case "caveat" if name in symbols.caveats:
            return f"**caveat** `{name}`\n\n{symbols.caveats[name].text.value}"
        case "table" if name in symbols.tables:
            decl = symbols.tables[name].decl
            outputs = ", ".join(f"`{o}`" for o in symbols.tables[name].outputs)
            return f"**table** `{name}`{_described(decl.title)}\n\noutputs: {outputs}"
        case "output" if key[1] in symbols.tables and name in symbols.tables[key[1]].outputs:
            output = symbols.tables[key[1]].outputs[name]
            shown = output.type.describe() if output.type else "?"
            return f"**output** `{key[1]}.{name}`: {shown}{_described(output.decl.description)}"
        case "rule" if key[1] in symbols.tables:
            return _describe_rule(symbols, key[1], name)
        case "example" if name in symbols.examples:
            return f"**worked example** `{name}`{_described(symbols.examples[name].description)}"
        case "note" if name in symbols.notes:
            return f"**note** `{name}`\n\n{symbols.notes[name].text.value}"
        case "quote" if name in symbols.quotes:
            return f"**quote** `{name}`\n\n> {symbols.quotes[name].text.value}"
    return None


def _described(text: ast.Text | None) -> str:
    return f": {text.value}" if text is not None and text.value else ""


def _said(text: str) -> str:
    return f": {text}" if text else ""


def _describe_input(symbols: Symbols, name: str) -> str:
    info = symbols.inputs[name]
    decl = info.decl
    lines = [f"**input** `{name}`: {_type_words(info.type, decl.type)}"]
    if decl.description is not None:
        lines.append(decl.description.value)
    if isinstance(decl.type, ast.NumberType) and decl.type.unit is not None:
        lines.append(f"unit: {decl.type.unit.value}")
    if decl.default is not None:
        lines.append(f"default: `{_value_text(decl.default)}`")
    if decl.includes is not None:
        lines.append(f"includes every member of `{decl.includes.text}`")
    if decl.unknown is not None:
        lines.append("may be given as unknown (`or unknown`): test it with `unknown` or "
                     "`not unknown`")
    return "\n\n".join(lines)


def _type_words(value_type: object, type_expr: ast.TypeExpr) -> str:
    if isinstance(value_type, EnumT | SetT):
        prefix = "one of" if isinstance(value_type, EnumT) else "a set of"
        members = ", ".join(f"`{m}`" for m in value_type.enum.members[:12])
        more = ", …" if len(value_type.enum.members) > 12 else ""
        named = f" `{value_type.enum.name}`" if isinstance(value_type.enum.decl, ast.EnumDecl) else ""
        return f"{prefix}{named} ({members}{more})"
    if value_type is not None and hasattr(value_type, "describe"):
        return str(value_type.describe())
    return type(type_expr).__name__


def _value_text(value: ast.Value) -> str:
    match value:
        case ast.NameValue():
            return value.name.text
        case ast.BoolValue():
            return "yes" if value.value else "no"
        case ast.NumberValue() | ast.TextValue():
            return str(value.value)
    return "?"


def _describe_fact(analysis: Analysis, decl: ast.FactDecl) -> str:
    """A derived fact in words (as the review document words it) when the file compiles; else
    its condition as written."""
    head = f"**fact** `{decl.name.text}`{_described(decl.description)}"
    guideline = analysis.compilation.guideline
    fact = next((f for f in guideline.facts if f.name == decl.name.text), None) if guideline else None
    if guideline is not None and fact is not None:
        from mmdsl.ir.verbalize import describe as in_words
        from mmdsl.ir.verbalize import vocabulary_of

        words = vocabulary_of(guideline)
        return f"{head}\n\ntrue when {in_words(fact.condition, words)}" + _unknown_fact(fact, words)
    computed = next((c for c in guideline.computed if c.name == decl.name.text), None) \
        if guideline else None
    if guideline is not None and computed is not None:  # a number: its type, range and formula
        from mmdsl.ir.verbalize import describe_number, unknown_number_words, vocabulary_of

        words = vocabulary_of(guideline)
        bounds = f" {computed.type.low}..{computed.type.high}" \
            if computed.type.low is not None and computed.type.high is not None else ""
        return (f"{head}\n\n{computed.type.kind}{bounds}: "
                f"{describe_number(computed.expr, words)}{unknown_number_words(computed, words)}")
    label = next((t for t in guideline.labels if t.name == decl.name.text), None) \
        if guideline else None
    if guideline is not None and label is not None:  # text: how its words are built
        from mmdsl.ir.verbalize import describe_text, unknown_number_words, vocabulary_of

        words = vocabulary_of(guideline)
        return (f"{head}\n\ntext shown with the decision, never tested: "
                f"{describe_text(label.expr, words)}{unknown_number_words(label, words)}")
    written = analysis.compilation.source.text[decl.expr.span.start:decl.expr.span.end]
    return f"{head}\n\n```mmdsl\n{' '.join(written.split())}\n```"


def _unknown_fact(fact: IRFact, words: Vocabulary) -> str:
    """A yes/no fact reading values that may be unknown: which, as the review document names
    them (Kleene's logic may still decide it: `unknown or yes` is yes)."""
    if fact.false_when is None:
        return ""
    from mmdsl.ir.verbalize import either, refs_of, subject_words

    read = sorted(ref for ref in refs_of(fact.condition) if ref in words.unknown)
    names = either([subject_words(ref, words) for ref in read])
    return f"\n\nmay be unknown: it reads {names}, which may be unknown" if read \
        else "\n\nmay be unknown"


def _hover_cell(analysis: Analysis, symbols: Symbols, offset: int) -> types.Hover | None:
    """An input cell under the cursor (off any name) in clinical words, as the review document
    words it: `| >= 2019-09-01 |` on a date reads "“diagnosis date” is on or after 1 September
    2019"."""
    guideline = analysis.compilation.guideline
    if guideline is None:
        return None
    for info in symbols.tables.values():
        decl = info.decl
        if not decl.span.start <= offset <= decl.span.end or not info.layout.valid:
            continue
        table = next((t for t in guideline.tables if t.name == info.name), None)
        first = 1 if info.layout.has_rule_column else 0
        for number, row in enumerate(decl.rows):
            for position, cell in enumerate(row.cells):
                column = position - first
                if not cell.span.start <= offset <= cell.span.end or table is None \
                        or not 0 <= column < len(table.columns) or number >= len(table.rules) \
                        or cell.test is None or isinstance(cell.test, ast.AnyTest):
                    continue
                from mmdsl.ir.verbalize import describe as in_words
                from mmdsl.ir.verbalize import vocabulary_of

                said = in_words(table.rules[number].tests[column], vocabulary_of(guideline))
                return types.Hover(
                    contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                 value=f"**cell** `{cell.text}`: {said}"),
                    range=span_range(analysis, cell.span))
    return None


def _describe_member(symbols: Symbols, enum_name: str, member: str) -> str:
    enum = symbols.enums.get(enum_name)
    label = enum.labels.get(member) if enum is not None else None
    owner = f"enumeration `{enum_name}`" if enum is not None else f"`{enum_name}`"
    classes = [c for c, info in symbols.classes.items()
               if info.decl.enum.text == enum_name and member in info.members]
    lines = [f"**value** `{member}` of {owner}"]
    if label:
        lines.append(label)
    if classes:
        lines.append("in the classes " + ", ".join(f"`{c}`" for c in classes))
    return "\n\n".join(lines)


def _describe_evidence(decl: ast.EvidenceDecl) -> str:
    lines = [f"**evidence** `{decl.name.text}`{_described(decl.title)}"]
    lines += [f"design: {t.value}" for t in decl.design]
    lines += [f"population: {t.value}" for t in decl.population]
    lines += [f"finding: {t.value}" for t in decl.findings]
    if decl.refs:
        lines.append("references: " + ", ".join(str(r.value) for r in decl.refs))
    return "\n\n".join(lines)


def _describe_rule(symbols: Symbols, table_name: str, rule: str) -> str | None:
    """A rule's outputs, evidence and caveats, from its row."""
    table = symbols.tables[table_name]
    kinds = list(column_kinds(symbols, table))
    for row in table.decl.rows:
        cells = dict(zip(range(len(kinds)), row.cells, strict=False))
        if not kinds or kinds[0][0] != RULE_COLUMN or 0 not in cells or cells[0].text != rule:
            continue
        lines = [f"**rule** `{table_name}.{rule}` (line {row.span.line})"]
        headers = table.decl.header
        for position, (kind, _) in enumerate(kinds):
            cell = cells.get(position)
            if cell is None or position >= len(headers) or kind in ("rule", "input"):
                continue
            label = headers[position].subject.text
            lines.append(f"{label}: {', '.join(n.text for n in names_in(cell.test)) if cell.test else ''}"
                         if kind != "output" else f"{label}: `{cell.text}`")
        return "\n\n".join(lines)
    return None


# ---- outline ------------------------------------------------------------------------------------


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    module = analysis.compilation.module
    symbols = analysis.compilation.symbols
    if module is None or symbols is None:
        return []
    return [s for statement in module.statements for s in _statement_symbols(analysis, symbols, statement)]


_KINDS: dict[type, types.SymbolKind] = {
    ast.InputDecl: types.SymbolKind.Variable,
    ast.FactDecl: types.SymbolKind.Function,
    ast.IntervalDecl: types.SymbolKind.Function,
    ast.EnumDecl: types.SymbolKind.Enum,
    ast.ClassDecl: types.SymbolKind.Class,
    ast.EvidenceDecl: types.SymbolKind.Object,
    ast.CaveatDecl: types.SymbolKind.String,
    ast.ExampleDecl: types.SymbolKind.Event,
    ast.NoteDecl: types.SymbolKind.String,
    ast.QuoteDecl: types.SymbolKind.String,
    ast.GuidelineDecl: types.SymbolKind.Module,
}


def _statement_symbols(analysis: Analysis, symbols: Symbols,
                       statement: ast.Statement) -> Iterator[types.DocumentSymbol]:
    if isinstance(statement, ast.TableDecl):
        yield _table_symbol(analysis, symbols, statement)
        return
    name = getattr(statement, "name", None)
    kind = _KINDS.get(type(statement))
    if isinstance(name, ast.Name) and kind is not None:
        detail = type(statement).__name__.removesuffix("Decl").lower()
        yield _symbol(analysis, name.text, detail, kind, statement.span, name.span)


def _table_symbol(analysis: Analysis, symbols: Symbols, decl: ast.TableDecl) -> types.DocumentSymbol:
    children = [_symbol(analysis, o.name.text, "output", types.SymbolKind.Field, o.span, o.name.span)
                for o in decl.outputs]
    info = symbols.tables.get(decl.name.text)
    has_rule = info is not None and info.decl is decl and info.layout.has_rule_column
    for number, row in enumerate(decl.rows, start=1):
        first = row.cells[0] if row.cells else None
        names = list(names_in(first.test)) if has_rule and first and first.test else []
        label, selection = (names[0].text, names[0].span) if names else (f"rule {number}", row.span)
        children.append(_symbol(analysis, label, f"line {row.span.line}", types.SymbolKind.Method,
                                row.span, selection))
    title = decl.title.value if decl.title else "table"
    table = _symbol(analysis, decl.name.text, title, types.SymbolKind.Struct, decl.span, decl.name.span)
    table.children = children
    return table


def _symbol(analysis: Analysis, name: str, detail: str, kind: types.SymbolKind,
            span: Span, selection: Span) -> types.DocumentSymbol:
    whole = span_range(analysis, span)
    return types.DocumentSymbol(name=name, detail=detail, kind=kind, range=whole,
                                selection_range=span_range(analysis, selection))


# ---- formatting ---------------------------------------------------------------------------------


def formatting(analysis: Analysis) -> list[types.TextEdit]:
    """The whole file in `mmdsl fmt`'s layout (one edit), or nothing when it does not parse or
    is already formatted."""
    from mmdsl.format import FormatterBug, format_source

    try:
        formatted = format_source(analysis.compilation.source)
    except FormatterBug:
        return []
    if formatted.text is None or not formatted.changed:
        return []
    whole = analysis.lines.range(analysis.shift, len(analysis.text))
    return [types.TextEdit(range=whole, new_text=formatted.text)]

