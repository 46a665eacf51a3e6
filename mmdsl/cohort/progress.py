"""A progress bar on standard error, drawn only on a terminal (never into a log or a pipe)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

WIDTH = 30


class Progress:
    """`evaluating [#########.....]  45%`, redrawn in place; silent when the stream is no terminal."""

    def __init__(self, stream: IO[str] | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._shown = False

    def show(self, stage: str, fraction: float | None) -> None:
        if not self.enabled:
            return
        if fraction is None:
            line = f"{stage} …"
        else:
            fraction = min(max(fraction, 0.0), 1.0)
            done = round(WIDTH * fraction)
            line = f"{stage:<11} [{'#' * done}{'.' * (WIDTH - done)}] {fraction:4.0%}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False

    @contextmanager
    def polling(self, stage: str, fraction: Callable[[], float | None],
                every: float = 0.2) -> Iterator[None]:
        """Show `stage`, redrawn from `fraction()` in a thread while the block runs."""
        if not self.enabled:
            yield
            return
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(every):
                self.show(stage, fraction())

        self.show(stage, 0.0)
        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.show(stage, 1.0)
            time.sleep(0)
