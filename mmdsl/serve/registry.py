"""The guidelines a server holds, each reloaded when its table file changes.

Each request looks the guideline up by name; the lookup compares the file's size and change
time with those of the compiled version and compiles it again when they differ, so an edited
table is served from the next request on without restarting. A file that now has errors is not
served at all (its pages and services answer 503 with the diagnostics) rather than served from
an older text that no longer matches the file: a decision always comes from the file as it is.
New files in the folders served are found when the list is asked for or a name is unknown.
"""

from __future__ import annotations

import logging
import os
import threading
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmdsl.ir.model import IRGuideline
from mmdsl.ir.verbalize import Vocabulary, vocabulary_of
from mmdsl.pipeline import Compilation, compile_path, published, shown_path, table_files
from mmdsl.runtime.prelude import InputError

log = logging.getLogger("mmdsl.serve")


@dataclass
class Loaded:
    """One table file as last compiled: the guideline, or the diagnostics that stop it."""

    name: str
    path: Path
    stamp: tuple[int, int]
    compilation: Compilation
    guideline: IRGuideline | None = field(init=False)
    words: Vocabulary | None = field(init=False, repr=False)
    _module: types.ModuleType | None = field(init=False, repr=False)
    _review: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        compiled = self.compilation.guideline
        self.guideline = published(compiled) if compiled is not None else None
        self.words = vocabulary_of(self.guideline) if self.guideline else None
        self._module = generated_module(self.guideline) if self.guideline else None

    def decide(self, facts: object) -> dict[str, Any]:
        """The decision of the generated module itself (the text `mmdsl compile` writes, run
        in this process), so every answer is byte for byte the module's; invalid facts raise
        mmdsl's InputError with the module's problems."""
        assert self._module is not None
        try:
            decision: dict[str, Any] = self._module.evaluate(facts)
        except self._module.InputError as error:
            raise InputError(error.errors) from None
        return decision

    @property
    def problems(self) -> str:
        from mmdsl.diagnostics.render import render_text

        return render_text(list(self.compilation.diagnostics),
                           {self.compilation.source.path: self.compilation.source.text})

    def review_html(self) -> str:
        """The review document, as `mmdsl docs` writes it (made once per version of the file)."""
        if self._review is None:
            # the one place that makes a compilation's documents, so the page is the file's
            from mmdsl.commands.docs import _documents

            documents = _documents(self.compilation, Path("."))
            self._review = next(text for path, text in documents.items() if path.suffix == ".html")
        return self._review


def generated_module(guideline: IRGuideline) -> types.ModuleType:
    from mmdsl.backends.python import load_module

    return load_module(guideline, f"mmdsl_served_{guideline.name}", f"<generated {guideline.name}.py>")


def _stamp(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


class Registry:
    """The table files under the paths given, by guideline name (the file's stem)."""

    def __init__(self, paths: list[str]) -> None:
        self._paths = paths
        self._lock = threading.Lock()
        self._loaded: dict[str, Loaded] = {}
        self.rescan()

    def rescan(self) -> None:
        with self._lock:
            files: dict[str, Path] = {}
            for path in table_files(self._paths):
                if path.stem in files:
                    log.warning("%s: not served: %s has the same name", path, files[path.stem])
                elif path.exists():
                    files[path.stem] = path
            for name in list(self._loaded):
                if name not in files:
                    log.info("%s: its file is gone; no longer served", name)
                    del self._loaded[name]
            for name, path in files.items():
                self._fresh(name, path)

    def names(self) -> list[str]:
        self.rescan()
        return sorted(self._loaded)

    def get(self, name: str) -> Loaded | None:
        with self._lock:
            loaded = self._loaded.get(name)
            if loaded is not None:
                return self._fresh(name, loaded.path)
        self.rescan()
        return self._loaded.get(name)

    def _fresh(self, name: str, path: Path) -> Loaded | None:
        """The compiled file, compiled again when it changed since (lock held)."""
        try:
            stamp = _stamp(path)
        except OSError:
            self._loaded.pop(name, None)
            return None
        loaded = self._loaded.get(name)
        if loaded is None or loaded.stamp != stamp:
            compilation = compile_path(path, shown_path(path))
            loaded = Loaded(name, path, stamp, compilation)
            self._loaded[name] = loaded
            state = "loaded" if compilation.guideline else "has errors: not served"
            log.info("%s: %s (%s)", name, state, path)
        return loaded
