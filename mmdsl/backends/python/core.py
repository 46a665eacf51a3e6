"""The statements of a generated module's hot path: reading facts, derived facts, decision cores.

Each function here returns finished lines of code (already indented for a function body) that the
templates place under a `def` they write. The shapes are chosen for speed, and measured by
`benchmarks/`:

- a value read more than once is read from `values` once, into a local named by position
  (`v0`, `v1`…, `f0`… for derived facts): authored names never become identifiers;
- a `first` table is a chain of `if … return <position>`, so the rules after the chosen one are
  never tested; every other table appends the positions of the rules that match, testing a
  condition shared by several rules once;
- facts of exactly the expected types are read by straight-line code (`read_facts`); anything
  else goes to the prelude's `validate_facts`, which is the reference: it returns the very same
  values, or names every problem.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from mmdsl.backends.python.conditions import Refs, condition_code
from mmdsl.backends.python.pycode import Group, Node, Prefixed, Str, Text, literal, one_line, render
from mmdsl.ir import model as ir
from mmdsl.ir.walk import choices, numbers_read, refs_read, text_parts
from mmdsl.runtime.prelude import InputField

SLOW_PATH = "return validate_facts(facts, INPUTS)"


def _hoist(refs: Refs, condition: ir.Cond, lines: list[str],
           only: set[str] | None = None) -> Refs:
    """Refs with a local variable for every ref the condition reads that has none yet (of
    `only`, when given: a value read by one rule alone is cheaper read where it is used)."""
    missing = [ref for ref in refs_read(condition)
               if ref not in refs.names and (only is None or ref in only)]
    if not missing:
        return refs  # no copy: fact_lines calls this once per fact, and facts can be many
    names = dict(refs.names)
    for ref in missing:
        if ref not in names:
            names[ref] = f"v{len(names)}"
            lines.append(f"    {names[ref]} = values[{ref!r}]")
    return replace(refs, names=names)


# ---- decision cores --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A rule as its core tests it: its position and the tests of its cells still to be made."""

    position: int
    tests: tuple[ir.Cond, ...]
    line: int  # the rule's line in the table file, for the comment beside its position
    keys: tuple[int, ...] = ()  # each test's number, equal for equal tests: the tree compares
    # these instead of hashing and comparing the IR again at every level (10,000 rules)


def core_lines(table: ir.IRTable, refs: Refs, bounds: Bounds) -> list[str]:
    """The body of a table's decision core: the position(s) of the rules that match.

    Consecutive rules that share tests are grouped under one `if` of what they share (a small
    decision tree), so each shared test is made once; within a rule the cheapest tests come first.
    A `first` table returns the first position that holds; the others collect every position.
    """
    first = table.hit == "first"
    lines: list[str] = []
    candidates = []
    numbers: dict[ir.Cond, int] = {}
    for position, rule in enumerate(table.rules):
        tests = tuple(t for t in (simplified(t, bounds) for t in rule.tests)
                      if not isinstance(t, ir.Always))
        ordered = tuple(sorted(tests, key=cost))
        keys = tuple(numbers.setdefault(t, len(numbers)) for t in ordered)
        candidates.append(Candidate(position, ordered, rule.line, keys))
        if first and not tests:
            break  # the rules below can never be chosen
    reused = _read_by_several(candidates)
    if not first:
        for candidate in candidates:
            refs = _hoist(refs, ir.AllOf(candidate.tests), lines, reused)
        lines.append("    matched: list[int] = []")
    body, _ = _tree(candidates, refs, 4, first, reused)
    return [*lines, *body, "    return None" if first else "    return matched"]


def _read_by_several(candidates: list[Candidate]) -> set[str]:
    counts: dict[str, int] = {}
    for candidate in candidates:
        for ref in {r for t in candidate.tests for r in refs_read(t)}:
            counts[ref] = counts.get(ref, 0) + 1
    return {ref for ref, count in counts.items() if count > 1}


