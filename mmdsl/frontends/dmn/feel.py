"""The part of FEEL that mmdsl can express: unary tests in cells, boolean expressions in facts.

Read here:

- simple unary tests (DMN 1.5, 10.3.1.2): `-`; comparisons `< 5`, `>= "b"`, `= 1`, `!= 1`;
  intervals with open or closed ends, written `[1..5)`, `(1..5]` or `]1..5[`; literals
  (numbers, strings, `true`, `false`); lists of those separated by commas; `not(...)` of a list;
- the list tests mmdsl itself writes for set inputs, with `?` standing for the cell's value:
  `list contains(?, "a")`, `some m in ["a", "b"] satisfies list contains(?, m)` and the same
  with `every`;
- boolean literal expressions over named values, for derived facts: names, `and`, `or`,
  `not(...)`, `x < 5`, `x in <tests>`, `x in (<tests>)`, and the list tests with a name for `?`.

Anything else raises FeelError with the offset of the first character that is not understood:
the caller turns it into a diagnostic. Numbers stay Decimal, exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal as TypingLiteral
from typing import TypeAlias

from mmdsl.syntax.parser import MAX_NESTING

# ---- the syntax tree -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, a string, true or false; or, read only where the caller allows it, a FEEL
    days-and-time duration of whole days (`duration("P28D")`, `@"P4W"`), kept as its number of
    days with `duration` set, so that it is never taken for a plain number; or, likewise, a
    calendar day (`date("2019-09-01")`, `@"2019-09-01"`), kept as its text with `day` set; or
    a FEEL years-and-months duration (`duration("P1Y2M")`, `@"P5Y"`), kept as its total months
    with `months` set (FEEL compares two of them by their total months). Where dates and times
    may be read (`clock`): a date and time without an offset (`date and time("2018-12-08T10:30:05")`,
    `@"…"`), kept as its text written as mmdsl writes it with `moment` set; and any days-and-time
    duration of whole seconds, its total seconds in `seconds` (with `duration` and its days too
    when it is whole days, else with `value` its seconds)."""

    value: Decimal | str | bool
    duration: bool = False
    day: bool = False
    months: bool = False
    moment: bool = False
    seconds: Decimal | None = None
    unit: str = ""  # a duration's unit as written, for a duration of whole seconds: "minutes",
    # "hours" or "days" (PT270M, PT24H, P1D; a mix such as PT4H30M in minutes)
    clock_time: bool = False  # a time of day without an offset (`time("10:30:05")`, `@"10:30"`),
    # read only where times of day may be: kept as its text as mmdsl writes it, `10:30:05`

    @property
    def kind(self) -> TypingLiteral["number", "string", "boolean", "date", "date and time",
                                    "time"]:
        if self.clock_time:
            return "time"
        if self.moment:
            return "date and time"
        if self.day:
            return "date"
        if isinstance(self.value, bool):
            return "boolean"
        return "number" if isinstance(self.value, Decimal) else "string"


Operator = TypingLiteral["<", "<=", ">", ">=", "=", "!="]


@dataclass(frozen=True, slots=True)
class Comparison:
    """`< 5`, `= "a"` (a bare literal is `=`), `!= true`."""

    op: Operator
    value: Literal


@dataclass(frozen=True, slots=True)
class Interval:
    low: Literal
    high: Literal
    low_closed: bool
    high_closed: bool


@dataclass(frozen=True, slots=True)
class Membership:
    """A test on a list value: it contains any / every one of `members`."""

    quantifier: TypingLiteral["any", "all"]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IsNull:
    """`null` in a list of tests: the value is missing. mmdsl writes `not(null, "a")` for a cell
    `not a` on a value that may be missing, so that DMN, like mmdsl, does not match null there."""


Test: TypeAlias = Comparison | Interval | Membership | IsNull


@dataclass(frozen=True, slots=True)
class UnaryTests:
    """A cell: `-` (no tests, not negated), a list of tests (any may hold), or `not(...)`."""

    tests: tuple[Test, ...]
    negated: bool = False

    @property
    def is_any(self) -> bool:
        return not self.tests


ANY_VALUE = UnaryTests(())


@dataclass(frozen=True, slots=True)
class NameRef:
    name: str


@dataclass(frozen=True, slots=True)
class Check:
    """`name` satisfies the unary tests: `x < 5`, `x in [1..3]`, `list contains(x, "a")`."""

    name: str
    tests: UnaryTests


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr


