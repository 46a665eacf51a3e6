"""The generated module compiled in memory a piece at a time (`load_module`), as the service and
the cohort run it: the same module as the file's text compiled whole, with a bounded compile.

CPython's compile() of a whole 50,000-rule module peaked near 2 GB (the big input "50,000 rows,
50,000 thresholds" of tests/reliability/big_inputs.py); in pieces it stays under half of that."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import mmdsl.backends.python as python_backend
from mmdsl.backends.python import load_module, module_pieces, render_module
from tests.backend.support import FIXTURES, ROOT, compile_file, compile_text

GUIDELINES = sorted(FIXTURES.glob("*.mmdsl")) + sorted((ROOT / "tables").glob("*.mmdsl"))


def many_rules(count: int) -> str:
    rows = "".join(f"  | {i} | yes || {i} |\n" for i in range(count))
    return ('guideline big "big"\ninput a: integer 0..100000 "a"\ninput b: yes/no "b"\n'
            'table t "t"\n  hit first\n  output o: integer "o"\n  | a | b || o |\n'
            + rows + "  | - | - || 0 |\n")


def whole(text: str) -> types.ModuleType:
    module = types.ModuleType("whole")
    # as Python imports the file: not under this test's `from __future__ import annotations`
    exec(compile(text, "<m>", "exec", dont_inherit=True), module.__dict__)
    return module


def where(function: types.FunctionType) -> tuple[object, ...]:
    code = function.__code__
    return code.co_firstlineno, tuple(code.co_positions())


@pytest.mark.parametrize("path", GUIDELINES, ids=lambda p: p.name)
def test_the_pieces_are_the_file_s_text(path: Path) -> None:
    guideline = compile_file(path)
    pieces = module_pieces(guideline)
    assert len(pieces) > 5
    assert "".join(pieces) == render_module(guideline)


@pytest.mark.parametrize("path", GUIDELINES, ids=lambda p: p.name)
def test_the_module_in_pieces_is_the_module_compiled_whole(path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    guideline = compile_file(path)
    monkeypatch.setattr(python_backend, "GROUP_CHARACTERS", 1)  # every statement on its own
    pieces = load_module(guideline, "pieces", "<m>")
    module = whole(render_module(guideline))
    assert set(vars(pieces)) - {"__file__"} == set(vars(module))
    assert pieces.__doc__ == module.__doc__
    functions = [name for name, value in vars(module).items()
                 if isinstance(value, types.FunctionType)]
    # the same lines in tracebacks: every function's, to the column
    assert [where(getattr(pieces, n)) for n in functions] == [where(getattr(module, n))
                                                              for n in functions]
    for example in guideline.examples:
        assert pieces.evaluate(dict(example.facts)) == module.evaluate(dict(example.facts))


def test_a_big_module_is_compiled_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    guideline = compile_text(many_rules(3000))
    sizes: list[int] = []

    def measured(text: str, *args: object, **kwargs: object) -> types.CodeType:
        sizes.append(len(text))
        return compile(text, *args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(python_backend, "GROUP_CHARACTERS", 100_000)
    monkeypatch.setattr(python_backend, "compile", measured, raising=False)
    module = load_module(guideline, "big", "<big>")
    assert module.evaluate({"a": 2999, "b": True})["t"]["o"] == 2999
    assert len(sizes) > 5 and sum(sizes) == len(render_module(guideline))
    # each compiled at most 100,000 characters, but for a statement that is bigger on its own
    # (the table's data, its decision core)
    alone = {len(piece) for piece in module_pieces(guideline) if len(piece) > 100_000}
    assert alone and all(size <= 100_000 or size in alone for size in sizes)
