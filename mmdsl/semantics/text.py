"""Text facts: a derived fact whose value is text, `fact greeting = "Hello " + full_name`.

A fact is text when its value (the operands of its arithmetic and the branches of its `if`s, not
their conditions) holds quoted text, a text input, or another text fact; every fact is classified
at once, without recursion from fact to fact (a chain of facts can be as long as the file). Its
parts are joined with `+`: quoted text, text inputs, the member name of an enumeration input, and
other text facts. What else it mixes in (a number, a yes/no, another operator) is a problem that
check/text_facts.py reports (MD322). A text fact is shown in the decision and never tested
(MD323): nothing in the decision depends on its words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from mmdsl.semantics.types import EnumT, TextT, ValueType
from mmdsl.syntax import ast
from mmdsl.syntax.walk import quantities


@dataclass(frozen=True, slots=True)
class Literal:
    text: str


@dataclass(frozen=True, slots=True)
class Part:
    """A text input, an enumeration input (its member's name) or another text fact."""

    name: str


@dataclass(frozen=True, slots=True)
class Joined:
    parts: tuple[TextExpr, ...]


@dataclass(frozen=True, slots=True)
class Chosen:
    condition: ast.Expr
    then: TextExpr
    otherwise: TextExpr


TextExpr: TypeAlias = Literal | Part | Joined | Chosen


@dataclass(frozen=True, slots=True)
class Mixed:
    """Something in a text fact that is not text: reported as MD322."""

    span: object  # a Span (kept loose: the semantics layer does not build diagnostics)
    message: str
    help: str


@dataclass(frozen=True, slots=True)
class TextFact:
    decl: ast.FactDecl
    expr: TextExpr
    problems: tuple[Mixed, ...]


def value_names(expr: ast.Expr | ast.NumExpr) -> Iterator[ast.Subject]:
    """The names whose value a fact takes (not those its conditions test): `fact x = y`, the
    operands of its arithmetic, the branches of its `if`s."""
    if isinstance(expr, ast.Condition):
        if expr.test is None:
            yield expr.subject
        return
    for quantity in quantities(expr):
        yield quantity.subject


def has_literal(expr: ast.Expr | ast.NumExpr) -> bool:
    match expr:
        case ast.TextLiteral():
            return True
        case ast.Arithmetic():
            return has_literal(expr.left) or has_literal(expr.right)
        case ast.Negate():
            return has_literal(expr.item)
        case ast.Choice():
            return has_literal(expr.then) or has_literal(expr.otherwise)
    return False


def text_facts(facts: dict[str, ast.FactDecl], input_type: Callable[[str], ValueType | None]) -> set[str]:
    """The facts that are text: those holding quoted text or a text input, and those taking the
    value of a text fact (a worklist over who reads whom, so a cycle ends)."""
    readers: dict[str, list[str]] = {}
    found: list[str] = []
    for name, decl in facts.items():
        direct = has_literal(decl.expr)
        for subject in value_names(decl.expr):
            read = subject.name.text
            if subject.member is not None:
                continue
            if read in facts:
                readers.setdefault(read, []).append(name)
            elif isinstance(input_type(read), TextT):
                direct = True
        if direct:
            found.append(name)
    text = set(found)
    while found:
        for reader in readers.get(found.pop(), ()):
            if reader not in text:
                text.add(reader)
                found.append(reader)
    return text


class TextBuilder:
    """Builds the parts of one text fact; `problems` collects what is not text."""

    def __init__(self, kind_of: Callable[[str], tuple[str, ValueType | None]]) -> None:
        self.kind_of = kind_of  # a name's kind ("input", "fact", "text fact", …) and type
        self.problems: list[Mixed] = []

    def build(self, expr: ast.Expr | ast.NumExpr) -> TextExpr:
        if isinstance(expr, ast.Condition) and expr.test is None:
            return self._name(expr.subject, expr.span)
        match expr:
            case ast.TextLiteral():
                return Literal(expr.value)
            case ast.Quantity():
                return self._name(expr.subject, expr.span)
            case ast.Arithmetic(op="+"):
                return _join(self.build(expr.left), self.build(expr.right))
            case ast.Arithmetic():
                self._mixed(expr.span, f"`{expr.op}` on text: text is only joined, with `+`",
                            "join the parts with `+`, and compute numbers in a numeric fact")
                return _join(self.build(expr.left), self.build(expr.right))
            case ast.Choice():
                return Chosen(expr.condition, self.build(expr.then), self.build(expr.otherwise))
            case ast.NumberValue():
                self._mixed(expr.span, "a number in a text fact: text is not added to numbers",
                            f'write it as text: `"{expr.value}"`')
                return Literal("")
            case ast.Negate():
                self._mixed(expr.span, "a negative number in a text fact",
                            "compute numbers in a numeric fact, and write text in quotes")
                return Literal("")
            case ast.UnknownNumber():
                self._mixed(expr.span, "`unknown` written in a text fact: a text fact has "
                            "words, unknown only where a value it reads is unknown",
                            'write the words to show, in quotes: `"unknown"`')
                return Literal("")
        self._mixed(getattr(expr, "span", None), "a condition in a text fact",
                    "choose the text by the condition: `if CONDITION then \"…\" else \"…\"`")
        return Literal("")

    def _name(self, subject: ast.Subject, span: object) -> TextExpr:
        name = subject.name.text
        kind, value_type = self.kind_of(name) if subject.member is None else ("other", None)
        if kind == "text fact" or (kind == "input" and isinstance(value_type, TextT | EnumT)):
            return Part(name)
        if kind in ("unknown", "other") or value_type is None:
            return Literal("")  # an unknown name, or a table: reported by check/names.py
        self._mixed(span, f"`{subject.text}` is {_phrase(value_type)}: a text fact joins only "
                          "text, the member of an enumeration and other text facts",
                    f"choose the text by it: `if {_condition(subject.text, value_type)} then "
                    "\"…\" else \"…\"`")
        return Literal("")

    def _mixed(self, span: object, message: str, help_text: str) -> None:
        self.problems.append(Mixed(span, message, help_text))


def _join(left: TextExpr, right: TextExpr) -> Joined:
    items = (*(left.parts if isinstance(left, Joined) else (left,)),
             *(right.parts if isinstance(right, Joined) else (right,)))
    return Joined(items)


def _phrase(value_type: ValueType) -> str:
    described = value_type.describe()
    return "a yes/no" if described == "yes/no" else f"a number ({described})" \
        if described.startswith(("integer", "decimal")) else f"a {described}"


def _condition(name: str, value_type: ValueType) -> str:
    return name if value_type.describe() == "yes/no" else f"{name} >= 1"


def parts_read(expr: TextExpr) -> Iterator[str]:
    """The names a text fact joins (inputs and text facts), left to right."""
    match expr:
        case Part():
            yield expr.name
        case Joined():
            for part in expr.parts:
                yield from parts_read(part)
        case Chosen():
            yield from parts_read(expr.then)
            yield from parts_read(expr.otherwise)
