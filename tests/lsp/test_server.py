"""`mmdsl lsp` driven as an editor drives it: a subprocess speaking the Language Server Protocol
over stdio (pytest-lsp), a document opened and changed, requests answered.

Positions are LSP positions: 0-based lines, columns in UTF-16 code units.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from mmdsl.format import format_source
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

MMDSL = shutil.which("mmdsl", path=str(Path(sys.executable).parent))
SERVER = [MMDSL, "lsp", "--pause", "0.2"] if MMDSL else [
    sys.executable, "-c", "from mmdsl.cli import main; main()", "lsp", "--pause", "0.2"]
ROOT_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
URI = "file:///work/anticoagulation.mmdsl"

TABLE = """\
guideline anticoagulation "Anticoagulation in atrial fibrillation"

evidence ARISTOTLE "ARISTOTLE"
  finding "apixaban reduced stroke and bleeding against warfarin"
caveat renal "Check the creatinine clearance before every dose change."

enum drug "anticoagulant" =
    apixaban "apixaban (Eliquis)",
    warfarin "warfarin",
    edoxaban "edoxaban (Lixiana)"
class doac of drug "direct oral anticoagulants" = apixaban, edoxaban

input age: integer 18..120 unit "years" "age of the patient"
input weight: decimal 20..300 unit "kg" "body weight"
input taking: set of drug "anticoagulants taken now"

table dose "Apixaban dose"
  hit first
  output advice: one of reduce, keep, switch, start
  | rule    | age   | weight | taking       || advice || evidence  | caveats |
  |---------|-------|--------|--------------||--------||-----------|---------|
  | elderly | >= 80 | <= 60  | has apixaban || reduce || ARISTOTLE | renal   |
  | on_doac | -     | -      | any of doac  || keep   || ARISTOTLE | -       |
  | on_vka  | -     | -      | has warfarin || switch || ARISTOTLE | renal   |
  | other   | -     | -      | -            || start  || ARISTOTLE | -       |

example old "an old, light patient on apixaban"
  age: 85
  weight: 55
  taking: apixaban
  expect dose.advice: reduce
