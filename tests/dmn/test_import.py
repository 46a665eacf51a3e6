"""`mmdsl import`: DMN models to mmdsl that compiles and decides as DMN does, or diagnostics."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from mmdsl.frontends.dmn import safexml
from mmdsl.frontends.dmn.importer import ImportResult, import_dmn
from tests.dmn.support import codes, decide, ident, imported, input_data, model, problems, table

STATUS = '<output name="Status" typeRef="string"><outputValues><text>"Approved", "Declined"' \
         "</text></outputValues></output>"


def age_table(hit: str, rules: list[list[str]], outputs: str = STATUS, extra: str = "") -> bytes:
    return model(input_data("Age", "number") + table("Approval", hit, ["Age"], [outputs], rules,
                                                     extra=extra))


# ---- what is translated -------------------------------------------------------------------------


def test_a_decision_reading_another_decision_reads_its_table() -> None:
    body = (input_data("Age", "number") + input_data("Risk Category", "string")
            + table("Approval Status", 'hitPolicy="FIRST"', ["Age"], [STATUS],
                    [[">= 18", '"Approved"'], ["-", '"Declined"']])
            + table("Rate", "", ["Approval Status", "Risk Category"],
                    ['<output name="Rate" typeRef="number"/>'],
                    [['"Approved"', '"Low"', "1.5"], ['"Approved"', 'not("Low")', "2.5"],
                     ['"Declined"', "-", "0"]]))
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None
    assert "| Approval_Status.Status | Risk_Category |" in result.text
    facts = {"Age": 30, "Risk_Category": "High"}
    assert decide(result, facts)["Rate"]["Rate"] == 2.5
    assert decide(result, {"Age": 12, "Risk_Category": "Low"})["Rate"]["Rate"] == 0


def test_decisions_are_written_after_the_decisions_they_read() -> None:
    body = (input_data("x", "number")
            + table("second", "", ["first"], ['<output typeRef="number"/>'], [["> 1", "2"]])
            + table("first", "", ["x"], ['<output typeRef="number"/>'], [["-", "5"]]))
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None
    assert result.text.index("table first") < result.text.index("table second")
    assert decide(result, {"x": 0})["second"] == {"second": 2.0, "rule": "R1", "evidence": [],
                                                    "refs": [], "caveats": []}


def test_a_cycle_is_reported() -> None:
    body = (table("a", "", ["b"], ['<output typeRef="number"/>'], [["-", "1"]])
            + table("b", "", ["a"], ['<output typeRef="number"/>'], [["-", "1"]]))
    result = imported(model(body))
    assert "MD707" in codes(result)


@pytest.mark.parametrize("type_ref, allowed, expected", [
    ("number", "", "input Age: decimal"),
    ("tAge", "<typeRef>number</typeRef><allowedValues><text>[0..150]</text></allowedValues>",
     "input Age: decimal 0..150"),
    ("tRisk", '<typeRef>string</typeRef><allowedValues><text>"High", "Low"</text>'
     "</allowedValues>", "input Age: one of High, Low"),
    ("tDrugs", '<typeRef>string</typeRef><allowedValues><text>"dara", "pom"</text>'
     "</allowedValues>", "input Age: set of Age_values"),
    ("boolean", "", "input Age: yes/no"),
    ("integer", "", "input Age: integer"),
    ("double", "", "input Age: decimal"),
    ("string", "", "input Age: text"),
])
def test_types(type_ref: str, allowed: str, expected: str) -> None:
    collection = ' isCollection="true"' if type_ref == "tDrugs" else ""
    item = f'<itemDefinition name="{type_ref}"{collection}>{allowed}</itemDefinition>' \
        if allowed else ""
    test = 'list contains(?, "dara")' if collection else "-"
    body = item + input_data("Age", type_ref) + table(
        "t", "", ["Age"], ['<output name="o" typeRef="number"/>'], [[test, "1"]])
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None and expected in result.text


def test_every_hit_policy_and_aggregation() -> None:
    outputs = '<output name="n" typeRef="number"/>'
    rules = [["> 1", "10"], ["> 2", "20"], ["> 3", "10"]]
    expected = {'hitPolicy="FIRST"': {"n": 10.0}, 'hitPolicy="RULE ORDER"': [10.0, 20.0, 10.0],
                'hitPolicy="COLLECT"': [10.0, 20.0, 10.0],
                'hitPolicy="COLLECT" aggregation="SUM"': 40.0,
                'hitPolicy="COLLECT" aggregation="MIN"': 10.0,
                'hitPolicy="COLLECT" aggregation="MAX"': 20.0,
                'hitPolicy="COLLECT" aggregation="COUNT"': 2}
    for hit, answer in expected.items():
        result = imported(age_table(hit, rules, outputs))
        assert result.ok, problems(result)
        got = decide(result, {"Age": 5})["Approval"]
        if isinstance(got, list):
            got = [row["n"] for row in got]
        elif isinstance(got, dict):
            got = {"n": got["n"]}
        assert got == answer, hit


def test_priority_and_output_order_need_output_values() -> None:
    result = imported(age_table('hitPolicy="PRIORITY"', [["-", '"a"']],
                                '<output name="o" typeRef="string"/>'))
    assert codes(result) == ["MD702"]
    assert "outputValues" in problems(result)


# ---- default outputs ------------------------------------------------------------------------------

DEFAULT = '<output name="Status" typeRef="string"><outputValues><text>"Approved", "Declined", ' \
          '"Review"</text></outputValues><defaultOutputEntry><text>"Review"</text>' \
          "</defaultOutputEntry></output>"


@pytest.mark.parametrize("hit", ['hitPolicy="UNIQUE"', 'hitPolicy="ANY"', 'hitPolicy="PRIORITY"',
                                 'hitPolicy="FIRST"'])
def test_a_default_output_applies_exactly_when_no_rule_does(hit: str) -> None:
    result = imported(age_table(hit, [["< 18", '"Declined"'], ["[18..65]", '"Approved"']],
                                DEFAULT))
    assert result.ok, problems(result)
    answers = {age: decide(result, {"Age": age})["Approval"]["Status"]
               for age in (10, 18, 65, 65.5, 90)}
    assert answers == {10: "Declined", 18: "Approved", 65: "Approved", 65.5: "Review",
                       90: "Review"}


def test_a_default_output_in_a_collecting_table_is_the_one_row_when_nothing_matches() -> None:
    result = imported(age_table('hitPolicy="COLLECT"', [["< 18", '"Declined"']], DEFAULT))
    assert result.ok, problems(result)
    assert [r["Status"] for r in decide(result, {"Age": 10})["Approval"]] == ["Declined"]
    assert [r["Status"] for r in decide(result, {"Age": 30})["Approval"]] == ["Review"]


def test_a_first_table_gets_a_last_catch_all_rule() -> None:
    result = imported(age_table('hitPolicy="FIRST"', [["< 18", '"Declined"']], DEFAULT))
    assert result.text is not None
    assert "| -    || Review   |" in result.text and "no_rule" not in result.text


def test_a_default_that_mmdsl_cannot_state_is_refused() -> None:
    count = '<output name="n" typeRef="number"><defaultOutputEntry><text>0</text>' \
            "</defaultOutputEntry></output>"
    assert codes(imported(age_table('hitPolicy="COLLECT" aggregation="COUNT"', [["> 1", "1"]],
                                    count))) == ["MD705"]
    chained = (input_data("Age", "number")
               + table("a", 'hitPolicy="FIRST"', ["Age"], ['<output typeRef="number"/>'],
                       [["> 1", "1"]])
               + table("b", "", ["a"], [DEFAULT], [["1", '"Approved"']]))
    result = imported(model(chained))
    assert codes(result) == ["MD705"]
    assert result.text is None


# ---- what is refused, and where -------------------------------------------------------------------


@pytest.mark.parametrize("body, code, position", [
    ('<businessKnowledgeModel id="b" name="fee"/>', "MD702", (4, 1)),
    ('<decisionService id="s" name="svc"/>', "MD702", (4, 1)),
    ('<import namespace="x" importType="y" name="z"/>', "MD702", (4, 1)),
    ('<decision id="d" name="d">\n<context/></decision>', "MD702", (5, 1)),
    ('<decision id="d" name="d"><invocation/></decision>', "MD702", (4, 27)),
    ('<decision id="d" name="d"><variable name="d" typeRef="date"/>'
     "<literalExpression><text>1 + 2</text></literalExpression></decision>", "MD702", (4, 62)),
    # text joins text only (a text fact): a number in it is refused where it is written
    ('<decision id="d" name="d"><variable name="d" typeRef="string"/>'
     "<literalExpression><text>1 + 2</text></literalExpression></decision>", "MD703", (4, 89)),
    ('<inputData id="i" name="born"><variable name="born" typeRef="days and time duration"/></inputData>',
     "MD704", (4, 1)),
])
def test_unsupported_constructs_are_reported_at_their_place(
        body: str, code: str, position: tuple[int, int]) -> None:
    result = imported(model("\n" + body))
    found = [d for d in result.all_diagnostics if d.code == code]
    assert found, problems(result)
    assert (found[0].span.line, found[0].span.column) == position
    assert result.text is None


def text_decision(name: str, text: str) -> str:
    return (f'<decision id={ident("d_", name)} name="{name}"><variable name="{name}" '
            f'typeRef="string"/><literalExpression><text>{text}</text></literalExpression>'
            "</decision>")


def test_a_name_holding_an_apostrophe_is_one_name_in_a_text_expression() -> None:
    """FEEL's names may hold `'` (the grammar's "additional name symbols"): known or
    not, `Teacher's Evaluation` is read as one name, and refused as itself, not at its `'`."""
    body = (input_data("Student's name", "string")
            + table("Teacher's Evaluation", "", ["Student's name"], [STATUS],
                    [['"Ann"', '"Approved"']])
            + text_decision("Greeting", '"Dear " + Student\'s name')
            + text_decision("Line", '"Said: " + Teacher\'s Evaluation'))
    result = imported(model(body))
    messages = [d.message for d in result.all_diagnostics]
    assert messages == ["decision `Line`: `Teacher's Evaluation` is the result of a decision "
                        "table, which a fact cannot read"], problems(result)
    left_out = imported_partially(model(body))
    assert left_out.text is not None and '= "Dear " + Student_s_name' in left_out.text


