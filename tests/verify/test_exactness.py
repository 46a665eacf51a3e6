"""Every finding of the verifier is checked against brute force over the whole input space.

Random small tables (tests/verify/randomtables.py) are compiled; their every patient is enumerated
and every rule evaluated directly on the IR with the small evaluator below (no BDDs). The
verifier must report exactly the dead rules, unreachable rules, overlaps and gaps that exist.
"""

from __future__ import annotations

import operator
import random
from typing import Any

import pytest

from mmdsl.ir import model as ir
from mmdsl.ir.walk import refs_read
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.analyses import Finding, TableAnalysis, advice_applies, subsumption_applies
from mmdsl.verify.conditions import constant_conditions
from mmdsl.verify.encode import Encoder, rank
from tests.verify.randomtables import (
    every_patient,
    random_impossible_source,
    random_score_source,
    random_source,
)

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "==": operator.eq, "!=": operator.ne}


def holds(cond: ir.Cond, values: dict[str, Any]) -> bool:
    match cond:
        case ir.Always():
            return True
        case ir.IsSet():
            return values[cond.ref] is not None
        case ir.Not():
            return not holds(cond.item, values)
        case ir.AllOf():
            return all(holds(c, values) for c in cond.items)
        case ir.AnyOf():
            return any(holds(c, values) for c in cond.items)
        case ir.Compare():
            value = values[cond.ref]
            return value is not None and bool(COMPARE[cond.op](value, cond.value))
        case ir.OneOf():
            return values[cond.ref] is not None and values[cond.ref] in cond.values
        case ir.SetTest():
            found = set(values[cond.ref]) & set(cond.members)
            return {"any": bool(found), "none": not found,
                    "all": found == set(cond.members)}[cond.quantifier]
    raise AssertionError(cond)


def with_facts(guideline: ir.IRGuideline, patient: dict[str, Any]) -> dict[str, Any]:
    """The patient's values, derived facts and the numbers of aggregating tables before the last."""
    values = dict(patient)
    for fact in guideline.facts:
        values[fact.name] = holds(fact.condition, values)
    for table in guideline.tables[:-1]:
        assert table.aggregate is not None
        values[table.name] = aggregated(table, values)
    return values


def aggregated(table: ir.IRTable, values: dict[str, Any]) -> Any:
    """collect sum, count (distinct values), min, max over the points of the matching rules."""
    points = [table.rules[i].outputs[0] for i in matching_rules(table, values)]
    present = [p for p in points if p is not None]
    if table.aggregate == "count":
        return len(set(present))
    if not present:
        return None
    return {"sum": sum, "min": min, "max": max}[table.aggregate](present)  # type: ignore[operator]


def in_scope(guideline: ir.IRGuideline, values: dict[str, Any]) -> bool:
    """Inside the scope and in no combination declared impossible (those are no patients)."""
    if any(holds(i.condition, values) for i in guideline.impossible):
        return False
    return guideline.scope is None or holds(guideline.scope.condition, values)


def matching_rules(table: ir.IRTable, values: dict[str, Any]) -> list[int]:
    return [i for i, rule in enumerate(table.rules) if all(holds(t, values) for t in rule.tests)]


def chosen_rule(table: ir.IRTable, matched: list[int]) -> int | None:
    """The rule whose row a single-hit policy returns (None for no match or a conflict)."""
    if not matched:
        return None
    if table.hit == "first":
        return matched[0]
    if table.hit == "priority":
        return min(matched, key=lambda i: (rank(table, table.rules[i]), i))
    outputs = {table.rules[i].outputs for i in matched}
    if table.hit == "unique":
        return matched[0] if len(matched) == 1 else None
    return matched[0] if len(outputs) == 1 else None


def brute_force(guideline: ir.IRGuideline) -> dict[str, Any]:
    table = guideline.tables[-1]
    live: set[int] = set()
    decides: set[int] = set()
    pairs: set[tuple[int, int]] = set()
    uncovered = []
    patients_of: dict[int, set[int]] = {i: set() for i in range(len(table.rules))}
    for number, patient in enumerate(every_patient()):
        values = with_facts(guideline, patient)
        if not in_scope(guideline, values):
            continue
        matched = matching_rules(table, values)
        live |= set(matched)
        for i in matched:
            patients_of[i].add(number)
        if not matched:
            uncovered.append(patient)
        chosen = chosen_rule(table, matched)
        if chosen is not None:
            decides.add(chosen)
        pairs |= {(i, j) for i in matched for j in matched if i < j
                  and (table.hit == "unique" or table.rules[i].outputs != table.rules[j].outputs)}
    return {"live": live, "decides": decides, "pairs": pairs, "uncovered": uncovered,
            "redundant": redundant_by_brute_force(table, patients_of)}


