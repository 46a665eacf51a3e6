"""Random table files that parse, written in random layouts, for the formatter's property tests.

Every statement kind, every kind of cell and condition, and the layout an author may choose:
any run of blanks or tabs between words, line breaks wherever a statement may continue, comments
at the ends of lines and on lines of their own, blank lines, quoted text over several lines (with
trailing blanks, escapes and a backslash before the line break), wide and combining characters,
tables with or without a divider, CRLF line ends. The files need not make sense (names need not
be declared): the formatter reads syntax, and `mmdsl check` judges the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

NAMES = ("a", "b2", "drug", "anti-CD38", "t11_14", "剂量", "café", "Ωmega", "x_y-z", "PI", "ide-cel")
TEXT_CHARS = st.sampled_from([*"abc xyz#|:,=-()[]", "≥", "剂", "é", "e\u0301", "\\\\", '\\"', "α",
                              "\t", "‐"])
COMMENT_CHARS = st.sampled_from([*"abc #|\"'=,-", "≥", "剂", "e\u0301", "\\"])
HIT_WORDS = ("unique", "any", "first", "priority", "collect", "sum", "min", "max", "count", "rule",
             "output", "order")
COMPARE = (">=", "<=", ">", "<", "=", "!=", "≥", "≤", "≠")


class Writer:
    """Draws the pieces of a source: words, gaps, line breaks, comments, quoted text."""

    def __init__(self, draw: Callable[..., object], newline: str) -> None:
        self.draw = draw
        self.newline = newline

    def pick(self, *options: str) -> str:
        return str(self.draw(st.sampled_from(options)))

    def flag(self, weight: float = 0.5) -> bool:
        return bool(self.draw(st.floats(0, 1)) < weight)

    def count(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(low, high)))

    def name(self) -> str:
        return self.pick(*NAMES)

    def gap(self) -> str:
        """Blanks between two words."""
        return self.pick(" ", " ", "  ", "\t", " \t ", "    ")

    def tight(self) -> str:
        """Blanks, maybe none, next to punctuation."""
        return self.pick("", "", " ", "  ", "\t")

    def comment(self) -> str:
        body = "".join(str(c) for c in self.draw(st.lists(COMMENT_CHARS, max_size=12)))
        return "#" + body

    def trailing(self) -> str:
        return self.gap() + self.comment() if self.flag(0.25) else self.pick("", "", " ", "\t")

    def interlude(self) -> str:
        """What may stand between two lines: blank lines and comment lines."""
        pieces = []
        for _ in range(self.count(0, 2) if self.flag(0.3) else 0):
            pieces.append(self.indent(0, 6) + (self.comment() if self.flag() else "")
                          + self.newline)
        return "".join(pieces)

    def indent(self, low: int, high: int) -> str:
        return self.pick(*(" " * n for n in range(low, high + 1)), "\t")

    def line_end(self, indent_low: int = 0, indent_high: int = 4) -> str:
        """The end of a statement's line and the start of its next line (a clause or row)."""
        return self.trailing() + self.newline + self.interlude() + self.indent(indent_low,
                                                                               indent_high)

    def statement_end(self) -> str:
        return self.trailing() + self.newline + self.interlude()

    def continuation(self) -> str:
        """A line break where a statement may go on (after `=` or `,`, around `and`/`or`)."""
        if not self.flag(0.3):
            return self.tight() if self.flag() else self.gap()
        return self.trailing() + self.newline + self.interlude() + self.indent(0, 8)

    def text(self) -> str:
        """Quoted text, sometimes over several lines, the later ones indented at least once."""
        lines = [self._text_line() for _ in range(self.count(1, 3) if self.flag(0.3) else 1)]
        breaks = [self.pick("", " ", "  ", "\\ ") + self.newline + self.indent(1, 6)
                  for _ in lines[1:]]
        body = lines[0] + "".join(b + line for b, line in zip(breaks, lines[1:], strict=True))
        return f'"{body}"'

    def _text_line(self) -> str:
        return "".join(str(c) for c in self.draw(st.lists(TEXT_CHARS, max_size=10)))

    def number(self) -> str:
        if self.flag():
            return str(self.count(-5, 120))
        return f"{self.count(-5, 99)}.{self.count(0, 99)}"

    def listing(self, item: Callable[[], str], low: int = 1, high: int = 4,
                breaks: bool = True) -> str:
        """Items separated by commas; with `breaks`, maybe over several lines."""
        items = [item() for _ in range(self.count(low, high))]
        after = self.continuation if breaks else self.tight
        return "".join(i if n == 0 else self.tight() + "," + after() + i
                       for n, i in enumerate(items))

    def value(self) -> str:
        choice = self.count(0, 3)
        return (self.number(), self.text(), self.pick("yes", "no"), self.name())[choice]