def test_a_text_expression_reading_a_decision_left_out_says_so() -> None:
    body = (input_data("Student's name", "string")
            + '<decision id="e" name="Teacher\'s Evaluation"/>'
            + text_decision("Line", 'Student\'s name + " : " + Teacher\'s Evaluation'))
    messages = [d.message for d in imported(model(body)).all_diagnostics]
    assert "decision `Line`: `Teacher's Evaluation` is left out" in messages, messages


def imported_partially(data: bytes) -> ImportResult:
    return import_dmn(data, "model.dmn", "model.mmdsl", partial=True)


def test_general_feel_in_a_cell_is_reported_at_the_cell() -> None:
    result = imported(age_table("", [["> 18", '"Approved"'], ["Age * 2 > 30", '"Declined"']]))
    [diagnostic] = result.all_diagnostics
    assert diagnostic.code == "MD703"
    line = result.dmn_text.splitlines()[diagnostic.span.line - 1]
    assert line[diagnostic.span.column - 1:].startswith("* 2 &gt; 30")
    assert result.text is None


def test_a_general_input_expression_is_reported() -> None:
    body = input_data("Age", "number") + table("t", "", ["Age * 12"], [STATUS],
                                               [["> 18", '"Approved"']])
    assert "general FEEL" in problems(imported(model(body)))


