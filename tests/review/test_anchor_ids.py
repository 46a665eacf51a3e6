"""HTML ids of the review document are unique and injective (issue 14, item 7): table `a-b`
rule `c` and table `a` rule `b-c` were both `rule-a-b-c`."""

from __future__ import annotations

import itertools
import re

from mmdsl.backends.review.build import anchor, rule_anchor


def test_the_reported_pair_gets_two_ids() -> None:
    assert rule_anchor("a-b", "c") != rule_anchor("a", "b-c")


def test_anchor_is_injective_over_tricky_parts() -> None:
    pieces = ["a", "b", "-", ".", "2d", ".2d", "\x02d", "é", "_", "a-b", "a.b", "\u2028"]
    pairs = list(itertools.product(pieces, repeat=2))
    ids = {rule_anchor(table, rule) for table, rule in pairs}
    assert len(ids) == len(pairs)


def test_anchors_are_ascii_and_plain_names_are_unchanged() -> None:
    assert anchor("rule", "recommendations", "ide_cel") == "rule-recommendations-ide_cel"
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", anchor("table", "triagé-x"))
