"""Syntax errors in words a clinician understands, instead of Lark's lists of token names."""

from __future__ import annotations

from lark import Lark, Token
from lark.lexer import PatternStr

# How each statement is written: shown as help when a statement of that kind does not parse.
STATEMENT_FORMS = {
    "guideline": 'guideline NAME "Title"',
    "version": 'version "1.0"',
    "reference": 'reference 1 "citation"',
    "evidence": 'evidence NAME "title", then indented lines: refs 1, design "…", '
                'population "…", finding "…"',
    "caveat": 'caveat NAME "text" refs 1',
    "enum": 'enum NAME "description" = member, member "label", …',
    "class": 'class NAME of ENUM "description" = member, member, …',
    "input": 'input NAME: TYPE "description", with TYPE one of yes/no, integer 0..30, '
             'decimal 0..10 unit "mg/dL", text, one of ENUM, set of ENUM; `or unknown` after '
             'the TYPE lets the value be unknown (input ldh: integer 0..5000 or unknown "LDH")',
    "fact": 'fact NAME "description" = CONDITION (for example: refractory has any of PI)',
    "scope": 'scope "description" = CONDITION',
    "impossible": 'impossible NAME "why these facts cannot occur together" = CONDITION',
    "table": 'table NAME "title", then clauses (hit first, output NAME: TYPE), '
             "a header row | inputs || outputs |, and one row per rule",
    "example": 'example NAME "description", then lines NAME: VALUE and expect TABLE: VALUE',
    "note": 'note NAME on TABLE.RULE: "why the rule is written this way"',
    "quote": 'quote NAME on TABLE.RULE, TABLE.RULE: "a statement of the source, word for word"',
    "source": 'source "sources/FILE.txt", then indented lines: title "…", date "YYYY-MM-DD"',
}

_DESCRIPTIONS = {
    "NAME": "a name",
    "STRING": "quoted text",
    "INT": "a whole number",
    "DECIMAL": "a number",
    "_NL": "the end of the line",
    "$END": "the end of the statement",  # each statement is parsed alone, up to the next one
    "<END-OF-FILE>": "the end of the statement",  # how Lark names $END in some expected sets
    "PIPE": "`|`",
    "SEP": "`|`",
    "DIVIDER": "a divider row",
    "COMMA": "`,`",
    "EQ": "`=`",
    "AND": "`and`",
    "OR": "`or`",
    "NOT": "`not`",
    "ANY": "`-`",
    "YES": "`yes`",
    "NO": "`no`",
    "QUANTIFIER": "`any`, `none` or `all`",
    "HIT_WORD": "a hit policy (unique, any, first, priority, collect, rule order, output order)",
    "RANGE_OPEN": "`[`",
    "RANGE_CLOSE": "`]`",
    "GE": "`>=`",
    "LE": "`<=`",
    "GT": "`>`",
    "LT": "`<`",
    "NE": "`!=`",
}


def describe_unexpected_token(
    token: Token, expected: set[str], keyword: str | None, parser: Lark,
) -> tuple[str, str | None]:
    """A message and a help line for `token` appearing where one of `expected` should be."""
    special = _special_case(token, expected, keyword)
    if special is not None:
        return special
    wanted = _expected_phrase(expected, parser)
    message = f"{describe_unexpected(token)}; expected {wanted}"
    return message, _form_help(keyword)


def _special_case(token: Token, expected: set[str], keyword: str | None) -> tuple[str, str] | None:
    if keyword is None:
        return ("this line is not part of any statement",
                "statements start with one of: " + ", ".join(sorted(STATEMENT_FORMS)))
    if token.type in ("_NL", "$END") and "SEP" in expected:
        return ("this row does not end with `|`", "end every row of a table with `|`")
    if token.type in ("_NL", "$END") and expected & {"NAME", "INT", "DECIMAL", "STRING", "ANY"}:
        return (f"this {keyword} statement ends too early", _form_help(keyword) or "")
    if token.type == "STRING" and keyword == "input" and "COLON" in expected:
        return ("the input's name must be followed by `:` and its type",
                _form_help(keyword) or "")
    return None


def describe_unexpected(token: Token) -> str:
    """`token` where it does not belong: "unexpected word `x`", "unexpected end of the line"."""
    if token.type in ("_NL", "$END"):
        return "unexpected " + _DESCRIPTIONS[token.type].removeprefix("the ")
    return f"unexpected {describe_token(token)}"


def describe_token(token: Token) -> str:
    if token.type in ("_NL", "$END"):
        return _DESCRIPTIONS[token.type]
    text = str(token).strip()
    if token.type == "STRING":
        return "quoted text"
    if token.type in ("INT", "DECIMAL"):
        return f"number `{text}`"
    if token.type == "NAME":
        return f"word `{text}`"
    return f"`{text}`"


def _expected_phrase(expected: set[str], parser: Lark) -> str:
    phrases = sorted({_describe_terminal(name, parser) for name in expected})
    if len(phrases) > 6:
        phrases = [*phrases[:6], "…"]
    return " or ".join(phrases) if len(phrases) <= 2 else ", ".join(phrases)


def _describe_terminal(name: str, parser: Lark) -> str:
    if name in _DESCRIPTIONS:
        return _DESCRIPTIONS[name]
    try:
        pattern = parser.get_terminal(name).pattern
    except KeyError:
        return name.lower()
    if isinstance(pattern, PatternStr):
        return f"`{pattern.value}`"
    return name.lower()


def _form_help(keyword: str | None) -> str | None:
    if keyword is None:
        return None
    article = "an" if keyword[0] in "aeiou" else "a"
    return f"{article} {keyword} statement is written: {STATEMENT_FORMS[keyword]}"