@pytest.mark.parametrize("data, code", [
    (b"<definitions", "MD700"),
    (b"not xml at all", "MD700"),
    (b'<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd"/>', "MD701"),
    (b"<html/>", "MD701"),
    ("é".encode("latin-1"), "MD700"),
])
def test_files_that_are_no_dmn_model(data: bytes, code: str) -> None:
    assert codes(imported(data)) == [code]


# ---- hostile input --------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE definitions [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/">&lol9;</definitions>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" name="&secret;"/>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE definitions SYSTEM "http://example.invalid/evil.dtd">
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_documents_with_a_doctype_are_refused_before_anything_expands(data: bytes) -> None:
    result = imported(data)
    assert codes(result) == ["MD700"]
    assert "DOCTYPE" in result.all_diagnostics[0].message
    assert result.all_diagnostics[0].span.line == 2


def test_deep_nesting_and_huge_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = b"<a>" * (safexml.MAX_DEPTH + 1) + b"</a>" * (safexml.MAX_DEPTH + 1)
    assert "nested" in problems(imported(deep))
    monkeypatch.setattr(safexml, "MAX_BYTES", 100)
    assert "larger than" in problems(imported(model("<!-- " + "x" * 200 + " -->")))


def test_hostile_names_and_strings_stay_data() -> None:
    """Names and values full of quotes, `#`, bars and mmdsl syntax cannot become mmdsl syntax."""
    evil_name = 'x" input evil: yes/no "# | table'
    evil_value = 'a" || "b # c \\" | not'
    values = '"' + evil_value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    body = (input_data(evil_name, "string")
            + table('t" table', 'hitPolicy="FIRST"', [evil_name],
                    ['<output name="o|o" typeRef="string"/>'],
                    [[values, values], ["-", '"other"']]))
    result = imported(model(body, name='guide"line\nnote x: "y"'))
    assert result.ok, problems(result)
    assert codes(result) == ["MD708"]  # the line break in the title
    mapping = result.translation.inputs[evil_name]
    assert mapping.name == "x_input_evil_yes_no_table"
    assert decide(result, {mapping.name: evil_value})["t_table"]["o_o"] == evil_value
    assert decide(result, {mapping.name: "b"})["t_table"]["o_o"] == "other"
    assert result.compilation is not None and result.compilation.module is not None
    statements = [type(s).__name__ for s in result.compilation.module.statements]
    assert statements == ["GuidelineDecl", "InputDecl", "TableDecl"]


