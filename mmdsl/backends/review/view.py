"""The view model of a review document: plain strings and tuples, in the order a reader meets them.

The templates only loop over these and print them; every decision about wording is made in
`review_build`. Nothing here is markup: the HTML template escapes every string it prints, and the
Markdown template escapes every string except those it prints as code.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmdsl.backends.review.changes import ChangesView


@dataclass(frozen=True, slots=True)
class Link:
    """A mention of something the document describes; `anchor` is empty when it describes nothing."""

    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Provenance:
    title: str
    name: str
    version: str
    source_path: str
    source_sha256: str
    mmdsl_version: str


@dataclass(frozen=True, slots=True)
class ScopeView:
    description: str
    in_words: str
    written: str


@dataclass(frozen=True, slots=True)
class ImpossibleView:
    """A combination of facts the authors declare cannot occur."""

    name: str
    description: str
    in_words: str
    written: str


@dataclass(frozen=True, slots=True)
class InputView:
    name: str
    anchor: str
    description: str
    type_text: str
    allowed: str
    required: str
    remark: str  # what else holds for the value (a set that includes another), or ""
    allowed_words: str = ""  # the allowed values by their labels, for the clinician


@dataclass(frozen=True, slots=True)
class MemberView:
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class EnumView:
    name: str
    description: str
    members: tuple[MemberView, ...]


@dataclass(frozen=True, slots=True)
class ClassView:
    name: str
    enum: str
    description: str
    members: str


@dataclass(frozen=True, slots=True)
class FactView:
    name: str
    anchor: str
    description: str
    in_words: str
    written: str


@dataclass(frozen=True, slots=True)
class ColumnView:
    heading: str
    meaning: str


@dataclass(frozen=True, slots=True)
class OutputView:
    name: str
    description: str
    type_text: str
    values: str


@dataclass(frozen=True, slots=True)
class RuleView:
    key: str  # table.rule, as quotes and notes name it
    anchor: str
    number: int
    line: int
    sentence: str
    as_written: str  # `heading: cell` for every cell that is not `-`
    evidence: str  # "KarMMa (ref 1)", or "" when the rule cites nothing
    caveats: tuple[str, ...]
    quotes: tuple[Link, ...]
    notes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class TableView:
    name: str
    anchor: str
    title: str
    hit_policy: str
    policy_explained: tuple[str, ...]
    columns: tuple[ColumnView, ...]
    outputs: tuple[OutputView, ...]
    written: str
    rules: tuple[RuleView, ...]
    verification_notice: str = ""  # "Not verified: ..." when the verifier did not finish; else ""
    verification_note: str = ""  # the authors' note acknowledging it


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    anchor: str
    citation: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    name: str
    anchor: str
    heading: str  # the title, with the name when it differs
    design: tuple[str, ...]
    population: tuple[str, ...]
    findings: tuple[str, ...]
    refs: tuple[Link, ...]
    rules: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class CaveatView:
    name: str
    anchor: str
    text: str
    refs: tuple[Link, ...]
    rules: tuple[Link, ...]
    number: int = 0  # "warning 3": how the recommendations point at it


@dataclass(frozen=True, slots=True)
class QuoteView:
    name: str
    anchor: str
    text: str
    targets: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class PassageView:
    """One line of the clinical source and what quotes it: the quotes and their rules."""

    line: int
    text: str
    heading: bool  # a heading (no full stop, colon or reference number at its end)
    quotes: tuple[Link, ...]
    rules: tuple[Link, ...]  # the rules that those quotes name, each once


@dataclass(frozen=True, slots=True)
class ClinicalSourceView:
    """The clinical source the guideline declares, as the compiler read and checked it."""

    title: str
    date: str
    path: str  # relative to the table file
    sha256: str
    passages: tuple[PassageView, ...]
    unquoted: int  # statements (passages that are not headings) that no quote comes from


@dataclass(frozen=True, slots=True)
class GivenView:
    subject: str
    value: str


@dataclass(frozen=True, slots=True)
class CheckView:
    subject: str
    expected: str
    actual: str
    verdict: str  # "pass", "FAIL" or "not run"
    tone: str  # "pass", "fail" or "pending": how the verdict is coloured


@dataclass(frozen=True, slots=True)
class ExampleView:
    name: str
    anchor: str
    description: str
    line: int
    given: tuple[GivenView, ...]
    checks: tuple[CheckView, ...]
    problems: tuple[str, ...]  # facts the evaluator rejected
    decision: tuple[str, ...]  # what the evaluator decided, one line per table (empty: not run)
    why_not: tuple[str, ...]  # each value not given, the rule and its first failed test, in words
    verdict: str
    tone: str


@dataclass(frozen=True, slots=True)
class NoteView:
    name: str
    anchor: str
    text: str
    targets: tuple[Link, ...]
    number: int = 0  # "note 4", as the clinician's part numbers it (0: a definition, not numbered)


@dataclass(frozen=True, slots=True)
class UncoveredCase:
    """Patients a table says nothing about (an explicit gap), as verification reports them."""

    table: str
    summary: str
    witness: tuple[str, ...]  # the patient's facts, one `name: value` each


@dataclass(frozen=True, slots=True)
class RegionView:
    """Patients in scope described in a table's column words, and one of them."""

    summary: str
    witness: tuple[str, ...]  # the patient's facts, one `name: value` each