"""


def position_of(text: str, needle: str, shift: int = 0) -> types.Position:
    """The LSP position of the first `needle` (plus `shift` characters), for ASCII lines."""
    offset = text.index(needle) + shift
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


def open_document(client: LanguageClient, text: str, uri: str = URI) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="mmdsl", version=1, text=text)))


def replace_text(client: LanguageClient, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def next_publication(client: LanguageClient) -> asyncio.Future[types.PublishDiagnosticsParams]:
    """The next diagnostics the server publishes (wait for it before sending what causes it)."""
    return client.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def diagnostics_after(client: LanguageClient, send: Callable[[], None],
                            version: int = 1) -> list[types.Diagnostic]:
    """`send` a message, and the diagnostics the server then publishes for `version`."""
    waiting = next_publication(client)
    send()
    while True:
        params = await asyncio.wait_for(waiting, 30)
        if params.uri == URI and params.version == version:
            return list(params.diagnostics)
        waiting = next_publication(client)


async def opened(client: LanguageClient, text: str) -> list[types.Diagnostic]:
    """Open the document; the diagnostics of the quick pass."""
    return await diagnostics_after(client, lambda: open_document(client, text))


@pytest.mark.asyncio
async def test_a_clean_document_has_no_diagnostics(client: LanguageClient) -> None:
    assert await opened(client, TABLE) == []


@pytest.mark.asyncio
async def test_diagnostics_of_a_broken_table_carry_the_codes_spans_and_help_of_check(
        client: LanguageClient) -> None:
    broken = TABLE.replace("| >= 80 |", "| 80-90 |").replace(
        "has apixaban", "has apixabn  ").replace('  age: 85\n', '  age: 85\n  weigth: 55\n')
    published = await opened(client, broken)
    expected = compile_source(Source("anticoagulation.mmdsl", broken), run_examples=True).diagnostics
    assert [d.code for d in published] == [d.code for d in expected]
    assert "MD115" in [d.code for d in published]
    for shown, found in zip(published, expected, strict=True):
        assert shown.message.split("\nhelp: ")[0] == found.message
        assert (shown.range.start.line + 1, shown.range.start.character + 1) == (
            found.span.line, found.span.column)  # ASCII lines: UTF-16 columns are characters
        assert (shown.range.end.line + 1, shown.range.end.character + 1) == (
            found.span.end_line, found.span.end_column)
    dash = next(d for d in published if d.code == "MD115")
    assert dash.range.start == position_of(broken, "80-90")
    assert dash.message.endswith("help: write a range as 80..90")
    assert dash.severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_the_verifiers_findings_come_after_a_pause(client: LanguageClient) -> None:
    other_row = "  | other   | -     | -      | -            || start  || ARISTOTLE | -       |\n"
    gap = TABLE.replace(other_row, "")
    waiting = next_publication(client)
    open_document(client, gap)
    quick = (await asyncio.wait_for(waiting, 30)).diagnostics
    assert not any(d.code.startswith("MD6") for d in quick)  # the quick pass does not verify
    full = (await asyncio.wait_for(next_publication(client), 30)).diagnostics
    assert any(d.code == "MD603" for d in full), [d.code for d in full]
    assert [d.code for d in full] == [
        d.code for d in compile_source(Source("a.mmdsl", gap), run_examples=True).diagnostics]


@pytest.mark.asyncio
async def test_diagnostics_follow_the_typing(client: LanguageClient) -> None:
    assert await opened(client, TABLE) == []
    at = position_of(TABLE, "apixaban ||")
    typed = types.TextDocumentContentChangePartial(
        range=types.Range(start=at, end=types.Position(line=at.line, character=at.character + 8)),
        text="apixabam")
    published = await diagnostics_after(client, lambda: client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[typed])), version=2)
    assert [d.code for d in published] == ["MD301"]
    assert published[0].range.start == at


@pytest.mark.asyncio
async def test_utf16_columns_on_a_line_with_greater_or_equal_sign(client: LanguageClient) -> None:
    # `≥` is 3 bytes in UTF-8 and 1 UTF-16 unit; `𝛼` (outside the BMP) is 1 character and 2 units.
    text = TABLE.replace("| >= 80 | <= 60  | has apixaban |", "| ≥ 80   | ≤ 60   | has apixabn  |").replace(
        '"age of the patient"', '"𝛼ge of the patient" defualt')
    published = await opened(client, text)
    member = next(d for d in published if d.code == "MD301")
    line = text.split("\n")[member.range.start.line]
    assert line.startswith("  | elderly | ≥ 80")
    assert member.range.start.character == line.index("apixabn")  # the `≥` and `≤` count 1 each
    syntax = next(d for d in published if d.code == "MD100")
    line = text.split("\n")[syntax.range.start.line]
    assert syntax.range.start.character == line.index("defualt") + 1  # `𝛼` counts 2


@pytest.mark.asyncio
async def test_hover_on_an_input_says_its_type_range_unit_and_description(client: LanguageClient) -> None:
    await opened(client, TABLE)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(TABLE, "| age ", 3)))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert "**input** `age`: integer 18..120" in text
    assert "unit: years" in text
    assert "age of the patient" in text


@pytest.mark.asyncio
async def test_hover_on_a_rule_gives_its_evidence_and_caveats(client: LanguageClient) -> None:
    await opened(client, TABLE)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(TABLE, "| elderly", 3)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "evidence: ARISTOTLE" in hover.contents.value
    assert "caveats: renal" in hover.contents.value


@pytest.mark.asyncio
async def test_completion_in_a_cell_offers_the_values_of_its_column(client: LanguageClient) -> None:
    text = TABLE.replace("| -            || start", "| has a        || start")
    await opened(client, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=position_of(text, "has a    ", 5)))
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    labels = [item.label for item in items]
    assert labels[:3] == ["apixaban", "warfarin", "edoxaban"]
    assert "age" not in labels and "reduce" not in labels and "ARISTOTLE" not in labels
    apixaban = items[0]
    assert apixaban.documentation == "apixaban (Eliquis)"
    assert apixaban.text_edit is not None and apixaban.text_edit.new_text == "apixaban"


@pytest.mark.asyncio
async def test_completion_of_class_names_after_any_of_and_of_evidence_names(client: LanguageClient) -> None:
    await opened(client, TABLE)
    text = TABLE.replace("| -            || start  || ARISTOTLE", "| any of       || start  || A        ")
    published = await diagnostics_after(client, lambda: replace_text(client, text, 2), version=2)
    assert [d.code for d in published] == ["MD100"]  # the table does not parse

    async def labels_at(position: types.Position) -> list[str]:
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), position=position))
        items = result.items if isinstance(result, types.CompletionList) else result or []
        return [item.label for item in items]

    assert await labels_at(position_of(text, "any of ", 7)) == ["doac"]
    assert await labels_at(position_of(text, "|| A ", 4)) == ["ARISTOTLE"]


@pytest.mark.asyncio
async def test_go_to_definition_from_a_cell_to_the_evidence(client: LanguageClient) -> None:
    await opened(client, TABLE)
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(TABLE, "|| ARISTOTLE", 4)))
    assert isinstance(result, types.Location)
    declared = position_of(TABLE, "ARISTOTLE")
    assert result.range == types.Range(start=declared, end=types.Position(
        line=declared.line, character=declared.character + len("ARISTOTLE")))


@pytest.mark.asyncio
async def test_rename_a_value_everywhere_it_is_written(client: LanguageClient) -> None:
    await opened(client, TABLE)
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=position_of(TABLE, "has apixaban", 5), new_name="eliquis"))
    assert edit is not None and edit.changes is not None
    changes = edit.changes[URI]
    renamed = apply(TABLE, changes)
    assert len(changes) == 4  # the member, the class, the cell, the example
    assert "= eliquis, edoxaban" in renamed and "has eliquis ||" in renamed and "taking: eliquis" in renamed
    assert '"apixaban (Eliquis)"' in renamed  # quoted text is text, not a name
    assert compile_source(Source("a.mmdsl", renamed), run_examples=True).diagnostics == []


@pytest.mark.asyncio
async def test_rename_to_something_that_is_no_name_is_refused(client: LanguageClient) -> None:
    await opened(client, TABLE)
    with pytest.raises(Exception, match="is not a name"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position_of(TABLE, "input age", 7), new_name="2 ages"))


@pytest.mark.asyncio
async def test_code_action_applies_did_you_mean(client: LanguageClient) -> None:
    text = TABLE.replace("  taking: apixaban\n", "  taking: edoxabn\n")
    published = await opened(client, text)
    [problem] = [d for d in published if "did you mean" in d.message]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), range=problem.range,
        context=types.CodeActionContext(diagnostics=[problem])))
    assert actions is not None
    [action] = actions
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    assert apply(text, action.edit.changes[URI]) == TABLE.replace("taking: apixaban\n", "taking: edoxaban\n")


@pytest.mark.asyncio
async def test_code_action_of_a_hint_writes_the_range_with_dots(client: LanguageClient) -> None:
    text = TABLE.replace("| >= 80 |", "| 80-90 |")
    [problem] = await opened(client, text)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), range=problem.range,
        context=types.CodeActionContext(diagnostics=[problem])))
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.edit is not None and action.edit.changes
    assert apply(text, action.edit.changes[URI]) == TABLE.replace("| >= 80 |", "| 80..90 |")


@pytest.mark.asyncio
async def test_formatting_gives_what_mmdsl_fmt_gives(client: LanguageClient) -> None:
    text = TABLE.replace("| elderly | >= 80 |", "|elderly|>=80|")
    await opened(client, text)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits
    assert apply(text, edits) == format_source(Source("a.mmdsl", text)).text


@pytest.mark.asyncio
async def test_outline_lists_tables_and_their_rules(client: LanguageClient) -> None:
    await opened(client, TABLE)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=URI)))
    assert symbols is not None
    by_name = {s.name: s for s in symbols if isinstance(s, types.DocumentSymbol)}
    assert {"anticoagulation", "ARISTOTLE", "renal", "drug", "doac", "age", "dose", "old"} <= set(by_name)
    children = [c.name for c in by_name["dose"].children or []]
    assert children == ["advice", "elderly", "on_doac", "on_vka", "other"]


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """The text with LSP edits applied (ASCII columns, or UTF-16 counted as characters when the
    text has nothing outside the BMP)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


