"""The parser: Lark LALR over `grammar/mmdsl.lark`, one statement at a time.

A file is cut into statements at lines that start, at the left margin, with a statement keyword
(outside quoted text).
Each statement is parsed on its own, so one mistake yields one diagnostic and the rest of the file
is still read and checked: an author sees every problem of a run, not only the first.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.build import AstBuilder, MisplacedExpression
from mmdsl.syntax.hints import hint_for_character, hint_for_token
from mmdsl.syntax.messages import describe_unexpected_token
from mmdsl.syntax.rows import RowReader

STATEMENT_KEYWORDS = (
    "guideline", "version", "reference", "evidence", "caveat", "enum", "class", "input", "fact",
    "scope", "impossible", "table", "example", "note", "quote", "source",
)
_STATEMENT_START = re.compile(r"(" + "|".join(STATEMENT_KEYWORDS) + r")(?![\w-])")

MAX_NESTING = 32
"""`not`, `and`, `or` and brackets nested deeper than this are refused. No guideline needs it, and
every stage after the parser, the generated Python included, walks conditions recursively."""
NESTING_RULES = frozenset({"not_expr", "and_expr", "or_expr", "not_test", "not_list_test",
                           "sum", "product", "power", "negate", "choice"})
MAX_DIGITS = 15
"""Numbers have at most 15 digits: every one is then exact as a float, which the verifier and the
evaluators compute with (a longer one could silently turn into another number)."""


def grammar_text() -> str:
    """The grammar, read from the installed package (the one place that resolves it)."""
    return (resources.files("mmdsl") / "mmdsl.lark").read_text(encoding="utf-8")


@functools.cache
def lark_parser() -> Lark:
    # cache=True: Lark keeps the built parse table in the temporary folder, keyed by the grammar
    # and these options; a command then loads it in a few milliseconds instead of building it.
    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False, cache=True)


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
    if chunk.keyword == "table":
        table = parse_table_fast(source, chunk)
        if table is not None:
            return [table], None
    return parse_chunk_general(source, chunk)


def parse_chunk_general(source: Source,
                        chunk: Chunk) -> tuple[list[ast.Statement], Diagnostic | None]:
    """The statement parsed by the general grammar, token by token."""
    builder = AstBuilder(source.text, chunk.line_offset, chunk.char_offset,
                         chunk.char_offset + len(chunk.text))
    try:
        tree = lark_parser().parse(chunk.text + "\n")
    except UnexpectedInput as error:
        return [], syntax_diagnostic(source, chunk, error)
    beyond = beyond_limits(source, chunk, tree)
    if beyond is not None:
        return [], beyond
    try:
        return builder.transform(tree), None
    except (MisplacedExpression, VisitError) as error:
        misplaced = error.orig_exc if isinstance(error, VisitError) else error
        if not isinstance(misplaced, MisplacedExpression):
            raise
        return [], lookup("misplaced-expression").at(source.path, misplaced.span,
                                                     misplaced.message, help=misplaced.help)


def parse_table_fast(source: Source, chunk: Chunk) -> ast.TableDecl | None:
    """A table whose rows are all plain rows: its head parsed by the general grammar, its rows by
    the row reader (`mmdsl.syntax.rows`); None when the table must go the general way."""
    reader = row_reader()
    head_end = reader.head_end(chunk.text)
    if head_end is None:
        return None
    rows = reader.rows(chunk.text, head_end, chunk.char_offset, chunk.line_offset)
    if not rows:
        return None
    head, problem = parse_chunk_general(source, dataclasses.replace(chunk, text=chunk.text[:head_end]))
    if problem is not None or len(head) != 1 or not isinstance(head[0], ast.TableDecl):
        return None
    table, last = head[0], rows[-1].span
    span = Span(table.span.line, table.span.column, last.end_line, last.end_column,
                table.span.start, last.end)
    return dataclasses.replace(table, rows=tuple(rows), span=span)


@functools.cache
def row_reader() -> RowReader:
    divider = lark_parser().get_terminal("DIVIDER").pattern.to_regexp()
    return RowReader(grammar_text(), re.compile(divider), _beyond_limits_alone)


def _beyond_limits_alone(source: Source, tree: Tree[Token]) -> bool:
    """Whether a text parsed on its own nests too deeply or writes too long a number."""
    return beyond_limits(source, Chunk(source.text, 0, 0, None), tree) is not None


def split_statements(text: str) -> list[Chunk]:
    """Cut the text before each line that starts a statement; quoted text is never cut."""
    starts = [0] + [offset for offset in scan_text(text).line_starts
                    if offset and _STATEMENT_START.match(text, offset)]
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    chunks = []
    line = 0
    for begin, finish in bounds:
        piece = text[begin:finish]
        keyword = _STATEMENT_START.match(text, begin)
        chunks.append(Chunk(piece, line, begin, keyword.group(1) if keyword else None))
        line += piece.count("\n")  # counted chunk by chunk: linear in the file
    return [c for c in chunks if c.text.strip() or c.char_offset == 0]


@dataclass(frozen=True, slots=True)
class TextScan:
    line_starts: list[int]  # offsets of the lines that do not begin inside quoted text
    comment_starts: list[int]  # offsets of the `#` that start comments


def scan_text(text: str) -> TextScan:
    """The one reading of quoted text and comments, shared by the statement splitter and the
    comment finder (`mmdsl.syntax.comments`): a `#` inside quotes is text, a `"` inside a comment
    is comment, and a quote left open stops at the next line that starts a statement. Only the
    characters that can change that reading are visited (a large table is mostly other ones)."""
    line_starts: list[int] = []
    comment_starts: list[int] = []
    in_text = in_comment = False
    escaped = -1  # the offset of the character after a backslash in quoted text
    for match in _SCANNED.finditer(text):
        offset, char = match.start(), match.group()
        if in_text:
            if offset == escaped:
                pass  # `\"` and `\\`: the escaped character neither closes nor escapes
            elif char == "\\":
                escaped = offset + 1
            elif char == '"':
                in_text = False
        elif char == '"' and not in_comment:
            in_text = True
        elif char == "#" and not in_comment:
            in_comment = True
            comment_starts.append(offset)
        if char == "\n":
            in_comment = False
            if in_text and _STATEMENT_START.match(text, offset + 1):
                in_text, escaped = False, -1  # an unclosed quote stops at the next statement
            if not in_text:
                line_starts.append(offset + 1)
    return TextScan(line_starts, comment_starts)


_SCANNED = re.compile(r'["#\n\\]')


# ---- limits --------------------------------------------------------------------------------------


def beyond_limits(source: Source, chunk: Chunk, tree: Tree[Token]) -> Diagnostic | None:
    """The first place where a statement nests too deeply or writes too long a number; checked
    before the tree is built into nodes, by a walk that needs no recursion."""
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Token):
            if node.type in ("INT", "DECIMAL") and digit_count(node) > MAX_DIGITS:
                return _too_long(source, chunk, node)
            continue
        depth += node.data in NESTING_RULES
        if depth > MAX_NESTING:
            return _too_deep(source, chunk, node)
        stack.extend((child, depth) for child in reversed(node.children))
    return None


def digit_count(number: str) -> int:
    """The digits that carry the value: no sign, leading zeros or trailing decimal zeros."""
    whole, _, fraction = number.lstrip("-").partition(".")
    return len(whole.lstrip("0")) + len(fraction.rstrip("0")) or 1


def _too_long(source: Source, chunk: Chunk, token: Token) -> Diagnostic:
    start = chunk.char_offset + (token.start_pos or 0)
    shown = token if len(token) <= 40 else f"{token[:20]}…{token[-8:]}"
    return lookup("number-too-long").at(
        source.path, chunk_span(source, chunk, start, start + len(token)),
        f"`{shown}` has {digit_count(token)} digits; a number has at most {MAX_DIGITS}",
        help="check for a typo; a very large or very small quantity reads better in another unit")


def _too_deep(source: Source, chunk: Chunk, node: Tree[Token]) -> Diagnostic:
    start = chunk.char_offset + (node.meta.start_pos if not node.meta.empty else 0)
    return lookup("nesting-too-deep").at(
        source.path, chunk_span(source, chunk, start, start + 1),
        f"`not`, `and`, `or` and brackets nest more than {MAX_NESTING} levels deep here",
        help="name parts of the condition as derived facts (`fact NAME = …`) and use their names")


def chunk_span(source: Source, chunk: Chunk, start: int, end: int) -> Span:
    """The span of offsets `start` to `end` of the file, both inside `chunk` (or at its end),
    clamped to the text; lines and columns counted from the chunk, so the cost is the chunk's."""
    limit = min(len(source.text), chunk.char_offset + len(chunk.text))
    start, end = min(start, limit), min(max(end, start), limit)
    return Span(*_line_column(source, chunk, start), *_line_column(source, chunk, end), start, end)


