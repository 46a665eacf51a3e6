"""Facts that are unknown for every patient: `fact x = 10 + unknown` (MD327, a warning).

`unknown` may be written in arithmetic, as DMN writes `null` (docs/language.md, 8b): `if age > 60
then 1 else unknown` is a number unknown under 60. A fact that no patient gives a value is almost
certainly a mistake. Always unknown, by the structure of the fact alone (so never claimed of a fact
that some patient may give a value):

- `unknown` written in arithmetic;
- arithmetic (or text joined with `+`) with an operand that is always unknown;
- `if C then A else B` whose condition is always unknown (it is then neither yes nor no), or whose
  two branches are both always unknown;
- a condition testing a fact that is always unknown (`x > 5`; but not `x is unknown`, nor a test
  that names `unknown`, which holds); `not`, `and`, `or` of conditions all always unknown (Kleene:
  `unknown and no` is no);
- a fact that reads a fact that is always unknown (found from the first, reader by reader, without
  recursion from fact to fact: a chain of facts may be as long as the file).

An input, a duration or a table's result is never always unknown. `unknown` written in a text fact
is MD322 (check/text_facts.py), not counted here again.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast
from mmdsl.syntax.walk import conditions, inner_tests, quantities

EMITS: tuple[CodeName, ...] = ("always-unknown",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

Cause = str  # why an expression is always unknown, in words


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for name, cause in always_unknown(context).items():
        decl = context.symbols.facts[name]
        yield context.report(
            "always-unknown", decl.name.span,
            f"`{name}` is unknown for every patient: {cause}",
            "write the value it should have, or test the input with `is unknown` "
            "(`if ldh is unknown then 0 else ldh / 250`)")


def always_unknown(context: CheckContext) -> dict[str, Cause]:
    """The facts that are always unknown, each with its cause, in declaration order."""
    symbols = context.symbols
    readers: dict[str, list[str]] = {}
    for fact, decl in symbols.facts.items():
        subjects = [c.subject for c in conditions(decl.expr)]
        subjects += [q.subject for q in quantities(decl.expr)]
        for subject in subjects:
            if subject.member is None and subject.name.text in symbols.facts:
                readers.setdefault(subject.name.text, []).append(fact)
    found: dict[str, Cause] = {}
    pending = list(symbols.facts)
    while pending:
        fact = pending.pop()
        if fact in found:
            continue
        decl = symbols.facts[fact]
        cause = _cause(decl.expr, found, text=symbols.is_text_fact(fact))
        if cause is not None:
            found[fact] = cause
            pending.extend(r for r in readers.get(fact, ()) if r not in found)
    return {name: found[name] for name in symbols.facts if name in found}


def _cause(expr: ast.Expr | ast.NumExpr, found: dict[str, Cause], text: bool) -> Cause | None:
    """Why `expr` is unknown for every patient, given the facts `found` always unknown; None when
    some patient may give it a value."""
    match expr:
        case ast.UnknownNumber():
            return None if text else "it computes with `unknown`, and arithmetic with `unknown` " \
                "is unknown"
        case ast.Quantity():
            return _read(expr.subject, found)
        case ast.Condition():
            if expr.test is not None and any(isinstance(t, ast.UnknownTest)
                                             for t in inner_tests(expr.test)):
                return None  # `x is unknown`, `x is not unknown`: yes or no
            return _read(expr.subject, found)
        case ast.Negate():
            return _cause(expr.item, found, text)
        case ast.Arithmetic():
            return _cause(expr.left, found, text) or _cause(expr.right, found, text)
        case ast.Choice():
            condition = _cause(expr.condition, found, text)
            if condition is not None:
                return f"the condition of its `if` is always unknown ({condition})"
            then = _cause(expr.then, found, text)
            otherwise = _cause(expr.otherwise, found, text)
            return None if then is None or otherwise is None else \
                f"both branches of its `if` are always unknown ({then})"
        case ast.Not():
            return _cause(expr.item, found, text)
        case ast.And() | ast.Or():
            causes = [_cause(item, found, text) for item in expr.items]
            return causes[0] if all(c is not None for c in causes) else None
    return None  # a number or quoted text: known


def _read(subject: ast.Subject, found: dict[str, Cause]) -> Cause | None:
    name = subject.name.text
    if subject.member is None and name in found:
        return f"it reads `{name}`, which is always unknown"
    return None
