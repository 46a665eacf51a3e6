"""The whole pipeline on one table text, and the promises every outcome must keep.

`run_whole_pipeline` does what `mmdsl check`, `compile`, `test` and `docs` do with a file: parse,
check, lower, verify, run the worked examples, render the diagnostics as text and JSON, and on
success generate the Python module (compiled and executed), the JSON Schema and both review
documents. It never raises: every broken promise becomes a line of `Outcome.problems`.

The promises (docs/reliability.md):

- nothing escapes as an exception (a RecursionError or MemoryError included);
- no internal error (MD900): a failure caught inside the compiler is still a bug;
- every diagnostic has a registered code with its registered severity, a message, and a
  position inside the text whose line and column agree with its offsets;
- a file with errors (other than failing worked examples) gives no evaluator, one without
  errors gives one;
- the evaluator's Python compiles and imports, and decides each worked example exactly as the
  reference interpreter does; the schema is JSON; the HTML has no element from the text.
"""

from __future__ import annotations

import bisect
import json
import re
import time
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from mmdsl.diagnostics import Diagnostic, Severity
from mmdsl.diagnostics.codes import CODES
from mmdsl.diagnostics.render import render_json, render_text
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import Compilation, compile_source, decode_source
from mmdsl.source import Source

# DuckDB threads for every cohort the campaigns run. DuckDB's default is one per core, and each
# thread reserves address space that a fuzz worker's RLIMIT_AS counts: on a machine with many
# cores the cohort ran out of memory under the limit (CI, a `MemoryError` on a harmless text).
COHORT_THREADS = 2

# Elements the review template writes; anything else in the HTML came from authored text.
TEMPLATE_TAGS = frozenset({
    "a", "body", "br", "code", "div", "h1", "h2", "h3", "h4", "head", "header", "html", "li",
    "meta", "nav", "ol", "p", "pre", "section", "small", "span", "strong", "style", "table",
    "tbody", "td", "th", "thead", "title", "tr", "ul", "main", "col", "colgroup", "dl", "dt", "dd",
})
EXAMPLE_FAILED = "MD503"


class TimeLimit(BaseException):
    """Raised by a fuzzer's alarm when an input takes too long: a hang, to be reported as one."""


@dataclass
class Outcome:
    """What one text gave: compiled or not, the codes of its diagnostics, broken promises."""

    compiled: bool = False
    codes: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_whole_pipeline(text: str | bytes, name: str = "fuzz.mmdsl", *,
                       backends: bool = True) -> Outcome:
    """Every stage on `text` (bytes are read as a file's bytes are); never raises."""
    outcome = Outcome()
    started = time.perf_counter()
    try:
        _run(text, name, outcome, backends)
    except BaseException as error:  # the promise is that nothing escapes
        if isinstance(error, KeyboardInterrupt | TimeLimit):
            raise
        outcome.problems.append(f"uncaught {type(error).__name__}: {_where(error)}")
    outcome.seconds = time.perf_counter() - started
    return outcome


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if "/mmdsl/" in f.filename] or frames
    last = inside[-1] if inside else None
    place = f" at {last.filename.rsplit('/', 2)[-2:]}:{last.lineno} ({last.name})" if last else ""
    return f"{str(error)[:300]}{place}"


def _run(text: str | bytes, name: str, outcome: Outcome, backends: bool) -> None:
    source = decode_source(text, name) if isinstance(text, bytes) else Source(name, text)
    if isinstance(source, Diagnostic):
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        shown = shown.removeprefix("\ufeff")  # a leading byte-order mark is not part of the text
        outcome.codes = (source.code,)
        outcome.problems += diagnostic_problems(source, LineIndex(shown))
        return
    compilation = _timed(outcome, "compile", lambda: compile_source(source, run_examples=True))
    outcome.codes = tuple(d.code for d in compilation.diagnostics)
    lines = LineIndex(source.text)
    for diagnostic in compilation.diagnostics:
        outcome.problems += diagnostic_problems(diagnostic, lines)
    outcome.problems += rendering_problems(compilation)
    outcome.problems += consistency_problems(compilation)
    if compilation.guideline is not None:
        outcome.compiled = True
        if backends:
            _timed(outcome, "backends", lambda: outcome.problems.extend(
                backend_problems(compilation.guideline)))  # type: ignore[arg-type]