Expr: TypeAlias = NameRef | Check | And | Or | Not


class FeelError(Exception):
    """Text that is not in the supported part of FEEL; `offset` is where reading stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


# ---- tokens ------------------------------------------------------------------------------------

TokenKind = TypingLiteral["number", "string", "name", "op", "temporal", "end"]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    offset: int
    value: Decimal | str | None = None


_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_WORD = re.compile(r"[^\W\d]\w*")
_OPERATORS = ("..", "<=", ">=", "!=", "<", ">", "=", "(", ")", "[", "]", ",", "-", "?")
_UNSUPPORTED = "@{}+*/.:;'"  # contexts, arithmetic, paths (`@` with no string after it)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


class NameIndex:
    """The names a text may mention, arranged so that finding one costs nothing like their number.

    A plain word (`Age`) is read as a name token anyway, so only names that hold a space or
    another character a word cannot (`Risk level`, `Approved/Declined`) need looking for; they
    are kept by their first character and length, so a token is matched by looking up a slice of
    the text for each length, longest first, instead of comparing it with every name (which made
    a model with thousands of decisions quadratic in its size).
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.all: set[str] = set()
        self._lengths: dict[str, list[int]] = {}  # by first character, longest first
        self._special: set[str] = set()
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self.all.add(name)
        if not name.strip() or _WORD.fullmatch(name) or name in self._special:
            return
        self._special.add(name)
        lengths = self._lengths.setdefault(name[0], [])
        if len(name) not in lengths:
            lengths.append(len(name))
            lengths.sort(reverse=True)

    def __contains__(self, name: object) -> bool:
        return name in self.all

    def match(self, text: str, offset: int) -> str | None:
        """The longest name with a space or a sign in it that starts at `offset` as a whole word."""
        for length in self._lengths.get(text[offset], ()):
            candidate = text[offset:offset + length]
            if candidate in self._special and not _continues_word(text, offset + length):
                return candidate
        return None


def tokenize(text: str, names: Collection[str] | NameIndex = ()) -> list[Token]:
    """The tokens of `text`; a name from `names` may contain spaces (FEEL names can)."""
    tokens: list[Token] = []
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    offset = 0
    while offset < len(text):
        if text[offset].isspace():
            offset += 1
            continue
        token = _next_token(text, offset, index)
        tokens.append(token)
        offset += len(token.text)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _next_token(text: str, offset: int, names: NameIndex) -> Token:
    char = text[offset]
    if char == '"':
        return _string(text, offset)
    if text.startswith('@"', offset):  # `@"2018-12-05"`, `@"P5D"`: a temporal literal
        string = _string(text, offset + 1)
        return Token("temporal", "@" + string.text, offset, string.value)
    if number := _NUMBER.match(text, offset):
        return Token("number", number.group(), offset, Decimal(number.group()))
    # a name with a space or a sign in it is longer than the word it starts with, so it wins;
    # a plain name is exactly the word read below
    if name := names.match(text, offset):
        return Token("name", name, offset, name)
    if word := _WORD.match(text, offset):
        return Token("name", word.group(), offset, word.group())
    for op in _OPERATORS:
        if text.startswith(op, offset):
            return Token("op", op, offset)
    what = f"`{char}`"
    if char in _UNSUPPORTED:
        raise FeelError(f"{what} is general FEEL, not a simple unary test", offset)
    raise FeelError(f"unexpected character {what}", offset)


def _continues_word(text: str, offset: int) -> bool:
    return offset < len(text) and (text[offset].isalnum() or text[offset] == "_")


def _string(text: str, start: int) -> Token:
    chars: list[str] = []
    offset = start + 1
    while offset < len(text):
        char = text[offset]
        if char == '"':
            return Token("string", text[start:offset + 1], start, "".join(chars))
        if char == "\\":
            decoded, offset = _escape(text, offset)
            chars.append(decoded)
            continue
        chars.append(char)
        offset += 1
    raise FeelError("the string is never closed", start)


