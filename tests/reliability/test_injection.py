"""No injection: what an author writes stays data in every output, and hidden characters are found.

A guideline template has a slot for every kind of authored text and every kind of name. Hostile
text (quotes, triple quotes, backslashes, line breaks, Jinja syntax, HTML and script, controls)
and hostile names (Python keywords and builtins, the generated module's own names) fill them:
the generated Python must compile, import and decide as the interpreter does, carrying each text
exactly; the HTML must show each text as text; the Markdown must escape it. Bidirectional
controls, invisible characters and look-alike letters in names, and bidirectional controls in
quoted text, are diagnostics (MD202).
"""

from __future__ import annotations

import builtins
import keyword
import random
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmdsl.backends.python import render_module
from mmdsl.backends.review import render_html, render_markdown, run_examples
from mmdsl.check.control_characters import CONTROL
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import decision_json
from mmdsl.source import Source
from mmdsl.syntax.build import decode_text
from tests.backend.facts import random_facts
from tests.reliability.mutate import HOSTILE_NAMES, HOSTILE_TEXTS, quoted
from tests.reliability.promises import TEMPLATE_TAGS, load_generated

TEMPLATE = """guideline NAME_G TEXT_TITLE
version TEXT_VERSION
reference 1 TEXT_REFERENCE
evidence NAME_E TEXT_EVIDENCE
  refs 1
  design TEXT_DESIGN
  population TEXT_POPULATION
  finding TEXT_FINDING
caveat NAME_C TEXT_CAVEAT refs 1
enum NAME_ENUM TEXT_ENUM = NAME_M1 TEXT_LABEL, NAME_M2
class NAME_CLASS of NAME_ENUM TEXT_CLASS = NAME_M1
input NAME_I: one of NAME_ENUM TEXT_INPUT
input NAME_S: set of NAME_ENUM TEXT_SET
input NAME_X: set of NAME_ENUM includes NAME_S TEXT_INCLUDES
input NAME_B: yes/no TEXT_BOOL
input NAME_N: integer 0..9 unit TEXT_UNIT TEXT_INTEGER
input NAME_T: text default TEXT_DEFAULT TEXT_TEXT
fact NAME_F TEXT_FACT = NAME_B and NAME_I is NAME_CLASS or NAME_X has any of NAME_CLASS
scope TEXT_SCOPE = NAME_N >= 0
table NAME_TABLE TEXT_TABLE
  hit collect
  output NAME_O: one of NAME_ENUM TEXT_OUTPUT
  output NAME_W: text TEXT_WORDS
  | rule   | NAME_F | NAME_T       | NAME_N || NAME_O  | NAME_W     || evidence | caveats |
  | NAME_R | yes    | -            | >= 3   || NAME_M1 | TEXT_CELL  || NAME_E   | NAME_C  |
  | r2     | -      | TEXT_DEFAULT | -      || NAME_M2 | -          || NAME_E   | -       |
table NAME_NEXT TEXT_NEXT
  hit first
  output NAME_P: text TEXT_P
  | NAME_TABLE.NAME_O || NAME_P      |
  | has NAME_M1       || TEXT_CELL2  |
  | -                 || -           |
example NAME_EX TEXT_EXAMPLE
  NAME_I: NAME_M1
  NAME_S: NAME_M2
  NAME_X: none
  NAME_B: yes
  NAME_N: 4
  NAME_T: TEXT_DEFAULT
  expect NAME_TABLE.NAME_O: NAME_M1, NAME_M2
note NAME_NOTE on NAME_TABLE.NAME_R: TEXT_NOTE
quote NAME_Q on NAME_TABLE.NAME_R, NAME_TABLE.r2: TEXT_QUOTE
"""
TEXT_SLOTS = sorted(set(re.findall(r"TEXT_[A-Z0-9]+", TEMPLATE)))
NAME_SLOTS = sorted(set(re.findall(r"NAME_[A-Z0-9]+", TEMPLATE)), key=len, reverse=True)
PLAIN_NAMES = {slot: slot.lower().replace("name_", "n_") for slot in NAME_SLOTS}

# The words docs/language.md reserves ("Words with a fixed meaning"), and the headings of the
# rule and annotation columns.
MMDSL_WORDS = {"yes", "no", "not", "and", "or", "is", "in", "has", "of", "any", "all", "none",
               "if", "then", "else", "rule", "evidence", "caveats", "status"}
# Python keywords and builtins, and the names a generated module defines for itself.
PYTHON_NAMES = sorted(
    {*keyword.kwlist, *keyword.softkwlist, *dir(builtins), *HOSTILE_NAMES,
     "evaluate", "evaluate_json", "validate", "read_facts", "derive_facts", "scope_holds",
     "TABLES", "TABLE_1", "table_1", "table_1_core", "INPUTS", "FACTS", "SCOPE", "GUIDELINE",
     "table_1_t", "table_1_t_core", "TABLE_1_T", "table_trace", "trace",
     "VERSION", "Values", "Rule", "Table", "Outcome", "InputField", "InputError", "prepared",
     "decision", "values", "facts", "f0", "v0", "self", "cls", "__file__", "__spec__", "__loader__"}
    - MMDSL_WORDS)
