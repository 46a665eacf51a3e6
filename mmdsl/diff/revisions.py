"""The text of a guideline file as it was at a git revision, or in another file."""

from __future__ import annotations

import subprocess
from pathlib import Path


class RevisionError(Exception):
    """The earlier version cannot be read; the message says why, for the command line."""


def read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RevisionError(f"cannot read {path}: {error}") from error


def text_at_revision(path: str, revision: str) -> str:
    """The file's text at a git revision (`git show REV:./FILE`, run in the file's folder)."""
    where = Path(path).resolve().parent
    try:
        shown = subprocess.run(["git", "show", f"{revision}:./{Path(path).name}"], cwd=where,
                               capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"cannot run git to read {path} at {revision}: {error}") from error
    if shown.returncode != 0:
        reason = shown.stderr.decode(errors="replace").strip()
        raise RevisionError(f"git cannot show {path} at {revision}: {reason}")
    try:
        return shown.stdout.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RevisionError(f"{path} at {revision} is not UTF-8 text") from error


def earlier_text(path: str, since: str) -> tuple[str, str]:
    """The earlier version named by `since` (a file, else a git revision of `path`) and the name
    it is shown under."""
    if Path(since).is_file():
        return read_text(since), since
    return text_at_revision(path, since), f"{path} at {since}"
