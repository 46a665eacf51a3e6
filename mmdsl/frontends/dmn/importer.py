"""`mmdsl import`: a DMN file to mmdsl source that compiles, or diagnostics that say why not.

read (safe XML) -> model -> translation to mmdsl text -> compile the text with the ordinary
pipeline. The last step proves that the text is mmdsl and runs mmdsl's own checks on the tables
(an overlap in a UNIQUE table, say, is reported just as for a hand-written file).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mmdsl.diagnostics import Diagnostic, Severity, has_errors
from mmdsl.diagnostics.codes import internal_error, reports
from mmdsl.dmn.model import Model
from mmdsl.frontends.dmn.reader import read_model
from mmdsl.frontends.dmn.report import Reporter
from mmdsl.frontends.dmn.tables import translate_table
from mmdsl.frontends.dmn.translate import Translation, translate
from mmdsl.pipeline import Compilation, compile_source
from mmdsl.source import Source


@dataclass
class ImportResult:
    """The generated text (None when the model could not be translated), the diagnostics about
    the DMN file, the compilation of the text, and the map from DMN names to mmdsl names."""

    dmn_path: str
    dmn_text: str  # the DMN file as text, to show its lines in diagnostics
    translation: Translation
    diagnostics: list[Diagnostic] = field(default_factory=list)
    compilation: Compilation | None = None

    @property
    def text(self) -> str | None:
        return self.translation.text

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return self.diagnostics + (self.compilation.diagnostics if self.compilation else [])

    @property
    def ok(self) -> bool:
        return self.text is not None and not has_errors(self.all_diagnostics)

    @property
    def sources(self) -> dict[str, str]:
        """The texts the diagnostics point into, by path, for rendering them."""
        shown = {self.dmn_path: self.dmn_text}
        if self.compilation is not None:
            shown[self.compilation.source.path] = self.compilation.source.text
        return shown


def import_dmn(data: bytes, dmn_path: str, mmdsl_path: str = "<imported>", *,
               partial: bool = False, unknown: frozenset[str] = frozenset()) -> ImportResult:
    """Translate the DMN file `data` (shown as `dmn_path`); the text compiles as `mmdsl_path`.
    Never raises for the file's content: a failure of the import itself is MD900. With
    `partial`, the decisions mmdsl cannot say are left out and the others are translated
    (`Translation.left_out`); the import's errors stand, so the result is not `ok`. The inputs
    named in `unknown` (DMN names) are declared `or unknown`: the caller may give them null, as
    an mmdsl export marks with `mmdsl:unknown`."""
    dmn_text = data.decode("utf-8", errors="replace")
    try:
        return _import(data, dmn_text, dmn_path, mmdsl_path, partial, unknown)
    except Exception as error:  # a bug in the import, reported like the compiler's own
        return ImportResult(dmn_path, dmn_text, Translation(),
                            [internal_error(dmn_path, "the DMN import", error)])


def _import(data: bytes, dmn_text: str, dmn_path: str, mmdsl_path: str,
            partial: bool = False, unknown: frozenset[str] = frozenset()) -> ImportResult:
    reporter = Reporter(dmn_path, dmn_text)
    model = read_model(data, reporter)
    if model is None:
        return ImportResult(dmn_path, dmn_text, Translation(), reporter.diagnostics)
    if unknown:
        model = replace(model, inputs=tuple(
            replace(d, extras=(*d.extras, ("unknown", "true"))) if d.name in unknown else d
            for d in model.inputs))
    read = list(reporter.diagnostics)
    result = _translated(model, Reporter(dmn_path, dmn_text, read), mmdsl_path, frozenset(),
                         partial)
    refused: dict[str, str] = {}
    for _ in range(3) if partial else ():  # a fact left out may break the facts that read it
        more = _facts_that_do_not_compile(result)
        if not more:
            break
        refused |= more
        result = _translated(model, Reporter(dmn_path, dmn_text, read), mmdsl_path, frozenset(),
                             partial, refused=refused)
    never = _defaults_that_never_apply(result)
    unread = _inputs_left_unread(result) if partial else frozenset()
    if never or unread:
        result = _translated(model, Reporter(dmn_path, dmn_text, read), mmdsl_path, never,
                             partial, unread, refused)
    return result


def _translated(model: Model, reporter: Reporter, mmdsl_path: str,
                never_default: frozenset[str], partial: bool = False,
                unread: frozenset[str] = frozenset(),
                refused: dict[str, str] | None = None) -> ImportResult:
    dmn_path, dmn_text = reporter.path, reporter.text
    before = list(reporter.diagnostics)
    translation = translate(model, reporter, never_default, translate_table=translate_table,
                            partial=partial, unread=unread, refused=refused)
    result = ImportResult(dmn_path, dmn_text, translation, reporter.diagnostics)
    if translation.text is not None:
        result.compilation = compile_source(Source(mmdsl_path, translation.text))
    if translation.worked and not result.ok:
        return _without_worked_statements(model, Reporter(dmn_path, dmn_text, before),
                                          mmdsl_path, never_default, result)
    return result


def _without_worked_statements(model: Model, reporter: Reporter, mmdsl_path: str,
                               never_default: frozenset[str], failed: ImportResult) -> ImportResult:
    """The examples, notes and quotes of an mmdsl export that no longer fit the model (a DMN
    modeller changed what they name) must not cost the import: it is made again without them."""
    translation = translate(model, reporter, never_default, worked=False,
                            translate_table=translate_table)
    result = ImportResult(reporter.path, reporter.text, translation, reporter.diagnostics)
    if translation.text is None:
        return failed
    result.compilation = compile_source(Source(mmdsl_path, translation.text))
    if not result.ok:
        return failed
    reporter.report("dmn-extension-left-out", model.where,
                    f"the {failed.translation.worked} worked examples, notes and quotes kept in "
                    "the mmdsl extension do not compile with the model as it now is; they are "
                    "left out")
    return result


def _facts_that_do_not_compile(result: ImportResult) -> dict[str, str]:
    """In a partial import, the decisions whose computed fact the compiler refuses (a division
    by a value that may be zero, MD318; a power it cannot compute, MD319), with its reason."""
    if result.compilation is None:
        return {}
    lines = result.translation.fact_lines
    return {lines[d.span.line]: f"{d.code} {d.message}" for d in result.compilation.diagnostics
            if d.severity is Severity.ERROR and d.span.line in lines}


def _inputs_left_unread(result: ImportResult) -> frozenset[str]:
    """In a partial import that left decisions out, the DMN inputs that no kept decision reads
    (the compiler's MD408 on their declarations); the import leaves them out as well."""
    if result.compilation is None or not result.translation.left_out or result.text is None:
        return frozenset()
    by_line = dict(enumerate(result.text.split("\n"), start=1))
    unread_names = {by_line.get(d.span.line, "").partition(":")[0].removeprefix("input ")
                    for d in result.compilation.diagnostics if reports(d, "MD408")}
    translation = result.translation
    contexts = [dmn for dmn, parts in translation.components.items()
                if all(part.name in unread_names for part in parts.values())]
    return frozenset([dmn for dmn, name in translation.inputs.items()
                      if name.name in unread_names] + contexts)


def _defaults_that_never_apply(result: ImportResult) -> frozenset[str]:
    """The decisions whose default rule the compiler proved dead: their rules cover every case.

    Whether "no rule applies" can happen at all is a question about the inputs' whole ranges;
    mmdsl's verifier answers it exactly (MD600 on the added rule), so the import asks it rather
    than approximating, and then writes the table without the default.
    """
    if result.compilation is None:
        return frozenset()
    rules = result.translation.default_rules
    return frozenset(rules[d.span.line] for d in result.compilation.diagnostics
                     if reports(d, "MD600") and d.span.line in rules)
