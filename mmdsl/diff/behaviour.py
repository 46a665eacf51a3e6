"""Exactly which patients get a different decision from two versions of a guideline.

A decision is a function of a few yes/no questions about the patient: are the facts valid for the
version, is the patient in its scope, what is each derived fact, which rules of each table match.
(Outputs are literals; hit policies, ordering and sums only combine matches.) So the patients are
split, question by question, into classes whose answers are all the same; within a class both
versions decide every patient alike, and one patient of each class, evaluated by the reference
interpreter of each version, tells whether and how the decision changes for the whole class. A
question already settled for a class is not asked again; where both versions are out of scope
the tables' questions are not asked. The classes that change are then gathered by their decisions
before and after, and each gathering is described as a few regions in the inputs' words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mmdsl.diff.combine import NEW, OLD, SCOPE, VALID, Combined, NotComparable, combine
from mmdsl.diff.regions import grow_regions, input_condition, table_cubes
from mmdsl.interpreter import evaluate
from mmdsl.ir import model as ir
from mmdsl.runtime.prelude import InputError
from mmdsl.verify.bdd import FALSE, TooComplex
from mmdsl.verify.columns import ColumnView
from mmdsl.verify.coverage import region_condition
from mmdsl.verify.encode import Encoder, Unverifiable
from mmdsl.verify.witness import describe_region, typical_patient

MAX_CLASSES = 20_000
"""Classes of patients evaluated at most; past it the change in behaviour is reported as not
checked (never as "no change")."""
MAX_REGIONS = 200  # regions listed per change; past it the report says that there are more
COMPARISON_NODES = 2_000_000  # nodes of both versions at once: about 600 MB at most
TABLE_WORDS_NODES = 1_000_000  # nodes the regions of a change in its table's words may add
# (the myeloma guideline with the CAR-T label's line limit changed needs 0.7 M, 2.3 s)


@dataclass(frozen=True, slots=True)
class Change:
    """One change of decision (`delta`, see `decision_changes`: an option added to a table's
    result, one removed, the options reordered, a result or the status changed), the patients
    it happens to (`regions`, in the inputs' words), and one of them with both of its decisions.
    A patient whose decision changes in several ways is in several changes."""

    delta: dict[str, Any]
    regions: tuple[str, ...]
    region_total: int
    witness: dict[str, ir.JsonValue]
    before: dict[str, Any]
    after: dict[str, Any]
    patients: int = field(default=0, compare=False)  # the BDD of every patient it happens to
    # The regions as conditions (on the table's columns, facts prefixed `old:`/`new:` as in the
    # comparison, or on the inputs), for the review document to put in clinical words; empty
    # when some region has no such condition.
    conditions: tuple[ir.Cond, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Behaviour:
    """The change in behaviour, or why it was not computed (`unchecked`)."""

    changes: tuple[Change, ...]
    unchecked: str | None = None
    classes: int = 0
    encoder: Encoder | None = field(default=None, compare=False)  # whose BDDs `patients` are

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def behaviour_change(old: ir.IRGuideline, new: ir.IRGuideline) -> Behaviour:
    """Every change of decision between the versions, exactly (or why it could not be computed)."""
    try:
        combined = combine(old, new)
        encoder = Encoder(combined.guideline)
        encoder.bdd.max_nodes = COMPARISON_NODES
        _shared_scope(encoder)
        return _Comparison(combined, encoder).run()
    except NotComparable as error:
        return Behaviour((), unchecked=str(error))
    except Unverifiable as error:
        return Behaviour((), unchecked=f"a table reads {error.ref}, which the analysis cannot reason about")
    except (TooComplex, RecursionError) as error:
        return Behaviour((), unchecked=f"the comparison is too large to finish ({error})")


def _shared_scope(encoder: Encoder) -> None:
    """Where both versions mean the same scope, it is the combined guideline's scope too: regions
    are then described among the patients in scope, leaving out what the scope says of them all
    (the disease is refractory to daratumumab), as the verifier's regions do."""
    scope = encoder.fact(OLD + SCOPE)
    if scope == encoder.fact(NEW + SCOPE):
        encoder.scope = scope
        encoder.in_scope = encoder.bdd.conjoin(encoder.domain, scope)
        encoder.fixed_by_scope = encoder.bdd.forced(encoder.in_scope, encoder.variable_count) \
            if encoder.in_scope != FALSE else {}


class _Comparison:
    def __init__(self, combined: Combined, encoder: Encoder) -> None:
        self.combined = combined
        self.encoder = encoder
        self.bdd = encoder.bdd
        self.old_inputs = {i.name for i in combined.old.inputs}
        self.new_inputs = {i.name for i in combined.new.inputs}
        self.table_words = True  # regions in the tables' words until that proves too large

    def run(self) -> Behaviour:
        gathered: dict[str, tuple[dict[str, Any], list[int]]] = {}
        count = 0
        for region, patient in self._classes():
            count += 1
            if count > MAX_CLASSES:
                return Behaviour((), unchecked=f"more than {MAX_CLASSES:,} classes of patients to compare",
                                 classes=count)
            before, after = valid_or_not(self._summary(self.combined.old, patient),
                                          self._summary(self.combined.new, patient))
            for change in decision_changes(before, after):
                gathered.setdefault(json.dumps(change, sort_keys=True), (change, []))[1].append(region)
        changes = [self._change(delta, regions) for delta, regions in gathered.values()]
        return Behaviour(tuple(sorted(changes, key=_change_order)), classes=count, encoder=self.encoder)

    # ---- the classes ------------------------------------------------------------------------------

    def _questions(self) -> tuple[list[int], list[int]]:
        """The questions before the tables' (validity and scope of each version), and the tables'
        (which rules match; derived facts are inside them)."""
        encoder = self.encoder
        first = [encoder.fact(prefix + name) for name in (VALID, SCOPE) for prefix in (OLD, NEW)]
        tables = [m for t in self.combined.guideline.tables for m in encoder.matches(t)]
        return first, tables

    def _classes(self) -> Iterator[tuple[int, dict[str, ir.JsonValue]]]:
        """Each class of patients alike for both versions, with one patient of it."""
        facts, tables = self._questions()
        outside = self.bdd.conjoin(self.bdd.negate(self.encoder.fact(OLD + SCOPE)),
                                   self.bdd.negate(self.encoder.fact(NEW + SCOPE)))
        invalid = self.bdd.negate(self.bdd.conjoin(self.encoder.fact(OLD + VALID),
                                                   self.encoder.fact(NEW + VALID)))
        stack = [(self.encoder.domain, 0)]
        questions = facts + tables
        while stack:
            region, asked = stack.pop()
            asked = self._next_open(region, questions, asked)
            settled = asked == len(questions) or (asked >= len(facts) and (
                self.bdd.implies(region, outside) or self.bdd.implies(region, invalid)))
            if settled:
                yield region, typical_patient(self.encoder, region)
                continue
            question = questions[asked]
            stack.append((self.bdd.conjoin(region, self.bdd.negate(question)), asked + 1))
            stack.append((self.bdd.conjoin(region, question), asked + 1))

    def _next_open(self, region: int, questions: list[int], asked: int) -> int:
        """The first question from `asked` on whose answer differs between patients of `region`."""
        bdd = self.bdd
        while asked < len(questions) and (bdd.implies(region, questions[asked])
                                          or not bdd.intersects(region, questions[asked])):
            asked += 1
        return asked

    # ---- decisions --------------------------------------------------------------------------------

    def _summary(self, version: ir.IRGuideline, patient: dict[str, ir.JsonValue]) -> dict[str, Any]:
        names = self.old_inputs if version is self.combined.old else self.new_inputs
        facts = {k: v for k, v in patient.items() if k in names}
        try:
            return clinical_summary(version, evaluate(version, facts))
        except InputError:
            return dict(INVALID)

    def _change(self, delta: dict[str, Any], regions: list[int]) -> Change:
        changed = self.bdd.any_of(regions)
        described, conditions = self._in_words(delta, changed)
        witness = typical_patient(self.encoder, changed)
        return Change(delta, tuple(described[:MAX_REGIONS]), len(described), witness,
                      self._summary(self.combined.old, witness), self._summary(self.combined.new, witness),
                      changed, tuple(conditions[:MAX_REGIONS]))

    def _in_words(self, delta: dict[str, Any], changed: int) -> tuple[list[str], list[ir.Cond]]:
        """The regions of a change in its table's words where they say it exactly (with each as
        a condition), else in the inputs' words (at most MAX_REGIONS + 1: one more tells that
        there are more)."""
        name = delta.get("table")
        if name is not None and self.table_words:
            found = self._table_cubes(name, changed)
            if found is not None:
                view, cubes = found
                return [view.describe(c) for c in cubes], [region_condition(view, c) for c in cubes]
        cubes = grow_regions(self.encoder, changed, MAX_REGIONS + 1)
        conditions = [input_condition(self.encoder, c) for c in cubes]
        described = [describe_region(self.encoder, c) for c in cubes]
        return described, [c for c in conditions if c is not None] if None not in conditions else []

    def _table_cubes(self, name: str, changed: int) -> tuple[ColumnView, list[dict[int, bool]]] | None:
        """The regions in the table's words, within a node allowance of their own: where many
        facts change meaning, linking the columns of both versions can grow past any budget,
        while the inputs' words stay cheap. Past the allowance the comparison goes on in the
        inputs' words (the nodes built so far are unreachable, never wrong: the caches keep only
        finished results)."""
        tables = {t.name: t for t in self.combined.guideline.tables}
        bdd = self.bdd
        budget = bdd.max_nodes
        bdd.max_nodes = min(budget, bdd.size + TABLE_WORDS_NODES)
        try:
            return table_cubes(self.encoder, tables.get(OLD + name), tables.get(NEW + name),
                               changed, MAX_REGIONS + 1)
        except TooComplex:
            self.table_words = False
            return None
        finally:
            bdd.max_nodes = budget


INVALID = {"status": "invalid facts"}
VALID_FACTS = {"status": "valid facts (decided as usual)"}


def valid_or_not(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Where one version refuses the facts, the class was not split along the other's tables:
    say only that the other takes them."""
    if before == INVALID and after != INVALID:
        return before, dict(VALID_FACTS)
    if after == INVALID and before != INVALID:
        return dict(VALID_FACTS), after
    return before, after


def clinical_summary(guideline: ir.IRGuideline, decision: dict[str, Any]) -> dict[str, Any]:
    """What of a decision the comparison looks at: the status, each table's result without the
    names of the rules that gave it (renaming a rule changes no patient's care), the errors, and
    the derived facts. The trace and the provenance are left out."""
    summary: dict[str, Any] = {"status": decision["status"]}
    for table in guideline.tables:
        if table.name in decision:
            summary[table.name] = _without_rule(decision[table.name])
    if "errors" in decision:
        summary["errors"] = [{"table": e["table"]} for e in decision["errors"]]
    return summary


def decision_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The ways a decision changes, each on its own: the status; for a table of one result, the
    result before and after; for a table of many, each row added, each row removed, and the rows
    kept coming in another order. Reported one by one, each change has a simple region (who gains
    ide-cel) where the whole new decision would cut it into many."""
    found: list[dict[str, Any]] = []
    if before["status"] != after["status"]:
        found.append({"change": "status", "before": before["status"], "after": after["status"]})
    names = [k for k in {**before, **after} if k not in ("status", "errors")]
    for name in names:
        was, now = before.get(name), after.get(name)
        if was == now:
            continue
        if isinstance(was, list) and isinstance(now, list):
            found += _list_changes(name, was, now)
        else:
            found.append({"change": "result", "table": name, "before": was, "after": now})
    return found


def _list_changes(table: str, was: list[Any], now: list[Any]) -> list[dict[str, Any]]:
    found = [{"change": "added", "table": table, "row": row} for row in now if row not in was]
    found += [{"change": "removed", "table": table, "row": row} for row in was if row not in now]
    if [row for row in was if row in now] != [row for row in now if row in was]:
        found.append({"change": "reordered", "table": table})
    return found


def _without_rule(result: Any) -> Any:
    if isinstance(result, list):
        return [_without_rule(row) for row in result]
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if k != "rule"}
    return result


def _change_order(change: Change) -> str:
    return json.dumps(change.delta, sort_keys=True)

