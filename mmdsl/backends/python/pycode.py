"""Python source text for the Python back end: literals and conditions within 100 columns.

Code is first built as a small tree, then laid out: a node stays on one line when it fits, else
its group opens one item per line (and a long string breaks into adjacent literals). Every
authored string becomes code only through `repr()` (in `Str`), never by pasting its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

WIDTH = 100
INDENT = 4


@dataclass(frozen=True, slots=True)
class Text:
    """Code that never breaks: a name, a number, a short comparison."""

    code: str


@dataclass(frozen=True, slots=True)
class Str:
    """A string literal; a long one breaks into adjacent literals between parentheses."""

    value: str


@dataclass(frozen=True, slots=True)
class Group:
    """Items between brackets, joined by `, ` (a display or a call) or by ` and ` / ` or `."""

    open: str
    items: tuple[Node, ...]
    close: str
    joiner: str = ", "
    one_item_comma: bool = False  # a tuple: `(x,)`
    optional_brackets: bool = False  # an and/or chain: `a and b` where no brackets are needed

    @property
    def is_commas(self) -> bool:
        return self.joiner == ", "


@dataclass(frozen=True, slots=True)
class Prefixed:
    """Fixed code before a node on its first line: `key=`, `not `, `values['x'] in `."""

    prefix: str
    node: Node


Node: TypeAlias = Text | Str | Group | Prefixed


def layout(node: Node, column: int, indent: int, tail: int = 0, bare: bool = False) -> str:
    """The code of a node that starts at `column`, lines after the first indented by `indent`.

    `tail`: characters that follow the node on its last line. `bare`: the node stands where an
    and/or chain needs no brackets (a statement, an item of a tuple).
    """
    room = WIDTH - column - tail
    if _width(node, bare, room) <= room:
        return one_line(node, bare)
    match node:
        case Text():
            return node.code  # cannot break; the nodes built here keep Text short
        case Str():
            return _broken_string(node.value, indent)
        case Group():
            return _opened(node, indent)
        case Prefixed():
            return node.prefix + layout(node.node, column + len(node.prefix), indent, tail, bare)


def one_line(node: Node, bare: bool = False) -> str:
    match node:
        case Text():
            return node.code
        case Str():
            return repr(node.value)
        case Prefixed():
            return node.prefix + one_line(node.node, bare)
        case Group():
            inner = node.joiner.join(one_line(item) for item in node.items)
            if node.one_item_comma and len(node.items) == 1:
                inner += ","
            if bare and node.optional_brackets:
                return inner
            return node.open + inner + node.close


def _width(node: Node, bare: bool, room: int) -> int:
    """The length of `one_line(node, bare)`, or, as soon as it is past `room`, some length past
    it: a long literal is not written out at every level of its layout just to be measured."""
    match node:
        case Text():
            return len(node.code)
        case Str():
            return len(repr(node.value))
        case Prefixed():
            return len(node.prefix) + _width(node.node, bare, room - len(node.prefix))
        case Group():
            total = len(node.joiner) * max(len(node.items) - 1, 0)
            if not (bare and node.optional_brackets):
                total += len(node.open) + len(node.close)
            if node.one_item_comma and len(node.items) == 1:
                total += 1
            for item in node.items:
                if total > room:
                    break
                total += _width(item, False, room - total)
            return total


def _opened(group: Group, indent: int) -> str:
    inner = indent + INDENT
    pad = " " * inner
    lines = [group.open]
    for position, item in enumerate(group.items):
        if group.is_commas:
            lines.append(pad + layout(item, inner, inner, tail=1, bare=True) + ",")
        else:
            joiner = "" if position == 0 else group.joiner.strip() + " "
            lines.append(pad + joiner + layout(item, inner + len(joiner), inner))
    lines.append(" " * indent + group.close)
    return "\n".join(lines)


def _broken_string(value: str, indent: int) -> str:
    """Adjacent literals, split after spaces, that Python joins back into the value."""
    pad = " " * (indent + INDENT)
    pieces = _pieces(value, max(WIDTH - len(pad), 12))  # 12: the longest repr of one character
    return "(\n" + "".join(f"{pad}{piece!r}\n" for piece in pieces) + " " * indent + ")"


def _pieces(value: str, room: int) -> list[str]:
    """Greedy packing of words (with their spaces) into literals of at most `room` characters."""
    pieces: list[str] = []
    current = ""
    for token in _tokens(value, room):
        if current and len(repr(current + token)) > room:
            pieces.append(current)
            current = token
        else:
            current += token
    return [*pieces, current]


def _tokens(value: str, room: int) -> Iterator[str]:
    """Words with the white space after them; a word too long for one literal is cut."""
    for word in re.findall(r"\S*\s*", value):
        while len(repr(word)) > room:
            cut = _longest_fitting_prefix(word, room)
            yield word[:cut]
            word = word[cut:]
        yield word


def _longest_fitting_prefix(word: str, room: int) -> int:
    size = 1
    while size < len(word) and len(repr(word[:size + 1])) <= room:
        size += 1
    return size


# ---- literals -----------------------------------------------------------------------------------

Plain: TypeAlias = "bool | int | float | str | tuple[Plain, ...] | None"


def literal(value: Plain) -> Node:
    """A plain value as code that rebuilds it: None, bool, int, float, str and tuples of them."""
    if isinstance(value, str):
        return Str(value)
    if isinstance(value, tuple):
        return Group("(", tuple(literal(item) for item in value), ")", one_item_comma=True)
    if isinstance(value, float) and not _finite(value):
        raise ValueError(f"{value!r} has no Python literal")  # the IR holds finite numbers
    return Text(repr(value))


def _finite(value: float) -> bool:
    return value - value == 0.0  # false for nan and both infinities


def call(name: str, arguments: dict[str, Node]) -> Group:
    """`name(key=value, ...)`: on one line when it fits, else one argument per line."""
    items = tuple(Prefixed(f"{key}=", value) for key, value in arguments.items())
    return Group(f"{name}(", items, ")")


def render(node: Node, indent: int, prefix: str = "") -> str:
    """A whole statement: `prefix` and the node, at `indent`, ready to paste into a template."""
    start = " " * indent + prefix
    return start + layout(node, len(start), indent, bare=True)
