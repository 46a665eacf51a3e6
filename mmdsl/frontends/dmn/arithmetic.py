"""FEEL arithmetic literal expressions to mmdsl computed facts (`fact NAME = EXPR`).

A literal-expression decision whose type is a number becomes a computed fact, written in mmdsl's
arithmetic: `+ - * / **`, unary minus, parentheses, integer and decimal literals, and the names of
numeric inputs and facts. Every operation is written in parentheses (`(a - b) - c`,
`10 ** (-5)`), so that the text means the same whatever the precedence and associativity of the
two languages; `-a ** b` without brackets, which engines read differently, is refused.

What has no mmdsl equivalent is refused with the reason (ArithmeticProblem), never approximated:
- `null`: FEEL arithmetic with null gives null; an mmdsl number always has a value;
- a division by a constant zero: FEEL gives null; mmdsl has no null number;
- a power whose exponent is not a whole number from 0 to 10 written as a number (mmdsl's rule);
- names of values that are not numbers, or that a fact cannot read (a table's result);
- functions (`max(...)`, `decimal(...)`), strings, dates, lists, contexts, `if` expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.mmdsltext import number_text

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_WORD = re.compile(r"[^\W\d]\w*")
MAX_EXPONENT = 10  # the language's own limit (docs/language.md, computed numbers)
_OPERATORS = ("**", "+", "-", "*", "/", "(", ")", ".", ",")  # `,` to reach a call's name


class ArithmeticProblem(Exception):
    """What in the expression mmdsl cannot compute with the same result; `offset` is where."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Name:
    ref: str  # the mmdsl name it reads


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Arith


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / **
    left: Arith
    right: Arith


Arith = Number | Name | Negate | Binary

@cache
def computed_facts_parse() -> bool:
    """Whether this mmdsl's grammar has computed facts (`fact NAME "..." = a * 2`).

    They are being added to the language in parallel with this translation (issue 18, item 2);
    until they are, the import refuses number decisions with MD702 rather than writing text
    that does not parse. Remove this probe once the grammar has them for good."""
    from mmdsl.diagnostics import has_errors
    from mmdsl.source import Source
    from mmdsl.syntax.parser import parse_module

    probe = 'guideline g "g"\ninput a: decimal 0..10 "a"\nfact f "f" = (a * 2) - 1\n'
    return not has_errors(parse_module(Source("<probe>", probe))[1])


Resolve = Callable[[str, int], str]
"""A FEEL name (possibly a path `loan.rate`) and its offset to the mmdsl name of a number it
reads; raises ArithmeticProblem when the name is no such number."""


def translate_arithmetic(text: str, names: feel.NameIndex, resolve: Resolve,
                         max_digits: int) -> str:
    """The mmdsl expression for the FEEL arithmetic `text`; raises ArithmeticProblem."""
    parser = _Parser(_tokens(text, names), resolve)
    expr = parser.additive()
    if parser.token.kind != "end":
        raise parser.problem("expected an operator or the end of the expression")
    _check_literals(expr, max_digits)
    _check_divisions(expr)
    expr = _folded_exponents(expr)
    _check_powers(expr)
    return _text(expr)


# ---- tokens ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number, name, op, end
    text: str
    offset: int


def _tokens(text: str, names: feel.NameIndex) -> list[_Token]:
    tokens = []
    offset = 0
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
            continue
        token = _next(text, offset, names)
        tokens.append(token)
        offset += len(token.text)
    return [*tokens, _Token("end", "", len(text))]


def _next(text: str, offset: int, names: feel.NameIndex) -> _Token:
    if number := _NUMBER.match(text, offset):
        return _Token("number", number.group(), offset)
    if name := names.match(text, offset):
        return _Token("name", name, offset)
    if word := _WORD.match(text, offset):
        return _Token("name", word.group(), offset)
    for op in _OPERATORS:
        if text.startswith(op, offset):
            return _Token("op", op, offset)
    char = text[offset]
    what = "a string" if char == '"' else "a date, time or duration" if char == "@" \
        else f"`{char}`"
    raise ArithmeticProblem(f"{what} in a computed number has no mmdsl equivalent", offset)


# ---- parsing (FEEL's precedence: additive < multiplicative < ** < negation) ----------------------


