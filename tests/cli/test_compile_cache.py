"""`mmdsl eval` keeps compiled guidelines (mmdsl/compile_cache.py): the same decision from the
cache, a changed table compiled afresh, errors never cached, a corrupt entry ignored."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "backend" / "small.mmdsl"
FACTS = '{"lines": 4, "refractory": ["dara"], "exposed": ["bort"], "weight": 70}'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MMDSL_CACHE_DIR", str(folder))
    monkeypatch.delenv("MMDSL_NO_CACHE", raising=False)
    return folder


def evaluate(table: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["eval", str(table), "--facts", "-"], input=FACTS)
    return result.exit_code, result.stdout


def test_the_cached_guideline_decides_the_same(cache: Path, tmp_path: Path) -> None:
    table = tmp_path / "small.mmdsl"
    shutil.copy(SMALL, table)
    first = evaluate(table)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert evaluate(table) == first
    assert first[0] == 0


def test_a_changed_table_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    table = tmp_path / "small.mmdsl"
    shutil.copy(SMALL, table)
    evaluate(table)
    table.write_text(SMALL.read_text("utf-8").replace('version "1.0"', 'version "2.0"'), "utf-8")
    assert '"version": "2.0"' in evaluate(table)[1]
    table.write_text(SMALL.read_text("utf-8") + "\ntable broken\n", "utf-8")
    assert evaluate(table)[0] == 1
    assert len(list(cache.glob("*.pickle"))) == 2


def test_a_corrupt_entry_is_ignored(cache: Path, tmp_path: Path) -> None:
    table = tmp_path / "small.mmdsl"
    shutil.copy(SMALL, table)
    expected = evaluate(table)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert evaluate(table) == expected


def test_no_cache_when_asked(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMDSL_NO_CACHE", "1")
    table = tmp_path / "small.mmdsl"
    shutil.copy(SMALL, table)
    assert evaluate(table)[0] == 0
    assert not cache.exists()


def test_an_entry_others_could_have_written_is_never_loaded(cache: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A pickle runs code when loaded: an entry planted by someone else must not be read.
    import pickle

    from mmdsl import compile_cache

    table = tmp_path / "small.mmdsl"
    shutil.copy(SMALL, table)
    evaluate(table)
    (entry,) = cache.glob("*.pickle")
    assert cache.stat().st_mode & 0o777 == 0o700
    loads: list[object] = []
    monkeypatch.setattr(pickle, "load", lambda stream: loads.append(stream) or None)
    compile_cache.load(b"", "")  # a miss: nothing to load
    entry.chmod(0o666)  # group and others may write it now
    assert evaluate(table)[0] == 0
    assert loads == []
    entry.chmod(0o600)
    evaluate(table)
    assert len(loads) == 1


def test_a_changed_clinical_source_is_checked_again(cache: Path, tmp_path: Path) -> None:
    """The table is unchanged but its source is not: the cached quotes check and hash are stale."""
    (tmp_path / "sources").mkdir()
    source = tmp_path / "sources" / "text.txt"
    source.write_text("Bortezomib first. 1\n", "utf-8")
    table = tmp_path / "small.mmdsl"
    declared = ('version "1.0"\nsource "sources/text.txt"\n  title "Text"\n  date "2026-01-01"\n'
                'quote first on options.late: "Bortezomib first."\n')
    text = SMALL.read_text("utf-8")
    assert 'version "1.0"\n' in text
    table.write_text(text.replace('version "1.0"\n', declared, 1), "utf-8")
    status, output = evaluate(table)
    assert status == 0 and '"clinical_source_sha256"' in output
    source.write_text("Carfilzomib first. 1\n", "utf-8")
    assert evaluate(table)[0] == 1  # MD430: the quote is no longer in the source


def test_entries_written_under_umask_002_are_loaded(cache: Path, tmp_path: Path) -> None:
    """Issue 14: under umask 002 an entry was written 0664, which the loader refuses (others
    could have written it), so the cache never hit."""
    from mmdsl import compile_cache

    text = SMALL.read_bytes()
    previous = os.umask(0o002)
    try:
        evaluate(SMALL)
    finally:
        os.umask(previous)
    entries = list(cache.glob("*.pickle"))
    assert entries and all(e.stat().st_mode & 0o777 == 0o600 for e in entries)
    shown = f"{os.path.abspath(SMALL)}\0{os.getcwd()}"
    assert compile_cache.load(text, shown) is not None


def test_the_keys_are_sha256_digests() -> None:
    """The cache hashes with CPython's own SHA-256 (no OpenSSL to load): the same digests."""
    import hashlib

    from mmdsl import compile_cache

    for data in (b"", b"abc", "guideline ≥".encode() * 1000):
        assert compile_cache.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
