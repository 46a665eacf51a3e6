"""Nothing a user types crashes the compiler: mutated, hostile and huge table files.

Every input runs through the whole pipeline (`promises.run_whole_pipeline`) and must keep every
promise: no exception, no internal error, diagnostics with positions, and on success a module
that compiles and decides as the interpreter does, a schema and review documents. The long run
is `make fuzz` (`tests/reliability/fuzz.py`); this is the short one of `make test`, derandomized
so that it fails only for a reason. Set MMDSL_FUZZ=N to explore N new random inputs instead.
"""

from __future__ import annotations

import os
import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmdsl.pipeline import MAX_SOURCE_SIZE, compile_source
from mmdsl.source import Source
from mmdsl.syntax.parser import MAX_DIGITS, MAX_NESTING
from tests.reliability import mutate
from tests.reliability.big_inputs import CASES, run_case
from tests.reliability.corpus import seeds
from tests.reliability.promises import run_whole_pipeline

EXPLORE = os.environ.get("MMDSL_FUZZ")
SETTINGS = settings(max_examples=int(EXPLORE or 250), derandomize=not EXPLORE, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))
TINY = 'guideline g "G"\ninput b: yes/no "b"\ninput n: integer 0..30 "n"\n'
TABLE = 'table t "T"\n  hit first\n  output o: one of x, y\n  | n || o |\n  | CELL || x |\n  | - || y |\n'


def assert_promises_kept(text: str | bytes) -> None:
    outcome = run_whole_pipeline(text)
    assert outcome.ok, "\n".join(outcome.problems) + f"\n--- input:\n{text[:3000]!r}"


# ---- mutants of every table file of the repository ------------------------------------------------


def test_the_corpus_holds_every_kind_of_table_file() -> None:
    texts = seeds()
    assert len(texts) > 100
    assert any("myeloma_post_daratumumab" in t for t in texts)
    assert all(compile_source(Source("seed.mmdsl", t)).module is not None for t in texts)


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_mutants_keep_every_promise(rng: random.Random) -> None:
    assert_promises_kept(mutate.mutant(list(seeds()), rng))


@pytest.mark.parametrize("mutation", mutate.TEXT_MUTATIONS + mutate.GENTLE_MUTATIONS,
                         ids=lambda m: m.__name__)
def test_each_mutation_keeps_every_promise(mutation: mutate.Mutation) -> None:
    for seed in range(8):
        rng = random.Random(seed)
        assert_promises_kept(mutation(rng.choice(seeds()[:60]), rng))


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_flipped_bytes_keep_every_promise(rng: random.Random) -> None:
    text = rng.choice(seeds()[:60])
    assert_promises_kept(mutate.flip_bytes(text.encode("utf-8"), rng))


@settings(max_examples=int(EXPLORE or 60), derandomize=not EXPLORE, deadline=None, database=None)
@given(st.text(max_size=300))
def test_any_text_at_all_keeps_every_promise(text: str) -> None:
    assert_promises_kept(text)