PYTHON_NAMES = [n for n in PYTHON_NAMES if re.fullmatch(r"[^\W\d][\w]*(?:-[\w]+)*", n)
                and n not in ("\u0133", "\u03a9mega")]  # a ligature, mixed scripts: MD202


def fill(texts: dict[str, str], names: dict[str, str]) -> str:
    source = TEMPLATE
    for slot in NAME_SLOTS:  # longest first: NAME_M1 before NAME_M
        source = re.sub(rf"\b{slot}\b", names.get(slot, PLAIN_NAMES[slot]), source)
    for slot in TEXT_SLOTS:
        source = re.sub(rf"\b{slot}\b", lambda _, s=slot: quoted(texts.get(s, s.lower())), source)
    return source


def compiled(source: str) -> IRGuideline:
    compilation = compile_source(Source("hostile.mmdsl", source), run_examples=True)
    assert compilation.ok and compilation.guideline is not None, [
        (d.code, d.message) for d in compilation.diagnostics]
    return compilation.guideline


def decides_or_is_refused_for_its_underscore(source: str, name: str) -> None:
    """A name that starts with `_` is refused where the generated SQL keeps such names (inputs,
    facts, tables: MD120) and nothing else; every other guideline compiles and decides alike."""
    compilation = compile_source(Source("hostile.mmdsl", source), run_examples=True)
    errors = {d.code for d in compilation.diagnostics if d.severity.value == "error"}
    if name.startswith("_") and errors:
        assert errors == {"MD120"}, errors
        return
    assert compilation.ok and compilation.guideline is not None, errors
    decisions_agree(compilation.guideline, patients=5)


def decisions_agree(guideline: IRGuideline, patients: int = 40) -> None:
    module = load_generated(render_module(guideline))
    rng = random.Random(0)
    for facts in [dict(e.facts) for e in guideline.examples] + [
            random_facts(guideline, rng, {}) for _ in range(patients)]:
        assert decision_json(module.evaluate(facts)) == decision_json(interpret(guideline, facts))
    assert callable(module.evaluate) and callable(module.validate)  # not shadowed