def _escape(text: str, offset: int) -> tuple[str, int]:
    """The character of the escape sequence at `offset` (a backslash) and the offset after it."""
    code = text[offset + 1:offset + 2]
    if code in _ESCAPES:
        return _ESCAPES[code], offset + 2
    digits = {"u": 4, "U": 6}.get(code)
    hex_text = text[offset + 2:offset + 2 + digits] if digits else ""
    if digits and re.fullmatch(r"[0-9a-fA-F]+", hex_text) and len(hex_text) == digits:
        point = int(hex_text, 16)
        if point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF:
            return chr(point), offset + 2 + digits
    raise FeelError(f"`\\{code}` is not a FEEL string escape", offset)


# ---- parsing -------------------------------------------------------------------------------------


def parse_unary_tests(text: str, durations: bool = False, days: bool = False,
                      clock: bool = False, times: bool = False) -> UnaryTests:
    """A cell, `inputValues` or `outputValues` text; with `durations`, a cell of a column that
    is a duration, whose tests may be durations of whole days; with `days`, a cell of a column
    that is a date, whose tests may be calendar days; with `clock`, a cell of a column that is
    a date and time or the time between two, whose tests may be dates and times and durations
    of whole seconds."""
    if text.strip() == "-":
        return ANY_VALUE
    parser = _Parser(tokenize(text), durations=durations, days=days)
    parser.clock = clock
    parser.times = times  # a time-of-day column: its tests may be times of day
    tests = parser.unary_tests(subject="?")
    parser.expect_end()
    return tests


def parse_literal(text: str) -> Literal | None:
    """An output entry or default output: a literal, or None for `null` (and for `-`)."""
    if text.strip() in ("-", "null"):
        return None
    parser = _Parser(tokenize(text))
    literal = parser.literal()
    parser.expect_end()
    return literal


def parse_expression(text: str, names: Collection[str] | NameIndex,
                     differences: AbstractSet[str] = frozenset(), clock: bool = False,
                     times: bool = False) -> Expr:
    """A boolean literal expression over the values called `names`; `differences` are the
    names of date (and date-and-time) values, whose difference (`end - start`, a duration) a
    test may read, with durations of whole days, and which a test may compare with calendar
    days; with `clock` (the model has dates and times), dates and times and durations of whole
    seconds too."""
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    parser = _Parser(tokenize(text, index), index.all, durations=bool(differences) or clock,
                     days=bool(differences))
    parser.dates = differences  # not copied: a model may have thousands of facts
    parser.clock = clock
    parser.times = times  # the model has times of day: FEEL literals of them read
    expr = parser.disjunction()
    parser.expect_end()
    return expr