class _Parser:
    def __init__(self, tokens: list[_Token], resolve: Resolve) -> None:
        self.tokens, self.position, self.resolve, self.depth = tokens, 0, resolve, 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.position]

    def advance(self) -> _Token:
        token = self.token
        self.position = min(self.position + 1, len(self.tokens) - 1)
        return token

    def at(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.text in ops

    def problem(self, message: str) -> ArithmeticProblem:
        found = "the end of the text" if self.token.kind == "end" else f"`{self.token.text}`"
        return ArithmeticProblem(f"{message}, found {found}", self.token.offset)

    def additive(self) -> Arith:
        expr = self.multiplicative()
        while self.at("+", "-"):
            op = self.advance().text
            expr = Binary(op, expr, self.multiplicative())
        return expr

    def multiplicative(self) -> Arith:
        expr = self.power()
        while self.at("*", "/"):
            op = self.advance().text
            expr = Binary(op, expr, self.power())
        return expr

    def power(self) -> Arith:
        negative = self.at("-")
        expr = self.negation()
        if negative and self.at("**"):
            raise self.problem("`-a ** b` is read as `(-a) ** b` by FEEL's precedence and "
                               "otherwise by some engines; write the brackets")
        while self.at("**"):
            self.advance()
            expr = Binary("**", expr, self.negation())
        return expr

    def negation(self) -> Arith:
        if self.at("-"):
            self.advance()
            operand = self.negation()
            return Number(-operand.value) if isinstance(operand, Number) else Negate(operand)
        return self.atom()

    def atom(self) -> Arith:
        token = self.token
        if self.at("("):
            self.depth += 1
            if self.depth > 100:
                raise self.problem("brackets nested more than 100 deep")
            self.advance()
            expr = self.additive()
            if not self.at(")"):
                raise self.problem("expected `)`")
            self.advance()
            self.depth -= 1
            return expr
        if token.kind == "number":
            self.advance()
            return Number(Decimal(token.text))
        if token.kind == "name":
            return self.name()
        raise self.problem("expected a number, a name or `(`")

    def name(self) -> Arith:
        token = self.advance()
        if token.text == "null":
            raise ArithmeticProblem("`null` in arithmetic gives null in DMN; an mmdsl number "
                                    "always has a value", token.offset)
        if token.text in ("if", "for", "some", "every", "true", "false", "not"):
            raise ArithmeticProblem(f"`{token.text}` in a computed number is not translated",
                                    token.offset)
        if self.at("("):
            raise ArithmeticProblem(f"the function `{token.text}(...)` has no mmdsl equivalent",
                                    token.offset)
        path = token.text
        while self.at(".") and self.tokens[self.position + 1].kind == "name":
            self.advance()
            path += "." + self.advance().text
        return Name(self.resolve(path, token.offset))


# ---- checks and writing ------------------------------------------------------------------------------


def _check_literals(expr: Arith, max_digits: int) -> None:
    from mmdsl.syntax.parser import digit_count

    for number in _numbers(expr):
        if digit_count(number_text(number)) > max_digits:
            raise ArithmeticProblem(f"the number {number_text(number)} has more than "
                                    f"{max_digits} digits", 0)


def _numbers(expr: Arith) -> list[Decimal]:
    match expr:
        case Number(value=value):
            return [value]
        case Negate(operand=operand):
            return _numbers(operand)
        case Binary(left=left, right=right):
            return _numbers(left) + _numbers(right)
    return []


def _check_divisions(expr: Arith) -> None:
    """A division by a constant zero gives null in DMN: refused."""
    match expr:
        case Negate(operand=operand):
            _check_divisions(operand)
        case Binary(op=op, left=left, right=right):
            _check_divisions(left)
            _check_divisions(right)
            if op == "/" and _constant(right) == 0:
                raise ArithmeticProblem("a division by zero gives null in DMN; an mmdsl number "
                                        "always has a value", 0)


def _folded_exponents(expr: Arith) -> Arith:
    """An exponent of numbers alone written as its value (`2 ** (5 + 3)` is `2 ** 8`): mmdsl's
    exponent is a number as written; the value is exact (whole numbers)."""
    match expr:
        case Negate(operand=operand):
            return Negate(_folded_exponents(operand))
        case Binary(op=op, left=left, right=right):
            left, right = _folded_exponents(left), _folded_exponents(right)
            value = _constant(right) if op == "**" else None
            if value is not None and value % 1 == 0:
                right = Number(value.to_integral_value())
            return Binary(op, left, right)
    return expr


def _check_powers(expr: Arith) -> None:
    """mmdsl's exponent is a whole number from 0 to 10, written as a number (MD319)."""
    match expr:
        case Negate(operand=operand):
            _check_powers(operand)
        case Binary(op=op, left=left, right=right):
            _check_powers(left)
            _check_powers(right)
            if op == "**" and not (isinstance(right, Number) and right.value % 1 == 0
                                   and 0 <= right.value <= MAX_EXPONENT):
                raise ArithmeticProblem(f"the power `** {_text(right)}`: mmdsl's exponent is a "
                                        f"whole number from 0 to {MAX_EXPONENT}, written as a "
                                        "number", 0)


def _constant(expr: Arith) -> Decimal | None:
    """The value of an expression of numbers alone (None when it reads a name or fails)."""
    try:
        match expr:
            case Number(value=value):
                return value
            case Negate(operand=operand):
                inner = _constant(operand)
                return None if inner is None else -inner
            case Binary(op=op, left=left, right=right):
                a, b = _constant(left), _constant(right)
                if a is None or b is None:
                    return None
                if op == "**":
                    return a ** b if b == b.to_integral_value() and abs(b) < 1000 else None
                return {"+": a + b, "-": a - b, "*": a * b}.get(op) if op != "/" else \
                    (a / b if b else None)
    except (InvalidOperation, ArithmeticError):
        return None
    return None


def _text(expr: Arith) -> str:
    match expr:
        case Number(value=value):
            text = number_text(value)
            return f"({text})" if value < 0 else text
        case Name(ref=ref):
            return ref
        case Negate(operand=operand):
            return f"(-{_operand(operand)})"
        case Binary(op=op, left=left, right=right):
            return f"{_operand(left)} {op} {_operand(right)}"
    raise TypeError(expr)


def _operand(expr: Arith) -> str:
    text = _text(expr)
    return f"({text})" if isinstance(expr, Binary) else text
