"""Example patients look like the guideline's own worked examples: a number takes the median of
the values the examples give it where the finding allows, else the nearest value it allows."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source

SOURCE = '''guideline g "G"
input lines: integer 0..30 "prior lines"
input age: integer 18..100 "age"
table t
  hit unique
  output o: one of a, b
  | lines | age   || o |
  | >= 4  | -     || a |
  | 2..3  | >= 65 || b |

example one "x"
  lines: 5
  age: 70
  expect t.o: a
example two "y"
  lines: 3
  age: 70
  expect t.o: b
example three "z"
  lines: 6
  age: 80
  expect t.o: a
'''


def gap() -> dict[str, object]:
    (found,) = [d for d in compile_source(Source("g.mmdsl", SOURCE)).diagnostics if d.code == "MD603"]
    return dict(found.data)


def test_each_region_s_example_is_as_close_to_the_worked_examples_as_the_region_allows() -> None:
    found = gap()
    by_region = dict(zip(found["regions"], found["witnesses"], strict=True))  # type: ignore[call-overload]
    # median lines 5 and age 70: outside both regions' lines, so the nearest allowed values
    assert by_region["lines 0-1"] == {"lines": 1, "age": 70}
    assert by_region["lines 0-3, age 18-64"] == {"lines": 3, "age": 64}


def test_the_examples_are_really_left_without_an_answer() -> None:
    import mmdsl

    guideline = mmdsl.compile_text(SOURCE.replace("hit unique", "hit first"))
    for witness in gap()["witnesses"]:  # type: ignore[union-attr]
        assert guideline.evaluate(witness)["t"] is None
