"""Every legal-but-tricky character through every back end, each output read back by its own
reader (tests/reliability/backend_text.py), small, inside `make test`; `make fuzz` adds random
strings of them by the thousand."""

from __future__ import annotations

import pytest

from tests.reliability.backend_text import BACKENDS, CONTROLS, HIDDEN, LEGAL, run

pytest.importorskip("duckdb")
pytest.importorskip("markdown_it")
pytest.importorskip("fhir.resources")


def test_each_character_reads_back_unchanged_from_every_back_end_or_is_refused() -> None:
    tally = run(seed=14, count=10)
    assert not tally.failures, tally.failures[:3]
    assert tally.tried == len(CONTROLS) + len(HIDDEN) + len(LEGAL) + 10
    assert tally.refused >= len(CONTROLS) + len(HIDDEN)  # each refused alone, never compiled
    assert len(BACKENDS) == 7