class _Parser:
    """Recursive descent over the tokens; each method reads one construct or raises FeelError."""

    def __init__(self, tokens: list[Token], names: AbstractSet[str] = frozenset(),
                 durations: bool = False, days: bool = False) -> None:
        self.tokens = tokens
        self.position = 0
        self.names = names
        self.durations = durations  # whether a duration of whole days may be read
        self.days = days  # whether a calendar day may be read
        self.dates: AbstractSet[str] = frozenset()  # names whose difference a test may read
        self.clock = False  # whether dates and times and durations of whole seconds may be read
        self.times = False  # whether times of day may be read
        self.depth = 0  # brackets and `not(` open around the condition being read

    # -- token helpers --

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.position + ahead, len(self.tokens) - 1)]

    def at(self, *texts: str) -> bool:
        return self.token.kind in ("op", "name") and self.token.text in texts

    def advance(self) -> Token:
        token = self.token
        self.position = min(self.position + 1, len(self.tokens) - 1)
        return token

    def take(self, text: str) -> Token:
        if not self.at(text):
            raise self.error(f"expected `{text}`")
        return self.advance()

    def error(self, message: str) -> FeelError:
        found = "the end of the text" if self.token.kind == "end" else f"`{self.token.text}`"
        return FeelError(f"{message}, found {found}", self.token.offset)

    def expect_end(self) -> None:
        if self.token.kind != "end":
            raise self.error("expected the end of the expression")

    # -- unary tests --

    def unary_tests(self, subject: str) -> UnaryTests:
        if self.at("not") and self.peek().text == "(":
            self.advance()
            self.take("(")
            inner = self.positive_tests(subject)
            self.take(")")
            return UnaryTests(inner, negated=True)
        return UnaryTests(self.positive_tests(subject))

    def positive_tests(self, subject: str) -> tuple[Test, ...]:
        tests = [self.positive_test(subject)]
        while self.at(","):
            self.advance()
            tests.append(self.positive_test(subject))
        return tuple(tests)

    def positive_test(self, subject: str) -> Test:
        if self.at("<", "<=", ">", ">=", "=", "!="):
            op = self.advance().text
            return Comparison(op, self.literal())  # type: ignore[arg-type]
        if self.at("[", "(", "]"):
            return self.interval()
        if self.at("list"):
            return self.list_contains(subject)[1]
        if self.at("some", "every"):
            return self.quantified(subject)[1]
        if self.at("null"):
            self.advance()
            return IsNull()
        return Comparison("=", self.literal())

    def interval(self) -> Interval:
        opening = self.advance()
        if opening.text == "[" and self.peek().text in (",", "]"):
            raise self.error("a FEEL list is general FEEL, not a simple unary test")
        low = self.literal()
        if not self.at(".."):
            raise self.error("a FEEL list is general FEEL, not a simple unary test" if
                             opening.text == "[" else "expected `..` of a range")
        self.advance()
        high = self.literal()
        if not self.at("]", ")", "["):
            raise self.error("expected `]`, `)` or `[` to close the range")
        closing = self.advance()
        return Interval(low, high, opening.text == "[", closing.text == "]")

    def literal(self) -> Literal:
        token = self.token
        if token.kind == "op" and token.text == "-" and self.peek().kind == "number":
            self.advance()
            number = self.advance()
            assert isinstance(number.value, Decimal)
            return Literal(-number.value)
        if token.kind in ("number", "string"):
            self.advance()
            assert token.value is not None
            return Literal(token.value)
        if self.at("true", "false"):
            return Literal(self.advance().text == "true")
        if self.at("null"):
            raise self.error("`null` is read as a whole test only (`null`, `not(null)`: an "
                             "input that may be unknown), not as a value to compare with or a "
                             "range end")
        if token.kind == "temporal" or (self.at(*TEMPORAL_FUNCTIONS) and self.peek().text == "(") \
                or (self.at("date") and self.peek().text == "and" and self.peek(2).text == "time"):
            return self.temporal()
        if token.kind == "name" and self.peek().text == "(":
            raise self.error(f"the function `{token.text}` is general FEEL, not a simple unary test")
        raise self.error("expected a number, a string, true or false")

    def temporal(self) -> Literal:
        """`date("…")`, `duration("…")`, `@"…"` and the like: a duration of whole days where
        durations may be read; anything else raises with what it is and why mmdsl cannot."""
        start = self.token.offset
        if self.token.kind == "temporal":
            function, text = None, self.advance().value
        else:
            function = self.advance().text
            if function == "date" and self.at("and"):  # `date and time(`
                self.advance()
                self.take("time")
                function = "date and time"
            self.take("(")
            argument = self.token
            if argument.kind != "string" or self.peek().text != ")":
                raise FeelError(f"`{function}(...)` with anything but one string is general "
                                "FEEL, not a simple literal", start)
            self.advance()
            self.advance()
            text = argument.value
        assert isinstance(text, str)
        if self.days and temporal_kind(text, function) == "the calendar date":
            return Literal(calendar_day(text, start), day=True)
        if self.clock and temporal_kind(text, function) == "the date and time":
            return Literal(moment_text(text, start), moment=True)
        if self.times and temporal_kind(text, function) == "the time of day":
            return Literal(clock_text(text, start), clock_time=True)
        months = total_months(text, function)
        if self.clock and months is None and self.durations:
            return clock_duration(text, function, start)
        if self.clock and not self.durations and temporal_kind(text, function) == "the duration":
            raise FeelError(f"the duration `{text}` tests a value that is not a duration (the "
                            "time between two dates, or two dates and times): FEEL never "
                            "matches them", start)
        days = whole_days(text, function, start) if months is None else 0
        if not self.durations:
            raise FeelError(f"the duration `{text}` tests a value that is not a duration (the "
                            "time between two dates): FEEL never matches them", start)
        if months is not None:
            return Literal(Decimal(months), months=True)
        return Literal(Decimal(days), duration=True)

    # -- list tests (the forms mmdsl writes for sets) --

    def list_contains(self, subject: str | None) -> tuple[str, Membership]:
        """`list contains(SUBJECT, "a")`; with no subject given, any known name is read."""
        name = self.list_contains_call(subject)
        offset = self.token.offset
        member = self.literal()
        self.take(")")
        if not isinstance(member.value, str):
            raise FeelError("list tests are supported on lists of strings only", offset)
        return name, Membership("any", (member.value,))

    def list_contains_call(self, subject: str | None) -> str:
        """`list contains(SUBJECT,` (FEEL names the function with a space); the subject read."""
        self.take("list")
        self.take("contains")
        self.take("(")
        name = self.take_subject(subject)
        self.take(",")
        return name

    def take_subject(self, subject: str | None) -> str:
        token = self.token
        wanted = token.text == subject if subject else token.kind == "name" and token.text in self.names
        if not wanted:
            raise self.error(f"expected `{subject}`" if subject else "expected a known name")
        return self.advance().text

    def quantified(self, subject: str | None) -> tuple[str, Membership]:
        """`some m in ["a", "b"] satisfies list contains(SUBJECT, m)`, or `every ...`."""
        quantifier = "any" if self.advance().text == "some" else "all"
        variable = self.advance()
        if variable.kind != "name":
            raise FeelError("expected the name of the quantified variable", variable.offset)
        self.take("in")
        members = self.string_list()
        self.take("satisfies")
        name = self.list_contains_call(subject)
        if self.token.text != variable.text:
            raise self.error(f"expected `{variable.text}`")
        self.advance()
        self.take(")")
        return name, Membership(quantifier, members)  # type: ignore[arg-type]

    def string_list(self) -> tuple[str, ...]:
        self.take("[")
        members: list[str] = []
        while True:
            literal = self.literal()
            if not isinstance(literal.value, str):
                raise FeelError("list tests are supported on lists of strings only",
                                self.token.offset)
            members.append(literal.value)
            if not self.at(","):
                break
            self.advance()
        self.take("]")
        return tuple(members)

    # -- boolean expressions (facts) --

    def disjunction(self) -> Expr:
        items = [self.conjunction()]
        while self.at("or"):
            self.advance()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Expr:
        items = [self.condition()]
        while self.at("and"):
            self.advance()
            items.append(self.condition())
        return items[0] if len(items) == 1 else And(tuple(items))

    def condition(self) -> Expr:
        if self.at("not") and self.peek().text == "(":
            self.advance()
            return Not(self.bracketed())
        if self.at("("):
            return self.bracketed()
        if self.at("list", "some", "every") and self.token.text not in self.names:
            name, test = self.quantified(None) if self.at("some", "every") else self.list_contains(None)
            return Check(name, UnaryTests((test,)))
        return self.named_condition()

    def bracketed(self) -> Expr:
        """`( condition )`: nesting is bounded, so that a hostile file cannot exhaust the stack
        (the mmdsl text would be refused beyond the same depth anyway, MD109)."""
        if self.depth >= MAX_NESTING:
            raise self.error(f"brackets and `not(` nest more than {MAX_NESTING} levels deep, "
                             "more than mmdsl reads")
        self.depth += 1
        self.take("(")
        inner = self.disjunction()
        self.take(")")
        self.depth -= 1
        return inner

    def named_condition(self) -> Expr:
        token = self.token
        months = token.text == "years" and "years" not in self.names and bool(self.dates)
        if not months and (token.kind != "name" or token.text not in self.names):
            raise self.error("expected the name of an input or a decision")
        name = self.advance().text
        if months:  # `years and months duration(start, end)`
            name = self.months_subject()
        elif self.at("-") and name in self.dates and self.peek().text in self.dates:
            self.advance()  # `end - start`: the duration between two dates
            name = f"{name} - {self.advance().text}"
        if self.at("<", "<=", ">", ">=", "=", "!="):
            op = self.advance().text
            return Check(name, UnaryTests((Comparison(op, self.literal()),)))  # type: ignore[arg-type]
        if self.at("in"):
            self.advance()
            return Check(name, self.in_tests())
        return NameRef(name)

    def months_subject(self) -> str:
        """After `years`: `and months duration(START, END)` of two date values, FEEL's
        years-and-months duration between them; the subject `years and months duration(START,
        END)` (`months_subject_ends` reads it back)."""
        for word in ("and", "months", "duration", "("):
            self.take(word)
        ends = []
        for after in (",", ")"):
            if self.token.text not in self.dates:
                raise self.error("`years and months duration` is read between two date inputs "
                                 "only; expected the name of one")
            ends.append(self.advance().text)
            self.take(after)
        return f"{MONTHS_SUBJECT}{ends[0]}, {ends[1]})"

    def in_tests(self) -> UnaryTests:
        """After `x in`: one positive test, or several in parentheses, or `(a..b)` ranges."""
        if self.at("(") and not self.is_open_interval():
            self.advance()
            tests = self.positive_tests("?")
            self.take(")")
            return UnaryTests(tests)
        return UnaryTests((self.positive_test("?"),))

    def is_open_interval(self) -> bool:
        """`(1..5]` is a range; `(1, 5)` and `(< 5)` are lists of tests."""
        after_literal = 3 if self.peek().text == "-" else 2
        if self.peek().text in TEMPORAL_FUNCTIONS:  # `duration("P2D")`, `date and time("…")`
            after_literal = 7 if self.peek(2).text == "and" else 5
        return self.peek(after_literal).text == ".."


