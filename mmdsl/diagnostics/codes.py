"""The registry of diagnostic codes.

Codes are stable: a code once published keeps its meaning forever, so tools and people can rely on
it. Each entry documents what the problem is, why it matters, an example that triggers it and how
to fix it; `docs/diagnostics.md` is generated from this registry
(`mmdsl.diagnostics.docs.render_diagnostics_markdown`).
Ranges: MD1xx syntax, MD2xx names, MD3xx types and values, MD4xx structure of tables and the
guideline, MD5xx worked examples, MD6xx verification of the rules, MD9xx the compiler itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mmdsl.diagnostics.model import Diagnostic, Severity
from mmdsl.diagnostics.names import CodeName
from mmdsl.source import NO_SPAN, Span


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    example: str
    fix: str

    def at(
        self, path: str, span: Span, message: str, *,
        help: str | None = None, label: str | None = None, **data: Any,
    ) -> Diagnostic:
        """A diagnostic of this code at `span` of the file `path`."""
        return Diagnostic(self.code, self.severity, message, path, span, help, label, data)


E, W = Severity.ERROR, Severity.WARNING

_ENTRIES = [
    # ---- MD1xx: syntax --------------------------------------------------------------------
    Code("MD100", "syntax-error", E, "the line does not follow the grammar of mmdsl",
         "The compiler cannot tell what a line means when it does not have the shape of any "
         "statement; guessing could change the meaning of a clinical rule.",
         "input prior_lines integer 0..30", "Write the statement in one of the forms of "
         "docs/language.md; here a colon is missing: `input prior_lines: integer 0..30`."),
    Code("MD101", "unterminated-text", E, "quoted text is never closed",
         "Text in quotes runs until the next quote; an unclosed quote swallows the rest of the file.",
         'input t11_14: yes/no "t(11;14) confirmed', 'Add the closing quote: `"t(11;14) confirmed"`.'),
    Code("MD102", "unexpected-character", E, "a character that mmdsl does not use",
         "Only the characters of the language may appear outside quotes and comments.",
         "input prior_lines: integer 0..30 $", "Remove the character, or put the text in quotes."),
    Code("MD103", "row-cell-count", E, "a table row has a different number of cells than the header",
         "Each cell belongs to the column above it; a missing or extra cell shifts every test "
         "after it to the wrong column.",
         "| prior_lines | t11_14 || regimen |\n| >= 4 || VenVd |",
         "Give the row one cell per column; write `-` for a cell that should match anything."),
    Code("MD104", "empty-cell", E, "a table cell is empty",
         "An empty cell is ambiguous: it may be a forgotten value or mean 'any'.",
         "| prior_lines | t11_14 || regimen |\n|             | yes    || VenVd   |",
         "Write `-` for 'any value' (under outputs, evidence and caveats: 'none'), or the test you "
         "meant."),
    Code("MD105", "table-layout", E, "a table's header and sections are not laid out as inputs || outputs",
         "A table has input columns on the left, `||`, output columns on the right and optionally "
         "`||` and annotation columns (evidence, caveats); without that the compiler cannot know "
         "which cells are tests and which are results.",
         "| prior_lines | regimen |", "Separate the inputs from the outputs with `||`: "
         "`| prior_lines || regimen |`."),
    Code("MD106", "unreadable-file", E, "the file cannot be read as UTF-8 text (or is too long)",
         "Table files are UTF-8 text; other bytes would be read differently on different machines. "
         "A file of more than 2,000,000 characters is refused too: no guideline needs one, and the "
         "compiler's memory grows with the file.",
         "(a file saved as Latin-1 with an accented letter)", "Save the file as UTF-8."),
    Code("MD107", "missing-guideline", E, "the file does not start with a guideline declaration",
         "Every decision carries the guideline's name as provenance; the compiler needs it.",
         "input prior_lines: integer 0..30", 'Add `guideline my_guideline "Title"` as the first statement.'),
    Code("MD108", "misplaced-statement", E, "a statement appears more than once or in the wrong place",
         "Some statements describe the whole guideline (its name, version, scope) and may appear only once.",
         'version "1.0"\nversion "1.1"', "Keep one of them."),
    Code("MD109", "nesting-too-deep", E, "`not`, `and`, `or` and brackets nested more than 32 levels deep",
         "No guideline needs such a condition, and no reviewer can check one; the compiler refuses it "
         "rather than risk running out of stack in one of its stages or in the generated module.",
         "fact f = not not not … (33 times) t11_14", "Name parts of the condition as derived facts "
         "(`fact NAME = …`) and use their names, or remove the doubled `not`s."),
    Code("MD115", "range-with-dash", E, "a range written with a dash, as `65-74`",
         "mmdsl reads `65-74` as the number 65 followed by the number -74; a range is written with "
         "two dots, so that a range never looks like a subtraction or a negative number.",
         "| 65-74 | no || apixaban |", "Write the range with two dots: `65..74` (both ends included)."),
    Code("MD116", "text-on-next-line", E, "a statement's quoted text starts on the line below it",
         "A statement ends at the end of its line; its quoted text may run over several lines, "
         "but it must open on the statement's own line.",
         'note why on dose.old:\n  "because the trial said so"',
         'Move the opening `"` up: `note why on dose.old: "because the trial said so"`.'),
    Code("MD117", "unit-after-number", E, "a unit written after a number in a cell or a condition",
         "The unit of a number belongs to its input and is declared once (`unit \"kg\"`); a unit "
         "written in a cell could disagree with the declared one, and a reader could believe that "
         "the number is converted.",
         "| >= 60 kg || apixaban |", 'Write the number alone (`>= 60`) and declare the unit with '
         'the input: `input weight: decimal 0..300 unit "kg"`.'),
    Code("MD118", "reversed-comparison", E, "a comparison written `=>` or `=<`",
         "The comparisons are written `>=` and `<=` (or `≥` and `≤`); `=>` reads as `=` followed by "
         "a stray `>`.",
         "| => 65 || apixaban |", "Write `>=` for 'at least' and `<=` for 'at most'."),
    Code("MD119", "number-plus", E, "`2+` written for '2 or more'",
         "`+` is not part of the language; a comparison says the same without doubt about whether "
         "the number itself is included.",
         "| 2+ || IsaPd |", "Write `>= 2`."),
    Code("MD110", "control-character", E, "a control character in quoted text or a comment",
         "Control characters (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF) are "
         "invisible in editors and review documents, so no reviewer sees them, and XML 1.0 cannot "
         "carry them at all: a DMN export holding one would be a file no parser reads.",
         'input note: text "free text␁"   # where ␁ stands for U+0001, which no page can show',
         "Delete the character; write a space or a line break instead."),
    Code("MD120", "reserved-prefix", E, "an input, fact or table name starts with `_`",
         "Inputs, facts and tables become SQL columns in a cohort, and the generated query keeps "
         "names that start with `_` for columns of its own (`_row`, the patient's row number; "
         "`_f0`, `_in_scope`, `_t1`, …). SQL engines ignore case, so an input `_RoW` would be read "
         "as the row number and the cohort would decide on it.",
         'input _row: integer 0..99 "row of the drug chart"',
         "Rename it without the leading `_`."),
    Code("MD121", "keyword-value", E, "a value of an enumeration named `any`, `all`, `none`, "
         "`not`, `has`, `yes` or `no`",
         "These words open a test of their own (`all of PI`, `not PD`, `has dara`) or are the "
         "yes/no values, so a cell or a condition that names such a value is read as the word: "
         "`| all |` fails with \"expected `of`\", far from the declaration.",
         "enum protocol = all, aml, other",
         "Rename the value: `all_`, or a capitalised `ALL` (a different word)."),
    # ---- MD2xx: names ---------------------------------------------------------------------
    Code("MD200", "unknown-name", E, "a name that is not declared",
         "A misspelt input or value would otherwise silently never match.",
         "| prior_line || regimen |", "Use a declared name; the help line suggests the nearest one."),
    Code("MD201", "duplicate-name", E, "a name declared twice",
         "Two things with one name make every use of it ambiguous.",
         "input t11_14: yes/no\ninput t11_14: yes/no", "Rename or remove one of them."),
    Code("MD202", "suspicious-name", E, "a name holds invisible, bidirectional or mixed-script characters",
         "Such characters make text look different from what the compiler reads (Trojan Source, "
         "look-alike letters): a reviewer could approve a rule that does something else.",
         "input t11_14\u200b: yes/no", "Retype the name using plain letters of one script."),
    Code("MD203", "wrong-kind-of-name", E, "a name is used where a different kind of thing is expected",
         "An input cannot stand where evidence is expected, a caveat cannot be a column, and so on.",
         "class PI of prior_lines = bortezomib", "Use a name of the expected kind (the message says which)."),
    Code("MD204", "names-differ-in-case", E, "two names differ only in upper and lower case",
         "SQL engines (DuckDB, Spark) read column names without regard to case, as do other tools "
         "the decisions reach: inputs `A` and `a` would become one column, and a cohort would "
         "decide on the wrong value. Two such names are almost always a mistake.",
         'input PI: yes/no "prior proteasome inhibitor"\ninput pi: yes/no "prior PI, any line"',
         "Rename one of them so that the two differ in more than case, or use one name."),
    # ---- MD3xx: types and values ----------------------------------------------------------
    Code("MD300", "type-mismatch", E, "a value or test does not fit the type of its column or input",
         "A yes/no column tested with a number, or a number compared with text, never matches as intended.",
         "| t11_14 || regimen |\n| >= 4   || VenVd   |", "Use a test that fits the column's type "
         "(the message names it)."),
    Code("MD301", "unknown-member", E, "a value that is not a member of the enumeration",
         "A misspelt drug or category would never match any patient.",
         "| refractory       || regimen |\n| has bortezomb    || SVd     |",
         "Use a member of the enumeration; the help line suggests the nearest one."),
    Code("MD302", "out-of-range", E, "a number outside the declared range of its input",
         "A test against an impossible value is a typo or a misunderstanding of the unit.",
         "input prior_lines: integer 0..30\n... | >= 40 |", "Use a number inside the declared range."),
    Code("MD303", "empty-range", E, "a range or bounds whose low end is above its high end",
         "Such a range contains no value, so the rule can never fire.",
         "| 5..3 |", "Write the low end first: `3..5`."),
    Code("MD304", "bad-output", E, "an output cell that is not a single value of the output's type",
         "Outputs are results, not tests: each cell holds one value (or `-` for none).",
         "output tier: one of preferred, other\n... || >= 2 |", "Write one value of the output's type."),
    Code("MD305", "bad-default", E, "an input's default value does not fit its type",
         "The default replaces a missing fact, so it must be a valid value itself.",
         "input bcl2_high: yes/no default 3", "Write a default of the input's type."),
    Code("MD306", "bad-integer", E, "a decimal number where an integer is required",
         "Integer inputs (counts, lines of therapy) cannot hold fractions.",
         "input prior_lines: integer 0..2.5", "Write a whole number."),
    Code("MD307", "bad-output-type", E, "an output declared with a type that a result cannot have",
         "Each rule gives one value per output; a set has no single value, and a `collect` table "
         "already gathers the values of every rule that matches.",
         "output regimens: set of regimen", "Declare the output as one value (`one of …`, yes/no, a "
         "number or text) and let a `collect` table list the results."),
    Code("MD308", "number-too-long", E, "a number with more than 15 digits",
         "The evaluators and the verifier compute with binary floating point, which holds every number "
         "of up to 15 digits exactly; a longer one could silently become a different number (a "
         "threshold `0.0000000000000000001` would become 0).",
         "input creatinine: decimal 0.1..20.0000000000000001", "Write at most 15 digits (leading zeros "
         "and trailing decimal zeros do not count); a very large or very small quantity reads better "
         "in another unit."),
    Code("MD310", "unknown-duration-unit", E, "a duration written with a unit that is not a unit of time",
         "A duration counts days, weeks, months or years; any other word would leave the compiler "
         "guessing how long the threshold is.",
         "| < 6 wekks || resume |", "Write the amount with `days`, `weeks`, `months` or `years` "
         "(singular or plural): `< 6 weeks`."),
    Code("MD311", "date-tested-directly", E,
         "a date input is tested with something other than a fixed calendar day",
         "A date is tested against fixed days (`>= 2019-09-01`, `2019-01-01..2019-12-31`); a rule "
         "about the time since a date (since the last dose, an age) is about the time between two "
         "dates, and `< 60 days` on a date alone would not say from which day to count.",
         "| last_dose || resume |\n| < 60 days || no |", "Declare the duration as a fact, "
         "`fact since_last_dose = time from last_dose to evaluation_date`, and test it: "
         "`| since_last_dose || resume |`; or test the date against a day written year-month-day: "
         "`>= 2019-09-01`."),
    Code("MD312", "bad-interval", E, "a duration that is not between two date inputs",
         "`time from A to B` counts the days, months and years from one date to another; both "
         "ends must be inputs of type `date` (or `evaluation date`).",
         "fact age = time from birth_year to evaluation_date", "Name two date inputs: declare "
         "`input birth_date: date` and write `time from birth_date to evaluation_date`."),
    Code("MD313", "invalid-date", E, "a date that does not exist or is not written YYYY-MM-DD",
         "A date such as 2024-02-30 does not exist: a cell that compares with it (`< 2024-02-30`) "
         "would leave the day meant unknown, and evaluating a worked example with it could only fail.",
         "  last_dose: 2024-02-30", "Write an existing date as year-month-day: `2024-02-29`."),
    Code("MD314", "several-evaluation-dates", E,
         "more than one input is declared `evaluation date` or `evaluation date and time`",
         "The evaluation date (or date and time) is when the decision is made, recorded in its "
         "provenance; a decision is made at one time.",
         "input today: evaluation date\ninput now: evaluation date and time", "Keep one "
         "evaluation date; declare other dates as `date` (or `date and time`)."),
    Code("MD315", "date-default", E, "a date input with a default",
         "A default date is a guess: for the evaluation date it would be a day other than today, "
         "and for a clinical date it would invent a history. The caller gives every date.",
         "input evaluation_date: evaluation date default 2024-01-01", "Remove the default; the "
         "decision's caller supplies the date (the evaluation date is never taken from the clock)."),
    Code("MD316", "misplaced-expression", E,
         "a number where a condition is expected, or a condition where a number is",
         "A derived fact is either a condition (yes/no) or a number; `and`, `or`, `not`, `if` and "
         "the scope join conditions, and `+ - * / **` join numbers. Mixing them has no meaning.",
         "fact score = (age >= 75) + 1", "Choose a number by the condition, "
         "`(if age >= 75 then 1 else 0) + 1`, or compare the number: `score >= 2`."),
    Code("MD317", "not-a-number", E, "a name used in arithmetic does not hold a number",
         "Arithmetic reads integer and decimal inputs and numeric facts; a yes/no, a member of an "
         "enumeration, text or a duration has no number to add.",
         "fact score = heart_failure + hypertension",
         "Give points by a condition: `(if heart_failure then 1 else 0)`; compare a duration in "
         "the condition: `(if age >= 75 years then 2 else 0)`."),
    Code("MD318", "division-by-zero", E, "a division whose divisor can be zero over the declared ranges",
         "The divisor's range, computed from the declared ranges of the inputs, includes 0 (or is "
         "not bounded away from it), so some patient would make the fact undefined. A negative power "
         "divides by its base (`x ** -2` is `1 / (x * x)`): its base must exclude 0 likewise.",
         "input height_m: decimal 0.0..2.5\nfact bmi = weight_kg / (height_m * height_m)",
         "Declare a range that excludes 0 (`decimal 0.3..2.5`), or guard the division: "
         "`if height_m > 0.0 then … else 0`."),
    Code("MD319", "bad-exponent", E, "a power whose exponent is not a whole number of a bounded range",
         "`**` raises to a whole number from -1000 to 1000: a number written in the fact, or an "
         "integer input or fact whose declared range bounds it. A decimal exponent is a root, "
         "which has no exact value (mmdsl computes numbers exactly); an exponent without a "
         "bounded range can make the power any size.",
         "fact area = side ** 0.5",
         "Raise to a whole number (`height_m ** 2`, `(1 + rate) ** -months`), and declare the "
         "range of an integer exponent (`input months: integer 1..360`)."),
    Code("MD320", "never-unknown", E,
         "a test for an unknown value on an input or fact that is always known",
         "`unknown` (in a cell, a condition or a worked example) is a value only an input "
         "declared `or unknown` can have, or a derived fact that reads one: the caller must give "
         "every other input, so the test would never hold, or the example could not happen.",
         "input ldh: integer 0..5000 unit \"U/L\"\nfact no_ldh = ldh is unknown",
         "Declare the input as possibly unknown, `input ldh: integer 0..5000 unit \"U/L\" or "
         "unknown`, or remove the test."),
    Code("MD321", "unknown-in-arithmetic", E,
         "a duration between dates and times is counted from one that may be unknown",
         "A computed number, a text fact or a duration between two dates reading a value that "
         "may be unknown is itself unknown when that value is (as in DMN, null in arithmetic or "
         "joined to text gives null), but a duration between dates and times from an unknown one "
         "is not carried yet: it would have no value to compare.",
         "input onset: date and time or unknown\ninput now: evaluation date and time\n"
         "fact since_onset = time from onset to now",
         "Declare the date and time without `or unknown` so that the caller must give it, or "
         "decide without the duration."),
    Code("MD322", "text-mixed", E, "a text fact joins a number, a yes/no or another value that is not text",
         "A text fact (`fact greeting = \"Hello \" + full_name`) joins quoted text, text inputs, "
         "the member of an enumeration input and other text facts with `+`. A number or a yes/no "
         "has no words of its own to join, and `-`, `*`, `/`, `**` have no meaning on text.",
         "fact label = \"Score: \" + score", "Choose the words by a condition: "
         "`if score >= 2 then \"high\" else \"low\"`; keep numbers in a numeric fact."),
    Code("MD323", "text-fact-tested", E, "a cell or a condition tests a text fact",
         "A text fact is shown with the decision (its words for the reader) and never tested: "
         "a decision that depended on the words built from a name would change with its spelling.",
         "fact greeting = \"Hello \" + full_name\nfact formal = greeting is \"Hello Sir\"",
         "Test what the text is built from (the inputs and facts it joins), not the text."),
    Code("MD324", "mixed-interval-ends", E,
         "a duration from a date to a date and time, or from a date and time to a date",
         "A duration between two dates counts calendar days and months; between two dates and "
         "times it counts the exact hours and minutes. From a date (a day, no clock time) to a "
         "date and time, neither can be counted without guessing the hour of the date.",
         "input onset: date and time\ninput today: evaluation date\n"
         "fact since_onset = time from onset to today",
         "Declare both ends alike: `input now: evaluation date and time` and `time from onset to "
         "now` for hours and minutes, or both `date` for days, months and years."),
    Code("MD325", "duration-unit-mismatch", E,
         "a duration tested in a unit its ends cannot count",
         "Between two dates and times a duration counts minutes, hours, days (24 hours) and "
         "weeks exactly; months and years are calendar months, which need dates. Between two "
         "dates it counts days, weeks, months and years; hours and minutes need clock times.",
         "fact since_onset = time from onset to now\n| < 2 months || … |",
         "Between dates and times write minutes, hours, days or weeks (`< 60 days`); for "
         "calendar months declare the ends as dates. Between dates, declare the ends `date and "
         "time` to count hours."),
    Code("MD326", "invalid-date-time", E,
         "a date and time that does not exist, is written another way, or has an offset in a table",
         "A date and time is written `2024-03-01T14:30` (seconds may follow: `14:30:05`). One "
         "that does not exist (`2024-02-30T10:00`, `25:00`) leaves the moment meant unknown. A "
         "fixed date and time in a table or a condition is compared with the clock time as "
         "written on the value, so it has no offset; a worked example may give one (`Z`, "
         "`+01:00`).",
         "| onset || … |\n| >= 2024-03-01T25:00 || … |",
         "Write an existing date and time as year-month-dayThour:minute: `2024-03-01T08:00`, "
         "without an offset in a table."),
    Code("MD327", "always-unknown", W, "a derived fact that is unknown for every patient",
         "`unknown` may be written in arithmetic, as DMN writes `null`, but a fact built so that "
         "no patient gives it a value (`10 + unknown`, an `if` whose condition is always "
         "unknown, or a fact reading such a fact) is almost certainly a mistake: every cell and "
         "condition on it but `unknown` and `-` would never hold.",
         "fact bonus = 10 + unknown",
         "Write the value it should have, or test the input with `is unknown`: `if ldh is "
         "unknown then 0 else ldh / 250`."),
    Code("MD328", "invalid-time-of-day", E,
         "a time of day that does not exist, is written another way, or has an offset",
         "A time of day is a clock reading of any day, written `14:30` (seconds may follow: "
         "`14:30:05`), from 00:00 to 23:59:59. One that does not exist (`25:00`, `10:61`) leaves "
         "the time meant unknown. A time of day in a clinical rule is read off the ward clock, "
         "so it has no offset (`Z`, `+01:00`): one with an offset is refused, in a table, a "
         "condition, a worked example and the facts alike.",
         "| arrival_clock || … |\n| >= 25:00 || … |",
         "Write an existing time of day as hour:minute, two digits each: `08:00`, `17:30`, "
         "without an offset."),
    # ---- MD4xx: structure -----------------------------------------------------------------
    Code("MD400", "fact-cycle", E, "derived facts that depend on each other in a cycle",
         "A fact defined through itself has no value.",
         "fact a = b\nfact b = a", "Define one of the facts from inputs only."),
    Code("MD401", "unknown-evidence", E, "a rule cites evidence that is not declared",
         "Every citation must lead to a trial or reference in the bibliography.",
         "| ... || ... || KarMMA |", "Declare it with `evidence NAME \"title\"` or fix the spelling."),
    Code("MD402", "unknown-reference", E, "a reference number that is not in the bibliography",
         "Reference numbers must point to a declared `reference`.",
         "evidence KarMMa \"KarMMa\"\n  refs 9", "Declare `reference 9 \"...\"` or use an existing number."),
    Code("MD403", "unknown-caveat", E, "a rule attaches a caveat that is not declared",
         "Caveats are shown to clinicians with the recommendation; an unknown one would be lost.",
         "| ... || ... || STORM | cytopenia |",
         "Declare it with `caveat NAME \"text\"` or fix the spelling."),
    Code("MD404", "missing-evidence", E, "a rule of a table that requires evidence cites none",
         "A recommendation without its evidence cannot be reviewed or trusted.",
         "requires evidence\n... || Sd | other || - |",
         "Cite the trial or reference that supports the rule."),
    Code("MD405", "hit-policy", E, "the hit policy does not fit the table",
         "Aggregations need exactly one numeric output (count excepted); priority and output order "
         "rank rules by the declared order of their output values, so at least one output must "
         "list its values (`one of …`).",
         "hit collect sum\noutput regimen: one of IsaPd, IsaKd", "Choose a hit policy that fits, or "
         "change the outputs."),
    Code("MD406", "duplicate-rule", E, "two rules of a table share a name",
         "Rule names appear in decisions and traces; they must identify one rule.",
         "| rule | ... |\n| car_t | ... |\n| car_t | ... |", "Give each rule its own name."),
    Code("MD407", "bad-table-reference", E, "a column reads the result of a table that is not before it",
         "Tables are evaluated top to bottom; a table may only read the results of earlier tables.",
         "| later_table.level || ... |", "Move the table you read from above this one."),
    Code("MD408", "unused-declaration", W, "a declaration that nothing uses",
         "An input no rule reads, or evidence no rule cites, is often a sign of a forgotten rule.",
         "input bcl2_high: yes/no", "Use it in a rule or remove it."),
    Code("MD409", "bad-clause", E, "a table clause names something that is not an output of the table",
         "`order by` and `distinct by` work on the table's own outputs.",
         "order by tiers", "Name an output declared with `output` in this table."),
    Code("MD410", "bad-set-reference", E,
         "a set input includes something that is not a set of the same values",
         "`includes` makes one set contain another; both must be sets of the same enumeration.",
         "input exposed: set of drug includes prior_lines", "Name a set input of the same enumeration."),
    Code("MD430", "quote-not-in-source", E, "a quote is not found word for word in the clinical source",
         "A quote tells the signing clinician what the source says; words the source does not "
         "contain, shown as its words, mislead. Only line breaks and runs of spaces are normalised: "
         "letters, case, punctuation and symbols must match.",
         'source "sources/guideline.txt" ...\nquote q on t.r: "CAR-T is prefered"',
         "Copy the sentence from the source file exactly; the help shows the nearest passage."),
    Code("MD431", "unreadable-source", E, "the declared clinical source cannot be read",
         "The quotes are checked against the source and its SHA-256 goes into every decision; "
         "without the file neither can be done.",
         'source "../elsewhere/guideline.txt"',
         "Put the source file beside the table (for example `tables/sources/NAME.txt`, UTF-8) and "
         "give its path relative to the table file, inside the table's folder."),
    Code("MD432", "bad-source-date", E, "the date of the clinical source is not a date",
         "The date identifies the version of the source the guideline was written from.",
         'date "December 2026"', 'Write it as YYYY-MM-DD: `date "2026-12-04"`.'),
    # ---- MD5xx: worked examples ------------------------------------------------------------
    Code("MD500", "bad-example-fact", E, "a worked example gives a fact that is not a valid input",
         "An example is a patient; its facts must be valid input to the evaluator.",
         "example e1 \"...\"\n  prior_line: 3", "Name a declared input and give a value of its type."),
    Code("MD501", "incomplete-example", E, "a worked example leaves out a required input",
         "The evaluator refuses incomplete facts; so must the example.",
         "example e1 \"...\"\n  prior_lines: 3", "Give every input that has no default."),
    Code("MD502", "bad-expectation", E,
         "a worked example expects something that the guideline does not produce",
         "Expectations name a table (or a table's output), a derived fact or `status`.",
         "expect regimens: IsaPd", "Name a table, `table.output`, a fact, or `status`."),
    Code("MD503", "example-fails", E, "a worked example gives a different result than expected",
         "The tables do not do what their authors said they would for this patient.",
         "expect recommendations.regimen: IsaPd   (the tables say IsaKd)",
         "Fix the table or the expectation; `mmdsl test` shows expected and actual."),
    # ---- MD6xx: verification of the rules -------------------------------------------------
    Code("MD600", "dead-rule", E, "a rule whose conditions no patient in scope can meet",
         "A rule that can never apply is a mistake: a recommendation the authors meant to give is "
         "never given. The analysis reasons over the inputs, derived facts and scope, not the cells alone.",
         "| triple_class_refractory | refractory     || regimen |\n"
         "| yes                     | none of PI     || Sd      |",
         "Correct the cells that contradict each other (the message names them), or remove the rule."),
    Code("MD601", "unreachable-rule", W, "a rule that never decides because earlier or higher rules take "
         "all of its patients",
         "Under `first` the first applicable rule wins, under `priority` the highest-ranked one: a rule "
         "whose every patient is taken by others is dead weight, often a rule placed after a broader one.",
         "hit first\n| prior_lines || regimen |\n| >= 1 || IsaKd |\n| >= 4 || Sd |",
         "Move the rule above the rules that take its patients, narrow them, or remove it."),
    Code("MD602", "overlap", E, "rules of a unique (or any) table that one patient can match together",
         "A `unique` table promises that at most one rule applies; a patient matching two would get no "
         "answer (a conflict at run time). Under `any`, overlapping rules must agree on their outputs.",
         "hit unique\n| prior_lines || regimen |\n| 1..3 || IsaKd |\n| >= 3 || IsaPd |",
         "Make the rules exclusive (here `1..2` and `>= 3`), or use `first` or `priority` if an order "
         "is meant. The help line gives a patient who matches both."),
    Code("MD603", "gap", W, "patients in scope for whom a table gives no result",
         "Where the algorithm is silent a clinician gets no answer; the guideline committee should see "
         "each such region and decide: add a rule, add a documented fallback, or accept the gap.",
         "| prior_lines || regimen |\n| < 3 || IsaKd |\n| > 3 || IsaPd |   (3 is not covered)",
         "Add the suggested rows, or record the gap as a deliberate decision with a `note`."),
    Code("MD604", "incomplete-table", E, "a table declared `complete` leaves patients in scope without a "
         "result",
         "`complete` is the authors' claim that every patient in scope gets a result; the analysis "
         "found patients who do not.",
         "complete\n| t11_14 || regimen |\n| yes || VenVd |",
         "Add the suggested rows, or remove `complete`."),
    Code("MD605", "redundant-rule", W, "a collect rule whose every patient already gets the same outputs "
         "from other rules",
         "A rule that adds nothing makes the table longer to review, and often hides a mistake in one of "
         "the two rules.",
         "hit collect\n| prior_lines || regimen |\n| >= 2 || IsaPd |\n| >= 3 || IsaPd |",
         "Remove the rule, or change what distinguishes it."),
    Code("MD606", "unverified", W, "a table the analysis could not verify to the end",
         "The analysis is exact but bounded: a table that would need more operations, nodes or "
         "variables than its budget, or a column reading a number that can take more than 1,024 "
         "values, is not (fully) verified. Rather than pass it silently, mmdsl says so, and the review "
         "document shows the table as not verified and claims no coverage for it. Points scores "
         "(collect sum, count, min, max) are verified value by value within that bound.",
         "| risk_score || action |   (risk_score sums points 1, 2, 4, ..., 2048: 4,096 values)",
         "Split the table or the score, or cover the table with worked examples; a note on the table "
         "(`note why on TABLE: \"...\"`) acknowledges it (the review document still shows the notice). "
         "At run time a table declared complete that no rule of which matches gives status error."),
    Code("MD607", "unread-value", W, "a value of an input that no rule, fact or scope can tell apart",
         "A member of a set that no condition reads never changes a decision: a patient refractory to it "
         "is treated exactly like one who is not. Members of an enumeration that every condition takes "
         "or leaves together can never be told apart. Either may be intended, or a rule may be missing.",
         "input stage: one of I, II, III\n| stage || plan |\n| I || observe |\n| II, III || treat |",
         "Add the rules that need the value, or record in a note on the value why none does: "
         "`note why on stage.III: \"...\"`."),
    Code("MD608", "constant-cell", W, "a cell that every patient in scope passes",
         "A cell that is not `-` but holds for every patient in scope says nothing, and often hides a "
         "mistake: a threshold on the wrong side, or `or` where `and` was meant (a published MELD-Na "
         "guideline shipped `(Na >= 125) or (Na <= 140)`).",
         "input age: integer 18..120\n| age   || plan |\n| >= 18 || treat |",
         "Write `-` if any patient is meant, or correct the value the cell should test."),
    Code("MD609", "undistinguished-column", W, "a column whose cells tell no rule from another",
         "When every rule's cell of a column holds for the same patients, the column distinguishes "
         "nothing: it lengthens the table, and a cell meant to tell rules apart may be missing.",
         "| stage | t11_14 || plan |\n| I     | -      || observe |\n| II    | -      || treat |",
         "Remove the column, or write the cells that were meant to tell the rules apart."),
    Code("MD610", "hit-policy-advice", Severity.NOTE, "a hit policy that says less than the rules do",
         "When no two rules can match one patient, the order of a `first` or `priority` table decides "
         "nothing; `unique` says so to the reader and has mmdsl check it as the table changes. The same "
         "holds for an `any` table whose rules never overlap, and for a collect table whose rules never "
         "overlap (it never gives more than one result). A `first` or `priority` table whose "
         "overlapping rules always give the same outputs is an `any` table.",
         "hit first\n| age  || plan |\n| < 65 || treat |\n| >= 65 || observe |",
         "Write `hit unique` (or `hit any`, as the message says)."),
    Code("MD611", "subsumed-rule", W, "a rule that another rule with the same outputs contains",
         "Under `unique`, `any` and `collect count`, `min` or `max`, a rule whose every patient another "
         "rule with the same outputs matches changes no result: removing it changes nothing, and often "
         "one of the two rules was meant to differ. (Under collect into a list MD605 says it; under "
         "`first` and `priority` MD601; under `collect sum` the smaller rule adds its points twice.)",
         "hit any\n| age  || plan |\n| >= 65 || treat |\n| >= 75 || treat |",
         "Remove the smaller rule, or change what distinguishes it."),
    Code("MD612", "mergeable-rules", Severity.NOTE, "two rules that could be written as one",
         "Two rules with the same outputs, evidence and caveats that differ in one column only, "
         "where their cells share no value and together make one cell (`< 65` and `>= 65` make `-`; "
         "`I` and `II` make `I, II`), "
         "are one rule written twice: the table is longer to review than it needs to be. Under "
         "`first`, `priority` and collect into a list, no rule between the two may match a patient of "
         "the later one, so that the merged rule gives every patient the same result.",
         "| stage | age  || plan |\n| I     | < 65 || treat |\n| I     | >= 65 || treat |",
         "Write one rule with the merged cell (the help line gives it) in place of both."),
    Code("MD613", "constant-condition", W, "a derived fact or scope, or part of one, that is always true or "
         "always false",
         "A fact that holds for every patient in scope, or for none, says nothing, and a part of a "
         "condition that always holds (or never does) usually hides a mistake: a published MELD-Na "
         "guideline shipped `(Na >= 125) or (Na <= 140)`. A scope that every valid patient meets "
         "excludes nobody. Facts are judged on the patients in scope, the scope on valid patients "
         "(outside the combinations declared impossible).",
         "input sodium: integer 100..180\nfact normal_sodium = sodium >= 125 or sodium <= 140",
         "Correct the condition (here `and` was meant), or remove the fact or the part that says nothing."),
    # ---- MD9xx: the compiler itself ---------------------------------------------------------
    Code("MD900", "internal-error", E, "the compiler failed: a bug in mmdsl, not in the table",
         "Never expected. The compiler reports its own failure as a diagnostic instead of a "
         "traceback, and produces no evaluator from a file it could not handle.",
         "(no table file should cause it)", "Report it to the mmdsl developers with the table file "
         "that caused it; the message names the stage that failed."),
]

CODES: dict[str, Code] = {entry.code: entry for entry in _ENTRIES}
BY_NAME: dict[str, Code] = {entry.name: entry for entry in _ENTRIES}


def internal_error(path: str, stage: str, error: BaseException) -> Diagnostic:
    """MD900 for an exception that escaped a stage of the compiler (`stage` names it)."""
    return lookup("internal-error").at(
        path, NO_SPAN, f"internal compiler error in {stage}: {type(error).__name__}: {error}",
        help="this is a bug in mmdsl, not in your table; please report it with this file")


def lookup(name_or_code: CodeName) -> Code:
    """The code registered under a code (`MD200`) or a name (`unknown-name`); a name that is not
    registered fails at type check (`CodeName`)."""
    return CODES.get(name_or_code) or BY_NAME[name_or_code]


def reports(diagnostic: Diagnostic, name_or_code: CodeName) -> bool:
    """Whether `diagnostic` has this code: a misspelt code or name fails at type check, where
    `diagnostic.code == "MD9OO"` would be false for ever."""
    return diagnostic.code == lookup(name_or_code).code


def register(entry: Code) -> Code:
    """Add a code (used by later stages such as verification that live in their own modules)."""
    if entry.code in CODES or entry.name in BY_NAME:
        raise ValueError(f"diagnostic code {entry.code} ({entry.name}) is registered twice")
    CODES[entry.code] = entry
    BY_NAME[entry.name] = entry
    return entry
