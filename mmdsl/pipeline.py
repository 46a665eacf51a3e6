"""The pipeline, one direction: read, parse, collect symbols, check, lower.

Each stage is a function of the previous stage's result; this module only strings them together
and decides when to stop (no lowering while there are errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mmdsl.check import run_checks
from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic, has_errors
from mmdsl.diagnostics.codes import lookup
from mmdsl.diagnostics.model import sorted_diagnostics
from mmdsl.ir.lower import lower
from mmdsl.ir.model import IRGuideline
from mmdsl.semantics.symbols import Symbols, build_symbols
from mmdsl.source import NO_SPAN, Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module


@dataclass
class Compilation:
    """Everything known about one table file after the front end and the checks."""

    source: Source
    module: ast.Module | None = None
    symbols: Symbols | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    guideline: IRGuideline | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def read_source(path: str | Path) -> Source | Diagnostic:
    """The file as text, or a diagnostic when it cannot be read as UTF-8."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return lookup("unreadable-file").at(shown, NO_SPAN, f"cannot read the file: {error.strerror}")
    try:
        return Source(shown, raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return _not_utf8(shown, raw, error)


def _not_utf8(path: str, raw: bytes, error: UnicodeDecodeError) -> Diagnostic:
    before = raw[:error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    from mmdsl.source import Span

    span = Span(line, column, line, column + 1, error.start, error.start + 1)
    return lookup("unreadable-file").at(
        path, span, f"byte 0x{raw[error.start]:02x} is not UTF-8 text",
        help="save the file as UTF-8")


def compile_source(source: Source) -> Compilation:
    module, syntax_errors = parse_module(source)
    symbols = build_symbols(module)
    checked = run_checks(CheckContext(source, module, symbols))
    compilation = Compilation(source, module, symbols, sorted_diagnostics(syntax_errors + checked))
    if compilation.ok:
        compilation.guideline = lower(source, symbols)
    return compilation


def compile_path(path: str | Path) -> Compilation:
    source = read_source(path)
    if isinstance(source, Diagnostic):
        return Compilation(Source(str(path), ""), diagnostics=[source])
    return compile_source(source)


def table_files(paths: list[str]) -> list[Path]:
    """The `.mmdsl` files named, or found (sorted) under the folders named."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(path.rglob("*.mmdsl")) if path.is_dir() else [path]
    return found
