"""Writing generated files: all at once or not at all.

A reader (an EHR service importing the generated module, or `git diff`) never sees half a file:
the new text goes to a temporary file in the same directory, which then replaces the old file in
one step (`os.replace` is atomic on POSIX and Windows within one file system).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def is_up_to_date(path: Path, text: str) -> bool:
    """Whether `path` already holds exactly `text` (UTF-8, line endings as given)."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step, leaving no temporary file behind on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