def redundant_by_brute_force(table: ir.IRTable, patients_of: dict[int, set[int]]) -> set[int]:
    """Rules whose patients all get the same outputs from other rules (of two rules that cover
    each other, the later one)."""
    redundant = set()
    for i, mine in patients_of.items():
        others = [j for j, theirs in patients_of.items() if j != i and theirs
                  and table.rules[j].outputs == table.rules[i].outputs
                  and (j < i or not theirs <= mine)]
        if mine and others and mine <= set().union(*(patients_of[j] for j in others)):
            redundant.add(i)
    return redundant


def findings(guideline: ir.IRGuideline) -> list[Finding]:
    encoder = Encoder(guideline)
    analysis = TableAnalysis(encoder, guideline.tables[-1], encoder.in_scope)
    return [*analysis.dead_rules(), *analysis.unreachable_rules(), *analysis.overlaps(),
            *analysis.gaps(), *analysis.redundant_rules()]


def covered(guideline: ir.IRGuideline, patient: dict[str, Any]) -> bool:
    return bool(matching_rules(guideline.tables[-1], with_facts(guideline, patient)))


@pytest.mark.parametrize("seed", range(150))
def test_findings_are_exactly_what_brute_force_finds(seed: int) -> None:
    assert_exact(random_source(seed))


@pytest.mark.parametrize("seed", range(60))
def test_findings_on_tables_reading_a_score_are_exactly_what_brute_force_finds(seed: int) -> None:
    # The score's number is encoded value by value (encode.numbers): every gap, overlap, dead
    # and unreachable rule over it must be the brute force's, every witness a real patient.
    assert_exact(random_score_source(seed))


@pytest.mark.parametrize("seed", range(60))
def test_findings_with_impossible_combinations_are_exactly_what_brute_force_finds(seed: int) -> None:
    # No gap, overlap or witness inside a combination declared impossible; none missed outside.
    assert_exact(random_impossible_source(seed))


@pytest.mark.parametrize("seed", range(60))
def test_findings_on_larger_tables_are_exactly_what_brute_force_finds(seed: int) -> None:
    # Many rules over several columns: the analyses split the space along the axes and along
    # the residuals (verify/boxes.py) many times before they decide.
    assert_exact(random_source(seed, columns=(3, 6), rows=(8, 24)))


def test_the_larger_tables_are_split_along_several_axes() -> None:
    """The larger random tables really exercise the box splits (not only the residual BDDs)."""
    axes = []
    for seed in range(60):
        guideline = compile_source(Source("r.mmdsl", random_source(seed, (3, 6), (8, 24))),
                                   verify=False).guideline
        assert guideline is not None
        encoder = Encoder(guideline)
        axes.append(len(TableAnalysis(encoder, guideline.tables[0], encoder.in_scope).boxes.axes))
    assert sum(1 for count in axes if count >= 2) >= 20


def assert_exact(source: str) -> None:
    compilation = compile_source(Source("random.mmdsl", source), verify=False)
    guideline = compilation.guideline
    assert guideline is not None, compilation.diagnostics
    table = guideline.tables[-1]
    truth = brute_force(guideline)
    found = findings(guideline)

    dead = {f.rules[0] for f in found if f.kind == "dead"}
    assert dead == set(range(len(table.rules))) - truth["live"]

    if table.hit in ("first", "priority"):
        unreachable = {f.rules[0] for f in found if f.kind == "unreachable"}
        assert unreachable == truth["live"] - truth["decides"]

    if table.hit in ("unique", "any"):
        grouped = [set(f.rules) for f in found if f.kind == "overlap"]
        in_pairs = {i for pair in truth["pairs"] for i in pair}
        assert set().union(*grouped) == in_pairs
        for f in (f for f in found if f.kind == "overlap"):
            first, second = f.extra["pair"]  # type: ignore[misc]
            values = with_facts(guideline, f.witness or {})
            assert {first, second} <= set(matching_rules(table, values))
            assert in_scope(guideline, values)

    redundant = {f.rules[0] for f in found if f.kind == "redundant"}
    assert redundant == (truth["redundant"] if table.result_kind == "list" else set())

    gaps = [f for f in found if f.kind == "gap"]
    assert bool(gaps) == bool(truth["uncovered"])
    for gap in gaps:
        for witness in [gap.witness, *gap.extra["witnesses"]]:  # type: ignore[misc]
            values = with_facts(guideline, witness)
            assert in_scope(guideline, values) and not covered(guideline, witness)


