"""Parse tree to AST. The transformer only builds nodes: it never decides what a name means."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lark import Token, Transformer, Tree
from lark.tree import Meta

from mmdsl.source import Span
from mmdsl.syntax import ast

_ESCAPE = re.compile(r'\\(["\\])')
_BREAK = re.compile(r"\s*\n\s*")


def decode_text(token_text: str) -> str:
    """The value of a quoted text token: quotes removed, `\\"` and `\\\\` decoded, lines joined."""
    body = token_text[1:-1]
    return _BREAK.sub(" ", _ESCAPE.sub(r"\1", body))


def _last_word_end(text: str, start: int, end: int) -> int:
    """The end of the last line in text[start:end] that holds more than blanks or a comment."""
    lines = text[start:end].split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + len("\n".join(lines).rstrip())


OPERATORS = {"PLUS": "+", "MINUS": "-", "TIMES": "*", "DIVIDE": "/", "POWER": "**"}


class MisplacedExpression(Exception):
    """A number written where a condition is expected, or a condition where a number is: the
    parser turns it into a syntax diagnostic (MD316)."""

    def __init__(self, span: Span, message: str, help_text: str) -> None:
        super().__init__(message)
        self.span, self.message, self.help = span, message, help_text


def _joined(first: Span, last: Span) -> Span:
    return Span(first.line, first.column, last.end_line, last.end_column, first.start, last.end)


def as_condition(node: Any) -> ast.Expr:
    """A child that must be a condition (in `and`, `or`, `not`, `if`, the scope, impossible)."""
    if isinstance(node, ast.TextLiteral):
        raise MisplacedExpression(node.span, "text where a condition is expected",
                                  "compare a text input with it, such as `name is \"…\"`")
    if isinstance(node, ast.NUMERIC_NODES):
        raise MisplacedExpression(node.span, "a number where a condition is expected",
                                  "compare the number, such as `score >= 2`")
    return node  # type: ignore[no-any-return]


def as_number(node: Any) -> ast.NumExpr:
    """A child that must be a number (an operand of arithmetic, a branch of `if`): a name alone
    is read as a number here."""
    if isinstance(node, ast.Condition) and node.test is None:
        return ast.Quantity(node.subject, node.span)
    if not isinstance(node, ast.NUMERIC_NODES):
        raise MisplacedExpression(node.span, "a condition where a number is expected",
                                  "choose a number by the condition: "
                                  "`(if CONDITION then 1 else 0)`")
    return node


class AstBuilder(Transformer[Token, Any]):
    """Builds AST nodes; `line_offset` / `char_offset` place a chunk of a file in the whole file.

    Each rule's method takes (meta, children), as `v_args(meta=True)` would give them; the call
    is made here directly, because Lark's wrapper builds a new function object for every node of
    the tree (a third of the time of parsing a large table)."""

    def _call_userfunc(self, tree: Tree[Token], new_children: list[Any] | None = None) -> Any:
        children = new_children if new_children is not None else tree.children
        return getattr(self, tree.data)(tree.meta, children)

    def __init__(self, text: str, line_offset: int = 0, char_offset: int = 0,
                 chunk_end: int | None = None) -> None:
        super().__init__(visit_tokens=False)
        self._text = text
        self._lines = line_offset
        self._chars = char_offset
        self._chunk_end = len(text) if chunk_end is None else chunk_end

    # ---- positions --------------------------------------------------------------------------

    def span(self, meta: Meta) -> Span:
        span = Span(meta.line, meta.column, meta.end_line, meta.end_column,
                    meta.start_pos, meta.end_pos).shifted(self._lines, self._chars)
        return self._without_trailing_breaks(span)

    def _without_trailing_breaks(self, span: Span) -> Span:
        """Statements and rows end with their line break; their span stops at the last word."""
        end = min(span.end, self._chunk_end)
        if end == span.end and not self._text[span.start:end][-1:].isspace():
            return span
        end = _last_word_end(self._text, span.start, end)
        line_start = self._text.rfind("\n", 0, end) + 1
        end_line = span.line + self._text.count("\n", span.start, end)
        return Span(span.line, span.column, end_line, end - line_start + 1, span.start, end)

    def token_span(self, token: Token) -> Span:
        return Span(token.line or 1, token.column or 1, token.end_line or 1, token.end_column or 1,
                    token.start_pos or 0, token.end_pos or 0).shifted(self._lines, self._chars)

    def name(self, token: Token) -> ast.Name:
        return ast.Name(str(token), self.token_span(token))

    def text_node(self, token: Token) -> ast.Text:
        return ast.Text(decode_text(str(token)), self.token_span(token))

    def _strings(self, children: list[Any]) -> list[ast.Text]:
        return [self.text_node(c) for c in children if isinstance(c, Token) and c.type == "STRING"]

    # ---- module ---------------------------------------------------------------------------------

    def start(self, meta: Meta, children: list[Any]) -> list[ast.Statement]:
        return list(children)

    # ---- values -----------------------------------------------------------------------------------

    def int_value(self, meta: Meta, children: list[Token]) -> ast.NumberValue:
        return ast.NumberValue(int(children[0]), self.token_span(children[0]))

    def decimal_value(self, meta: Meta, children: list[Token]) -> ast.NumberValue:
        return ast.NumberValue(Decimal(str(children[0])), self.token_span(children[0]))

    def text_literal(self, meta: Meta, children: list[Token]) -> ast.TextLiteral:
        return ast.TextLiteral(decode_text(str(children[0])), self.token_span(children[0]))

    def text_value(self, meta: Meta, children: list[Token]) -> ast.TextValue:
        return ast.TextValue(decode_text(str(children[0])), self.token_span(children[0]))

    def yes_value(self, meta: Meta, children: list[Token]) -> ast.BoolValue:
        return ast.BoolValue(True, self.token_span(children[0]))

    def no_value(self, meta: Meta, children: list[Token]) -> ast.BoolValue:
        return ast.BoolValue(False, self.token_span(children[0]))

    def date_value(self, meta: Meta, children: list[Token]) -> ast.DateValue:
        return ast.DateValue(str(children[0]), self.token_span(children[0]))

    def date_time_value(self, meta: Meta, children: list[Token]) -> ast.DateTimeValue:
        return ast.DateTimeValue(str(children[0]), self.token_span(children[0]))

    def time_of_day_value(self, meta: Meta, children: list[Token]) -> ast.TimeOfDayValue:
        return ast.TimeOfDayValue(str(children[0]), self.token_span(children[0]))

    def duration(self, meta: Meta, children: list[Token]) -> ast.DurationValue:
        return ast.DurationValue(int(children[0]), self.name(children[1]), self.span(meta))

    def name_value(self, meta: Meta, children: list[Token]) -> ast.NameValue:
        name = self.name(children[0])
        return ast.NameValue(name, name.span)

    def value_list(self, meta: Meta, children: list[Any]) -> list[ast.Value]:
        return [c for c in children if not isinstance(c, Token)]

    def empty_value(self, meta: Meta, children: list[Any]) -> list[ast.Value]:
        return []

    def name_list(self, meta: Meta, children: list[Token]) -> list[ast.Name]:
        return [self.name(c) for c in children if c.type == "NAME"]

    def int_list(self, meta: Meta, children: list[Token]) -> list[ast.NumberValue]:
        return [ast.NumberValue(int(c), self.token_span(c)) for c in children if c.type == "INT"]

    def refs(self, meta: Meta, children: list[Any]) -> list[ast.NumberValue]:
        return list(children[0])

    def subject(self, meta: Meta, children: list[Token]) -> ast.Subject:
        names = [self.name(c) for c in children if c.type == "NAME"]
        return ast.Subject(names[0], names[1] if len(names) > 1 else None, self.span(meta))

    # ---- declarations -------------------------------------------------------------------------------

    def guideline_decl(self, meta: Meta, children: list[Token]) -> ast.GuidelineDecl:
        return ast.GuidelineDecl(self.name(children[0]), self.text_node(children[1]), self.span(meta))

    def version_decl(self, meta: Meta, children: list[Token]) -> ast.VersionDecl:
        return ast.VersionDecl(self.text_node(children[0]), self.span(meta))

    def source_decl(self, meta: Meta, children: list[Token]) -> ast.SourceDecl:
        path, title, date = (self.text_node(child) for child in children)
        return ast.SourceDecl(path, title, date, self.span(meta))

    def reference_decl(self, meta: Meta, children: list[Token]) -> ast.ReferenceDecl:
        number = ast.NumberValue(int(children[0]), self.token_span(children[0]))
        return ast.ReferenceDecl(number, self.text_node(children[1]), self.span(meta))

    def evidence_refs(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("refs", children[0])

    def evidence_design(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("design", self.text_node(children[0]))

    def evidence_population(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("population", self.text_node(children[0]))

    def evidence_finding(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("finding", self.text_node(children[0]))

    def evidence_decl(self, meta: Meta, children: list[Any]) -> ast.EvidenceDecl:
        lines = [c for c in children if isinstance(c, tuple)]
        titles = self._strings(children)
        refs = [n for key, value in lines if key == "refs" for n in value]

        def texts(key: str) -> tuple[ast.Text, ...]:
            return tuple(value for k, value in lines if k == key)

        return ast.EvidenceDecl(
            self.name(children[0]), titles[0] if titles else None, tuple(refs),
            texts("design"), texts("population"), texts("finding"), self.span(meta),
        )

    def caveat_decl(self, meta: Meta, children: list[Any]) -> ast.CaveatDecl:
        refs = next((c for c in children if isinstance(c, list)), [])
        return ast.CaveatDecl(self.name(children[0]), self.text_node(children[1]), tuple(refs),
                              self.span(meta))

    def member(self, meta: Meta, children: list[Token]) -> ast.Member:
        strings = self._strings(children)
        return ast.Member(self.name(children[0]), strings[0] if strings else None, self.span(meta))

    def member_list(self, meta: Meta, children: list[Any]) -> list[ast.Member]:
        return [c for c in children if isinstance(c, ast.Member)]

    def enum_decl(self, meta: Meta, children: list[Any]) -> ast.EnumDecl:
        strings = self._strings(children)
        members = next(c for c in children if isinstance(c, list))
        return ast.EnumDecl(self.name(children[0]), strings[0] if strings else None,
                            tuple(members), self.span(meta))

    def class_decl(self, meta: Meta, children: list[Any]) -> ast.ClassDecl:
        strings = self._strings(children)
        members = next(c for c in children if isinstance(c, list))
        return ast.ClassDecl(self.name(children[0]), self.name(children[1]),
                             strings[0] if strings else None, tuple(members), self.span(meta))

    # ---- types --------------------------------------------------------------------------------------

    def bool_type(self, meta: Meta, children: list[Any]) -> ast.BoolType:
        return ast.BoolType(self.span(meta))

    def _number_type(self, kind: str, meta: Meta, children: list[Any]) -> ast.NumberType:
        bounds = next((c for c in children if isinstance(c, tuple)), (None, None))
        unit = next((c for c in children if isinstance(c, ast.Text)), None)
        return ast.NumberType(kind, bounds[0], bounds[1], unit, self.span(meta))  # type: ignore[arg-type]

    def integer_type(self, meta: Meta, children: list[Any]) -> ast.NumberType:
        return self._number_type("integer", meta, children)

    def decimal_type(self, meta: Meta, children: list[Any]) -> ast.NumberType:
        return self._number_type("decimal", meta, children)

    def bounds(self, meta: Meta, children: list[Any]) -> tuple[ast.NumberValue, ast.NumberValue]:
        return (children[0], children[1])

    def unit(self, meta: Meta, children: list[Token]) -> ast.Text:
        return self.text_node(children[0])

    def date_type(self, meta: Meta, children: list[Any]) -> ast.DateType:
        return ast.DateType(False, self.span(meta))

    def evaluation_date_type(self, meta: Meta, children: list[Any]) -> ast.DateType:
        return ast.DateType(True, self.span(meta))

    def date_time_type(self, meta: Meta, children: list[Any]) -> ast.DateType:
        return ast.DateType(False, self.span(meta), time=True)

    def evaluation_date_time_type(self, meta: Meta, children: list[Any]) -> ast.DateType:
        return ast.DateType(True, self.span(meta), time=True)

    def time_of_day_type(self, meta: Meta, children: list[Any]) -> ast.TimeOfDayType:
        return ast.TimeOfDayType(self.span(meta))

    def text_type(self, meta: Meta, children: list[Any]) -> ast.TextType:
        return ast.TextType(self.span(meta))

    def enum_type(self, meta: Meta, children: list[Any]) -> ast.EnumType:
        return ast.EnumType(tuple(children[0]), self.span(meta))

    def set_type(self, meta: Meta, children: list[Token]) -> ast.SetType:
        return ast.SetType(self.name(children[0]), self.span(meta))

    def includes(self, meta: Meta, children: list[Token]) -> ast.Name:
        return self.name(children[0])

    def default(self, meta: Meta, children: list[Any]) -> tuple[str, ast.Value]:
        return ("default", children[0])

    def or_unknown(self, meta: Meta, children: list[Token]) -> Span:
        return self.token_span(children[-1])

    def input_decl(self, meta: Meta, children: list[Any]) -> ast.InputDecl:
        type_expr = children[1]
        includes = next((c for c in children[2:] if isinstance(c, ast.Name)), None)
        default = next((c[1] for c in children if isinstance(c, tuple)), None)
        unknown = next((c for c in children[2:] if isinstance(c, Span)), None)
        strings = self._strings(children)
        return ast.InputDecl(self.name(children[0]), type_expr, includes, default,
                             strings[0] if strings else None, self.span(meta), unknown)

    # ---- expressions --------------------------------------------------------------------------------

    def fact_decl(self, meta: Meta, children: list[Any]) -> ast.FactDecl:
        strings = self._strings(children)
        return ast.FactDecl(self.name(children[0]), strings[0] if strings else None, children[-1],
                            self.span(meta))

    def interval_decl(self, meta: Meta, children: list[Any]) -> ast.IntervalDecl:
        strings = self._strings(children)
        names = [c for c in children if isinstance(c, Token) and c.type == "NAME"]
        return ast.IntervalDecl(self.name(names[0]), strings[0] if strings else None,
                                self.name(names[1]), self.name(names[2]), self.span(meta))

    def scope_decl(self, meta: Meta, children: list[Any]) -> ast.ScopeDecl:
        return ast.ScopeDecl(self.text_node(children[0]), as_condition(children[-1]),
                             self.span(meta))

    def impossible_decl(self, meta: Meta, children: list[Any]) -> ast.ImpossibleDecl:
        return ast.ImpossibleDecl(self.name(children[0]), self.text_node(children[1]),
                                  as_condition(children[-1]), self.span(meta))

    def _operands(self, children: list[Any]) -> tuple[ast.Expr, ...]:
        return tuple(as_condition(c) for c in children if not isinstance(c, Token))

    # ---- computed numbers -------------------------------------------------------------------------

    def _fold(self, meta: Meta, children: list[Any]) -> ast.NumExpr:
        """`a op b op c` as ((a op b) op c): operands and operator tokens alternate. The whole
        spans the rule as written (brackets around its first and last operands included)."""
        result = as_number(children[0])
        last = len(children) - 2
        for index in range(1, len(children), 2):
            op = OPERATORS[children[index].type]  # the token may hold line breaks and comments
            right = as_number(children[index + 1])
            span = self.span(meta) if index == last else _joined(result.span, right.span)
            result = ast.Arithmetic(op, result, right, span)  # type: ignore[arg-type]
        return result

    def sum(self, meta: Meta, children: list[Any]) -> ast.NumExpr:
        return self._fold(meta, children)

    def product(self, meta: Meta, children: list[Any]) -> ast.NumExpr:
        return self._fold(meta, children)

    def power(self, meta: Meta, children: list[Any]) -> ast.NumExpr:
        return self._fold(meta, children)

    def negate(self, meta: Meta, children: list[Any]) -> ast.NumExpr:
        item = as_number(children[-1])
        if isinstance(item, ast.NumberValue):  # `-0.872` is a number, however it was lexed
            return ast.NumberValue(-item.value, self.span(meta))
        return ast.Negate(item, self.span(meta))

    def unknown_number(self, meta: Meta, children: list[Token]) -> ast.UnknownNumber:
        return ast.UnknownNumber(self.token_span(children[0]))

    def choice(self, meta: Meta, children: list[Any]) -> ast.Choice:
        condition, then, otherwise = children
        return ast.Choice(as_condition(condition), as_number(then), as_number(otherwise),
                          self.span(meta))

    def or_expr(self, meta: Meta, children: list[Any]) -> ast.Or:
        return ast.Or(self._operands(children), self.span(meta))

    def and_expr(self, meta: Meta, children: list[Any]) -> ast.And:
        return ast.And(self._operands(children), self.span(meta))

    def not_expr(self, meta: Meta, children: list[Any]) -> ast.Not:
        return ast.Not(as_condition(children[-1]), self.span(meta))

    def is_true(self, meta: Meta, children: list[Any]) -> ast.Condition:
        return ast.Condition(children[0], None, self.span(meta))

    def is_value(self, meta: Meta, children: list[Any]) -> ast.Condition:
        value = children[-1]
        return ast.Condition(children[0], ast.ValueTest(value, value.span), self.span(meta))

    def is_not_value(self, meta: Meta, children: list[Any]) -> ast.Condition:
        value = children[-1]
        inner = ast.ValueTest(value, value.span)
        return ast.Condition(children[0], ast.NotTest((inner,), self.span(meta)), self.span(meta))

    def is_unknown(self, meta: Meta, children: list[Any]) -> ast.Condition:
        test = ast.UnknownTest(self.token_span(children[-1]))
        return ast.Condition(children[0], test, self.span(meta))

    def is_not_unknown(self, meta: Meta, children: list[Any]) -> ast.Condition:
        inner = ast.UnknownTest(self.token_span(children[-1]))
        return ast.Condition(children[0], ast.NotTest((inner,), self.span(meta)), self.span(meta))

    def compare_condition(self, meta: Meta, children: list[Any]) -> ast.Condition:
        subject, op, number = children
        test = ast.CompareTest(op, number, number.span)
        return ast.Condition(subject, test, self.span(meta))

    def range_condition(self, meta: Meta, children: list[Any]) -> ast.Condition:
        return ast.Condition(children[0], children[-1], self.span(meta))

    def in_condition(self, meta: Meta, children: list[Any]) -> ast.Condition:
        values = children[-1]
        tests = tuple(ast.ValueTest(v, v.span) for v in values)
        return ast.Condition(children[0], ast.OneOfTest(tests, self.span(meta)), self.span(meta))

    def not_in_condition(self, meta: Meta, children: list[Any]) -> ast.Condition:
        values = children[-1]
        tests = tuple(ast.ValueTest(v, v.span) for v in values)
        return ast.Condition(children[0], ast.NotTest(tests, self.span(meta)), self.span(meta))

    def set_condition(self, meta: Meta, children: list[Any]) -> ast.Condition:
        return ast.Condition(children[0], children[-1], self.span(meta))

    # ---- tests ------------------------------------------------------------------------------------------

    def compare_op(self, meta: Meta, children: list[Token]) -> str:
        return {"≥": ">=", "≤": "<=", "≠": "!="}.get(str(children[0]).strip(), str(children[0]).strip())

    def compare_test(self, meta: Meta, children: list[Any]) -> ast.CompareTest:
        return ast.CompareTest(children[0], children[1], self.span(meta))

    def duration_equal_test(self, meta: Meta, children: list[Any]) -> ast.CompareTest:
        return ast.CompareTest("=", children[0], self.span(meta))

    def closed_range(self, meta: Meta, children: list[Any]) -> ast.RangeTest:
        return ast.RangeTest(children[0], children[1], True, True, self.span(meta))

    def bracket_range(self, meta: Meta, children: list[Any]) -> ast.RangeTest:
        opening, low, high, closing = children
        return ast.RangeTest(low, high, str(opening) == "[", str(closing) == "]", self.span(meta))

    def range_test(self, meta: Meta, children: list[ast.RangeTest]) -> ast.RangeTest:
        return children[0]

    def value_test(self, meta: Meta, children: list[Any]) -> ast.ValueTest:
        return ast.ValueTest(children[0], self.span(meta))

    def has_test(self, meta: Meta, children: list[Token]) -> ast.HasTest:
        return ast.HasTest(self.name(children[-1]), self.span(meta))

    def quantified_test(self, meta: Meta, children: list[Any]) -> ast.QuantifiedTest:
        quantifier = next(c for c in children if isinstance(c, Token) and c.type == "QUANTIFIER")
        is_class, members = children[-1]
        return ast.QuantifiedTest(str(quantifier), tuple(members), is_class,  # type: ignore[arg-type]
                                  self.span(meta))

    def class_ref(self, meta: Meta, children: list[Token]) -> tuple[bool, list[ast.Name]]:
        return (True, [self.name(children[0])])

    def member_group(self, meta: Meta, children: list[Any]) -> tuple[bool, list[ast.Name]]:
        return (False, children[0])

    def not_test(self, meta: Meta, children: list[Any]) -> ast.NotTest:
        return ast.NotTest((children[-1],), self.span(meta))

    def unknown_test(self, meta: Meta, children: list[Token]) -> ast.UnknownTest:
        return ast.UnknownTest(self.token_span(children[0]))

    def not_unknown_test(self, meta: Meta, children: list[Token]) -> ast.NotTest:
        return ast.NotTest((ast.UnknownTest(self.token_span(children[-1])),), self.span(meta))

    def not_list_test(self, meta: Meta, children: list[Any]) -> ast.NotTest:
        return ast.NotTest(tuple(children[-1]), self.span(meta))

    def test_list(self, meta: Meta, children: list[Any]) -> list[ast.Test]:
        return [c for c in children if not isinstance(c, Token)]

    # ---- tables ---------------------------------------------------------------------------------------

    def any_cell(self, meta: Meta, children: list[Token]) -> ast.Cell:
        span = self.token_span(children[0])
        return ast.Cell(ast.AnyTest(span), "-", span)

    def test_cell(self, meta: Meta, children: list[Any]) -> ast.Cell:
        tests = children[0]
        span = self.span(meta)
        test = tests[0] if len(tests) == 1 else ast.OneOfTest(tuple(tests), span)
        return ast.Cell(test, self._slice(span), span)

    def empty_cell(self, meta: Meta, children: list[Any]) -> None:
        return None

    def _slice(self, span: Span) -> str:
        return self._text[span.start:span.end]

    def row(self, meta: Meta, children: list[Any]) -> ast.Row:
        cells, separators = self._cells_and_separators(children)
        return ast.Row(tuple(cells), tuple(separators), self.span(meta))

    def _cells_and_separators(self, children: list[Any]) -> tuple[list[Any], list[str]]:
        """Cells between the bars; an empty cell gets the span of the blank between its bars."""
        cells: list[Any] = []
        separators: list[str] = []
        previous = children[0]
        for child in children[1:]:
            if isinstance(child, Token):
                if len(cells) == len(separators):
                    cells.append(self._empty_cell(previous, child))
                separators.append(str(child))
                previous = child
            elif child is not None:
                cells.append(child)
        return cells, separators

    def _empty_cell(self, before: Token, after: Token) -> ast.Cell:
        start, end = self.token_span(before), self.token_span(after)
        span = Span(start.end_line, start.end_column, end.line, end.column, start.end, end.start)
        return ast.Cell(None, "", span)

    def header_cell(self, meta: Meta, children: list[Token]) -> ast.HeaderCell:
        names = [self.name(c) for c in children if c.type == "NAME"]
        span = self.span(meta)
        subject = ast.Subject(names[0], names[1] if len(names) > 1 else None, span)
        return ast.HeaderCell(subject, span)

    def header_row(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        cells = [c for c in children if isinstance(c, ast.HeaderCell)]
        separators = [str(c) for c in children[1:] if isinstance(c, Token)]
        return ("header", (tuple(cells), tuple(separators)))

    def hit_policy(self, meta: Meta, children: list[Token]) -> ast.HitPolicy:
        return ast.HitPolicy(tuple(str(c) for c in children), self.span(meta))

    def hit_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("hit", children[0])

    def output_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        strings = self._strings(children)
        decl = ast.OutputDecl(self.name(children[0]), children[1],
                              strings[0] if strings else None, self.span(meta))
        return ("output", decl)

    def order_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("order", tuple(children[0]))

    def distinct_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("distinct", tuple(children[0]))

    def complete_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("complete", True)

    def requires_evidence_clause(self, meta: Meta, children: list[Any]) -> tuple[str, Any]:
        return ("requires_evidence", True)

    def table_decl(self, meta: Meta, children: list[Any]) -> ast.TableDecl:
        clauses = [c for c in children if isinstance(c, tuple)]
        header, header_separators = next(v for k, v in clauses if k == "header")
        strings = self._strings(children)

        def first(key: str, default: Any) -> Any:
            return next((v for k, v in clauses if k == key), default)

        return ast.TableDecl(
            name=self.name(children[0]),
            title=strings[0] if strings else None,
            hit=first("hit", None),
            outputs=tuple(v for k, v in clauses if k == "output"),
            order_by=first("order", ()),
            distinct_by=first("distinct", ()),
            complete=first("complete", False),
            requires_evidence=first("requires_evidence", False),
            header=header,
            header_separators=header_separators,
            rows=tuple(c for c in children if isinstance(c, ast.Row)),
            span=self.span(meta),
        )

    # ---- examples and notes -------------------------------------------------------------------------

    def unknown_value(self, meta: Meta, children: list[Token]) -> Token:
        return children[0]  # `ldh: unknown`: read by `given` and `expect`

    def given(self, meta: Meta, children: list[Any]) -> ast.Given:
        if isinstance(children[-1], Token):
            return ast.Given(self.name(children[0]), (), self.span(meta), unknown=True)
        return ast.Given(self.name(children[0]), tuple(children[-1]), self.span(meta))

    def expect(self, meta: Meta, children: list[Any]) -> ast.Expect:
        if isinstance(children[-1], Token):
            return ast.Expect(children[0], (), self.span(meta), unknown=True)
        return ast.Expect(children[0], tuple(children[-1]), self.span(meta))

    def example_decl(self, meta: Meta, children: list[Any]) -> ast.ExampleDecl:
        return ast.ExampleDecl(
            self.name(children[0]), self.text_node(children[1]),
            tuple(c for c in children if isinstance(c, ast.Given)),
            tuple(c for c in children if isinstance(c, ast.Expect)),
            self.span(meta),
        )

    def rule_ref_list(self, meta: Meta, children: list[Any]) -> list[ast.Subject]:
        return [c for c in children if isinstance(c, ast.Subject)]

    def note_decl(self, meta: Meta, children: list[Any]) -> ast.NoteDecl:
        targets = next((c for c in children if isinstance(c, list)), [])
        return ast.NoteDecl(self.name(children[0]), tuple(targets), self.text_node(children[-1]),
                            self.span(meta))

    def quote_decl(self, meta: Meta, children: list[Any]) -> ast.QuoteDecl:
        targets = next(c for c in children if isinstance(c, list))
        return ast.QuoteDecl(self.name(children[0]), tuple(targets), self.text_node(children[-1]),
                             self.span(meta))