@pytest.mark.parametrize("value", ["two\nlines", "rlo\u202etxt", "zero\u200bwidth", "nul\x01"])
def test_values_mmdsl_text_cannot_hold_are_refused(value: str) -> None:
    escaped = value.replace("\n", "\\n").replace("\u202e", "\\u202e").replace(
        "\u200b", "\\u200b").replace("\x01", "\\u0001")
    body = input_data("x", "string") + table("t", "", ["x"], ['<output typeRef="string"/>'],
                                             [[f'"{escaped}"', '"ok"']])
    result = imported(model(body))
    assert codes(result) == ["MD706"], problems(result)


def test_descriptions_are_cleaned_with_a_warning() -> None:
    body = ('<inputData id="i" name="x"><description>two\nlines \u202e here</description>'
            '<variable name="x" typeRef="number"/></inputData>'
            + table("t", "", ["x"], ['<output typeRef="number"/>'], [["-", "1"]]))
    result = imported(model(body))
    assert result.ok, problems(result)
    assert codes(result) == ["MD708"]
    assert result.text is not None and 'input x: decimal "two lines  here"' in result.text


def test_annotations_and_rule_descriptions_become_notes() -> None:
    extra = '<annotation name="Source"/>'
    body = input_data("Age", "number") + table(
        "t", "", ["Age"], [STATUS], [], extra=extra).replace(
        "</decisionTable>", '<rule><description>adults</description><inputEntry><text>&gt;= 18'
        '</text></inputEntry><outputEntry><text>"Approved"</text></outputEntry><annotationEntry>'
        '<text>policy 4.2 "quoted"</text></annotationEntry></rule></decisionTable>')
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None
    assert 'note t_R1_annotation on t.R1: "Source: policy 4.2 \\"quoted\\"; adults"' in result.text


# ---- no traceback, whatever the file -----------------------------------------------------------

FRAGMENTS = ["-", "", '"x"', "1", ">= 1", "not(", "[1..", '"a", -', "null", "true", "?", "1..2",
             "list contains(?, 1)", '"\\u0000"', '"\u202e"', '@"P1Y"', "a.b", "Age", "x y z", "<",
             '"', "\\", "not(null)", "9" * 400, ".5", '"é"', "RiskCategory", "UNIQUE", "SUM"]