def _tree(candidates: list[Candidate], refs: Refs, indent: int, first: bool,
          reused: set[str]) -> tuple[list[str], bool]:
    """The statements that test the candidates in order; and whether they always return.

    At the top of a `first` core, each value is read just before the first group that needs it,
    so a patient decided by an early rule never pays for the values of the later ones.
    """
    lines: list[str] = []
    pad = " " * indent
    index = 0
    while index < len(candidates):
        group = _group(candidates, index)
        if indent == 4:
            refs = _hoist(refs, ir.AllOf(tuple(t for c in group for t in c.tests)), lines, reused)
        shared, common = (group[0].tests, set(group[0].keys)) if len(group) == 1 else _shared(group)
        inner = [Candidate(c.position, tuple(t for t, k in zip(c.tests, c.keys, strict=True)
                                             if k not in common), c.line,
                           tuple(k for k in c.keys if k not in common)) for c in group]
        if shared:
            lines.append(render(condition_code(ir.AllOf(shared), refs), indent, "if ") + ":")
        block_pad = pad + "    " if shared else pad
        if (len(inner) == 1 and not inner[0].tests) or (all(not c.tests for c in inner) and not first):
            lines.append(block_pad + _take(inner, first))
            if first and not shared:
                return lines, True
        else:
            body, returns = _tree(inner, refs, indent + 4 if shared else indent, first, reused)
            lines += body
            if returns and not shared:
                return lines, True
        index += len(group)
    return lines, False


def _take(chosen: list[Candidate], first: bool) -> str:
    """The statement that takes the chosen rules, with their lines in the table file."""
    positions = [c.position for c in chosen]
    where = f"  # line{'s' if len(chosen) > 1 else ''} {', '.join(str(c.line) for c in chosen)}"
    if first:
        return f"return {positions[0]}  # line {chosen[0].line}"
    if len(positions) == 1:
        return f"matched.append({positions[0]}){where}"
    return f"matched.extend({one_line(literal(tuple(positions)))}){where}"


def _group(candidates: list[Candidate], index: int) -> list[Candidate]:
    """The candidate at `index` and the ones after it while they all share a test."""
    group = [candidates[index]]
    shared = set(candidates[index].keys)
    for candidate in itertools.islice(candidates, index + 1, None):
        if not shared & set(candidate.keys) or not group[-1].tests:
            break
        shared &= set(candidate.keys)
        group.append(candidate)
    return group


def _shared(group: list[Candidate]) -> tuple[tuple[ir.Cond, ...], set[int]]:
    """The tests every candidate of the group makes, in the first one's order; their keys."""
    common = set(group[0].keys).intersection(*(c.keys for c in group[1:]))
    return tuple(t for t, k in zip(group[0].tests, group[0].keys, strict=True) if k in common), common


def cost(test: ir.Cond) -> int:
    """A rough price of a test in Python, to make the cheap ones first (all are free of effects)."""
    match test:
        case ir.OneOf(values=values) if len(values) == 1 and isinstance(values[0], bool):
            return 1
        case ir.Compare() | ir.IsSet() | ir.OneOf():
            return 2
        case ir.SetTest(members=members):
            return 3 if len(members) == 1 else 5
        case ir.Not(item=item):
            return cost(item)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            return sum(cost(item) for item in items)
    return 1


# ---- what validation already guarantees --------------------------------------------------------------

Bounds = dict[str, tuple[float | None, float | None]]  # a number input's inclusive bounds


def input_bounds(inputs: tuple[ir.IRInput, ...]) -> Bounds:
    return {item.name: (item.type.low, item.type.high) for item in inputs
            if item.type.kind in ("integer", "decimal")}


