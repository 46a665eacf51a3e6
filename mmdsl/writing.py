"""Writing generated files: all at once or not at all.

A reader (an EHR service importing the generated module, or `git diff`) never sees half a file:
the new text goes to a temporary file in the same directory, which then replaces the old file in
one step (`os.replace` is atomic on POSIX and Windows within one file system).

The temporary file is named `.<name>.<pid>.<random>.tmp`: hidden, beside its target, and marked
with the process that writes it. A writer that fails removes it; one that is killed (SIGKILL,
a power cut) cannot, so the next writer of the same file removes the temporary files whose
process is gone (`remove_stale_temporaries`; `mmdsl compile` and `mmdsl docs` call it for every
file they produce, even one that is up to date, and never with `--check`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"

class RefusedOutput(Exception):
    """An output file the tool must not replace; the message says which and why."""


def target(path: Path, reads: Iterable[str | Path] = ()) -> Path:
    """The file that writing `path` replaces, or RefusedOutput. One rule for every file the tool
    writes: a symbolic link is followed (written through to its target, as editors do, so the
    link stays a link); the target must be a regular file or absent (the rename would otherwise
    replace a device node, a FIFO or a folder: run as root, `-o /dev/null` once replaced the
    system's /dev/null); a read-only file is not silently replaced; nor is any file the command
    reads (`reads`: the table, the patients), which it would destroy."""
    resolved = Path(os.path.realpath(path))
    try:
        status = resolved.stat()
    except FileNotFoundError:
        return resolved
    except OSError as error:
        raise RefusedOutput(f"cannot write {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise RefusedOutput(f"refusing to write {path}: it is {_kind(status.st_mode)}, "
                            "not a regular file; name a file")
    if not status.st_mode & 0o222:
        raise RefusedOutput(f"refusing to write {path}: the file is read-only; make it writable "
                            "(chmod u+w) or name another file")
    for read in reads:
        if _same_file(resolved, status, Path(read)):
            raise RefusedOutput(f"refusing to write {path}: the command reads it ({read}), and "
                                "writing it would destroy it; name another file")
    return resolved


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISSOCK, "a socket")]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _same_file(resolved: Path, status: os.stat_result, read: Path) -> bool:
    try:
        other = read.stat()
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino)


def is_up_to_date(path: Path, text: str) -> bool:
    """Whether `path` already holds exactly `text` (UTF-8, line endings as given). Only a regular
    file of the right size is read: a device (a copy of /dev/zero) or a FIFO never ends."""
    data = text.encode("utf-8")
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_atomically(path: Path, text: str, *, reads: Iterable[str | Path] = ()) -> None:
    """Replace `path` with `text` in one step, leaving no temporary file behind on failure
    (RefusedOutput for what `target` refuses)."""
    with replacing(path, reads=reads) as temporary:
        temporary.write_bytes(text.encode("utf-8"))


@contextlib.contextmanager
def replacing(path: Path, *, reads: Iterable[str | Path] = (),
              mode: int | None = None) -> Iterator[Path]:
    """A temporary file beside `path` to write, for writers that need a file name of their own
    (DuckDB's COPY, pyarrow): when the block ends it replaces `path` in one step, with the
    permissions `path` had; when the block fails it is removed and `path` is left as it was.
    `path` is first checked by `target` (RefusedOutput), and a symbolic link is written through.
    `mode`: the permissions to give it whatever the umask (the compile cache's private 0600)."""
    path = target(path, reads)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    mode = _mode_for(path) if mode is None else mode
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                    suffix=TEMPORARY_SUFFIX)
    os.close(handle)
    try:
        yield Path(name)
        _sync_file(name)
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    _sync_directory(path.parent)


def _sync_file(name: str) -> None:
    """The file's bytes on the disk before it takes the place of the old one."""
    descriptor = os.open(name, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of `path` left by writers that no longer run; return them."""
    removed = []
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for candidate in path.parent.iterdir():
            name = candidate.name
            if name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX) and _writer_is_gone(
                    name[len(prefix):-len(TEMPORARY_SUFFIX)]):
                with contextlib.suppress(FileNotFoundError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def _writer_is_gone(middle: str) -> bool:
    """From `<pid>.<random>`: whether that process has ended (another user's still runs)."""
    pid, dot, _ = middle.partition(".")
    if os.name != "posix" or not (dot and pid.isdigit()) or int(pid) == os.getpid():
        return False  # (on Windows, os.kill(pid, 0) would not test but interrupt the process)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False
    return False


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere a directory cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
