"""mmdsl: a compiler for clinical decision tables.

`mmdsl.load(path_or_text)` and `mmdsl.compile_text(text)` give a `Guideline` whose `.evaluate`
turns patient facts into a decision (see `mmdsl.api`). They are imported on first use, so
`import mmdsl` stays cheap for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mmdsl.version import __version__

__all__ = ["CompileError", "Guideline", "__version__", "compile_text", "load"]

if TYPE_CHECKING:
    from mmdsl.api import CompileError, Guideline, compile_text, load

_API = frozenset({"CompileError", "Guideline", "compile_text", "load"})


def __getattr__(name: str) -> object:
    if name in _API:
        from mmdsl import api

        return getattr(api, name)
    raise AttributeError(f"module 'mmdsl' has no attribute {name!r}")