def simplified(condition: ir.Cond, bounds: Bounds) -> ir.Cond:
    """The condition without the comparisons every valid value passes (`ecog >= 0` on 0..4)."""
    match condition:
        case ir.Compare(ref=ref, op=op, value=value) if ref in bounds:
            return ir.Always() if _always_within(bounds[ref], op, value) else condition
        case ir.AllOf(items=items):
            kept = tuple(i for i in (simplified(item, bounds) for item in items)
                         if not isinstance(i, ir.Always))
            return ir.AllOf(kept) if kept else ir.Always()
        case ir.AnyOf(items=items):
            parts = tuple(simplified(item, bounds) for item in items)
            return ir.Always() if any(isinstance(p, ir.Always) for p in parts) else ir.AnyOf(parts)
    return condition


def _always_within(bound: tuple[float | None, float | None], op: str, value: float) -> bool:
    low, high = bound
    return ((op == ">=" and low is not None and low >= value)
            or (op == ">" and low is not None and low > value)
            or (op == "<=" and high is not None and high <= value)
            or (op == "<" and high is not None and high < value))


# ---- derived facts and scope ----------------------------------------------------------------------


def fact_lines(facts: tuple[ir.IRFact | ir.IRComputed | ir.IRLabel, ...], refs: Refs) -> list[str]:
    """Each fact into `values` and into a local (`f0`…) that later facts read; a numeric fact
    as exact arithmetic (`number_code`)."""
    lines: list[str] = []
    names = dict(refs.names)  # one map, extended fact by fact (a copy per fact is quadratic)
    read_later = {ref for fact in facts for ref in _fact_reads(fact)}
    for position, fact in enumerate(facts):
        local = f"f{position} = " if fact.name in read_later else ""
        if isinstance(fact, ir.IRComputed | ir.IRLabel):
            if fact.unknown_when is not None:
                refs = _hoist(replace(refs, names=names), fact.unknown_when, lines)
                names = dict(refs.names) if refs.names is not names else names
            code: Node = text_code(fact.expr, replace(refs, names=names)) \
                if isinstance(fact, ir.IRLabel) else Prefixed("Exact", Group("(", (number_code(
                    fact.expr, replace(refs, names=names)),), ")"))
            if isinstance(fact.unknown_when, ir.Always):  # `10 + unknown`: always unknown
                code = Text("None")
            elif fact.unknown_when is not None:  # DMN: null in arithmetic (or text) gives null
                code = Group("(", (Prefixed("None if ", Group("(", (condition_code(
                    fact.unknown_when, replace(refs, names=names)),), ")", joiner=" and ")),
                    code), ")", joiner=" else ")
        else:
            refs = _hoist(replace(refs, names=names), fact.condition, lines)
            if fact.false_when is not None:
                refs = _hoist(refs, fact.false_when, lines)
            names = dict(refs.names) if refs.names is not names else names
            code = condition_code(fact.condition, refs)
            if fact.false_when is not None:  # Kleene: yes, no, or unknown (None)
                # brackets of one item joined as a chain: never a tuple's trailing comma
                code = Group("(", (Prefixed("True if ", Group("(", (code,), ")", joiner=" and ")),
                                   Prefixed("False if ", Group("(", (condition_code(
                                       fact.false_when, refs),), ")", joiner=" and ")),
                                   Text("None")), ")", joiner=" else ")
        lines.append(render(code, 4, f"{local}values[{fact.name!r}] = "))
        names[fact.name] = f"f{position}"
    return lines


def _fact_reads(fact: ir.IRFact | ir.IRComputed | ir.IRLabel) -> list[str]:
    if isinstance(fact, ir.IRFact):
        otherwise = refs_read(fact.false_when) if fact.false_when is not None else ()
        return [*refs_read(fact.condition), *otherwise]
    unknown = refs_read(fact.unknown_when) if fact.unknown_when is not None else ()
    if isinstance(fact, ir.IRLabel):
        return [*(ref for part in text_parts(fact.expr) for ref in _text_reads(part)), *unknown]
    return [*numbers_read(fact.expr), *(r for c in choices(fact.expr) for r in refs_read(c)),
            *unknown]