@pytest.mark.parametrize("seed", range(60))
def test_the_covering_rules_named_really_cover(seed: int) -> None:
    """`Boxes.cover` (the one-walk cover used when many rules cover one) picks rules that
    together match every patient the rule matches, checked by brute force."""
    source = random_source(seed, columns=(3, 6), rows=(8, 24))
    guideline = compile_source(Source("random.mmdsl", source), verify=False).guideline
    assert guideline is not None
    table = guideline.tables[0]
    encoder = Encoder(guideline)
    boxes = TableAnalysis(encoder, table, encoder.in_scope).boxes
    patients = [with_facts(guideline, p) for p in every_patient()]
    patients = [values for values in patients if in_scope(guideline, values)]
    matched = [set(matching_rules(table, values)) for values in patients]
    live = [i for i in range(len(table.rules)) if boxes.is_live(i)]
    for index in live:
        others = [j for j in live if j != index]
        if not boxes.covers(index, others):
            continue
        chosen = set(boxes.cover(index, others))
        assert chosen <= set(others)
        assert all(rules & chosen for rules in matched if index in rules)


def taxonomy_by_brute_force(guideline: ir.IRGuideline) -> dict[str, set[Any]]:
    """Constant cells (MD608), columns no rule distinguishes (MD609), and whether a first or
    priority table's live rules never overlap (MD610), over every patient in scope."""
    table = guideline.tables[-1]
    patients = [v for v in (with_facts(guideline, p) for p in every_patient()) if in_scope(guideline, v)]
    passes = {(i, c): frozenset(n for n, v in enumerate(patients) if holds(t, v))
              for i, rule in enumerate(table.rules) for c, t in enumerate(rule.tests)}
    live = {i for i in range(len(table.rules))
            if any(all(holds(t, v) for t in table.rules[i].tests) for v in patients)}
    everyone = frozenset(range(len(patients)))
    constant = {(i, c) for (i, c), found in passes.items() if i in live
                and not isinstance(table.rules[i].tests[c], ir.Always) and found == everyone}
    columns = {c for c in range(len(table.columns)) if len(table.rules) > 1 and patients
               and len({passes[(i, c)] for i in range(len(table.rules))}) == 1}
    matched = [set(matching_rules(table, v)) & live for v in patients]
    overlap = any(len(m) > 1 for m in matched)
    disagree = any(len({table.rules[i].outputs for i in m}) > 1 for m in matched)
    advice: set[Any] = set()
    if advice_applies(table) and len(live) > 1 and not disagree:
        if not overlap:
            advice = {"unique"}
        elif table.hit in ("first", "priority"):
            advice = {"any"}
    return {"constant": constant, "undistinguished": columns, "advice": advice}


def subsumed_by_brute_force(guideline: ir.IRGuideline) -> set[int]:
    """Under unique, any and collect count/min/max: live rules whose patients in scope one other
    live rule with the same outputs matches (of two with the same patients, the later one)."""
    table = guideline.tables[-1]
    if not subsumption_applies(table):
        return set()
    mine = patients_of_rules(guideline)
    live = [i for i, found in mine.items() if found]
    return {i for i in live for j in live if j != i
            and table.rules[j].outputs == table.rules[i].outputs and mine[i] <= mine[j]
            and (j < i or not mine[j] <= mine[i])}


def patients_of_rules(guideline: ir.IRGuideline) -> dict[int, frozenset[int]]:
    table = guideline.tables[-1]
    patients = [v for v in (with_facts(guideline, p) for p in every_patient()) if in_scope(guideline, v)]
    return {i: frozenset(n for n, v in enumerate(patients) if all(holds(t, v) for t in rule.tests))
            for i, rule in enumerate(table.rules)}


VALUES: dict[str, list[Any]] = {"count": list(range(6)), "level": [q / 4 for q in range(9)],
                                "colour": ["red", "green", "blue"], "flag": [False, True]}
ORDERED = ("count", "level")


