"""The CDS Hooks feedback log: one JSON object a line, appended, never rewritten.

Each request's records are written with one `write` to a file opened for appending (so lines
of two requests never interleave, and a crash loses at most the request being written, never
an earlier line) and synced to the disk before the service answers 200.
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from pathlib import Path
from typing import Any


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, records: list[dict[str, Any]]) -> None:
        received = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        text = "".join(json.dumps({"received": received, **r}, ensure_ascii=False) + "\n"
                       for r in records)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                data = text.encode("utf-8")
                while data:
                    data = data[os.write(descriptor, data):]
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