# ---- statements -----------------------------------------------------------------------------------


def guideline(w: Writer) -> str:
    return f"guideline{w.gap()}{w.name()}{w.gap()}{w.text()}"


def version(w: Writer) -> str:
    return f"version{w.gap()}{w.text()}"


def reference(w: Writer) -> str:
    return f"reference{w.gap()}{w.count(1, 99)}{w.gap()}{w.text()}"


def evidence(w: Writer) -> str:
    head = f"evidence{w.gap()}{w.name()}" + (w.gap() + w.text() if w.flag() else "")
    lines = [evidence_line(w) for _ in range(w.count(0, 4))]
    return head + "".join(w.line_end() + line for line in lines)


def evidence_line(w: Writer) -> str:
    kind = w.pick("refs", "design", "population", "finding")
    if kind == "refs":
        return "refs" + w.gap() + w.listing(lambda: str(w.count(1, 30)))
    return kind + w.gap() + w.text()


def caveat(w: Writer) -> str:
    refs = w.gap() + "refs" + w.gap() + w.listing(lambda: str(w.count(1, 9))) if w.flag() else ""
    return f"caveat{w.gap()}{w.name()}{w.gap()}{w.text()}{refs}"


def enum(w: Writer) -> str:
    description = w.gap() + w.text() if w.flag() else ""
    members = w.listing(lambda: w.name() + (w.gap() + w.text() if w.flag(0.3) else ""))
    return f"enum{w.gap()}{w.name()}{description}{w.tight()}={w.continuation()}{members}"


def class_(w: Writer) -> str:
    description = w.gap() + w.text() if w.flag() else ""
    members = w.listing(w.name)
    return (f"class{w.gap()}{w.name()}{w.gap()}of{w.gap()}{w.name()}{description}{w.tight()}="
            f"{w.continuation()}{members}")


def type_expr(w: Writer) -> str:
    kind = w.pick("yes/no", "integer", "decimal", "text", "one of", "set of")
    if kind in ("integer", "decimal"):
        bounds = w.gap() + w.number() + w.tight() + ".." + w.tight() + w.number() if w.flag() else ""
        unit = w.gap() + "unit" + w.gap() + w.text() if w.flag(0.3) else ""
        return kind + bounds + unit
    if kind == "one of":
        return "one" + w.gap() + "of" + w.gap() + w.listing(w.name)
    if kind == "set of":
        return "set" + w.gap() + "of" + w.gap() + w.name()
    return kind


def input_(w: Writer) -> str:
    includes = w.gap() + "includes" + w.gap() + w.name() if w.flag(0.2) else ""
    default = w.gap() + "default" + w.gap() + w.value() if w.flag(0.3) else ""
    description = w.gap() + w.text() if w.flag(0.7) else ""
    return (f"input{w.gap()}{w.name()}{w.tight()}:{w.tight()}{type_expr(w)}{includes}{default}"
            f"{description}")


def fact(w: Writer) -> str:
    description = w.gap() + w.text() if w.flag() else ""
    return f"fact{w.gap()}{w.name()}{description}{w.tight()}={w.continuation()}{expr(w, 2)}"