@pytest.mark.asyncio
async def test_hover_on_a_duration_says_between_which_dates(client: LanguageClient) -> None:
    text = (ROOT_EXAMPLES / "second_dose.mmdsl").read_text(encoding="utf-8")
    await opened(client, text)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=position_of(text, "| since_first ", 3)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**duration** `since_first`" in hover.contents.value
    assert "time from first_dose to evaluation_date" in hover.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_numeric_fact_gives_its_type_range_and_formula(client: LanguageClient) -> None:
    text = (ROOT_EXAMPLES / "cha2ds2_vasc_score.mmdsl").read_text(encoding="utf-8")
    await opened(client, text)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=position_of(text, "| score || advice", 3)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**fact** `score`" in hover.contents.value
    assert "integer 0..9: (1 if “congestive heart failure" in hover.contents.value


UNKNOWN = """\
guideline ldh_plan "Treatment by LDH, which may not be measured"

input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input stage: one of I, II, III "Ann Arbor stage"
input full_name: text "the patient's name"
input diagnosed: date "date of diagnosis"

fact high_risk "high risk" = ldh > 250 or stage is III
fact ldh_ratio "LDH over its upper limit of normal" = ldh / 250
fact greeting "the letter's first words" = "Hello " + full_name

table plan "Treatment"
  hit first
  output arm: one of intensive, standard, measure_ldh
  | ldh         | stage | diagnosed                || arm         |
  |-------------|-------|--------------------------||-------------|
  | -           | III   | >= 2019-09-01            || intensive   |
  | > 250       | -     | 2019-01-01..2019-12-31   || intensive   |
  | unknown     | -     | -                        || measure_ldh |
  | not unknown | -     | -                        || standard    |
  | -           | -     | -                        || standard    |
"""


