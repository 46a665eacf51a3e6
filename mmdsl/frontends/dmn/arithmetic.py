"""FEEL arithmetic literal expressions to mmdsl computed facts (`fact NAME = EXPR`).

A literal-expression decision whose type is a number becomes a computed fact, written in mmdsl's
arithmetic: `+ - * / **`, unary minus, parentheses, integer and decimal literals, and the names of
numeric inputs and facts. Every operation is written in parentheses (`(a - b) - c`,
`10 ** (-5)`), so that the text means the same whatever the precedence and associativity of the
two languages; `-a ** b` without brackets, which engines read differently, is refused.

`null` is written `unknown` (arithmetic over it is unknown in both languages), and so is a
division by a constant zero, which FEEL gives as null (`(10 + 20) / 0` is `unknown`).

What has no mmdsl equivalent is refused with the reason (ArithmeticProblem), never approximated:
- an `if` whose condition reads a value that may be null: FEEL takes the `else`, where mmdsl's
  number is unknown (the caller's `condition` refuses it);
- a power whose exponent is a constant that is not a whole number from -1000 to 1000 (mmdsl's
  rule; an exponent that reads names is the compiler's to check, MD319, over their ranges);
- names of values that are not numbers, or that a fact cannot read (a table's result);
- functions (`max(...)`, `decimal(...)`), strings, dates, lists, contexts;
- an `if` whose condition is not an mmdsl condition (`mmdsl.frontends.dmn.translate` reads it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mmdsl.dmn import model as m
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.mmdsltext import number_text
from mmdsl.semantics.arithmetic import MAX_EXPONENT

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_WORD = re.compile(r"[^\W\d]\w*")

# `,` to reach a call's name; the comparisons and brackets of an `if`'s condition
_OPERATORS = ("**", "+", "-", "*", "/", "(", ")", "..", ".", ",", "<=", ">=", "!=", "<", ">",
              "=", "[", "]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


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
class Null:
    """FEEL's `null` (or a division by a constant zero): mmdsl's `unknown` number."""


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Arith


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / **
    left: Arith
    right: Arith


@dataclass(frozen=True, slots=True)
class Choice:
    """`if CONDITION then A else B`: the condition already in mmdsl (FEEL's null, which would
    take the `else`, does not occur: mmdsl values are never missing)."""

    condition: str
    then: Arith
    otherwise: Arith


Arith = Number | Name | Negate | Binary | Choice | Null

Resolve = Callable[[str, int], str]
"""A FEEL name (possibly a path `loan.rate`) and its offset to the mmdsl name of a number it
reads; raises ArithmeticProblem when the name is no such number."""
Condition = Callable[[str, int], str]
"""An `if`'s FEEL condition and its offset to an mmdsl condition; raises ArithmeticProblem."""


def no_conditions(text: str, offset: int) -> str:
    raise ArithmeticProblem("`if` in a computed number is not translated", offset)


def translate_arithmetic(text: str, names: feel.NameIndex, resolve: Resolve,
                         max_digits: int, condition: Condition = no_conditions,
                         formulas: Mapping[str, m.Formula] | None = None) -> str:
    """The mmdsl expression for the FEEL arithmetic `text`; raises ArithmeticProblem. A call of
    one of `formulas` (knowledge models whose logic is a literal expression) is inlined: its body
    with each parameter replaced by the argument, in brackets."""
    parser = _Parser(_tokens(text, names), resolve, text, condition, formulas or {})
    expr = parser.additive()
    if parser.token.kind != "end":
        raise parser.problem("expected an operator or the end of the expression")
    _check_literals(expr, max_digits)
    expr = _null_divisions(expr)
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
    if string := _STRING.match(text, offset):  # in a condition; refused as a number
        return _Token("string", string.group(), offset)
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


MAX_INLINED = 10
"""How deep knowledge models may call each other: a call chain deeper is refused."""


