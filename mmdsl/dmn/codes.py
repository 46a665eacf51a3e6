"""The diagnostic codes of DMN import and export (MD7xx), registered with the code registry.

They live here rather than in `mmdsl.diagnostics.codes` because only the DMN commands use them;
`register` keeps them in the one registry that the code documentation is generated from.
"""

from __future__ import annotations

from mmdsl.diagnostics.codes import CODES, Code, register
from mmdsl.diagnostics.model import Severity

E, W = Severity.ERROR, Severity.WARNING

_ENTRIES = [
    Code("MD700", "dmn-unreadable", E, "the DMN file cannot be read as safe, well-formed XML",
         "A DMN model is XML; a file that is not well-formed, or that declares a DOCTYPE (the way "
         "entity-expansion bombs and external entities get in), is refused before anything is "
         "read from it.",
         '<!DOCTYPE definitions [<!ENTITY a "aaaa">]>',
         "Export the model again from the DMN modeller; DMN files need no DOCTYPE."),
    Code("MD701", "dmn-not-a-model", E, "the XML is not a DMN 1.2 to 1.5 model",
         "The import reads the elements of the DMN 1.2-1.5 namespaces; other XML would be "
         "misread.",
         '<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd">',
         "Save the model as DMN 1.3, 1.4 or 1.5 (`definitions` in the DMN MODEL namespace)."),
    Code("MD702", "dmn-unsupported-construct", E,
         "a DMN construct that mmdsl has no equivalent for",
         "mmdsl reads input data, decision tables and boolean literal expressions over the "
         "inputs. Boxed expressions (contexts, invocations, relations, functions), business "
         "knowledge models and decision services have no mmdsl form; translating them "
         "approximately would change the decision.",
         '<decision name="Fee"><context>…</context></decision>',
         "Rewrite the logic as a decision table, or keep the decision in a DMN engine."),
    Code("MD703", "dmn-unsupported-feel", E,
         "a FEEL expression beyond the unary tests that mmdsl can express",
         "Cells are read as FEEL simple unary tests (comparisons, ranges, lists, `not(...)`, `-`) "
         "and the list tests mmdsl writes itself; general FEEL (arithmetic, functions, paths) "
         "has no mmdsl form.",
         "<inputEntry><text>Age * 2 > 30</text></inputEntry>",
         "Move the computation into an input, or split the cell into simple tests."),
    Code("MD704", "dmn-unsupported-type", E, "a DMN type that mmdsl has no equivalent for",
         "mmdsl values are yes/no, numbers, text, enumerations and sets of an enumeration; dates, "
         "times, durations, contexts and free lists are not.",
         '<variable name="Birth" typeRef="date"/>',
         "Give the model a number (for example an age in years) or text instead."),
    Code("MD705", "dmn-default-output", E,
         "a default output entry that mmdsl cannot express with the same meaning",
         "mmdsl has no default outputs. A default is translated into a last rule that applies "
         "exactly when no other rule does; where that rule cannot be written (the table reads "
         "another decision's result, or it would change a count) the import stops rather than "
         "change the answer.",
         '<output name="Rate"><defaultOutputEntry><text>"Standard"</text>…',
         "Add the catch-all rule to the DMN table yourself, where its meaning is clear."),
    Code("MD706", "dmn-unrepresentable-text", E,
         "a text that mmdsl's quoted text cannot hold exactly",
         "Quoted text in mmdsl folds line breaks into spaces and refuses invisible and "
         "bidirectional characters; a value that a cell compares or a table returns must stay "
         "exactly as written.",
         '<text>"two\nlines"</text>',
         "Remove the line break or the invisible character from the value in the DMN model."),
    Code("MD707", "dmn-broken-reference", E,
         "a DMN element refers to something that is not in the model, or in a cycle",
         "Each input column reads an input data element or another decision by name; an unknown "
         "name or a cycle leaves the column without a value.",
         "<inputExpression><text>Agee</text></inputExpression>",
         "Name an input data element or a decision of the model exactly as it is declared."),
    Code("MD708", "dmn-text-changed", W, "a description was changed to fit mmdsl's quoted text",
         "Descriptions and labels do not take part in decisions; their line breaks become spaces "
         "and invisible characters are removed so that the generated file stays reviewable.",
         "<description>two\nlines</description>", "Nothing to do, or shorten the text."),
    Code("MD709", "dmn-export-not-applied", W,
         "a part of the guideline that DMN engines will not apply",
         "DMN has no scope, `order by`, `distinct by`, set inclusion or input defaults; the export "
         "keeps them as mmdsl extension elements so that `mmdsl import` restores them, but a DMN "
         "engine evaluating the file ignores them.",
         "order by tier", "Apply them in the program that calls the DMN engine, or keep using the "
         "mmdsl evaluator for this guideline."),
    Code("MD710", "dmn-months-at-month-end", W,
         "FEEL's years and months between two dates read as mmdsl's completed months",
         "`years and months duration(start, end)` counts months as Java's Period does; mmdsl "
         "counts completed calendar months, as an age in months is counted. The two agree "
         "except when the later date is the last day of a month shorter than the earlier "
         "date's day of the month: from 31 January to 29 February 2024 a clinician counts 1 "
         "month, a FEEL engine 0 months and 29 days. The import uses the clinician's count, so "
         "a patient at such a month end may be decided otherwise than by a DMN engine.",
         'years and months duration(birth date, today) >= duration("P18Y")',
         "Check the rules for patients whose dates fall at the end of a month, or test the "
         "days between the dates (`today - birth date`) where the month end matters."),
    Code("MD440", "dmn-extension-left-out", W,
         "a worked example, note or quote kept by an mmdsl export is not written back",
         "`mmdsl export` keeps the worked examples, notes and quotes in mmdsl extension elements "
         "so that `mmdsl import` loses nothing. One that names something the model no longer "
         "has, holds a value that cannot be written exactly, or no longer compiles (a DMN "
         "modeller changed the table it is about) is left out rather than stop the import.",
         '<mmdsl:example name="tcr"><mmdsl:given subject="removed_input">[1]</mmdsl:given>',
         "Write the example again for the model as it is now, in the imported mmdsl file."),
]

for _entry in _ENTRIES:
    if _entry.code not in CODES:  # re-importing the module must not register twice
        register(_entry)