def scope(w: Writer) -> str:
    return f"scope{w.gap()}{w.text()}{w.tight()}={w.continuation()}{expr(w, 2)}"


def table(w: Writer) -> str:
    title = w.gap() + w.text() if w.flag() else ""
    clauses = [table_clause(w) for _ in range(w.count(0, 4))]
    columns = w.count(1, 5)
    bars = [w.pick("|", "|", "||") for _ in range(columns)]
    header = header_row(w, bars)
    divider = w.line_end() + divider_row(w, bars) if w.flag(0.6) else ""
    rows = [row(w, bars if w.flag(0.9) else [w.pick("|", "||") for _ in range(w.count(1, 6))])
            for _ in range(w.count(0, 5))]
    return (f"table{w.gap()}{w.name()}{title}" + "".join(w.line_end() + c for c in clauses)
            + w.line_end() + header + divider + "".join(w.line_end() + r for r in rows))


def table_clause(w: Writer) -> str:
    kind = w.pick("hit", "output", "order", "distinct", "complete", "requires")
    if kind == "hit":
        return "hit" + w.gap() + w.pick(*HIT_WORDS) + (w.gap() + w.pick(*HIT_WORDS) if w.flag() else "")
    if kind == "output":
        description = w.gap() + w.text() if w.flag() else ""
        return f"output{w.gap()}{w.name()}{w.tight()}:{w.tight()}{type_expr(w)}{description}"
    if kind in ("order", "distinct"):
        return kind + w.gap() + "by" + w.gap() + w.listing(w.name, high=2)
    return "complete" if kind == "complete" else "requires" + w.gap() + "evidence"


def header_row(w: Writer, bars: list[str]) -> str:
    def heading() -> str:
        return w.name() + (w.tight() + "." + w.tight() + w.name() if w.flag(0.3) else "")

    return "|" + "".join(w.tight() + heading() + w.tight() + bar for bar in bars)


def divider_row(w: Writer, bars: list[str]) -> str:
    cells = [w.pick("", " ") + w.pick("", ":") + "-" * w.count(3, 8) + w.pick("", ":")
             + w.pick("", " ") for _ in bars]
    return "|" + "".join(cell + bar for cell, bar in zip(cells, bars, strict=True))


def row(w: Writer, bars: list[str]) -> str:
    return "|" + "".join(w.tight() + cell(w) + w.tight() + bar for bar in bars)


def cell(w: Writer) -> str:
    if w.flag(0.3):
        return "-"
    if w.flag(0.03):
        return ""
    return w.listing(lambda: cell_test(w), high=3, breaks=False)


def cell_test(w: Writer) -> str:
    kind = w.count(0, 7)
    if kind == 0:
        return w.pick(*COMPARE) + w.tight() + w.number()
    if kind == 1:
        return number_range(w)
    if kind == 2:
        return "not" + w.gap() + simple_test(w)
    if kind == 3:
        return "not" + w.tight() + "(" + w.listing(lambda: simple_test(w), high=2, breaks=False) + ")"
    return simple_test(w)


def simple_test(w: Writer) -> str:
    kind = w.count(0, 3)
    if kind == 0:
        return "has" + w.gap() + w.name()
    if kind == 1:
        has = "has" + w.gap() if w.flag() else ""
        return has + w.pick("any", "none", "all") + w.gap() + "of" + w.gap() + member_set(w)
    if kind == 2:
        return number_range(w)
    return w.value() if w.flag(0.7) else w.pick(*COMPARE) + w.tight() + w.number()


def member_set(w: Writer, breaks: bool = False) -> str:
    if w.flag():
        return w.name()
    return "(" + w.tight() + w.listing(w.name, high=3, breaks=breaks) + w.tight() + ")"


def number_range(w: Writer) -> str:
    dots = w.number() + w.tight() + ".." + w.tight() + w.number()
    if w.flag():
        return dots
    return w.pick("[", "]") + w.tight() + dots + w.tight() + w.pick("[", "]")