def mutated(root: ET.Element, rng: random.Random) -> bytes:
    """The model with a few elements removed, duplicated, or given other text or attributes."""
    for _ in range(rng.randint(1, 4)):
        parents = [(p, c) for p in root.iter() for c in p]
        parent, child = rng.choice(parents)
        action = rng.random()
        if action < 0.3:
            parent.remove(child)
        elif action < 0.4:
            parent.insert(0, ET.fromstring(ET.tostring(child)))
        elif action < 0.7 or not child.attrib:
            child.text = rng.choice(FRAGMENTS)
        else:
            child.set(rng.choice(list(child.attrib)), rng.choice(FRAGMENTS))
    return ET.tostring(root)


def test_mutated_models_give_diagnostics_never_tracebacks() -> None:
    """Broken and odd models (seeded mutations of the TCK models and of an mmdsl export) are
    reported, or translated into mmdsl that parses; the import never fails by itself."""
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn import importer
    from mmdsl.pipeline import compile_path
    from tests.dmn.tck import table_model_folders, tck_folder

    sources = [p.read_bytes() for p in sorted(tck_folder().glob("compliance-level-2/*/*.dmn"))]
    sources += [p.read_bytes() for folder in table_model_folders()  # contexts, invocations
                for p in sorted(folder.glob("*.dmn")) if p.stat().st_size < 200_000]
    guideline = compile_path(Path(__file__).parents[1] / "fixtures" / "dmn" / "round_trip.mmdsl")
    assert guideline.guideline is not None
    sources += [export_dmn(guideline.guideline).text.encode("utf-8")] * 4
    rng = random.Random(7)
    for _ in range(400):
        data = mutated(ET.fromstring(rng.choice(sources)), rng)
        result = importer._import(data, data.decode("utf-8", "replace"), "m.dmn", "m.mmdsl",
                                  partial=rng.random() < 0.5)
        own_fault = [d for d in (result.compilation.diagnostics if result.compilation else [])
                     if d.code.startswith(("MD1", "MD202", "MD9"))]
        assert not own_fault, (problems(result), result.text)


# ---- worked examples, notes and quotes kept by an mmdsl export ------------------------------------

WORKED = """guideline worked "Worked"
input age: integer 0..120 "age in years"
input name: text "the patient's name"
table group "Age group"
  hit first
  output value: one of adult, minor
  | rule  | age  || value |
  |-------|------||-------|
  | adult | >= 18 || adult |
  | minor | < 18 || minor |
note age_note on age: "Age in completed years"
quote adult_quote on group.adult: "Adults are 18 or older"
example grown_up "An adult called \\"Ann\\""
  age: 40
  name: "Ann \\"the \\\\ first\\""
  expect group: adult
"""


def exported_worked() -> str:
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    compilation = compile_source(Source("worked.mmdsl", WORKED))
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    return export_dmn(compilation.guideline).text


def test_examples_notes_and_quotes_come_back_from_the_extension() -> None:
    result = imported(exported_worked().encode())
    assert result.ok, problems(result)
    assert result.text is not None
    assert 'note age_note on age: "Age in completed years"' in result.text
    assert 'quote adult_quote on group.adult: "Adults are 18 or older"' in result.text
    assert ('example grown_up "An adult called \\"Ann\\""\n  age: 40\n'
            '  name: "Ann \\"the \\\\ first\\""\n  expect group: adult') in result.text
    assert "MD440" not in codes(result)


def test_a_statement_naming_what_the_model_no_longer_has_is_left_out_with_a_warning() -> None:
    text = exported_worked().replace('subject="age"', 'subject="weight"')
    result = imported(text.encode())
    assert result.ok, problems(result)
    assert result.text is not None and "example grown_up" not in result.text
    assert "note age_note" in result.text and "quote adult_quote" in result.text
    assert codes(result).count("MD440") == 1