async def hover_text(client: LanguageClient, text: str, needle: str, shift: int) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(text, needle, shift)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


async def completion_labels(client: LanguageClient, text: str, needle: str, shift: int) -> list[str]:
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(text, needle, shift)))
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return [item.label for item in items]


@pytest.mark.asyncio
async def test_hover_says_which_values_may_be_unknown_and_when(client: LanguageClient) -> None:
    assert await opened(client, UNKNOWN) == []
    ldh = await hover_text(client, UNKNOWN, "| ldh ", 3)
    assert "may be given as unknown (`or unknown`)" in ldh
    assert "may be given as unknown" not in await hover_text(client, UNKNOWN, "| stage ", 3)
    fact = await hover_text(client, UNKNOWN, "fact high_risk", 6)
    assert "may be unknown: it reads “LDH”, which may be unknown" in fact
    ratio = await hover_text(client, UNKNOWN, "fact ldh_ratio", 6)
    assert "“LDH” divided by 250; unknown when “LDH” is unknown" in ratio


@pytest.mark.asyncio
async def test_hover_on_a_text_fact_says_how_its_words_are_built(client: LanguageClient) -> None:
    await opened(client, UNKNOWN)
    greeting = await hover_text(client, UNKNOWN, "fact greeting", 6)
    assert ("text shown with the decision, never tested: the text “Hello ”, then “the patient's name”"
            in greeting)


@pytest.mark.asyncio
async def test_hover_on_a_cell_gives_it_in_clinical_words(client: LanguageClient) -> None:
    await opened(client, UNKNOWN)
    assert await hover_text(client, UNKNOWN, ">= 2019-09-01", 5) == (
        "**cell** `>= 2019-09-01`: “date of diagnosis” is on or after 1 September 2019")
    assert "is from 1 January 2019 to 31 December 2019" in await hover_text(
        client, UNKNOWN, "2019-01-01..", 3)
    assert "“LDH” is unknown" in await hover_text(client, UNKNOWN, "| unknown ", 4)
    assert "“LDH” is known" in await hover_text(client, UNKNOWN, "| not unknown", 7)


@pytest.mark.asyncio
async def test_completion_offers_unknown_only_where_the_value_may_be_unknown(
        client: LanguageClient) -> None:
    await opened(client, UNKNOWN)
    assert await completion_labels(client, UNKNOWN, "| -           | III", 2) == [
        "-", "unknown", "not unknown"]
    stage = await completion_labels(client, UNKNOWN, "| III ", 2)
    assert "III" in stage and "unknown" not in stage and "not unknown" not in stage  # MD320
    assert "unknown" not in await completion_labels(client, UNKNOWN, "| >= 2019", 2)


DOSE = """\
guideline dose "Restart after a pause"

input today: evaluation date "the day the decision is made"
input born: date "date of birth"
input last_dose: date or unknown "date of the last dose"

fact age "age" = time from born to today
fact since_last_dose "time since the last dose" = time from last_dose to today

table restart "Restart"
  hit first
  output plan: one of wait, restart
  | age         | since_last_dose || plan    |
  |-------------|-----------------||---------|
  | >= 18 years | < 60 days       || wait    |
  | -           | unknown         || restart |
"""