class _Parser:
    def __init__(self, tokens: list[_Token], resolve: Resolve, text: str,
                 condition: Condition, formulas: Mapping[str, m.Formula],
                 bound: Mapping[str, Arith] | None = None, calling: tuple[str, ...] = ()) -> None:
        self.tokens, self.position, self.resolve, self.depth = tokens, 0, resolve, 0
        self.text, self.condition = text, condition
        self.formulas, self.bound, self.calling = formulas, bound or {}, calling

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
        if token.kind == "name" and token.text == "if":
            return self.choice()
        if token.kind == "name":
            return self.name()
        if token.kind == "string":
            raise ArithmeticProblem("a string in a computed number has no mmdsl equivalent",
                                    token.offset)
        raise self.problem("expected a number, a name or `(`")

    def choice(self) -> Arith:
        """`if C then A else B`: C is the text up to the `then` outside brackets, translated as
        a condition; `else` takes all that follows, as in FEEL (and mmdsl)."""
        start = self.advance().offset + len("if")
        depth = 0
        while not (depth == 0 and self.token.kind == "name" and self.token.text == "then"):
            if self.token.kind == "end":
                raise self.problem("expected `then`")
            depth += self.at("(", "[") - self.at(")", "]")
            self.advance()
        condition = self.condition(self.text[start:self.token.offset].strip(), start)
        self.advance()
        self.depth += 1
        if self.depth > 100:
            raise self.problem("expressions nested more than 100 deep")
        then = self.additive()
        if not (self.token.kind == "name" and self.token.text == "else"):
            raise self.problem("expected `else`")
        self.advance()
        otherwise = self.additive()
        self.depth -= 1
        return Choice(condition, then, otherwise)

    def name(self) -> Arith:
        token = self.advance()
        if token.text == "null":
            return Null()
        if token.text in ("for", "some", "every", "true", "false", "not", "then", "else"):
            raise ArithmeticProblem(f"`{token.text}` in a computed number is not translated",
                                    token.offset)
        if self.at("(") and token.text in self.formulas:
            return self.call(self.formulas[token.text], token)
        if self.at("("):
            raise ArithmeticProblem(f"the function `{token.text}(...)` has no mmdsl equivalent",
                                    token.offset)
        if token.text in self.bound and not self.at("."):
            return self.bound[token.text]
        path = token.text
        while self.at(".") and self.tokens[self.position + 1].kind == "name":
            self.advance()
            path += "." + self.advance().text
        return Name(self.resolve(path, token.offset))


    def call(self, formula: m.Formula, token: _Token) -> Arith:
        """`PMT(a, b, c)`: the knowledge model's body, its parameters bound to the arguments
        (each an expression of the caller's names); a problem in the body is reported at the
        call."""
        self.advance()
        arguments = [] if self.at(")") else [self.additive()]
        while self.at(","):
            self.advance()
            arguments.append(self.additive())
        if not self.at(")"):
            raise self.problem("expected `,` or `)`")
        self.advance()
        name = formula.name
        if len(arguments) != len(formula.parameters):
            count = len(formula.parameters)
            raise ArithmeticProblem(f"`{name}` has {count} parameter{'s' * (count != 1)}; the "
                                    f"call gives {len(arguments)}", token.offset)
        if name in self.calling or len(self.calling) >= MAX_INLINED:
            raise ArithmeticProblem(f"`{name}` calls itself, or knowledge models call each other "
                                    f"more than {MAX_INLINED} deep", token.offset)
        body = formula.body.value

        def outside(feel_name: str, offset: int) -> str:
            raise ArithmeticProblem(f"`{feel_name}` is not one of its parameters", offset)

        inner = _Parser(_tokens(body, feel.NameIndex(formula.parameters)), outside, body,
                        no_conditions, self.formulas,
                        dict(zip(formula.parameters, arguments, strict=True)), (*self.calling, name))
        try:
            expr = inner.additive()
            if inner.token.kind != "end":
                raise inner.problem("expected an operator or the end of the expression")
        except ArithmeticProblem as problem:
            raise ArithmeticProblem(f"the knowledge model `{name}` ({body.strip()}): "
                                    f"{problem.message}", token.offset) from problem
        return expr


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
        case Choice(then=then, otherwise=otherwise):
            return _numbers(then) + _numbers(otherwise)
    return []


def _null_divisions(expr: Arith) -> Arith:
    """A division by a constant zero gives null in DMN: mmdsl's `unknown` (whatever it divides,
    as FEEL's value is null whatever it divides)."""
    match expr:
        case Negate(operand=operand):
            return Negate(_null_divisions(operand))
        case Binary(op=op, left=left, right=right):
            left, right = _null_divisions(left), _null_divisions(right)
            if op == "/" and _constant(right) == 0:
                return Null()
            return Binary(op, left, right)
        case Choice(condition=condition, then=then, otherwise=otherwise):
            return Choice(condition, _null_divisions(then), _null_divisions(otherwise))
    return expr


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
        case Choice(condition=condition, then=then, otherwise=otherwise):
            return Choice(condition, _folded_exponents(then), _folded_exponents(otherwise))
    return expr


def _check_powers(expr: Arith) -> None:
    """mmdsl's exponent is a whole number from -1000 to 1000 (MD319): a constant one that is not
    is refused here; one that reads names is left to the compiler, which knows their ranges."""
    match expr:
        case Negate(operand=operand):
            _check_powers(operand)
        case Binary(op=op, left=left, right=right):
            _check_powers(left)
            _check_powers(right)
            value = _constant(right) if op == "**" else None
            if value is not None and not (value % 1 == 0 and abs(value) <= MAX_EXPONENT):
                raise ArithmeticProblem(f"the power `** {_text(right)}`: mmdsl's exponent is a "
                                        f"whole number from -{MAX_EXPONENT} to {MAX_EXPONENT} "
                                        "(a fractional power has no exact value)", 0)
        case Choice(then=then, otherwise=otherwise):
            _check_powers(then)
            _check_powers(otherwise)


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
        case Null():
            return "unknown"
        case Negate(operand=operand):
            return f"(-{_operand(operand)})"
        case Binary(op=op, left=left, right=right):
            return f"{_operand(left)} {op} {_operand(right)}"
        case Choice(condition=condition, then=then, otherwise=otherwise):
            return f"if {condition} then {_operand(then)} else {_operand(otherwise)}"
    raise TypeError(expr)


def _operand(expr: Arith) -> str:
    text = _text(expr)
    return f"({text})" if isinstance(expr, (Binary, Choice)) else text
