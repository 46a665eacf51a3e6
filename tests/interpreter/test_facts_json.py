"""Reading facts JSON strictly: every bad input is an InputError, never a traceback or a hang.

Each test runs on the prelude as the interpreter imports it and on the copy a generated module
embeds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmdsl.runtime import prelude
from tests.backend.support import ModuleEvaluator, compile_text

Parse = Callable[[str | bytes], object]

SOURCE = """\
guideline reading "Reading"
input n: integer 0..10 "n"
"""


@pytest.fixture(params=["prelude", "module"])
def parse(request: pytest.FixtureRequest, module_evaluator: ModuleEvaluator) -> Parse:
    if request.param == "prelude":
        return prelude.parse_facts_json
    module = module_evaluator.module(_guideline)
    embedded: Parse = module.parse_facts_json
    return embedded


_guideline = compile_text(SOURCE)


def message(parse: Parse, text: str | bytes) -> str:
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert type(caught.value).__name__ == "InputError"
    return str(caught.value)


def test_valid_json_is_read(parse: Parse) -> None:
    assert parse('{"n": 3, "s": ["a"], "o": {"x": 1.5}}') == {"n": 3, "s": ["a"], "o": {"x": 1.5}}
    assert parse(b'{"name": "caf\xc3\xa9"}') == {"name": "café"}


@pytest.mark.parametrize(("text", "expected"), [
    (b'{"n": "\xff"}', "$: not UTF-8 text: byte 0xff at offset 7"),
    ("", "$: no facts given: the input is empty"),
    (" \n\t", "$: no facts given: the input is empty"),
    ('{"n": 1,}', "$: not valid JSON: Expecting property name enclosed in double quotes: "
                  "line 1 column 9 (char 8)"),
    ('{"n": NaN}', "$: not valid JSON: NaN is not a number in JSON"),
    ('{"n": Infinity}', "$: not valid JSON: Infinity is not a number in JSON"),
    ('{"n": -Infinity}', "$: not valid JSON: -Infinity is not a number in JSON"),
    ('{"n": 1e999}', "$: not valid JSON: the number 1e999 is too large"),
    ('{"n": ' + "9" * 101 + "}", "$: not valid JSON: a whole number with more than 100 digits"),
    ("\ufeff{}", "$: not valid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig): "
                 "line 1 column 1 (char 0)"),
])
def test_bad_json_is_an_input_error(parse: Parse, text: str | bytes, expected: str) -> None:
    assert message(parse, text) == expected


def test_a_repeated_key_is_refused_never_replaced(parse: Parse) -> None:
    assert message(parse, '{"n": 1, "n": 2}') == "n: given more than once in the same JSON object"


def test_a_repeated_key_is_refused_at_any_depth(parse: Parse) -> None:
    text = '{"n": 1, "o": [{"a": {"b": 1, "b": 2}, "c": 1, "c": 1}]}'
    assert message(parse, text).splitlines() == [
        "b: given more than once in the same JSON object",
        "c: given more than once in the same JSON object"]


def test_nesting_is_limited(parse: Parse) -> None:
    allowed = "[" * 64 + "]" * 64
    assert parse(allowed) is not None
    assert message(parse, "[" * 65 + "]" * 65) == "$: JSON nested deeper than 64 levels"


def test_very_deep_nesting_fails_fast_without_recursion_error(parse: Parse) -> None:
    started = time.perf_counter()
    assert message(parse, '{"a": ' * 150_000) == "$: JSON nested deeper than 64 levels"
    assert time.perf_counter() - started < 2


def test_brackets_inside_strings_do_not_count_as_nesting(parse: Parse) -> None:
    text = '{"a": "' + "[{" * 100 + '\\"' + "[" * 100 + '"}'
    assert parse(text) == {"a": "[{" * 100 + '"' + "[" * 100}


def test_many_escaped_quotes_are_scanned_in_linear_time(parse: Parse) -> None:
    started = time.perf_counter()
    message(parse, '"' + '\\"' * 300_000)  # one unterminated string: invalid, quickly
    assert time.perf_counter() - started < 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.text(alphabet='{}[]",:0123456789.eE-+ntrufalsNI\\')))
def test_any_input_gives_facts_or_an_input_error(text: str | bytes) -> None:
    try:
        prelude.parse_facts_json(text)
    except prelude.InputError as error:
        assert error.errors and all(set(e) == {"field", "message"} for e in error.errors)


def test_the_embedded_prelude_is_the_prelude_text_for_text(module_evaluator: ModuleEvaluator
                                                           ) -> None:
    from mmdsl.backends.python import prelude_text

    source = module_evaluator.module(_guideline).__file__
    assert source is not None
    with open(source, encoding="utf-8") as file:
        assert prelude_text() in file.read()