def test_statements_that_no_longer_compile_are_left_out_and_the_model_still_imports() -> None:
    """A DMN modeller renamed the output value `adult`; the example expecting it cannot compile."""
    text = exported_worked().replace('"adult"', '"grown"').replace('["grown"]', '["adult"]')
    result = imported(text.encode())
    assert result.ok, problems(result)
    assert result.text is not None and "example grown_up" not in result.text
    assert "MD440" in codes(result)


def test_hostile_extension_values_stay_out_of_the_mmdsl_text() -> None:
    text = exported_worked()
    hostile = text.replace("[40]", '["40\\n  expect status: minor"]')
    result = imported(hostile.encode())
    assert result.ok, problems(result)
    assert result.text is not None and "example grown_up" not in result.text
    assert codes(result).count("MD440") == 1


# ---- a partial import ------------------------------------------------------------------------------


def literal(name: str, type_ref: str, text: str) -> str:
    return (f'<decision id="d_{name}" name="{name}"><variable name="{name}" typeRef="{type_ref}"/>'
            f"<literalExpression><text>{text}</text></literalExpression></decision>")


PARTIAL_MODEL = (input_data("Age", "number") + input_data("Name", "string")
                 + table("Approval", 'hitPolicy="FIRST"', ["Age"], [STATUS],
                         [[">= 18", '"Approved"'], ["-", '"Declined"']])
                 + literal("Greeting", "string", '"Hello " + substring(Name, 1, 3)'))


def test_a_partial_import_leaves_out_what_it_cannot_say_and_keeps_the_rest() -> None:
    whole = imported(model(PARTIAL_MODEL))
    assert whole.text is None and "MD703" in codes(whole)
    from mmdsl.frontends.dmn.importer import import_dmn

    part = import_dmn(model(PARTIAL_MODEL), "model.dmn", "model.mmdsl", partial=True)
    assert not part.ok and "MD703" in codes(part)  # the import's error stands
    assert part.translation.left_out["Greeting"].startswith("MD703 decision `Greeting`")
    # `Name` is read only by the decision left out: not declared, so not required
    assert part.translation.left_out["Name"] == "no decision that is kept reads it"
    assert "Name" not in part.translation.inputs
    assert decide(part, {"Age": 30})["Approval"]["Status"] == "Approved"


def test_a_context_input_is_one_input_per_component() -> None:
    items = ('<itemDefinition name="tA"><itemComponent name="name"><typeRef>string</typeRef>'
             '</itemComponent><itemComponent name="price"><typeRef>number</typeRef>'
             "</itemComponent></itemDefinition>")
    body = (items + input_data("structA", "tA")
            + table("priceGt10", "", ["structA.price"], ['<output typeRef="boolean"/>'],
                    [[">10", "true"], ["<=10", "false"]], type_ref="boolean"))
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None
    assert 'input structA_price: decimal "structA.price"' in result.text
    assert "| structA_price |" in result.text
    parts = result.translation.components["structA"]
    assert (parts["price"].name, parts["name"].name) == ("structA_price", "structA_name")
    decided = decide(result, {"structA_price": 20, "structA_name": "widget"})
    assert decided["priceGt10"]["priceGt10"] is True


def test_a_context_with_a_component_mmdsl_cannot_hold_is_refused_naming_it() -> None:
    items = ('<itemDefinition name="tA"><itemComponent name="when"><typeRef>days and time duration</typeRef>'
             "</itemComponent></itemDefinition>")
    result = imported(model(items + input_data("structA", "tA")))
    assert any("component `when`" in d.message for d in result.all_diagnostics
               if d.code == "MD704"), problems(result)


BKM = ('<businessKnowledgeModel id="k" name="Risk rules"><encapsulatedLogic>'
       '<formalParameter name="Years" typeRef="number"/>'
       '<decisionTable hitPolicy="FIRST"><input><inputExpression typeRef="number"><text>Years'
       '</text></inputExpression></input><output typeRef="string"/>'
       '<rule><inputEntry><text>&lt; 18</text></inputEntry><outputEntry><text>"minor"</text>'
       '</outputEntry></rule><rule><inputEntry><text>-</text></inputEntry><outputEntry>'
       '<text>"adult"</text></outputEntry></rule></decisionTable></encapsulatedLogic>'
       "</businessKnowledgeModel>")


