"""The pipeline, one direction: read, parse, collect symbols, check, lower.

Each stage is a function of the previous stage's result; this module only strings them together
and decides when to stop (no lowering while there are errors).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mmdsl.check import run_checks
from mmdsl.check.context import CheckContext, unparsed_statements
from mmdsl.clinical_source import ClinicalText, read_clinical_source
from mmdsl.diagnostics import Diagnostic, has_errors
from mmdsl.diagnostics.codes import internal_error, lookup, reports
from mmdsl.diagnostics.model import sorted_diagnostics
from mmdsl.ir.lower import lower
from mmdsl.ir.model import IRGuideline
from mmdsl.semantics.symbols import Symbols, build_symbols
from mmdsl.source import BYTE_ORDER_MARK, NO_SPAN, Source, Span, decode_text
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module

if TYPE_CHECKING:
    from mmdsl.verify.result import Verification

MAX_SOURCE_SIZE = 2_000_000
"""Characters of one table file at most: a guideline takes a few tens of thousands (the myeloma
guideline 63,000; a table of 50,000 rows about 1,100,000), and the compiler needs memory in
proportion (about 1 GB for that table), so a limit keeps it bounded."""


@dataclass
class Compilation:
    """Everything known about one table file after the front end and the checks."""

    source: Source
    module: ast.Module | None = None
    symbols: Symbols | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    guideline: IRGuideline | None = None
    verification: Verification | None = None  # None: not verified (errors, or verify=False)
    # the IR withdrawn for the verifier's findings alone (a gap in a complete table, an overlap):
    # `mmdsl eval --despite-findings` evaluates it, to try the witness patient a finding names
    as_written: IRGuideline | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def read_source(path: str | Path, shown: str | None = None) -> Source | Diagnostic:
    """The file as text, or a diagnostic when it cannot be read as UTF-8.

    `shown` is the name the file goes by in diagnostics and in the IR (`source_path`); by default
    the path as given.
    """
    shown = str(path) if shown is None else shown
    try:
        with open(path, "rb") as stream:
            raw = stream.read(4 * MAX_SOURCE_SIZE + 1)  # UTF-8 takes at most 4 bytes a character
    except OSError as error:
        return lookup("unreadable-file").at(shown, NO_SPAN, f"cannot read the file: {error.strerror}")
    if len(raw) > 4 * MAX_SOURCE_SIZE:
        return _too_large(shown)
    return decode_source(raw, shown)


def _too_large(path: str) -> Diagnostic:
    return lookup("unreadable-file").at(
        path, NO_SPAN, f"the file is longer than {MAX_SOURCE_SIZE:,} characters",
        help="a guideline takes far less; split it into several files")


def decode_source(raw: bytes, shown: str) -> Source | Diagnostic:
    """The bytes of a table file as text (without a leading byte-order mark), or a diagnostic at
    the first byte that is not UTF-8."""
    try:
        return Source(shown, decode_text(raw))
    except UnicodeDecodeError as error:
        return _not_utf8(shown, raw, error)


def _not_utf8(path: str, raw: bytes, error: UnicodeDecodeError) -> Diagnostic:
    """MD106 at the first byte that is not UTF-8, its line and column counted in characters."""
    before = raw[:error.start].decode("utf-8")  # the bytes before the first bad one are UTF-8
    before = before.removeprefix(BYTE_ORDER_MARK)  # counted from the text, as the parser counts
    span = _character_span(before)
    return lookup("unreadable-file").at(
        path, span, f"byte 0x{raw[error.start]:02x} is not UTF-8 text",
        help="save the file as UTF-8")


def _character_span(before: str) -> Span:
    """One character, after the text `before`."""
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return Span(line, column, line, column + 1, len(before), len(before) + 1)


def _not_encodable(source: Source) -> Diagnostic | None:
    """MD106 for a lone surrogate (only text handed over by a program can hold one): such text
    has no UTF-8 form, so it could be neither hashed for provenance nor written to a file."""
    try:
        source.text.encode("utf-8")
    except UnicodeEncodeError as error:
        return lookup("unreadable-file").at(
            source.path, _character_span(source.text[:error.start]),
            f"character U+{ord(source.text[error.start]):04X} (a lone surrogate) is not text",
            help="pass the table's text as proper Unicode, decoded from UTF-8")
    return None


def compile_source(source: Source, *, verify: bool = True, run_examples: bool = False,
                   directory: Path | None = None) -> Compilation:
    """Parse, check and (when there is no error) lower and verify one file; never raises for its
    content. `verify=False` stops after lowering (the verifier's own tests use it);
    `run_examples=True` also reports worked examples that contradict the tables (`mmdsl check`).
    `directory`: the table file's folder, where a declared clinical source is looked for (by
    default the folder of `source.path`)."""
    if len(source.text) > MAX_SOURCE_SIZE:
        return Compilation(source, diagnostics=[_too_large(source.path)])
    if (unencodable := _not_encodable(source)) is not None:
        return Compilation(source, diagnostics=[unencodable])
    folder = Path(source.path).parent if directory is None else directory
    with _fewer_collections():
        return _compile(source, verify, run_examples, folder)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, run less often while the compiler builds its trees: on
    a large file, whose millions of objects it would otherwise scan again and again, it took
    more than half of the time. Cycles are still collected."""
    first, *rest = gc.get_threshold()
    gc.set_threshold(max(first, 100_000), *rest)
    try:
        yield
    finally:
        gc.set_threshold(first, *rest)