def mergeable_by_brute_force(guideline: ir.IRGuideline) -> set[tuple[int, int, int]]:
    """Pairs of live rules saying the same that differ in one column only (patients in scope
    passing each cell), where the two cells share no value of an input (and make one range of a
    number), or share no patient and together pass everyone (any other column); under an order,
    no live rule between them matches a patient of the later one."""
    table = guideline.tables[-1]
    patients = [v for v in (with_facts(guideline, p) for p in every_patient()) if in_scope(guideline, v)]
    everyone = frozenset(range(len(patients)))
    passes = {(i, c): frozenset(n for n, v in enumerate(patients) if holds(t, v))
              for i, rule in enumerate(table.rules) for c, t in enumerate(rule.tests)}
    mine = patients_of_rules(guideline)
    live = [i for i in range(len(table.rules)) if mine[i]]
    said = [(r.outputs, r.evidence_names, r.evidence, r.caveat_names, r.caveats) for r in table.rules]
    found = set()
    for i, j in ((i, j) for i in live for j in live if i < j and said[i] == said[j]):
        differing = [c for c in range(len(table.columns)) if passes[(i, c)] != passes[(j, c)]]
        if len(differing) != 1:
            continue
        c = differing[0]
        ref = table.columns[c].ref
        if ref in VALUES:
            first, second = ([holds(rule.tests[c], {ref: v}) for v in VALUES[ref]]
                             for rule in (table.rules[i], table.rules[j]))
            either = [a or b for a, b in zip(first, second, strict=True)]
            holes = "".join("x" if e else "." for e in either).strip(".")
            if any(a and b for a, b in zip(first, second, strict=True)) or (ref in ORDERED and "." in holes):
                continue
        elif passes[(i, c)] & passes[(j, c)] or passes[(i, c)] | passes[(j, c)] != everyone:
            continue
        ordered = not (table.hit in ("unique", "any") or table.aggregate is not None)
        if ordered and any(mine[k] & mine[j] for k in range(i + 1, j)):
            continue
        found.add((i, j, c))
    return found


@pytest.mark.parametrize("seed", range(80))
def test_the_taxonomy_is_exactly_what_brute_force_finds(seed: int) -> None:
    source = random_source(seed + 20_000, columns=(1, 4), rows=(1, 8)) if seed % 2 else \
        random_impossible_source(seed + 30_000)
    # cells that hold for every patient: `count <= 5`, `level <= 2` (the inputs' bounds)
    source = source.replace("| < 3 |", "| <= 5 |").replace("| < 0.5 |", "| <= 2 |")
    guideline = compile_source(Source("random.mmdsl", source), verify=False).guideline
    assert guideline is not None
    encoder = Encoder(guideline)
    analysis = TableAnalysis(encoder, guideline.tables[-1], encoder.in_scope)
    truth = taxonomy_by_brute_force(guideline)
    assert {(f.rules[0], f.cells[0]) for f in analysis.constant_cells()} == truth["constant"]
    assert {f.cells[0] for f in analysis.undistinguished_columns()} == truth["undistinguished"]
    assert {f.extra["advice"] for f in analysis.hit_policy_advice()} == truth["advice"]


@pytest.mark.parametrize("seed", range(120))
def test_subsumed_and_mergeable_rules_are_exactly_what_brute_force_finds(seed: int) -> None:
    """MD611 and MD612 on random tables of every hit policy, also reading a score and with
    impossible combinations, against brute force over every patient."""
    if seed % 3 == 0:
        source = random_score_source(seed + 40_000)
    elif seed % 3 == 1:
        source = random_impossible_source(seed + 50_000)
    else:
        source = random_source(seed + 60_000, columns=(1, 4), rows=(2, 10))
    guideline = compile_source(Source("random.mmdsl", source), verify=False).guideline
    assert guideline is not None
    encoder = Encoder(guideline)
    analysis = TableAnalysis(encoder, guideline.tables[-1], encoder.in_scope)
    subsumed = list(analysis.subsumed_rules())
    assert {f.rules[0] for f in subsumed} == subsumed_by_brute_force(guideline)
    mine = patients_of_rules(guideline)
    for finding in subsumed:  # the rule named really contains it
        assert mine[finding.rules[0]] <= mine[finding.others[0]]
    merged = {(*f.rules, f.cells[0]) for f in analysis.mergeable_rules()}
    assert merged == mergeable_by_brute_force(guideline)


def test_the_random_tables_have_subsumed_and_mergeable_rules() -> None:
    """The exactness test above is not vacuous: its tables have both findings, under several
    hit policies. It stops at the first seed where both are seen (the exactness test runs them
    all); brute force over every patient is the slow part."""
    policies: dict[str, set[str]] = {"subsumed": set(), "mergeable": set()}
    for seed in range(120):
        if len(policies["subsumed"]) >= 2 and len(policies["mergeable"]) >= 4:
            break
        source = (random_score_source(seed + 40_000) if seed % 3 == 0 else random_impossible_source(
            seed + 50_000) if seed % 3 == 1 else random_source(seed + 60_000, (1, 4), (2, 10)))
        guideline = compile_source(Source("random.mmdsl", source), verify=False).guideline
        assert guideline is not None
        if subsumed_by_brute_force(guideline):
            policies["subsumed"].add(guideline.tables[-1].hit)
        if mergeable_by_brute_force(guideline):
            policies["mergeable"].add(guideline.tables[-1].hit)
    assert len(policies["subsumed"]) >= 2 and len(policies["mergeable"]) >= 4