def expr(w: Writer, depth: int) -> str:
    if depth == 0 or w.flag(0.4):
        return condition(w) if w.flag(0.85) else "(" + w.tight() + expr(w, depth - 1) + w.tight() + ")"
    if w.flag(0.2):
        return "not" + w.gap() + expr(w, depth - 1)
    operator = w.pick("and", "or")
    items = [expr(w, depth - 1) for _ in range(w.count(2, 3))]
    return "".join(item if n == 0 else joint(w, operator) + item for n, item in enumerate(items))


def joint(w: Writer, operator: str) -> str:
    """` and `, with a line break before or after it if the author likes."""
    where = w.count(0, 2)
    if where == 0:
        return w.gap() + operator + w.gap()
    before = w.trailing() + w.newline + w.interlude() + w.indent(0, 8)
    if where == 1:
        return before + operator + w.gap()
    return w.gap() + operator + w.trailing() + w.newline + w.interlude() + w.indent(0, 8)


def condition(w: Writer) -> str:
    subject = w.name() + (w.tight() + "." + w.tight() + w.name() if w.flag(0.2) else "")
    return subject + CONDITION_TESTS[w.count(0, len(CONDITION_TESTS) - 1)](w)


CONDITION_TESTS: tuple[Callable[[Writer], str], ...] = (
    lambda w: "",
    lambda w: w.gap() + "is" + w.gap() + w.value(),
    lambda w: w.gap() + "is" + w.gap() + "not" + w.gap() + w.value(),
    lambda w: w.gap() + w.pick(*COMPARE) + w.tight() + w.number(),
    lambda w: w.gap() + "in" + w.gap() + number_range(w),
    lambda w: w.gap() + "in" + w.gap() + "(" + w.tight() + w.listing(w.value) + w.tight() + ")",
    lambda w: w.gap() + "not" + w.gap() + "in" + w.gap() + "(" + w.listing(w.value) + ")",
    lambda w: w.gap() + simple_set_test(w),
)


def simple_set_test(w: Writer) -> str:
    if w.flag(0.3):
        return "has" + w.gap() + w.name()
    has = "has" + w.gap() if w.flag() else ""
    return has + w.pick("any", "none", "all") + w.gap() + "of" + w.gap() + member_set(w, True)


def example(w: Writer) -> str:
    lines = [example_line(w) for _ in range(w.count(1, 4))]
    return f"example{w.gap()}{w.name()}{w.gap()}{w.text()}" + "".join(
        w.line_end() + line for line in lines)


def example_line(w: Writer) -> str:
    values = "none" if w.flag(0.15) else w.listing(w.value)
    if w.flag():
        return f"{w.name()}{w.tight()}:{w.tight()}{values}"
    subject = w.name() + ("." + w.name() if w.flag() else "")
    return f"expect{w.gap()}{subject}{w.tight()}:{w.gap()}{values}"


def note(w: Writer) -> str:
    targets = (w.gap() + "on" + w.gap() + w.listing(lambda: w.name() + "." + w.name())
               if w.flag() else "")
    return f"note{w.gap()}{w.name()}{targets}{w.tight()}:{w.tight()}{w.text()}"


def quote(w: Writer) -> str:
    targets = w.listing(lambda: w.name() + "." + w.name())
    return f"quote{w.gap()}{w.name()}{w.gap()}on{w.gap()}{targets}{w.tight()}:{w.tight()}{w.text()}"


STATEMENTS = (version, reference, evidence, caveat, enum, class_, input_, fact, scope, table,
              example, note, quote)


@st.composite
def table_files(draw: Callable[..., Any]) -> str:
    """A whole file: a guideline statement and up to eight more, in any order."""
    w = Writer(draw, "\r\n" if draw(st.floats(0, 1)) < 0.1 else "\n")
    opening = w.interlude()
    kinds = draw(st.lists(st.sampled_from(STATEMENTS), max_size=8))
    statements = [guideline(w), *(kind(w) for kind in kinds)]
    return opening + "".join(s + w.statement_end() for s in statements)
