"""The verifier over dates and times (verify/moments.py), exact: on small random tables, the gaps,
overlaps and dead rules it finds are exactly those brute force finds over every class of moment
and of duration, and every witness is re-run through the interpreter; what it cannot read
exactly is MD606, never a false proof."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from mmdsl.interpreter import holds
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import parse_date_time
from mmdsl.source import Source
from mmdsl.verify.report import verify_guideline

BASE = datetime(2024, 3, 1, 8, 0)


def stamp(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).isoformat(timespec="minutes")


def moment_cell(rng: random.Random) -> str:
    low = rng.randrange(0, 8)
    high = low + rng.randrange(1, 5)
    a, b = stamp(low), stamp(high)
    return rng.choice(["-", f"< {a}", f"<= {a}", f"> {a}", f">= {a}", a, f"!= {a}", f"{a}..{b}",
                       f"[{a}..{b}[", f"]{a}..{b}]", f"not {a}..{b}", f"{a}, {b}",
                       f"not ({a}, > {b})"])


def duration_cell(rng: random.Random) -> str:
    low = rng.randrange(0, 8)
    high = low + rng.randrange(1, 5)
    unit = rng.choice(["minutes", "minutes", "hours"])
    a, b = f"{low} {unit}", f"{high} {unit}"
    return rng.choice(["-", f"< {a}", f"<= {a}", f"> {a}", f">= {a}", a, f"!= {a}", f"{a}..{b}",
                       f"[{a}..{b}[", f"]{a}..{b}]", f"not {a}..{b}", f"{a}, {b}"])


def random_table(rng: random.Random) -> str:
    rows = "".join(f"  | r{i} | {moment_cell(rng)} | {duration_cell(rng)} || o{i} |\n"
                   for i in range(rng.randrange(2, 5)))
    outputs = ", ".join(f"o{i}" for i in range(5))
    return ('guideline g "G"\ninput a: date and time "a"\ninput now: evaluation date and time '
            '"now"\ninput s: date and time "s"\nfact d "d" = time from s to now\n'
            "table t\n  hit unique\n  complete\n"
            f"  output o: one of {outputs}\n  | rule | a | d || o |\n{rows}")


# every class of value: the cells' moments are whole minutes from BASE to BASE + 12 minutes, and
# their durations whole minutes up to 12 hours; each value between two of them is like its
# neighbours, so whole minutes and half minutes, a little beyond each end, are all the classes
MOMENTS = [BASE + timedelta(seconds=30 * k) for k in range(-4, 28)]
LENGTHS = sorted({60 * m + h for m in (*range(-2, 14), *range(58, 62), *(60 * h for h in range(
    1, 14))) for h in (0, 30)})


def values(moment: datetime, seconds: int) -> dict[str, datetime]:
    return {"a": moment, "now": BASE, "s": BASE - timedelta(seconds=seconds)}


@pytest.mark.parametrize("seed", range(30))
def test_the_verifier_finds_exactly_what_brute_force_finds(seed: int) -> None:
    text = random_table(random.Random(seed))
    compilation = compile_source(Source("t.mmdsl", text), verify=False)
    assert compilation.guideline is not None, text
    table = compilation.guideline.tables[0]
    matched = {(m, s): [i for i, rule in enumerate(table.rules)
                        if all(holds(test, values(m, s)) for test in rule.tests)]
               for m in MOMENTS for s in LENGTHS}
    result = verify_guideline(compilation.guideline).tables[0]
    findings = {a.name: a for a in result.analyses}
    assert "not_checked" not in {a.status for a in result.analyses}, text  # all analysed

    gaps = [key for key, rules in matched.items() if not rules]
    assert (findings["gaps"].status == "found") == bool(gaps), text
    for gap in findings["gaps"].findings:  # each witness is a patient no rule matches
        assert gap.witness is not None
        given = {k: parse_date_time(str(v)) for k, v in gap.witness.items()}
        assert not any(all(holds(t, given) for t in rule.tests) for rule in table.rules), text

    dead = {i for i in range(len(table.rules)) if not any(i in m for m in matched.values())}
    assert {f.rules[0] for f in findings["dead_rules"].findings} == dead, text

    overlapping = {i for m in matched.values() if len(m) >= 2 for i in m}
    named = {i for f in findings["overlaps"].findings for i in (*f.rules, *f.others)}
    assert named == overlapping, text


def diagnostics(text: str) -> list[tuple[str, str]]:
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    return [(d.code, f"{d.message} {d.help}") for d in found]


HEAD = ('guideline g "G"\ninput now: evaluation date and time "now"\n'
        'input onset: date and time "onset"\ninput door: date and time "door"\n'
        'fact since_onset "time since onset" = time from onset to now\n')


def test_a_gap_is_written_in_hours_and_its_witness_in_dates_and_times() -> None:
    text = HEAD + ("table t\n  hit unique\n  complete\n  output o: one of a, b\n"
                   "  | rule | since_onset || o |\n  | early | < 4 hours || a |\n"
                   "  | late | > 1 day || b |\n")
    [gap] = [help for code, help in diagnostics(text) if code == "MD604"]
    assert "[4 hours..1 day]" in gap or "4 hours" in gap, gap
    assert '"now": "2024-01-01T00:00"' in gap and '"onset": "2023-12-31T' in gap, gap


def test_durations_that_share_an_end_are_verified_together() -> None:
    text = HEAD + ('fact door_to_now "time since arrival" = time from door to now\n'
                   "table t\n  hit unique\n  complete\n  output o: one of a, b, c\n"
                   "  | rule | since_onset | door_to_now || o |\n"
                   "  | fast | < 4 hours | <= 30 minutes || a |\n"
                   "  | slow | < 4 hours | > 30 minutes || b |\n"
                   "  | late | >= 4 hours | - || c |\n")
    assert [c for c, _ in diagnostics(text) if c.startswith("MD6")] == []


def test_what_is_not_read_exactly_is_md606() -> None:
    fixed_and_counted = HEAD + ("table t\n  hit first\n  output o: one of a, b\n"
                                "  | rule | onset | since_onset || o |\n"
                                "  | x | < 2024-03-01T08:00 | - || a |\n"
                                "  | y | - | < 4 hours || b |\n")
    [(code, message)] = [(c, m) for c, m in diagnostics(fixed_and_counted) if c.startswith("MD6")]
    assert code == "MD606" and "also counted in a duration" in message
    cycle = HEAD + ('fact door_to_now "d" = time from door to now\n'
                    'fact onset_to_door "o" = time from onset to door\n'
                    "table t\n  hit first\n  output o: one of a, b\n"
                    "  | rule | since_onset | door_to_now | onset_to_door || o |\n"
                    "  | x | < 4 hours | - | < 1 hour || a |\n  | y | - | - | - || b |\n")
    found = [(c, m) for c, m in diagnostics(cycle) if c.startswith("MD6")]
    assert [c for c, _ in found] == ["MD606"] and "in a cycle" in found[0][1], found


def test_a_witness_gives_valid_dates_and_times_to_inputs_no_rule_reads() -> None:
    import json

    from mmdsl.interpreter import evaluate

    text = HEAD + ("table t\n  hit unique\n  complete\n  output o: one of a, b\n"
                   "  | rule | since_onset || o |\n  | early | < 4 hours || a |\n")
    compilation = compile_source(Source("t.mmdsl", text))
    [gap] = [d.help or "" for d in compilation.diagnostics if d.code == "MD604"]
    facts = json.loads(gap[gap.index("{"):gap.rindex("}") + 1])
    assert facts["door"] == "2000-01-01T00:00"  # read by no rule: any valid value
    guideline = compile_source(Source("t.mmdsl", text), verify=False).guideline
    assert guideline is not None
    assert evaluate(guideline, facts)["status"] == "error"  # the gap, re-run


def test_gap_cells_are_written_in_whole_minutes_as_an_author_writes_them() -> None:
    from mmdsl.semantics.clock import moment, moment_number
    from mmdsl.verify.moments import moment_cell, seconds_cell

    assert [seconds_cell(14_401, None), seconds_cell(None, 14_401), seconds_cell(14_400, 86_401),
            seconds_cell(0, 1)] == ["> 4 hours", "<= 4 hours", "[4 hours..1 day]", "0 minutes"]
    eight = moment_number(moment("2024-03-01T08:00"))
    assert [moment_cell(eight + 1, None), moment_cell(eight, eight + 30)] == [
        "> 2024-03-01T08:00", "[2024-03-01T08:00..2024-03-01T08:00:30["]
    text = HEAD + ("table t\n  hit unique\n  complete\n  output o: one of a, b\n"
                   "  | rule | since_onset || o |\n  | early | <= 4 hours || a |\n")
    [gap] = [help for code, help in diagnostics(text) if code == "MD604"]
    assert "a row like `| > 4 hours || ? |`" in gap, gap