CONSTANT_PARTS = ["count <= 5", "level >= 0", "(count >= 2 or count < 3)", "(count > 3 and count < 2)",
                  "(colour is red or colour is not red)", "flag", "count >= 2", "colour is green",
                  "drugs has red", "hot", "level < 1", "more has blue", "not flag"]


def random_condition(rng: random.Random, depth: int = 0) -> str:
    if depth >= 2 or rng.random() < 0.35:
        return rng.choice(CONSTANT_PARTS)
    if rng.random() < 0.15:
        return f"not ({random_condition(rng, depth + 1)})"
    joiner = rng.choice([" and ", " or "])
    return "(" + joiner.join(random_condition(rng, depth + 1) for _ in range(rng.randint(2, 3))) + ")"


def random_conditions_source(seed: int) -> str:
    """A random guideline with two random facts (the second may read the first), perhaps a
    random scope, and perhaps combinations declared impossible."""
    rng = random.Random(seed)
    source = random_impossible_source(seed) if seed % 2 else random_source(seed, (1, 3), (1, 4))
    first = random_condition(rng)
    second = random_condition(rng).replace("hot", "g1") if rng.random() < 0.5 else random_condition(rng)
    facts = f"fact g1 = {first}\nfact g2 = {second}\n"
    if rng.random() < 0.5:
        source = source.replace('scope "some" = count <= 4\n', "").replace(
            'scope "warm" = not hot or flag\n', "")
        facts += f'scope "random" = {random_condition(rng)}\n'
    at = source.index("table t")
    return source[:at] + facts + source[at:]


def constant_by_brute_force(guideline: ir.IRGuideline) -> set[tuple[str, tuple[int, ...], bool]]:
    """Facts and scope, and their parts joined by and/or/not across subjects, that hold for every
    valid patient or none (the outermost such part), over every valid patient."""
    valid = [v for v in (with_facts(guideline, p) for p in every_patient())
             if not any(holds(i.condition, v) for i in guideline.impossible)]
    found: set[tuple[str, tuple[int, ...], bool]] = set()

    def walk(owner: str, cond: ir.Cond, path: tuple[int, ...]) -> None:
        values = {holds(cond, v) for v in valid}
        if len(values) == 1:
            found.add((owner, path, values.pop()))
            return
        if len(set(refs_read(cond))) < 2:
            return
        if isinstance(cond, ir.AllOf | ir.AnyOf):
            for index, item in enumerate(cond.items):
                walk(owner, item, (*path, index))
        elif isinstance(cond, ir.Not):
            walk(owner, cond.item, (*path, 0))

    if not valid:
        return found
    for fact in guideline.facts:
        walk(fact.name, fact.condition, ())
    if guideline.scope is not None:
        walk("", guideline.scope.condition, ())
    return found


@pytest.mark.parametrize("seed", range(80))
def test_constant_facts_and_scopes_are_exactly_what_brute_force_finds(seed: int) -> None:
    """MD613 against brute force: random facts and scopes with parts that always hold, never
    hold or depend on the patient, with and without impossible combinations."""
    source = random_conditions_source(seed + 70_000)
    guideline = compile_source(Source("random.mmdsl", source), verify=False).guideline
    assert guideline is not None, source
    found = {(c.owner, c.path, c.value) for c in constant_conditions(Encoder(guideline))}
    assert found == constant_by_brute_force(guideline)


def test_the_random_conditions_have_constant_parts_of_both_kinds() -> None:
    kinds: set[tuple[bool, bool]] = set()  # (a part rather than the whole, always true)
    every_kind = {(False, False), (False, True), (True, False), (True, True)}
    for seed in range(80):  # stops once every kind is seen: brute force is the slow part
        if kinds == every_kind:
            break
        guideline = compile_source(Source("r.mmdsl", random_conditions_source(seed + 70_000)),
                                   verify=False).guideline
        assert guideline is not None
        kinds |= {(bool(path), value) for _, path, value in constant_by_brute_force(guideline)}
    assert kinds == every_kind