def number_code(expr: ir.NumExpr, refs: Refs) -> Node:
    """A numeric fact's arithmetic in Fractions: exact, whatever it divides (runtime/numbers.py
    gives `exact` and `Exact`)."""
    match expr:
        case ir.Num(text=text):
            return Text(f"Fraction({text})" if "." not in text else f"Fraction({text!r})")
        case ir.NoNumber():  # never computed: the fact is None wherever this would be
            return Text("None")
        case ir.Read(ref=ref):
            return Text(f"exact({refs.value_of(ref)})")
        case ir.Neg(item=item):  # bracketed whole: Python reads `-(x) ** 2` as -(x ** 2)
            return _bracketed(Prefixed("-", _bracketed(number_code(item, refs))))
        case ir.Calc(op=op, left=left, right=right):
            return Group("(", (number_code(left, refs), number_code(right, refs)), ")",
                         joiner=f" {op} ")
        case ir.Pick(condition=condition, then=then, otherwise=otherwise):
            return Group("(", (number_code(then, refs),
                               Prefixed("if ", _bracketed(condition_code(condition, refs))),
                               Prefixed("else ", number_code(otherwise, refs))), ")", joiner=" ")
    raise TypeError(f"not a number: {expr!r}")


def _text_reads(expr: ir.TextExpr) -> list[str]:
    if isinstance(expr, ir.Part):
        return [expr.ref]
    return list(refs_read(expr.condition)) if isinstance(expr, ir.PickText) else []


def text_code(expr: ir.TextExpr, refs: Refs) -> Node:
    """A text fact's words: authored text only as string literals (repr), joined with `+`."""
    match expr:
        case ir.Quoted(text=text):
            return Str(text)
        case ir.Part(ref=ref):
            return Text(refs.value_of(ref))
        case ir.Join(parts=parts):
            return Group("(", tuple(text_code(part, refs) for part in parts), ")", joiner=" + ")
        case ir.PickText(condition=condition, then=then, otherwise=otherwise):
            return Group("(", (text_code(then, refs),
                               Prefixed("if ", _bracketed(condition_code(condition, refs))),
                               Prefixed("else ", text_code(otherwise, refs))), ")", joiner=" ")
    raise TypeError(f"not text: {expr!r}")


def _bracketed(node: Node) -> Node:
    """`(node)`: a joiner that is not a comma, so that a bracket laid out over several lines is
    never written `(node,)`, a tuple (which made `x if (long condition,) else y` always x, and
    `-(long sum,)` a TypeError)."""
    return Group("(", (node,), ")", joiner=" ") if not isinstance(node, Text) \
        else Text(f"({node.code})")


def scope_lines(scope: ir.IRScope | None, refs: Refs) -> list[str]:
    condition = condition_code(scope.condition, refs) if scope else Text("True")
    return [render(condition, 4, "holds: bool = ")]


# ---- reading facts --------------------------------------------------------------------------------


def read_facts_lines(fields: tuple[InputField, ...]) -> list[str]:
    """Straight-line checks of each input; any doubt goes to the prelude (SLOW_PATH)."""
    lines = ["    if type(facts) is not dict:", f"        {SLOW_PATH}"]
    lines += ["    given = facts.get"] if fields else []
    lines.append(f"    found = {sum(field.required for field in fields)}")
    for position, field in enumerate(fields):
        lines += _field_lines(field, f"x{position}", position)
    lines += ["    if len(facts) != found:", f"        {SLOW_PATH}"]
    lines += _offset_lines(fields)
    lines += _includes_lines(fields)
    items = tuple(Prefixed(f"{field.name!r}: ", Text(f"x{position}"))
                  for position, field in enumerate(fields))
    return [*lines, render(Group("{", items, "}"), 4, "return ")]