def _timed(outcome: Outcome, stage: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        return work()
    finally:
        outcome.stages[stage] = time.perf_counter() - started


# ---- diagnostics --------------------------------------------------------------------------------


class LineIndex:
    """Lines and columns of offsets in one text, lines ending at "\\n" only (as the parser
    counts them), found by a binary search so that many diagnostics cost little."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def diagnostic_problems(diagnostic: Diagnostic, lines: LineIndex) -> list[str]:
    """What is wrong with one diagnostic: its code, severity, message or position."""
    where = f"{diagnostic.code} {diagnostic.message[:120]!r}"
    registered = CODES.get(diagnostic.code)
    if registered is None:
        return [f"{where}: unregistered code"]
    problems = []
    if diagnostic.code == "MD900":
        problems.append(f"internal error: {diagnostic.message[:400]}")
    if diagnostic.severity is not registered.severity:
        problems.append(f"{where}: severity {diagnostic.severity.value}, registered "
                        f"{registered.severity.value}")
    if not diagnostic.message.strip():
        problems.append(f"{where}: empty message")
    problems += [f"{where}: {p}" for p in span_problems(diagnostic, lines)]
    return problems


def span_problems(diagnostic: Diagnostic, lines: LineIndex) -> list[str]:
    """A span lies inside the text, and its lines and columns agree with its offsets.

    The end of a span that covers a line break may be given as the column after the last
    character of that line (the break counted as a character of its line) or as the start of
    the next line: both name the same place."""
    span = diagnostic.span
    if not 0 <= span.start <= span.end <= lines.length:
        return [f"offsets {span.start}..{span.end} outside the text (length {lines.length})"]
    found = []
    start = lines.line_column(span.start)
    if (span.line, span.column) != start:
        found.append(f"starts at {span.line}:{span.column}, its offset is at {start[0]}:{start[1]}")
    end = lines.line_column(span.end)
    after_break = span.end > 0 and end[1] == 1 and lines.line_column(span.end - 1)
    if (span.end_line, span.end_column) not in (end, after_break and (after_break[0], after_break[1] + 1)):
        found.append(f"ends at {span.end_line}:{span.end_column}, its offset is at {end[0]}:{end[1]}")
    return found


def rendering_problems(compilation: Compilation) -> list[str]:
    """The diagnostics render as text (one block each) and as JSON that reads back."""
    diagnostics = compilation.diagnostics
    rendered = render_text(diagnostics, {compilation.source.path: compilation.source.text})
    problems = []
    headers = sum(line.startswith(("error[", "warning[", "note[")) for line in rendered.split("\n"))
    if headers != len(diagnostics):
        problems.append(f"text rendering shows {headers} diagnostics, not {len(diagnostics)}")
    records = json.loads(render_json(diagnostics))["diagnostics"]
    if [r["code"] for r in records] != [d.code for d in diagnostics]:
        problems.append("JSON rendering lost or reordered diagnostics")
    return problems


def consistency_problems(compilation: Compilation) -> list[str]:
    """Errors other than failing worked examples withhold the evaluator; no error grants it."""
    errors = [d for d in compilation.diagnostics if d.severity is Severity.ERROR]
    blocking = [d for d in errors if d.code != EXAMPLE_FAILED]
    if blocking and compilation.guideline is not None:
        return [f"an evaluator was made despite {blocking[0].code} {blocking[0].message[:80]!r}"]
    if not errors and compilation.guideline is None:
        return ["no error, yet no evaluator"]
    return []


# ---- back ends ----------------------------------------------------------------------------------


def backend_problems(guideline: IRGuideline) -> list[str]:
    """The generated module, the schema and the review documents of a guideline without errors."""
    from mmdsl.backends.python import load_module
    from mmdsl.backends.review import render_html, render_markdown, run_examples
    from mmdsl.backends.schema.facts import render_schema
    from mmdsl.examples import run_file_examples

    # compiled as the service and the cohort compile it: a piece at a time (see load_module)
    problems = module_problems(guideline, load_module(guideline, "generated_fuzz", "<generated_fuzz>"))
    json.loads(render_schema(guideline))
    results = run_examples(guideline)
    render_markdown(guideline, results)
    problems += html_problems(render_html(guideline, results))
    run_file_examples(guideline)
    return problems


def load_generated(text: str, name: str = "generated_fuzz") -> types.ModuleType:
    """A generated module executed from its text, without touching sys.modules."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    return module


def module_problems(guideline: IRGuideline, module: types.ModuleType) -> list[str]:
    """The module decides every worked example as the interpreter does."""
    from mmdsl.interpreter import evaluate as interpret

    problems = []
    for example in guideline.examples:
        expected, actual = _decide(interpret, guideline, example.facts), _decide(
            lambda _, facts: module.evaluate(facts), guideline, example.facts)
        if expected != actual:
            problems.append(f"example {example.name}: the module and the interpreter disagree")
    return problems


def _decide(evaluate: Callable[[IRGuideline, object], dict[str, Any]], guideline: IRGuideline,
            facts: object) -> tuple[str, Any]:
    from mmdsl.runtime.prelude import decision_json

    try:
        return "decision", decision_json(evaluate(guideline, dict(facts)))  # type: ignore[call-overload]
    except ValueError as error:
        return "refused", getattr(error, "errors", str(error))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def html_problems(html: str) -> list[str]:
    """Elements or event handlers in the review HTML that the template does not write."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    problems = [f"the HTML holds a <{tag}> element" for tag in sorted(parser.tags - TEMPLATE_TAGS)]
    return problems + [f"the HTML holds an {name} attribute" for name in parser.handlers]
