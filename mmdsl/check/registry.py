"""The list of checks, in the order their diagnostics are documented."""

from __future__ import annotations

from mmdsl.check import (
    always_unknown,
    case_names,
    cells,
    computed,
    conditions,
    control_characters,
    dates,
    duplicates,
    evidence,
    examples,
    expectations,
    facts,
    guideline,
    hit_policy,
    inputs,
    keyword_values,
    layout,
    names,
    notes,
    outputs,
    sources,
    suspicious_names,
    table_order,
    text_facts,
    underscore_names,
    unknown,
    unused,
    vocabulary,
)
from mmdsl.check.context import Check

CHECKS: list[Check] = [
    guideline.check,  # MD107, MD108
    layout.check,  # MD103, MD104, MD105 (and MD201 for a repeated column)
    duplicates.check,  # MD201, MD406
    control_characters.check,  # MD110
    suspicious_names.check,  # MD202
    case_names.check,  # MD204
    underscore_names.check,  # MD120
    keyword_values.check,  # MD121
    vocabulary.check,  # MD200, MD203, MD301 in classes
    inputs.check,  # MD200, MD303, MD305, MD306, MD410
    names.check,  # MD200, MD203 for column headings and conditions
    cells.check,  # MD300-MD303, MD306 in input and rule cells
    conditions.check,  # MD300-MD303, MD306 in facts and the scope
    dates.check,  # MD312, MD314, MD315
    computed.check,  # MD317-MD319 in numeric facts
    unknown.check,  # MD320, MD321
    always_unknown.check,  # MD327
    text_facts.check,  # MD322, MD323 for text facts
    outputs.check,  # MD304, MD307 (and MD105, MD200 for output columns)
    facts.check,  # MD400
    evidence.check,  # MD401-MD404
    hit_policy.check,  # MD405, MD409
    table_order.check,  # MD407
    unused.check,  # MD408
    examples.check,  # MD500, MD501
    expectations.check,  # MD502
    notes.check,  # MD200, MD203 for note targets
    sources.check,  # MD430-MD432
]