def _field_lines(field: InputField, name: str, position: int) -> list[str]:
    read = f"given({field.name!r}, MISSING)"
    helper = _helper_call(field, name, position)
    if field.required:
        if helper is not None:
            return [f"    {name} = {helper.format(read)}", f"    if {name} is None:",
                    f"        {SLOW_PATH}"]
        return [f"    {name} = {read}", f"    if {_refuses(field, name, position)}:",
                f"        {SLOW_PATH}"]
    default = one_line(_default_code(field))
    lines = [f"    {name} = {read}", f"    if {name} is MISSING:", f"        {name} = {default}"]
    if helper is not None:
        return [*lines, "    else:", f"        {name} = {helper.format(name)}",
                f"        if {name} is None:", f"            {SLOW_PATH}", "        found += 1"]
    return [*lines, f"    elif {_accepts(field, name, position)}:", "        found += 1", "    else:",
            f"        {SLOW_PATH}"]


def _helper_call(field: InputField, name: str, position: int) -> str | None:
    """A call of a runtime reader (`{}` stands for the value read), for sets and decimals."""
    if field.kind == "set":
        return f"member_set({{}}, MEMBERS_{position})"
    if field.kind == "decimal":
        return f"decimal_value({{}}, {field.low!r}, {field.high!r})"
    if field.kind == "date":
        return "date_value({})"
    if field.kind == "datetime":
        return "parse_date_time({})"
    if field.kind == "time":
        return "parse_time_of_day({})"
    return None


def _refuses(field: InputField, name: str, position: int) -> str:
    """The negation of _accepts, written the way a reader (and ruff) expects."""
    if field.kind == "integer":
        bounds = _within(field, name)
        return f"type({name}) is not int" + (f" or not {bounds}" if bounds else "")
    if field.kind == "enum":
        return f"type({name}) is not str or {name} not in MEMBERS_{position}"
    return f"type({name}) is not {'bool' if field.kind == 'bool' else 'str'}"


def _accepts(field: InputField, name: str, position: int) -> str:
    if field.kind == "bool":
        return f"type({name}) is bool"
    if field.kind == "integer":
        bounds = _within(field, name)
        return f"type({name}) is int" + (f" and {bounds}" if bounds else "")
    if field.kind == "enum":
        return f"type({name}) is str and {name} in MEMBERS_{position}"
    return f"type({name}) is str"  # text


def _within(field: InputField, name: str) -> str:
    """`0 <= x0 <= 30`: the bounds the value must keep, or "" when it has none."""
    low = f"{field.low!r} <= " if field.low is not None else ""
    high = f" <= {field.high!r}" if field.high is not None else ""
    return f"{low}{name}{high}" if low or high else ""


def _default_code(field: InputField) -> Node:
    if field.kind == "set":
        return Text(f"frozenset({one_line(literal(tuple(field.default)))})")
    return literal(field.default)


def _offset_lines(fields: tuple[InputField, ...]) -> list[str]:
    """The two ends of a duration between dates and times: both with an offset or neither (the
    prelude's _offset_problems says which)."""
    position = {field.name: index for index, field in enumerate(fields)}
    lines = []
    for index, field in enumerate(fields):
        for other in field.offset_with:
            lines += [f"    if (x{index}.tzinfo is None) != (x{position[other]}.tzinfo is None):",
                      f"        {SLOW_PATH}"]
    return lines


def _includes_lines(fields: tuple[InputField, ...]) -> list[str]:
    """`exposed includes refractory`, in the prelude's order (_add_included_members)."""
    position = {field.name: index for index, field in enumerate(fields)}
    included = {field.name: field.includes for field in fields if field.includes}
    lines = []
    for name in included:
        seen = {name}
        source = included.get(name)
        while source is not None and source not in seen:
            lines.append(f"    x{position[name]} = x{position[name]} | x{position[source]}")
            seen.add(source)
            source = included.get(source)
    return lines


def member_constants(fields: tuple[InputField, ...]) -> list[str]:
    """`MEMBERS_<position> = frozenset(...)`: the members an enumeration or set input takes."""
    return [render(Group("frozenset((", tuple(Str(m) for m in field.members), "))",
                         one_item_comma=True), 0, f"MEMBERS_{position}: frozenset[str] = ")
            for position, field in enumerate(fields) if field.kind in ("enum", "set")]
