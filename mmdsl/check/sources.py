"""The clinical source: the file a guideline declares can be read, its date is a date, and
every `quote` appears in it word for word (mmdsl/clinical_source.py says what is normalised).

A quote that is not in the source is an error: the review document would show the clinician
words the source does not say, as if it did. The help shows the nearest passage of the source,
so a typo or a paraphrase is plain to see. A file that declares no source has nothing to check
its quotes against, and is not checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.clinical_source import ClinicalText, found_lines, nearest_passage, searchable
from mmdsl.diagnostics import Diagnostic
from mmdsl.syntax import ast

SHOWN = 160  # characters of the nearest passage shown in the help


def check(context: CheckContext) -> Iterator[Diagnostic]:
    declared = context.symbols.source
    if declared is None:
        return
    yield from _date(context, declared)
    if isinstance(context.clinical, str):
        yield context.report("unreadable-source", declared.path.span,
                             f"the clinical source `{declared.path.value}`: {context.clinical}",
                             "put the source file next to the table (for example "
                             "tables/sources/NAME.txt) and give its path relative to the table")
    elif isinstance(context.clinical, ClinicalText):
        yield from _quotes(context, context.clinical)


def _date(context: CheckContext, declared: ast.SourceDecl) -> Iterator[Diagnostic]:
    try:
        datetime.date.fromisoformat(declared.date.value)
        ok = len(declared.date.value) == 10
    except ValueError:
        ok = False
    if not ok:
        yield context.report("bad-source-date", declared.date.span,
                             f"`{declared.date.value}` is not a date written YYYY-MM-DD",
                             'write the date of the source\'s version as, for example, "2026-12-04"')


def _quotes(context: CheckContext, clinical: ClinicalText) -> Iterator[Diagnostic]:
    searched = searchable(clinical.text)
    for quote in context.statements(ast.QuoteDecl):
        if found_lines(quote.text.value, searched) is not None:
            continue
        nearest = nearest_passage(quote.text.value, clinical.text)
        shown = "" if nearest is None else (
            f"the nearest passage of the source, line {nearest.line}: "
            f"“{_shortened(nearest.text)}”; ")
        yield context.report("quote-not-in-source", quote.text.span,
                             f"quote `{quote.name.text}` is not in the clinical source "
                             f"`{clinical.path}` word for word",
                             f"{shown}copy the words exactly (only line breaks and runs of "
                             "spaces may differ)")


def _shortened(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"
