"""A cache of compiled guidelines, so that `mmdsl eval` does not parse, check and verify a table
file again for every patient (the way Python keeps bytecode in __pycache__).

An entry is the IR of a file that compiled without errors, stored under a key made of the file's
text, the name it is shown by, and a fingerprint of the compiler itself (the version and the
size and modification time of each file of the mmdsl package): a changed table or a changed
compiler misses the cache and compiles afresh. Files with errors are never cached. The cache is
in $MMDSL_CACHE_DIR, else $XDG_CACHE_HOME/mmdsl, else ~/.cache/mmdsl; MMDSL_NO_CACHE=1 turns it off.
Any problem with the cache (unwritable, corrupt) silently falls back to compiling.

Entries are pickles, and loading a pickle can run code: an entry is loaded only when it and its
folder belong to the user running mmdsl and nobody else can write them (as ssh treats its keys),
and the folder is created private (0700). A cache folder shared with others is never read.
"""

from __future__ import annotations

import importlib
import os
import pickle
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mmdsl.version import __version__

if TYPE_CHECKING:
    from mmdsl.ir.model import IRGuideline

PACKAGE = Path(__file__).resolve().parent


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _sha256_constructor() -> Callable[[bytes], Digest]:
    """SHA-256 from CPython's own module (`_sha256`, `_sha2` from 3.12): importing hashlib loads
    OpenSSL first: 2.5 ms of CPU on every `mmdsl eval`, whose whole start is some 60. The digests
    are the same; hashlib where neither module exists."""
    for name in ("_sha256", "_sha2"):
        try:
            constructor: Callable[[bytes], Digest] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib

    return hashlib.sha256


sha256 = _sha256_constructor()


def cache_dir() -> Path | None:
    if os.environ.get("MMDSL_NO_CACHE"):
        return None
    explicit = os.environ.get("MMDSL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mmdsl" / "compiled"


@cache
def compiler_fingerprint() -> str:
    digest = sha256(__version__.encode())
    for parts, stat in sorted(_compiler_files(str(PACKAGE), ())):
        digest.update(f"{'/'.join(parts)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _compiler_files(
    folder: str, parts: tuple[str, ...],
) -> Iterator[tuple[tuple[str, ...], os.stat_result]]:
    """The package's sources, templates and grammar below `folder`, by the parts of their path
    (sorted as Path.rglob's paths were, so the fingerprint is unchanged). os.scandir, because
    `mmdsl eval` computes this on every run: 1.3 ms of CPU where rglob took 3.8."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    yield from _compiler_files(entry.path, (*parts, entry.name))
            elif os.path.splitext(entry.name)[1] in (".py", ".lark", ".j2"):
                yield (*parts, entry.name), entry.stat()


def _entry(text: bytes, shown: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = sha256(compiler_fingerprint().encode() + b"\0" + shown.encode("utf-8", "replace")
                         + b"\0" + text).hexdigest()
    return folder / f"{key}.pickle"


def load(text: bytes, shown: str) -> IRGuideline | None:
    """The cached IR of a file with this text and name, or None."""
    entry = _entry(text, shown)
    if entry is None:
        return None
    if not (_private(entry.parent) and _private(entry)):
        return None
    try:
        with entry.open("rb") as stream:
            guideline: IRGuideline = pickle.load(stream)
    except Exception:  # absent, unreadable or from another compiler: compile instead
        return None
    return guideline


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else (so nobody else could have planted it)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def store(text: bytes, shown: str, guideline: IRGuideline) -> None:
    entry = _entry(text, shown)
    if entry is None:
        return
    from mmdsl.writing import replacing  # not on the path of a cache hit: it imports tempfile

    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # 0600 whatever the umask: under umask 002 an entry was 0664, which `_private` then
        # refused to load, every time
        with replacing(entry, mode=0o600) as temporary, temporary.open("wb") as stream:
            pickle.dump(guideline, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        return


def clinical_source_unchanged(guideline: IRGuideline, table_file: Path) -> bool:
    """Whether the clinical source a cached guideline was checked against is still the same file
    (its quotes were checked and its hash taken when it was compiled)."""
    declared = guideline.clinical_source
    if declared is None:
        return True
    try:
        raw = (table_file.parent / declared.path).read_bytes()
    except OSError:
        return False
    return sha256(raw).hexdigest() == declared.sha256
