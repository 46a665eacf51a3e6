"""The verifier over times of day, exact: a time of day is read as its seconds since midnight,
a whole number from 0 to 86,399 (verify/days.py); brute force over every class of second of a
small span of the day finds the same gaps, overlaps and dead rules, and each witness, written
back as a time of day, is one no rule matches."""

from __future__ import annotations

import random
from datetime import time

import pytest

from mmdsl.interpreter import holds
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.report import verify_guideline

FIRST = 8 * 3600  # the cells' times are from 08:00:00 to 08:00:17


def clock(offset: int) -> str:
    seconds = FIRST + offset
    return f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"


def random_cell(rng: random.Random) -> str:
    low = rng.randrange(0, 12)
    high = low + rng.randrange(2, 6)
    return rng.choice([
        "-", f"< {clock(low)}", f"<= {clock(low)}", f"> {clock(low)}", f">= {clock(low)}",
        clock(low), f"!= {clock(low)}", f"{clock(low)}..{clock(high)}",
        f"[{clock(low)}..{clock(high)}[", f"]{clock(low)}..{clock(high)}]",
        f"not {clock(low)}..{clock(high)}", f"{clock(low)}, {clock(high)}",
        f"not ({clock(low)}, > {clock(high)})",
    ])


def random_table(rng: random.Random) -> str:
    rows = "".join(f"  | r{i} | {random_cell(rng)} || o{i} |\n" for i in range(rng.randrange(2, 5)))
    outputs = ", ".join(f"o{i}" for i in range(5))
    return (f'guideline g "G"\ninput d: time of day "d"\ntable t\n  hit unique\n  complete\n'
            f"  output o: one of {outputs}\n  | rule | d || o |\n{rows}")


def as_time(seconds: int) -> time:
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


@pytest.mark.parametrize("seed", range(30))
def test_the_verifier_finds_exactly_the_gaps_overlaps_and_dead_rules_brute_force_finds(
        seed: int) -> None:
    text = random_table(random.Random(seed))
    compilation = compile_source(Source("t.mmdsl", text), verify=False)
    assert compilation.guideline is not None, text
    table = compilation.guideline.tables[0]
    # every class of second: the cells' times are FIRST to FIRST + 17, so each second before or
    # after those is like its neighbour; midnight and the last second of the day are the ends
    span = [as_time(FIRST + o) for o in range(-3, 22)] + [time(0), time(23, 59, 59)]
    matched = {t: [i for i, rule in enumerate(table.rules)
                   if all(holds(test, {"d": t}) for test in rule.tests)] for t in span}
    result = verify_guideline(compilation.guideline).tables[0]
    findings = {a.name: a for a in result.analyses}

    gaps = [t for t, rules in matched.items() if not rules]
    assert (findings["gaps"].status == "found") == bool(gaps), text
    for gap in findings["gaps"].findings:  # each witness is a time of day no rule matches
        assert gap.witness is not None
        witness = time.fromisoformat(str(gap.witness["d"]))
        assert not any(holds(rule.tests[0], {"d": witness}) for rule in table.rules), text

    dead = {i for i in range(len(table.rules)) if not any(i in m for m in matched.values())}
    assert {f.rules[0] for f in findings["dead_rules"].findings} == dead, text

    overlapping = {i for m in matched.values() if len(m) >= 2 for i in m}
    named = {i for f in findings["overlaps"].findings for i in (*f.rules, *f.others)}
    assert named == overlapping, text


def test_a_witness_is_a_time_of_day_and_a_gap_is_written_as_times() -> None:
    text = ('guideline g "G"\ninput d: time of day "d"\ntable t\n  hit unique\n  complete\n'
            "  output o: one of a, b\n  | rule | d || o |\n"
            "  | early | < 08:00 || a |\n  | late | >= 18:00 || b |\n")
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    assert not any(d.code == "MD606" for d in found)
    [gap] = [d for d in found if d.code == "MD604"]
    assert "08:00..17:59:59" in (gap.help or ""), gap.help
    assert '"d": "08:00"' in (gap.help or ""), gap.help
