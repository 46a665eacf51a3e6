"""The words of one statement as the parser reads them, and the spaces the layout puts between them.

Tokens come from the parser itself (Lark's interactive parser, so the contextual lexer sees the
same states as when it parses), which makes the formatter read a statement exactly as `mmdsl check`
does. An `Atom` is a token as printed: the tokens that swallow line breaks and comments (`=`, `,`,
`and`, `or`) are cut down to their word, and the line they end up on is recorded, since the
layout keeps every line break where the author put it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lark import Token

from mmdsl.syntax.parser import Chunk, lark_parser

BREAKING = {"EQ": "=", "COMMA": ",", "AND": "and", "OR": "or", "PLUS": "+", "MINUS": "-",
            "TIMES": "*", "DIVIDE": "/", "POWER": "**"}
"""Tokens that may carry line breaks and comments, and the word each stands for."""

OPERAND_ENDS = {"NAME", "INT", "DECIMAL", "RPAR"}  # after one of these, `-` subtracts
NO_SPACE_BEFORE = {",", ":", ")", "..", "."}  # (quoted text always starts with `"`)
NO_SPACE_AFTER = {"(", "..", "."}


@dataclass(frozen=True, slots=True)
class Atom:
    kind: str  # the token type (NAME, STRING, COMMA, PIPE, SEP, DIVIDER, …)
    text: str  # as printed: the word alone, without line breaks or comments
    line: int  # the file's line of its first character (of the word, for `and` / `or`)
    end_line: int  # the line of its last character (after `line` only for quoted text)
    start: int  # offsets in the file
    end: int
    opens_line: bool  # the first atom after the end of a statement's line (a sub-line)


def statement_atoms(chunk: Chunk) -> list[Atom]:
    """The atoms of a statement that parses; line-ending tokens only mark the next atom."""
    atoms: list[Atom] = []
    after_line_end = False
    for token in _tokens(chunk):
        if token.type == "_NL":
            after_line_end = bool(atoms)
            continue
        atom = _atom(token, chunk, after_line_end)
        if atom.kind == "MINUS" and (not atoms or atoms[-1].kind not in OPERAND_ENDS):
            atom = replace(atom, kind="NEGATE")  # `-x`: a sign, written against its operand
        atoms.append(atom)
        after_line_end = False
    return atoms


def _tokens(chunk: Chunk) -> list[Token]:
    return list(lark_parser().parse_interactive(chunk.text + "\n").iter_parse())


def _atom(token: Token, chunk: Chunk, opens_line: bool) -> Atom:
    line = (token.line or 1) + chunk.line_offset
    end_line = (token.end_line or 1) + chunk.line_offset
    start = (token.start_pos or 0) + chunk.char_offset
    end = (token.end_pos or 0) + chunk.char_offset
    text = str(token)
    if token.type in BREAKING:
        word = BREAKING[token.type]
        line += _lines_before_word(text, word)
        return Atom(token.type, word, line, line, start, end, opens_line)
    return Atom(token.type, text, line, end_line, start, end, opens_line)


def _lines_before_word(text: str, word: str) -> int:
    """How many line breaks come before the word in a token such as `# note\\n    and`."""
    pieces = text.split("\n")
    return next(i for i, piece in enumerate(pieces) if piece.lstrip(" \t").startswith(word))


def spaced(before: Atom, after: Atom) -> bool:
    """Whether one space separates two atoms written on the same line."""
    if after.text in NO_SPACE_BEFORE or after.kind == "RANGE_CLOSE":
        return False
    return not (before.text in NO_SPACE_AFTER or before.kind in ("RANGE_OPEN", "NEGATE"))