# ---- dates, times and durations -----------------------------------------------------------------

TEMPORAL_FUNCTIONS = ("date", "time", "duration")  # and `date and time`
_DATE = re.compile(r"-?\d{4,9}-\d{2}-\d{2}")
_DURATION = re.compile(r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")
DAY_SECONDS = 86400


MONTHS_SUBJECT = "years and months duration("


def months_subject_ends(subject: str) -> tuple[str, str] | None:
    """START and END of the subject `years and months duration(START, END)`, else None."""
    if not subject.startswith(MONTHS_SUBJECT) or not subject.endswith(")"):
        return None
    start, _, end = subject[len(MONTHS_SUBJECT):-1].partition(", ")
    return start, end


def total_months(text: str, function: str | None) -> int | None:
    """The total months of a FEEL years-and-months duration (`P1Y2M` is 14, `-P5Y` -60);
    None for any other text (a duration with days or a time in it is none)."""
    found = _DURATION.fullmatch(text) if function in (None, "duration") else None
    if found is None or text.rstrip("T").endswith("P"):
        return None
    sign, years, months, *rest = found.groups()
    if not (years or months) or any(rest) or "T" in text:
        return None
    return (int(years or 0) * 12 + int(months or 0)) * (-1 if sign else 1)


def whole_days(text: str, function: str | None, offset: int) -> int:
    """The number of days of a FEEL days-and-time duration of whole days (`P28D`, `P4W`,
    `PT48H`); FeelError saying what the literal is when it is anything else."""
    found = _DURATION.fullmatch(text) if function in (None, "duration") else None
    if function == "duration" and (found is None or text.rstrip("T").endswith("P")):
        raise FeelError(f"`{text}` is not a FEEL duration", offset)
    if found is None or text.rstrip("T").endswith("P"):
        raise FeelError(f"{temporal_kind(text, function)} `{text}`: {NO_TIME}", offset)
    sign, years, months, weeks, days, hours, minutes, seconds = found.groups()
    if years or months:
        raise FeelError(f"the duration `{text}`: {NO_MONTHS}", offset)
    total = (int(weeks or 0) * 7 + int(days or 0)) * DAY_SECONDS + int(hours or 0) * 3600 \
        + int(minutes or 0) * 60 + Decimal(seconds or 0)
    if total % DAY_SECONDS:
        raise FeelError(f"the duration `{text}` is not a whole number of days; mmdsl counts "
                        "time between dates in whole days", offset)
    return int(total // DAY_SECONDS) * (-1 if sign else 1)


def clock_duration(text: str, function: str | None, offset: int) -> Literal:
    """A FEEL days-and-time duration of whole seconds (`PT4H30M`, `P1DT2H`), its total seconds
    in `seconds`; of whole days, its days as `whole_days` reads them too."""
    found = _DURATION.fullmatch(text) if function in (None, "duration") else None
    if found is None or text.rstrip("T").endswith("P"):
        whole_days(text, function, offset)  # raises, saying what the literal is
        raise FeelError(f"`{text}` is not a FEEL duration", offset)  # never reached
    sign, years, months, weeks, days, hours, minutes, seconds = found.groups()
    if years or months:
        raise FeelError(f"the duration `{text}`: {NO_MONTHS}", offset)
    total = (int(weeks or 0) * 7 + int(days or 0)) * DAY_SECONDS + int(hours or 0) * 3600 \
        + int(minutes or 0) * 60 + Decimal(seconds or 0)
    if total % 1:
        raise FeelError(f"the duration `{text}` is not a whole number of seconds; mmdsl counts "
                        "time between dates and times in whole minutes", offset)
    total = total * (-1 if sign else 1)
    written = [unit for unit, amount in (("days", int(weeks or 0) + int(days or 0)),
                                         ("hours", hours), ("minutes", minutes),
                                         ("seconds", seconds)) if amount]
    unit = written[0] if len(written) == 1 and written[0] != "seconds" else "minutes"
    if total % DAY_SECONDS:
        return Literal(total, seconds=total, unit=unit)
    return Literal(total // DAY_SECONDS, duration=True, seconds=total, unit=unit)


_CLOCK = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.0+)?")


def clock_text(text: str, offset: int) -> str:
    """A FEEL time without an offset, `10:30:05`, as mmdsl writes a fixed time of day (`10:30:05`,
    `10:30` without seconds); FeelError for one with an offset or a zone (mmdsl's times of day
    are clock readings, which have none), a fraction of a second, or one that does not exist."""
    found = _CLOCK.fullmatch(text)
    if found is None:
        zoned = re.fullmatch(r"\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}|@.+)?", text)
        reason = ("it has an offset or a time zone: mmdsl's times of day are clock readings, "
                  "without one" if zoned and zoned.group(2) else
                  "mmdsl's times of day are whole seconds" if zoned else
                  "it is not written hour:minute:second")
        raise FeelError(f"the time `{text}`: {reason}", offset)
    hour, minute, second, _ = found.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
        raise FeelError(f"the time `{text}` does not exist", offset)
    return f"{hour}:{minute}" + (f":{second}" if second != "00" else "")


_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.0+)?)?")