class Page(HTMLParser):
    """The elements, attributes and text of a page as a browser would read them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())


def authored(text: str) -> str:
    """Text as the author meant it: the language folds a line break and the blanks around it."""
    return decode_text(quoted(text))


def shown(text: str) -> str:
    """Text as a document shows it: runs of white space (line breaks too) as one space."""
    return " ".join(text.split())


def assert_inert_in_html(guideline: IRGuideline, texts: list[str]) -> None:
    page = Page(render_html(guideline, run_examples(guideline)))
    assert page.tags <= TEMPLATE_TAGS, page.tags - TEMPLATE_TAGS
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    assert all(v.startswith("#") for name, v in page.attributes if name in ("href", "src"))
    for text in texts:
        if shown(text):
            assert shown(text) in page.text, text


def assert_escaped_in_markdown(guideline: IRGuideline) -> None:
    text = render_markdown(guideline, run_examples(guideline))
    outside_code = re.sub(r"(`{3,})[^\n]*\n.*?\n\1", "", text, flags=re.DOTALL)
    outside_code = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", outside_code)
    assert not re.search(r"(?<!\\)<(?=[a-zA-Z/!])", outside_code)
    assert "{{" not in outside_code.replace("\\{\\{", "")


# ---- hostile text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [t for t in HOSTILE_TEXTS if CONTROL.search(t)], ids=repr)
def test_a_control_character_in_every_slot_is_refused(payload: str) -> None:
    """Control characters cannot be exported (XML 1.0) nor seen by a reviewer: MD110, no IR."""
    texts = {slot: f"{slot.lower()} {payload}" for slot in TEXT_SLOTS}
    compilation = compile_source(Source("hostile.mmdsl", fill(texts, {})), verify=False)
    assert compilation.guideline is None
    assert {d.code for d in compilation.diagnostics} == {"MD110"}


@pytest.mark.parametrize("payload", [t for t in HOSTILE_TEXTS if not CONTROL.search(t)], ids=repr)
def test_hostile_text_in_every_slot_stays_text(payload: str) -> None:
    texts = {slot: f"{slot.lower()} {payload}" for slot in TEXT_SLOTS}
    guideline = compiled(fill(texts, {}))
    decisions_agree(guideline)
    module_text = render_module(guideline)
    compile(module_text, "generated", "exec")
    decision = load_generated(module_text).evaluate(dict(guideline.examples[0].facts))
    row = decision[PLAIN_NAMES["NAME_TABLE"]][0]
    assert row["caveats"] == [authored(texts["TEXT_CAVEAT"])]
    assert row["evidence"] == [authored(texts["TEXT_EVIDENCE"])]
    assert row[PLAIN_NAMES["NAME_W"]] == authored(texts["TEXT_CELL"])
    assert_inert_in_html(guideline, list(texts.values()))
    assert_escaped_in_markdown(guideline)


TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cf", "Cs"]),
                max_size=40).map(lambda t: CONTROL.sub(" ", t.replace("\r", " ")))  # MD110


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({slot: st.one_of(TEXTS, st.sampled_from(
    [t for t in HOSTILE_TEXTS if not CONTROL.search(t)]))
                              for slot in TEXT_SLOTS}))
def test_any_text_in_any_slot_stays_text(texts: dict[str, str]) -> None:
    texts = {slot: value for slot, value in texts.items()
             if not any(c in value for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")}
    guideline = compiled(fill(texts, {}))
    decisions_agree(guideline, patients=10)
    assert_inert_in_html(guideline, list(texts.values()))
    assert_escaped_in_markdown(guideline)


# ---- hostile names --------------------------------------------------------------------------------


def test_the_list_of_python_names_is_long() -> None:
    assert {"class", "import", "__import__", "evaluate", "None", "True", "print"} <= set(PYTHON_NAMES)
    assert len(PYTHON_NAMES) > 150


@pytest.mark.parametrize("name", PYTHON_NAMES)
def test_python_names_are_names_like_any_other(name: str) -> None:
    """Each keyword, builtin or module-level name of Python, in every name slot at once (with a
    suffix where two slots must differ): the module still compiles and decides as it should."""
    names = {slot: name if index == 0 else f"{name}_{index}"
             for index, slot in enumerate(sorted(NAME_SLOTS))}
    decides_or_is_refused_for_its_underscore(fill({}, names), name)


@pytest.mark.parametrize("slot", NAME_SLOTS)
def test_a_python_keyword_in_each_slot(slot: str) -> None:
    for name in ("class", "import", "__import__", "evaluate", "None", "True", "lambda", "sys"):
        decides_or_is_refused_for_its_underscore(fill({}, {slot: name}), name)


# ---- hidden characters and look-alikes -----------------------------------------------------------

HIDDEN = {
    "right-to-left override": "\u202e", "left-to-right isolate": "\u2066",
    "pop directional isolate": "\u2069", "right-to-left mark": "\u200f",
    "zero-width space": "\u200b", "zero-width joiner": "\u200d", "word joiner": "\u2060",
    "byte-order mark": "\ufeff", "Hangul filler": "\u3164", "soft hyphen": "\u00ad",
    "tag letter": "\U000e0041", "Mongolian vowel separator": "\u180e",
}


def codes_of(source: str) -> list[str]:
    return [d.code for d in compile_source(Source("hidden.mmdsl", source)).diagnostics
            if d.severity.value == "error"]


@pytest.mark.parametrize("slot", NAME_SLOTS)
@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_hidden_characters_in_any_name_are_reported(slot: str, kind: str) -> None:
    names = {slot: PLAIN_NAMES[slot][:2] + HIDDEN[kind] + PLAIN_NAMES[slot][2:]}
    codes = codes_of(fill({}, names))
    assert "MD202" in codes, codes
    assert set(codes) <= {"MD202", "MD100"}, codes  # a name cut in two may leave the line broken


@pytest.mark.parametrize("slot", TEXT_SLOTS)
@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_hidden_characters_in_any_quoted_text_are_reported(slot: str, kind: str) -> None:
    codes = codes_of(fill({slot: f"a {HIDDEN[kind]} b"}, {}))
    assert codes and set(codes) == {"MD202"}, codes  # once per place the text is written


def test_hidden_characters_in_comments_are_reported() -> None:
    assert codes_of(fill({}, {}) + "# a comment \u202e with an override\n") == ["MD202"]


@pytest.mark.parametrize("slot", NAME_SLOTS)
@pytest.mark.parametrize(("kind", "spelling"), [
    ("Cyrillic o in a Latin name", lambda n: n.replace("n", "\u043f", 1) + "\u043e"),
    ("Greek omicron in a Latin name", lambda n: n + "\u03bf"),
    ("fullwidth letters", lambda n: n.translate({c: c + 0xFEE0 for c in range(0x61, 0x7B)})),
    ("mathematical bold letters", lambda n: "\U0001d41a" + n),
    ("a ligature", lambda n: n + "\ufb01"),
])
def test_look_alike_names_are_reported(slot: str, kind: str, spelling: object) -> None:
    name = spelling(PLAIN_NAMES[slot])  # type: ignore[operator]
    assert "MD202" in codes_of(fill({}, {slot: name})), name


def test_a_name_in_another_script_that_reads_as_an_existing_one_is_reported() -> None:
    """`РІ` in Cyrillic letters reads as the class `PI`: a cell could mean either."""
    source = fill({}, {"NAME_CLASS": "PI", "NAME_M2": "\u0420\u0406"})
    assert codes_of(source) == ["MD202"]
    assert codes_of(fill({}, {"NAME_CLASS": "PI", "NAME_M2": "\u0434\u0436"})) == []  # not alike


def test_names_in_one_other_script_are_fine() -> None:
    names = {slot: f"\u0434\u0430\u043d\u043d\u044b\u0435{i}" for i, slot in enumerate(NAME_SLOTS)}
    names |= {"NAME_M1": "剂量", "NAME_M2": "Ωμέγα"}
    guideline = compiled(fill({}, names))
    decisions_agree(guideline, patients=5)