def _line_column(source: Source, chunk: Chunk, offset: int) -> tuple[int, int]:
    line = chunk.line_offset + source.text.count("\n", chunk.char_offset, offset) + 1
    column = offset - (source.text.rfind("\n", chunk.char_offset, offset) + 1 or chunk.char_offset) + 1
    return line, column


# ---- syntax errors as diagnostics ---------------------------------------------------------------


def syntax_diagnostic(source: Source, chunk: Chunk, error: UnexpectedInput) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(source, chunk, error)
    assert isinstance(error, UnexpectedToken)
    hint = hint_for_token(source, chunk.char_offset, chunk.text, error,
                          functools.partial(chunk_span, source, chunk))
    if hint is not None:
        return hint
    token = error.token
    span = _token_span(source, chunk, token)
    message, help_text = describe_unexpected_token(token, set(error.expected), chunk.keyword,
                                                   lark_parser())
    return lookup("syntax-error").at(source.path, span, message, help=help_text)


def _unexpected_character(source: Source, chunk: Chunk, error: UnexpectedCharacters) -> Diagnostic:
    position = error.pos_in_stream or 0
    start = position + chunk.char_offset
    char = chunk.text[position] if position < len(chunk.text) else ""
    if char == '"':
        end_of_line = source.text.find("\n", start)
        end_of_line = len(source.text) if end_of_line < 0 else end_of_line
        return lookup("unterminated-text").at(
            source.path, chunk_span(source, chunk, start, end_of_line),
            "this quoted text is never closed",
            help='add the closing `"`; to write a quote inside text, write `\\"`')
    hint = hint_for_character(source, chunk.char_offset, chunk.text, position,
                              functools.partial(chunk_span, source, chunk))
    if hint is not None:
        return hint
    span = chunk_span(source, chunk, start, start + 1)
    if unicodedata.category(char) == "Cf":  # bidirectional controls, zero-width characters
        return lookup("suspicious-name").at(
            source.path, span, f"{_hidden_kind(char)} (U+{ord(char):04X}) hides here",
            help="delete it: it can make the file display differently from what it says")
    visible = char.isprintable() and unicodedata.category(char) not in ("Mn", "Me", "Zs")
    shown = char if visible else f"U+{ord(char):04X}"
    return lookup("unexpected-character").at(
        source.path, span, f"unexpected character `{shown}`",
        help=_combining_help(chunk.text[:position], char) or "remove it, or put the text in quotes")