def invocation(binding: str) -> str:
    return ('<decision id="d_r" name="Risk"><variable name="Risk" typeRef="string"/>'
            '<knowledgeRequirement><requiredKnowledge href="#k"/></knowledgeRequirement>'
            "<invocation><literalExpression><text>Risk rules</text></literalExpression>"
            f"{binding}</invocation></decision>")


def test_a_decision_invoking_a_table_knowledge_model_reads_as_that_table() -> None:
    items = ('<itemDefinition name="tP"><itemComponent name="Age"><typeRef>number</typeRef>'
             "</itemComponent></itemDefinition>")
    binding = ('<binding><parameter name="Years"/><literalExpression><text>Patient.Age</text>'
               "</literalExpression></binding>")
    result = imported(model(items + input_data("Patient", "tP") + BKM + invocation(binding)))
    assert result.ok, problems(result)
    assert result.text is not None and "| Patient_Age |" in result.text
    assert decide(result, {"Patient_Age": 12})["Risk"]["Risk"] == "minor"
    assert decide(result, {"Patient_Age": 40})["Risk"]["Risk"] == "adult"


def test_an_invocation_that_does_not_bind_a_column_is_refused() -> None:
    result = imported(model(input_data("Age", "number") + BKM + invocation("")))
    assert any("column `Years` is not bound" in d.message for d in result.all_diagnostics
               if d.code == "MD702"), problems(result)


@pytest.mark.parametrize(("feel_text", "value"), [("true", "yes"), (" false ", "no")])
def test_a_constant_yes_no_decision_is_a_table_of_one_rule_that_tests_nothing(
        feel_text: str, value: str) -> None:
    result = imported(model(literal("Always", "boolean", feel_text)))
    assert result.ok, problems(result)
    assert result.text is not None and f"| always || {value}" in result.text
    assert result.translation.decisions["Always"].result == "single"
    assert decide(result, {})["Always"]["Always"] is (value == "yes")


def test_a_constant_string_decision_is_a_table_of_one_rule_with_a_text_output() -> None:
    result = imported(model(literal("Greeting", "string", '"横綱 \\"quoted\\""')))
    assert result.ok, problems(result)
    assert result.text is not None and "output Greeting: text" in result.text
    assert decide(result, {})["Greeting"]["Greeting"] == '横綱 "quoted"'


def test_a_constant_string_mmdsl_text_cannot_hold_is_refused() -> None:
    result = imported(model(literal("Greeting", "string", '"a\\u0007b"')))
    assert not result.ok
    assert any(d.code == "MD706" and "decision `Greeting`" in d.message
               for d in result.all_diagnostics), problems(result)


def test_a_list_of_strings_without_allowed_values_is_a_set_of_the_values_its_cells_name() -> None:
    items = ('<itemDefinition name="tList" isCollection="true"><typeRef>string</typeRef>'
             "</itemDefinition>")
    body = (items + input_data("Symptoms", "tList")
            + table("Flu", 'hitPolicy="FIRST"', ["Symptoms"], ['<output typeRef="string"/>'],
                    [['list contains(?, "fever")', '"likely"'], ["-", '"unlikely"']]))
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.translation.inputs["Symptoms"].type.values == ("fever",)
    assert decide(result, {"Symptoms": ["fever"]})["Flu"]["Flu"] == "likely"
    assert decide(result, {"Symptoms": []})["Flu"]["Flu"] == "unlikely"


# ---- durations: the difference of two dates ---------------------------------------------------------

DATES = input_data("last dose", "date") + input_data("today", "date")


