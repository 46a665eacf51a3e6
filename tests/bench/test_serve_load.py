"""The load run of `mmdsl serve` works on a tiny count (`make bench` runs 10,000 requests)."""

from __future__ import annotations

from benchmarks import serve_load


def test_a_tiny_load_run_checks_every_answer_and_reports_it() -> None:
    found = serve_load.run(requests=40, clients=2, seconds=60)
    for endpoint in ("JSON API", "CDS Hooks"):
        assert (found[endpoint]["requests"], found[endpoint]["errors"]) == (40, 0), found[endpoint]
        assert found[endpoint]["p50 ms"] <= found[endpoint]["p99 ms"]
    assert found["rss after MiB"] > 0
    text = serve_load.markdown(found, "test")
    assert "| JSON API: `POST /guidelines/myeloma_post_daratumumab/decisions` | 40 of 40 | 0 |" in text