@settings(max_examples=int(EXPLORE or 60), derandomize=not EXPLORE, deadline=None, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_cell_keeps_every_promise(cell: str) -> None:
    assert_promises_kept(TINY + TABLE.replace("CELL", cell.replace("\n", " ")))


# ---- the limits: nesting, numbers, size ----------------------------------------------------------


@pytest.mark.parametrize(("opening", "closing"), [
    ("not ", ""), ("(", ")"), ("(b and ", ")"), ("(b or not ", ")"),
])
@pytest.mark.parametrize("depth", [MAX_NESTING // 2, MAX_NESTING + 1, 1_000, 50_000])
def test_deep_conditions_are_diagnostics_not_recursion_errors(opening: str, closing: str,
                                                              depth: int) -> None:
    text = TINY + f"fact f = {opening * depth}b{closing * depth}\n" + TABLE.replace(
        "| n ||", "| f ||").replace("CELL", "yes")
    outcome = run_whole_pipeline(text)
    assert outcome.ok, outcome.problems
    deep = depth * (opening.count("not") + opening.count("and") + opening.count("or"))
    assert ("MD109" in outcome.codes) == (deep > MAX_NESTING)


@pytest.mark.parametrize("depth", [MAX_NESTING, MAX_NESTING + 1, 5_000])
def test_deep_cells_are_diagnostics_not_recursion_errors(depth: int) -> None:
    cell = "not (" * depth + "3, 4" + ")" * depth
    outcome = run_whole_pipeline(TINY + TABLE.replace("CELL", cell))
    assert outcome.ok, outcome.problems
    assert ("MD109" in outcome.codes) == (depth > MAX_NESTING)


def test_the_deepest_accepted_condition_runs_everywhere_even_deep_in_a_stack() -> None:
    """A condition at the limit compiles, generates Python that compiles, and decides, with the
    whole pipeline called 500 frames down a caller's own stack."""
    text = (TINY + "fact f = " + "not " * (MAX_NESTING - 2) + "(b and (n >= 3 or b))\n"
            + TABLE.replace("| n ||", "| f ||").replace("CELL", "yes")
            + "example e \"e\"\n  b: yes\n  n: 4\n  expect t.o: x\n")

    def down(frames: int) -> list[str]:
        return down(frames - 1) if frames else run_whole_pipeline(text).problems

    assert sys.getrecursionlimit() - 500 > 300
    outcome = run_whole_pipeline(text)
    assert outcome.compiled and outcome.ok, outcome.problems
    assert down(500) == []


@pytest.mark.parametrize(("number", "too_long"), [
    ("9" * 16, True), ("9" * 4301, True), ("9" * 20_000, True), ("-" + "9" * 16, True),
    ("1" + "0" * 400 + ".5", True), ("0." + "0" * 330 + "1", True), ("1.0000000000000001", True),
    (str(2**53 + 1), True), ("9" * MAX_DIGITS, False), ("0." + "0" * 14 + "1", False),
    ("0" * 40 + "1.5" + "0" * 40, False), ("-" + "9" * MAX_DIGITS, False),
])
def test_numbers_beyond_15_digits_are_diagnostics(number: str, too_long: bool) -> None:
    """A number the evaluators' floats cannot hold exactly is refused, whatever its size."""
    bound = TINY.replace("0..30", f"0..{number}") + TABLE.replace("CELL", ">= 3")
    cell = TINY + TABLE.replace("CELL", f">= {number}")
    for source in (bound, cell):
        outcome = run_whole_pipeline(source)
        assert outcome.ok, outcome.problems
        assert ("MD308" in outcome.codes) == too_long, (number, outcome.codes)


@pytest.mark.parametrize("digit", ["\u09ea", "\u0664", "\uff14", "\U0001d7d2", "\u0e54"])
def test_digits_of_other_scripts_are_not_read_as_numbers(digit: str) -> None:
    """`>= ৪` (a Bengali 4, which looks like an 8) must not silently mean `>= 4`."""
    outcome = run_whole_pipeline(TINY + TABLE.replace("CELL", f">= {digit}"))
    assert outcome.ok and not outcome.compiled, outcome.codes
    assert "MD102" in outcome.codes


def test_a_file_beyond_the_size_limit_is_a_diagnostic() -> None:
    outcome = run_whole_pipeline(TINY + "#" + "x" * MAX_SOURCE_SIZE)
    assert outcome.ok and outcome.codes == ("MD106",)


def test_text_with_a_lone_surrogate_is_a_diagnostic() -> None:
    """Only a program can hand over such text (a file is UTF-8); it cannot be hashed or written."""
    outcome = run_whole_pipeline('guideline g "title \ud800"\n')
    assert outcome.ok and outcome.codes == ("MD106",)


@pytest.mark.parametrize("separator", ["\r", "\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"])
def test_a_diagnostic_shows_its_own_line_whatever_other_characters_break_lines(separator: str) -> None:
    """Python's `splitlines` also breaks at form feeds, U+2028 and others: shown that way, the
    excerpt under `file:8:5` would be another line than the one the parser counted as 8."""
    from mmdsl.diagnostics.render import render_text

    text = (TINY.replace('"G"', f'"G{separator}G"').replace("# ", f"#{separator}")
            + "# a comment" + separator + "with a break\n" + TABLE.replace("CELL", "maybe"))
    compilation = compile_source(Source("f.mmdsl", text))
    [diagnostic] = [d for d in compilation.diagnostics if d.code == "MD300"]
    rendered = render_text([diagnostic], {"f.mmdsl": text})
    number = diagnostic.span.line
    assert f"\n{number} |   | maybe || x |\n" in rendered, rendered
    assert_promises_kept(text)


# ---- big inputs: bounded time and memory ---------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.quick], ids=lambda c: c.name)
def test_big_inputs_finish_in_bounded_time_and_memory(case: object) -> None:
    measured = run_case(case)  # type: ignore[arg-type]
    assert measured.problems == [], (measured.seconds, measured.megabytes, measured.outcome)