@pytest.mark.asyncio
async def test_a_duration_from_a_date_that_may_be_unknown_may_be_unknown(
        client: LanguageClient) -> None:
    assert await opened(client, DOSE) == []
    since = await hover_text(client, DOSE, "fact since_last_dose", 6)
    assert "may be unknown: unknown when `last_dose` is unknown" in since
    assert "may be unknown" not in await hover_text(client, DOSE, "fact age", 6)
    labels = await completion_labels(client, DOSE, "| unknown ", 2)
    assert labels[:3] == ["-", "unknown", "not unknown"], labels
    assert "unknown" not in await completion_labels(client, DOSE, "| >= 18 years", 2)  # MD320


@pytest.mark.asyncio
async def test_completion_offers_unknown_in_a_worked_example_only_for_an_input_that_may_be_it(
        client: LanguageClient) -> None:
    text = UNKNOWN + ('\nexample measured "LDH not measured"\n  ldh: \n  stage: \n'
                      '  full_name: "Ann"\n  diagnosed: 2020-01-01\n  expect plan: measure_ldh\n')
    await opened(client, text)
    assert await completion_labels(client, text, "  ldh: ", len("  ldh: ")) == ["unknown"]
    stage = await completion_labels(client, text, "  stage: ", len("  stage: "))
    assert stage == ["I", "II", "III"]  # its values; not `unknown` (MD320)


@pytest.mark.asyncio
async def test_completion_offers_or_unknown_after_an_inputs_type(client: LanguageClient) -> None:
    typed = 'input lactate: decimal 0..30 unit "mmol/L" '
    text = UNKNOWN.replace("input diagnosed", f"{typed}\ninput diagnosed")
    await opened(client, text)
    assert await completion_labels(client, text, typed, len(typed)) == ["or unknown"]
    today = "input today: evaluation date "
    text = UNKNOWN.replace("input diagnosed", f"{today}\ninput diagnosed")
    replace_text(client, text, 2)
    assert "or unknown" not in await completion_labels(client, text, today, len(today))  # MD320


@pytest.mark.asyncio
async def test_completion_offers_unknown_after_is_only_for_a_value_that_may_be_unknown(
        client: LanguageClient) -> None:
    text = UNKNOWN.replace("\ntable", "fact typing = ldh is \nfact typed = stage is \n\ntable")
    await opened(client, text)
    labels = await completion_labels(client, text, "ldh is ", len("ldh is "))
    assert labels[:2] == ["unknown", "not unknown"] and "ldh" in labels
    labels = await completion_labels(client, text, "stage is ", len("stage is "))
    assert "unknown" not in labels and "not unknown" not in labels and "stage" in labels  # MD320


@pytest.mark.asyncio
async def test_hover_on_dates_and_times_gives_hours_and_clock_times(client: LanguageClient) -> None:
    text = (ROOT_EXAMPLES / "stroke_thrombolysis.mmdsl").read_text(encoding="utf-8")
    await opened(client, text)
    duration = await hover_text(client, text, "| since_well ", 3)
    assert "time from last_known_well to now`: tested in minutes, hours" in duration
    assert await hover_text(client, text, "< 270 minutes", 3) == (
        "**cell** `< 270 minutes`: “time since last known well” is less than 270 minutes")
    fixed = text.replace("| haemorrhage | since_well", "| last_known_well | since_well").replace(
        "| yes         | -", "| >= 2024-03-01T08:00 | -").replace("| no          |", "| -  |")
    replace_text(client, fixed, 2)
    assert "is at or after 08:00 on 1 March 2024" in await hover_text(
        client, fixed, ">= 2024-03-01T08:00", 4)
    typed = "input onset: date and time "
    with_input = fixed.replace("input haemorrhage", f"{typed}\ninput haemorrhage")
    replace_text(client, with_input, 3)
    assert await completion_labels(client, with_input, typed, len(typed)) == ["or unknown"]


@pytest.mark.asyncio
async def test_hover_and_completion_on_times_of_day(client: LanguageClient) -> None:
    text = ('guideline g "G"\n\ninput arrival_clock: time of day "time of arrival"\n\n'
            "table t\n  hit first\n  output late: yes/no\n  | arrival_clock || late |\n"
            "  |---------------||------|\n  | >= 17:00      || yes  |\n"
            "  | -             || no   |\n")
    await opened(client, text)
    assert await hover_text(client, text, ">= 17:00", 3) == (
        "**cell** `>= 17:00`: “time of arrival” is at or after 17:00")
    typed = "input onset: time of day "
    with_input = text.replace("\ntable", f"\n{typed}\n\ntable")
    replace_text(client, with_input, 2)
    assert await completion_labels(client, with_input, typed, len(typed)) == ["or unknown"]