def moment_text(text: str, offset: int) -> str:
    """A FEEL date and time without an offset, `2018-12-08T10:30:05`, as mmdsl writes a fixed
    date and time (`2018-12-08T10:30:05`, `…T10:30` without seconds; a date alone is its
    midnight, as FEEL reads it); FeelError for one with an offset or a zone (FEEL compares it
    as an instant, mmdsl's fixed dates and times are clock times), a fraction of a second, or
    one that does not exist."""
    found = _MOMENT.fullmatch(text)
    if found is None:
        zoned = re.fullmatch(r"[^T]+T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}|@.+)?", text)
        reason = ("it has an offset or a time zone: FEEL compares it as an instant, mmdsl's "
                  "fixed dates and times are clock times as written, without an offset"
                  if zoned and zoned.group(2) else
                  "mmdsl's dates and times are whole seconds" if zoned else
                  "it is not written year-month-dayThour:minute:second")
        raise FeelError(f"the date and time `{text}`: {reason}", offset)
    day, hour, minute, second, _ = found.groups()
    try:
        value = datetime.fromisoformat(f"{day}T{hour or '00'}:{minute or '00'}:{second or '00'}")
    except ValueError:
        raise FeelError(f"the date and time `{text}` does not exist", offset) from None
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def calendar_day(text: str, offset: int) -> str:
    """A FEEL date literal's day, `2019-09-01`: one that exists, written as mmdsl writes it."""
    try:
        if len(text) == 10 and _DATE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise FeelError(f"`{text}` is not a calendar day that exists, written year-month-day", offset)


def temporal_kind(text: str, function: str | None) -> str:
    if function == "date" or (function is None and _DATE.fullmatch(text)):
        return "the calendar date"
    if function == "date and time" or (function is None and "T" in text and "-" in text[1:]):
        return "the date and time"
    if function == "time" or (function is None and ":" in text):
        return "the time of day"
    return "the duration" if function == "duration" or text.lstrip("-").startswith("P") \
        else "the temporal literal"


NO_TIME = ("mmdsl tests a date input against fixed calendar days, and time as the days or "
           "months between two date inputs (`time from A to B`); not a value that is no date "
           "against a day, nor a time of day")
NO_MONTHS = ("a duration of years or months and also days or a time is neither of FEEL's two "
             "kinds of duration (years and months; days and time), so FEEL compares it with "
             "neither")


def is_feel_name(text: str) -> bool:
    """Whether `text` is one plain word that FEEL reads as a name (no spaces or operators)."""
    return bool(_WORD.fullmatch(text)) and text not in RESERVED


RESERVED = frozenset({"and", "or", "not", "in", "true", "false", "null", "some", "every",
                      "satisfies", "for", "return", "if", "then", "else", "between", "instance",
                      "of", "function", "external"})