def _combining_help(before: str, char: str) -> str | None:
    """For a combining mark after a letter (`e` and U+0301, as some keyboards and copies from
    PDFs write `é`): the one character it composes to, which a name may hold."""
    if not before or unicodedata.category(char) not in ("Mn", "Mc", "Me"):
        return None
    composed = unicodedata.normalize("NFC", before[-1] + char)
    if len(composed) != 1:
        return ("a combining mark cannot be part of a name: remove it (names are letters, "
                "digits and `_`), or put the text in quotes")
    return (f"`{before[-1]}` followed by U+{ord(char):04X} (a combining mark) is `{composed}` "
            f"written in two characters: retype it as the single letter `{composed}` "
            "(Unicode NFC), which a name may hold")


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Embeddings, overrides, isolates and marks: they change the order in which text is displayed."""


def _hidden_kind(char: str) -> str:
    return "a bidirectional control" if char in BIDI_CONTROLS else "an invisible character"


def _token_span(source: Source, chunk: Chunk, token: Token) -> Span:
    """The token's span; a line break or the end of the statement is a caret after the last word
    (Lark gives the end the position of the statement's last token, its line break, rather than
    the start of the next statement after the blank and comment lines between them)."""
    if token.type == "$END" or token.start_pos is None:
        last = len(chunk.text) if token.start_pos is None else min(token.start_pos, len(chunk.text))
        last = len(chunk.text[:max(last, 0)].rstrip(" \t"))  # before a comment's blanks too
        end = chunk.char_offset + last
        return chunk_span(source, chunk, end, end)
    start = token.start_pos + chunk.char_offset
    value = str(token)
    if token.type in ("_NL", "AND", "OR", "COMMA", "EQ") and "\n" in value:
        value = value.split("\n", 1)[0]
    width = len(value.rstrip())
    return chunk_span(source, chunk, start, start + width)
