"""FEEL arithmetic into mmdsl arithmetic: a literal-expression decision of type number becomes a
numeric fact (`fact bmi = weight / (height * height)`).

What is read: numbers, the names of inputs and facts, `+ - * /`, `**` with a whole exponent,
a sign, brackets, and `if C then A else B` whose condition is one that facts already import
(read by `condition`, given by the translator). Every operation is written in brackets, so that
mmdsl computes in the order FEEL does; anything else is a FeelError at its offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mmdsl.frontends.dmn.feel import FeelError, NameIndex

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d]\w*")
_OPERATORS = ("**", "+", "-", "*", "/", "(", ")")
_KEYWORDS = ("if", "then", "else")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number, name, op, keyword, end
    text: str
    offset: int


def translate(text: str, names: NameIndex, refs: Callable[[str], str | None],
              condition: Callable[[str, int], str]) -> str:
    """The mmdsl arithmetic of a FEEL expression. `refs`: the mmdsl reference of a DMN name
    (None for one a fact cannot read); `condition`: the mmdsl text of the FEEL condition that
    starts at an offset of `text` (raising FeelError)."""
    return _Parser(text, _tokens(text, names), refs, condition).whole()


def _tokens(text: str, names: NameIndex) -> list[_Token]:
    tokens: list[_Token] = []
    offset = 0
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
            continue
        tokens.append(_token(text, offset, names))
        offset += len(tokens[-1].text)
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _token(text: str, offset: int, names: NameIndex) -> _Token:
    if number := _NUMBER.match(text, offset):
        return _Token("number", number.group(), offset)
    if name := names.match(text, offset):
        return _Token("name", name, offset)
    if word := _WORD.match(text, offset):
        return _Token("keyword" if word.group() in _KEYWORDS else "name", word.group(), offset)
    for op in _OPERATORS:
        if text.startswith(op, offset):
            return _Token("op", op, offset)
    return _Token("other", text[offset], offset)  # part of a condition, or an error


class _Parser:
    def __init__(self, text: str, tokens: list[_Token], refs: Callable[[str], str | None],
                 condition: Callable[[str, int], str]) -> None:
        self.text, self.tokens, self.refs, self.condition = text, tokens, refs, condition
        self.position = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.position]

    def take(self) -> _Token:
        token = self.token
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        if self.token.text != text:
            raise FeelError(f"expected `{text}` in arithmetic", self.token.offset)
        self.take()

    def whole(self) -> str:
        result = self.expression()
        if self.token.kind != "end":
            raise FeelError(f"unexpected `{self.token.text}` in arithmetic", self.token.offset)
        return result

    def expression(self) -> str:
        if self.token.text == "if":
            return self.choice()
        return self.sum()

    def choice(self) -> str:
        self.take()
        start, depth = self.token.offset, 0
        while not (self.token.text == "then" and depth == 0):  # the condition: up to its `then`
            if self.token.kind == "end":
                raise FeelError("`if` without `then`", start)
            depth += {"(": 1, ")": -1, "if": 1, "else": -1}.get(self.token.text, 0)
            self.take()
        condition = self.condition(self.text[start:self.token.offset].rstrip(), start)
        self.take()
        then = self.expression()
        self.expect("else")
        otherwise = self.expression()
        return f"(if {condition} then {then} else {otherwise})"

    def sum(self) -> str:
        result = self.product()
        while self.token.text in ("+", "-"):
            op = self.take().text
            result = f"({result} {op} {self.product()})"
        return result

    def product(self) -> str:
        result = self.unary()
        while self.token.text in ("*", "/"):
            op = self.take().text
            result = f"({result} {op} {self.unary()})"
        return result

    def unary(self) -> str:
        if self.token.text == "-":
            self.take()
            return f"-{self.unary()}"
        return self.power()

    def power(self) -> str:
        base = self.atom()
        if self.token.text != "**":
            return base
        self.take()
        exponent = self.token
        if exponent.kind != "number" or "." in exponent.text:
            raise FeelError("an exponent that is not a whole number", exponent.offset)
        self.take()
        return f"({base} ** {exponent.text})"

    def atom(self) -> str:
        token = self.take()
        if token.kind == "number":
            return token.text
        if token.kind == "name":
            ref = self.refs(token.text)
            if ref is None:
                raise FeelError(f"expected the name of an input or a decision, found "
                                f"`{token.text}`", token.offset)
            return ref
        if token.text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        raise FeelError(f"unexpected `{token.text or 'end'}` in arithmetic", token.offset)