@dataclass(frozen=True, slots=True)
class FallbackView:
    """A table's fallback rules and the patients in scope for whom they are the only answer."""

    table: str
    anchor: str
    heading: str  # `Table t: fallback rule r`
    kind: str  # "rule" or "rules"
    rules: tuple[Link, ...]  # by the rule's name alone
    sentences: tuple[str, ...]  # what each fallback rule gives: `Rule x: In every case, …`
    caveats: tuple[str, ...]
    notes: tuple[NoteView, ...]  # the authors' notes on the fallback rules
    handling: str  # how the guideline handles the patients listed
    regions: tuple[RegionView, ...]
    more: str  # how many regions are not listed, or ""


# ---- the clinician's part: summary, recommendations, groups not covered, examples grid ----------


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One option as the patient meets it: its number, its values (option, strength), for whom."""

    number: int
    anchor: str
    values: tuple[str, ...]  # one per output, in words
    patients: str
    evidence: str
    label: str = ""  # the numbers of the recommendations it stands for: `1 and 3`


@dataclass(frozen=True, slots=True)
class SummaryView:
    title: str
    headings: tuple[str, ...]  # the outputs' descriptions
    how: str  # how the patient's answer is read off the rows
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True, slots=True)
class ValueDefinition:
    term: str
    text: str


@dataclass(frozen=True, slots=True)
class DefinitionView:
    """The authors' definitions of an output's values (tiers), from notes on `output.value`."""

    term: str  # the output's name, to tell definitions apart
    heading: str
    values: tuple[ValueDefinition, ...]


@dataclass(frozen=True, slots=True)
class RecommendationView:
    """One option in detail, in clinical words: for whom, what, why, with what warning."""

    number: int
    anchor: str
    heading: str  # `ide-cel (preferred)`
    sentence: str
    evidence: str
    caveats: tuple[str, ...]
    notes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class CatchAllView:
    """An option every patient is offered, and the patients for whom it is the only one."""

    heading: str
    anchor: str  # the recommendation it is
    behaviour: str
    groups: tuple[str, ...]
    notes: tuple[Link, ...]
    short: str = ""  # one sentence for the summary


@dataclass(frozen=True, slots=True)
class ExampleRow:
    number: int
    name: str
    anchor: str
    description: str
    differs: tuple[str, ...]  # `fact: value` for each fact that is not the usual one
    result: str
    why_not: tuple[str, ...]
    verdict: str
    tone: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExampleGrid:
    usual: tuple[str, ...]  # `fact: value`, the most common value of each fact
    rows: tuple[ExampleRow, ...]


@dataclass(frozen=True, slots=True)
class WrittenTable:
    """A decision table as written, cell by cell, for a real (wrapping) HTML table."""

    name: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class ReviewDocument:
    provenance: Provenance
    scope: ScopeView | None
    inputs: tuple[InputView, ...]
    enums: tuple[EnumView, ...]
    classes: tuple[ClassView, ...]
    facts: tuple[FactView, ...]
    tables: tuple[TableView, ...]
    references: tuple[ReferenceView, ...]
    evidence: tuple[EvidenceView, ...]
    caveats: tuple[CaveatView, ...]
    quotes: tuple[QuoteView, ...]
    unquoted_rules: tuple[Link, ...]  # empty when no clinical source is declared
    clinical_source: ClinicalSourceView | None  # None: the file declares no source
    examples_summary: str
    examples: tuple[ExampleView, ...]
    notes: tuple[NoteView, ...]
    coverage_summary: str  # "not yet analysed" until verification feeds `uncovered`
    uncovered: tuple[UncoveredCase, ...]
    fallbacks_summary: str  # what a fallback rule is, or "" when no table has one
    fallbacks: tuple[FallbackView, ...]
    impossible: tuple[ImpossibleView, ...] = ()  # combinations of facts that cannot occur
    summaries: tuple[SummaryView, ...] = ()
    definitions: tuple[DefinitionView, ...] = ()
    recommendations: tuple[RecommendationView, ...] = ()
    gaps_clinical: tuple[str, ...] = ()  # patients no option answers, in clinical words
    gaps_summary: str = ""  # the coverage result in clinical words
    catch_all: tuple[CatchAllView, ...] = ()
    clinical_notes: tuple[NoteView, ...] = ()  # the notes, less the definitions, in clinical links
    grid: ExampleGrid | None = None
    written: tuple[WrittenTable, ...] = ()
    changes: ChangesView | None = None  # with `mmdsl docs --since`: what changed since that version
