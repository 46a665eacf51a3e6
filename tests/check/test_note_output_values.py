"""A note may name one value of a table's enumerated output (`tier.preferred`): that is how the
authors define what the value means, and the review document shows the definition."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source

TABLE = '''guideline g "G"
input a: yes/no "a"
table t "T"
  hit unique
  output tier: one of strong, weak "strength"
  | a   || tier   |
  |-----||--------|
  | yes || strong |
  | no  || weak   |
'''


def codes(text: str) -> list[tuple[str, str]]:
    compilation = compile_source(Source("inline.mmdsl", text))
    return [(d.code, d.message) for d in compilation.diagnostics]


def test_a_note_on_a_value_of_an_output_is_accepted() -> None:
    assert codes(TABLE + 'note strong_means on tier.strong: "The option to offer first."\n') == []


def test_a_value_the_output_does_not_have_is_an_unknown_name() -> None:
    assert codes(TABLE + 'note n on tier.medium: "..."\n') == [
        ("MD200", "output `tier` has no value `medium`")]


def test_an_output_name_with_no_value_is_still_an_unknown_rule() -> None:
    found = codes(TABLE + 'note n on tier: "..."\n')
    assert [code for code, _ in found] == ["MD200"]