@pytest.mark.parametrize("days, give", [(27, "wait"), (28, "now"), (56, "now")])
def test_a_column_of_the_difference_of_two_dates_is_a_duration_in_days(days: int, give: str) -> None:
    """`today - last dose` is FEEL's days-and-time duration: `time from last_dose to today`,
    its cells `duration("P28D")` or `@"P4W"` become `28 days`."""
    result = imported(model(DATES + table("give", 'hitPolicy="UNIQUE"', ["today - last dose"],
                                          ['<output name="give" typeRef="string"/>'],
                                          [['< duration("P28D")', '"wait"'],
                                           ['>= @"P4W"', '"now"']])))
    assert "time from last_dose to today" in result.text and "| >= 28 days" in result.text
    today = date(2024, 3, 1)
    facts = {"last_dose": (today - timedelta(days=days)).isoformat(), "today": today.isoformat()}
    assert decide(result, facts)["give"]["give"] == give


def test_a_fact_on_the_difference_of_two_dates_and_a_default_output() -> None:
    fact = ('<decision id="f" name="soon"><variable name="soon" typeRef="boolean"/>'
            "<literalExpression><text>today - last dose in [@\"P1D\"..@\"P1W\"]</text>"
            "</literalExpression></decision>")
    default = ('<output name="give" typeRef="string"><defaultOutputEntry><text>"later"</text>'
               "</defaultOutputEntry></output>")
    result = imported(model(DATES + fact + table("give", 'hitPolicy="UNIQUE"',
                                                 ["today - last dose"], [default],
                                                 [['not(< @"P2D")', '"now"']])))
    facts = {"last_dose": "2024-02-27", "today": "2024-03-01"}  # 3 days
    assert decide(result, facts)["derived"]["soon"] is True
    assert decide(result, facts)["give"]["give"] == "now"
    facts = {"last_dose": "2024-02-29", "today": "2024-03-01"}  # 1 day: no rule, the default
    assert decide(result, facts)["give"]["give"] == "later"
    assert "time_from_last_dose_to_today in 1 day..7 days" in result.text
    assert "not (not (time_from_last_dose_to_today < 2 days))" in result.text  # the no-rule fact


@pytest.mark.parametrize("cell, why", [
    ("< 28", "the value is a duration (the days between two dates) and the test is not"),
    ('< @"PT36H"', "is not a whole number of days"),
    ('< duration("P1M")', "a years and months duration is compared with `years and months "
                          "duration(start, end)`"),
    ('< date("2024-01-01")', "the calendar date `2024-01-01`"),
])
def test_a_duration_column_refuses_what_is_not_a_duration_of_whole_days(cell: str, why: str) -> None:
    result = imported(model(DATES + table("give", 'hitPolicy="UNIQUE"', ["today - last dose"],
                                          ['<output name="give" typeRef="string"/>'],
                                          [[cell, '"wait"']])))
    assert result.compilation is None or result.compilation.guideline is None
    assert why in problems(result)


@pytest.mark.parametrize("dose, given", [("2024-02-28", True), ("2024-02-29", False),
                                         ("2024-03-01", False)])
def test_a_date_column_compared_with_another_date_is_the_days_between_them(
        dose: str, given: bool) -> None:
    """FEEL's `today > last dose` is `time from last_dose to today > 0 days`: exactly."""
    result = imported(model(DATES + table("given", 'hitPolicy="UNIQUE"', ["today"],
                                          ['<output name="given" typeRef="boolean"/>'],
                                          [["> last dose", "true"], ["<= last dose", "false"]],
                                          type_ref="boolean")))
    assert "| > 0 days " in result.text and "time from last_dose to today" in result.text
    decision = decide(result, {"last_dose": dose, "today": "2024-02-29"})
    assert decision["given"]["given"] is given


def test_a_date_column_compared_with_two_dates_is_refused() -> None:
    body = DATES + input_data("birth", "date") + table(
        "given", 'hitPolicy="UNIQUE"', ["today"], ['<output name="given" typeRef="boolean"/>'],
        [["> last dose", "true"], ["<= birth", "false"]], type_ref="boolean")
    assert "is not a simple unary test" in problems(imported(model(body)))


def test_a_decision_table_without_input_columns_gives_its_one_rule_for_everyone() -> None:
    body = table("Always", 'hitPolicy="UNIQUE"', [], [STATUS], [['"Approved"']])
    result = imported(model(body))
    assert result.ok, problems(result)
    assert result.text is not None and "| rule || Status" in result.text
    assert decide(result, {})["Always"]["Status"] == "Approved"