def _compile(source: Source, verify: bool, run_examples: bool, folder: Path) -> Compilation:
    try:
        module, syntax_errors = parse_module(source)
        symbols = build_symbols(module)
    except Exception as error:  # a failure of the front end is a compiler bug
        return Compilation(source, diagnostics=[internal_error(source.path, "the parser", error)])
    unparsed = unparsed_statements(source, syntax_errors)
    clinical = _clinical_source(folder, symbols)
    checked = run_checks(CheckContext(source, module, symbols, unparsed, clinical))
    compilation = Compilation(source, module, symbols, sorted_diagnostics(syntax_errors + checked))
    if compilation.ok:
        _lower_into(compilation, symbols, clinical)
    if verify and compilation.guideline is not None:
        _verify_into(compilation, symbols)
    if run_examples and compilation.guideline is not None:
        _examples_into(compilation, symbols)
    return compilation


def _clinical_source(folder: Path, symbols: Symbols) -> ClinicalText | str | None:
    """The clinical source the file declares, read from beside it (or why it cannot be)."""
    if symbols.source is None:
        return None
    return read_clinical_source(folder, symbols.source.path.value)


def _lower_into(compilation: Compilation, symbols: Symbols,
                clinical: ClinicalText | str | None) -> None:
    """Lowering a checked file must not fail; if it does, the author gets MD900, not a traceback."""
    try:
        compilation.guideline = lower(compilation.source, symbols,
                                      clinical if isinstance(clinical, ClinicalText) else None)
    except Exception as error:  # any failure here is a compiler bug
        compilation.diagnostics.append(internal_error(compilation.source.path, "lowering", error))


def _verify_into(compilation: Compilation, symbols: Symbols) -> None:
    """Gaps, overlaps, dead rules, examples that contradict the tables. Errors among them withdraw
    the IR: no evaluator is made from tables that say two things at once."""
    from mmdsl.verify.report import diagnostics_of, verify_guideline

    guideline = compilation.guideline
    assert guideline is not None
    path = compilation.source.path
    try:
        compilation.verification = verify_guideline(guideline)
        found = diagnostics_of(path, symbols, guideline, compilation.verification)
    except Exception as error:  # any failure here is a compiler bug
        found = [internal_error(path, "verification", error)]
    compilation.diagnostics = sorted_diagnostics(compilation.diagnostics + found)
    if not compilation.ok:
        compilation.guideline = None  # the verifier's result stays: it says what was found
        if not any(reports(d, "MD900") for d in found):
            compilation.as_written = guideline


def _examples_into(compilation: Compilation, symbols: Symbols) -> None:
    """Worked examples that contradict the tables are errors of the file, but the evaluator stays:
    `mmdsl test` needs it to show what the tables say instead."""
    from mmdsl.contradictions import contradicting_examples

    guideline = compilation.guideline
    assert guideline is not None
    path = compilation.source.path
    try:
        found = contradicting_examples(path, symbols, guideline)
    except Exception as error:  # any failure here is a compiler bug
        found = [internal_error(path, "running the worked examples", error)]
    compilation.diagnostics = sorted_diagnostics(compilation.diagnostics + found)

def compile_path(path: str | Path, shown: str | None = None, *, run_examples: bool = False) -> Compilation:
    source = read_source(path, shown)
    if isinstance(source, Diagnostic):
        return Compilation(Source(source.path, ""), diagnostics=[source])
    return compile_source(source, run_examples=run_examples, directory=Path(path).parent)


def published(guideline: IRGuideline) -> IRGuideline:
    """The guideline as the files generated from it name it: its source by file name alone, so
    that a table file gives the same bytes from any working directory, and no path of a machine.

    The name's bytes are read as UTF-8 whatever the locale: under a Latin-1 locale Python would
    decode `triagé.mmdsl` as `triagÃ©.mmdsl`, and the generated files would change with it."""
    name = os.fsencode(Path(guideline.source_path).name).decode("utf-8", "backslashreplace")
    return dataclasses.replace(guideline, source_path=name)


def shown_path(path: str | Path) -> str:
    """A name for a file that does not depend on the machine: its path relative to the current
    directory with `/` separators, or its bare name when it lies outside the current directory.
    """
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(os.getcwd())).as_posix()
    except ValueError:
        return absolute.name


def table_files(paths: list[str]) -> list[Path]:
    """The `.mmdsl` files named, or found (sorted) under the folders named."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(path.rglob("*.mmdsl")) if path.is_dir() else [path]
    return found
