"""Diagnostics as text (file:line:col, the source line, carets) or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mmdsl.diagnostics.model import Diagnostic, Severity

Paint = Callable[[str, str], str]

_COLOURS = {"error": "1;31", "warning": "1;33", "note": "1;36", "bold": "1", "blue": "1;34"}


def plain(text: str, _style: str) -> str:
    return text


def ansi(text: str, style: str) -> str:
    return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m"


def render_text(
    diagnostics: Iterable[Diagnostic], sources: Mapping[str, str], paint: Paint = plain,
) -> str:
    """Every diagnostic rendered like rustc: header, location, source line with carets, help."""
    lines = {path: source_line_list(text) for path, text in sources.items()}  # once per file
    blocks = [_render(d, lines.get(d.path, []), paint) for d in diagnostics]
    return "\n".join(blocks)


def render_one(diagnostic: Diagnostic, text: str, paint: Paint = plain) -> str:
    return _render(diagnostic, source_line_list(text), paint)


def _render(diagnostic: Diagnostic, source_lines: list[str], paint: Paint) -> str:
    span = diagnostic.span
    severity = diagnostic.severity.value
    lines = [
        paint(f"{severity}[{diagnostic.code}]", severity) + paint(f": {diagnostic.message}", "bold"),
        paint("  --> ", "blue") + f"{diagnostic.path}:{span.line}:{span.column}",
    ]
    lines += _excerpt(diagnostic, source_lines, paint)
    if diagnostic.help:
        first, *rest = diagnostic.help.split("\n")
        lines.append(paint("   = ", "blue") + f"help: {first}")
        lines += [f"           {line}" for line in rest]
    return "\n".join(lines) + "\n"


def _excerpt(diagnostic: Diagnostic, source_lines: list[str], paint: Paint) -> list[str]:
    span = diagnostic.span
    if not 0 < span.line <= len(source_lines):
        return []
    line_text = _visible(source_lines[span.line - 1])
    gutter = str(span.line)
    pad = " " * len(gutter)
    width = _caret_width(span.column, span.end_column if span.end_line == span.line else None,
                         len(line_text))
    carets = " " * (span.column - 1) + "^" * width
    if diagnostic.label:
        carets += f" {diagnostic.label}"
    style = diagnostic.severity.value if diagnostic.severity is not Severity.NOTE else "note"
    return [
        paint(f"{pad} |", "blue"),
        paint(f"{gutter} |", "blue") + f" {line_text}",
        paint(f"{pad} |", "blue") + " " + paint(carets, style),
    ]


def source_line_list(text: str) -> list[str]:
    """The lines as the parser counts them: ended by "\\n" alone (`str.splitlines` also breaks at
    form feeds, U+2028 and other characters, and would show a different line than the one meant)."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return lines[:-1] if lines[-1] == "" else lines  # no line after the last line break


def _caret_width(column: int, end_column: int | None, line_length: int) -> int:
    if end_column is None:
        return max(1, line_length - column + 1)
    return max(1, end_column - column)


def _visible(line: str) -> str:
    """The line with control and bidirectional characters shown as escapes, so a terminal can't hide them."""
    return "".join(ch if ch.isprintable() or ch == "\t" else f"\\u{ord(ch):04x}" for ch in line)


def render_json(diagnostics: Iterable[Diagnostic], verification: dict[str, Any] | None = None) -> str:
    """The diagnostics as JSON; with `verification` (per file, what the verifier proved of each
    table: see verify/result.py) as well."""
    records: dict[str, Any] = {"diagnostics": [d.to_json() for d in diagnostics]}
    if verification is not None:
        records["verification"] = verification
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
