"""FEEL text literal expressions to mmdsl text facts (`fact NAME = "Hello " + full_name`).

A literal-expression decision whose type is a string, joining strings with `+`: string literals,
the names of text inputs, of enumeration inputs whose members are written as their DMN strings
(the member's name is the text), and of other text facts; brackets, and `if C then A else B`
whose condition is an mmdsl condition (`mmdsl.frontends.dmn.translate` reads it). Anything else
(a number, a function such as `string(x)` or `substring`, `null`) is refused with the reason
(ArithmeticProblem), never approximated. A string goes into the mmdsl text through
`mmdsltext.quote_exact`: one that mmdsl's quoted text cannot hold exactly (a line break, a control
character) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.arithmetic import ArithmeticProblem
from mmdsl.frontends.dmn.mmdsltext import quote_exact

ResolveText = Callable[[str, int], str]  # a FEEL name at an offset -> the mmdsl name (or raises)
Condition = Callable[[str, int], str]  # a FEEL condition at an offset -> mmdsl (or raises)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_OPERATORS = ("+", "(", ")", "<=", ">=", "!=", "<", ">", "=", "[", "]", ",", "..", "-", ".")
MAX_DEPTH = 100


def translate_text(text: str, names: feel.NameIndex, resolve: ResolveText,
                   condition: Condition, model_names: feel.NameIndex | None = None) -> str:
    """The mmdsl expression for the FEEL text expression `text`; raises ArithmeticProblem.

    `names` are the names the text may read; `model_names`, every name of the model, so that a
    name a text may not read (a table's result, a decision left out) is still read as one name,
    spaces and FEEL's additional name symbols (`Teacher's Evaluation`) and all, and refused as
    itself by `resolve` rather than at its first sign."""
    parser = _Parser(_tokens(text, names, model_names), text, resolve, condition)
    expr = parser.joined()
    if parser.kind != "end":
        raise parser.problem("expected `+` or the end of the expression")
    return expr


def _tokens(text: str, names: feel.NameIndex,
            model_names: feel.NameIndex | None = None) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    offset = 0
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
            continue
        if string := _STRING.match(text, offset):
            token = ("string", string.group(), offset)
        elif name := _longest(names.match(text, offset),
                              model_names.match(text, offset) if model_names else None):
            token = ("name", name, offset)
        elif word := _WORD.match(text, offset):
            token = ("name", word.group(), offset)
        elif op := next((o for o in _OPERATORS if text.startswith(o, offset)), None):
            token = ("op", op, offset)
        elif number := _NUMBER.match(text, offset):  # in a condition; refused as text
            token = ("number", number.group(), offset)
        else:
            raise ArithmeticProblem(f"`{text[offset]}` in a text expression is not translated",
                                    offset)
        tokens.append(token)
        offset += len(token[1])
    return [*tokens, ("end", "", len(text))]


def _longest(first: str | None, second: str | None) -> str | None:
    if first is None or second is None:
        return first or second
    return max(first, second, key=len)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], text: str, resolve: ResolveText,
                 condition: Condition) -> None:
        self.tokens, self.position, self.text = tokens, 0, text
        self.resolve, self.condition, self.depth = resolve, condition, 0

    @property
    def kind(self) -> str:
        return self.tokens[self.position][0]

    @property
    def word(self) -> str:
        return self.tokens[self.position][1]

    @property
    def offset(self) -> int:
        return self.tokens[self.position][2]

    def at(self, kind: str, word: str) -> bool:
        return self.kind == kind and self.word == word

    def advance(self) -> None:
        self.position = min(self.position + 1, len(self.tokens) - 1)

    def problem(self, message: str) -> ArithmeticProblem:
        found = "the end of the text" if self.kind == "end" else f"`{self.word}`"
        return ArithmeticProblem(f"{message}, found {found}", self.offset)

    def joined(self) -> str:
        parts = [self.atom()]
        while self.at("op", "+"):
            self.advance()
            parts.append(self.atom())
        return " + ".join(parts)

    def atom(self) -> str:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.problem(f"expressions nested more than {MAX_DEPTH} deep")
        try:
            if self.at("op", "("):
                self.advance()
                inner = self.joined()
                if not self.at("op", ")"):
                    raise self.problem("expected `)`")
                self.advance()
                return f"({inner})"
            if self.kind == "string":
                return self.string()
            if self.at("name", "if"):
                return self.choice()
            if self.kind == "name":
                return self.name()
            if self.kind == "number":
                raise ArithmeticProblem("a number in a text expression: mmdsl joins text only",
                                        self.offset)
            raise self.problem("expected a string, a name or `(`")
        finally:
            self.depth -= 1

    def string(self) -> str:
        offset, written = self.offset, self.word
        try:
            value = feel.parse_literal(written)
        except feel.FeelError as error:
            raise ArithmeticProblem(error.message, offset + error.offset) from error
        assert value is not None and isinstance(value.value, str)
        quoted = quote_exact(value.value)
        if quoted is None:
            raise ArithmeticProblem(f"the string {written} holds a line break or a control "
                                    "character, which mmdsl's quoted text cannot hold", offset)
        self.advance()
        return quoted

    def name(self) -> str:
        offset, word = self.offset, self.word
        if word in ("null", "true", "false", "then", "else", "for", "some", "every", "not"):
            raise ArithmeticProblem(f"`{word}` in a text expression is not translated", offset)
        self.advance()
        if self.at("op", "("):
            raise ArithmeticProblem(f"the function `{word}(...)` has no mmdsl equivalent",
                                    offset)
        path = word
        while self.at("op", ".") and self.tokens[self.position + 1][0] == "name":
            self.advance()
            path += "." + self.word
            self.advance()
        return self.resolve(path, offset)

    def choice(self) -> str:
        """`if C then A else B`: C is the text up to the `then` outside brackets."""
        start = self.offset + len("if")
        self.advance()
        depth = 0
        while not (depth == 0 and self.at("name", "then")):
            if self.kind == "end":
                raise self.problem("expected `then`")
            depth += (self.kind == "op" and self.word in "([") - (
                self.kind == "op" and self.word in ")]")
            self.advance()
        condition = self.condition(self.text[start:self.offset].strip(), start)
        self.advance()
        then = self.joined()
        if not self.at("name", "else"):
            raise self.problem("expected `else`")
        self.advance()
        otherwise = self.joined()
        return f"(if {condition} then {then} else {otherwise})"
