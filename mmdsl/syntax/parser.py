"""The parser: Lark LALR over `grammar/mmdsl.lark`, one statement at a time.

A file is cut into statements at lines that start, at the left margin, with a statement keyword
(outside quoted text).
Each statement is parsed on its own, so one mistake yields one diagnostic and the rest of the file
is still read and checked: an author sees every problem of a run, not only the first.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from lark import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.build import AstBuilder
from mmdsl.syntax.messages import describe_unexpected_token

STATEMENT_KEYWORDS = (
    "guideline", "version", "reference", "evidence", "caveat", "enum", "class", "input", "fact",
    "scope", "table", "example", "note", "quote",
)
_STATEMENT_START = re.compile(r"(" + "|".join(STATEMENT_KEYWORDS) + r")(?![\w-])")


def grammar_text() -> str:
    """The grammar, read from the installed package (the one place that resolves it)."""
    return (resources.files("mmdsl") / "mmdsl.lark").read_text(encoding="utf-8")


@functools.cache
def lark_parser() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of lines holding one statement (or the stray text before the first one)."""

    text: str
    line_offset: int
    char_offset: int
    keyword: str | None


def parse_module(source: Source) -> tuple[ast.Module, list[Diagnostic]]:
    """The AST of a whole file and the syntax diagnostics of every statement that failed."""
    statements: list[ast.Statement] = []
    diagnostics: list[Diagnostic] = []
    for chunk in split_statements(source.text):
        parsed, problem = parse_chunk(source, chunk)
        statements.extend(parsed)
        if problem is not None:
            diagnostics.append(problem)
    end = len(source.text)
    lines = source.text.count("\n") + 1
    module = ast.Module(source.path, tuple(statements), Span(1, 1, lines, 1, 0, end))
    return module, diagnostics


def parse_chunk(source: Source, chunk: Chunk) -> tuple[list[ast.Statement], Diagnostic | None]:
    builder = AstBuilder(source.text, chunk.line_offset, chunk.char_offset,
                         chunk.char_offset + len(chunk.text))
    try:
        tree = lark_parser().parse(chunk.text + "\n")
    except UnexpectedInput as error:
        return [], syntax_diagnostic(source, chunk, error)
    return builder.transform(tree), None


def split_statements(text: str) -> list[Chunk]:
    """Cut the text before each line that starts a statement; quoted text is never cut."""
    starts = [0] + [offset for offset in _line_starts_outside_text(text)
                    if offset and _STATEMENT_START.match(text, offset)]
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    chunks = []
    for begin, finish in bounds:
        piece = text[begin:finish]
        keyword = _STATEMENT_START.match(text, begin)
        chunks.append(Chunk(piece, text.count("\n", 0, begin), begin,
                            keyword.group(1) if keyword else None))
    return [c for c in chunks if c.text.strip() or c.char_offset == 0]


def _line_starts_outside_text(text: str) -> list[int]:
    """Offsets of the lines that do not begin inside quoted text."""
    starts = []
    in_text = in_comment = escaped = False
    for offset, char in enumerate(text):
        if in_text:
            in_text, escaped = _advance_text(char, escaped)
        elif char == '"' and not in_comment:
            in_text = True
        elif char == "#":
            in_comment = True
        if char == "\n":
            in_comment = False
            if in_text and _STATEMENT_START.match(text, offset + 1):
                in_text = escaped = False  # an unclosed quote stops at the next statement
            if not in_text:
                starts.append(offset + 1)
    return starts


def _advance_text(char: str, escaped: bool) -> tuple[bool, bool]:
    """Inside quoted text: (still inside?, is the next character escaped?)."""
    if escaped:
        return True, False
    if char == "\\":
        return True, True
    return char != '"', False


# ---- syntax errors as diagnostics ---------------------------------------------------------------


def syntax_diagnostic(source: Source, chunk: Chunk, error: UnexpectedInput) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(source, chunk, error)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    span = _token_span(chunk, token)
    message, help_text = describe_unexpected_token(token, set(error.expected), chunk.keyword,
                                                   lark_parser())
    return lookup("syntax-error").at(source.path, span, message, help=help_text)


def _unexpected_character(source: Source, chunk: Chunk, error: UnexpectedCharacters) -> Diagnostic:
    position = error.pos_in_stream or 0
    line = error.line + chunk.line_offset
    column = error.column
    start = position + chunk.char_offset
    char = chunk.text[position] if position < len(chunk.text) else ""
    if char == '"':
        end_of_line = source.text.find("\n", start)
        end_of_line = len(source.text) if end_of_line < 0 else end_of_line
        span = Span(line, column, line, column + (end_of_line - start), start, end_of_line)
        return lookup("unterminated-text").at(
            source.path, span, "this quoted text is never closed",
            help='add the closing `"`; to write a quote inside text, write `\\"`')
    span = Span(line, column, line, column + 1, start, start + 1)
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    return lookup("unexpected-character").at(
        source.path, span, f"unexpected character `{shown}`",
        help="remove it, or put the text in quotes")


def _token_span(chunk: Chunk, token: Token) -> Span:
    if token.type == "$END" or token.line is None:
        lines = chunk.text.count("\n")
        end = chunk.char_offset + len(chunk.text)
        return Span(chunk.line_offset + lines + 1, 1, chunk.line_offset + lines + 1, 2, end, end)
    line = token.line + chunk.line_offset
    column = token.column or 1
    start = (token.start_pos or 0) + chunk.char_offset
    value = str(token)
    if token.type in ("_NL", "AND", "OR", "COMMA", "EQ") and "\n" in value:
        value = value.split("\n", 1)[0] or " "
    width = max(1, len(value.rstrip()) or 1)
    return Span(line, column, line, column + width, start, start + width)
