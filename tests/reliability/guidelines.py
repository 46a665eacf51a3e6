"""Random guidelines that pass the checks: every kind of input, derived facts over nested
conditions, a scope, and chains of tables under every hit policy that read earlier results.

Richer than tests/verify/randomtables.py (one table, fixed inputs, whose whole input space the
exactness tests enumerate): here the point is to reach every construct the back ends compile,
for the differential tests and as seeds for the fuzzers. The same seed gives the same text. The
files are not verified (their rules may overlap, leave gaps or never fire: a `unique` conflict is
part of what the evaluators must agree on), but they have no error of the checks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

POLICIES = ("unique", "any", "first", "priority", "collect", "rule order", "output order",
            "collect sum", "collect min", "collect max", "collect count")
SINGLE = ("unique", "any", "first", "priority")
LISTS = ("collect", "rule order", "output order")


@dataclass(frozen=True)
class Column:
    """Something a cell can test: an input, a fact, or an earlier table's result."""

    ref: str
    kind: str  # bool, integer, decimal, text, enum, set, duration, time (a duration between
    # dates and times), moment (a date and time tested against fixed dates and times), clock
    # (a time of day tested against fixed times of day)
    members: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    low: float = -50
    high: float = 50
    texts: tuple[str, ...] = ()


@dataclass
class Writer:
    rng: random.Random
    lines: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    classes: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    inputs: list[Column] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def random_guideline_text(seed: int) -> str:
    return random_guideline(random.Random(seed))


def random_guideline(rng: random.Random) -> str:
    w = Writer(rng)
    w.line(f'guideline g{rng.randrange(1000)} "A random guideline"')
    if w.chance(0.7):
        w.line(f'version "{rng.randrange(10)}.{rng.randrange(10)}"')
    bibliography(w)
    vocabulary(w)
    inputs(w)
    facts(w)
    if w.chance(0.5):
        w.line(f'scope "in scope" = {condition(w, rng.randint(1, 2))}')
    for number in range(rng.randint(1, 4)):
        table(w, number)
    return "\n".join(w.lines) + "\n"


# ---- declarations -------------------------------------------------------------------------------


def bibliography(w: Writer) -> None:
    for number in range(1, w.rng.randint(1, 3) + 1):
        w.line(f'reference {number} "Reference {number}, with \\"quotes\\" and a \\\\"')
        w.line(f'evidence E{number} "Trial {number}"')
        w.line(f"  refs {number}")
        w.evidence.append(f"E{number}")
    for number in range(w.rng.randint(0, 2)):
        w.line(f'caveat c{number} "Caveat {number}: watch out" refs 1')
        w.caveats.append(f"c{number}")


def vocabulary(w: Writer) -> None:
    for number in range(w.rng.randint(1, 2)):
        members = tuple(f"m{number}_{i}" for i in range(w.rng.randint(2, 5)))
        labels = [f'{m} "label of {m}"' if w.chance(0.3) else m for m in members]
        w.line(f"enum e{number} = {', '.join(labels)}")
        w.enums[f"e{number}"] = members
        if len(members) > 2 and w.chance(0.7):
            chosen = sorted(w.rng.sample(members, w.rng.randint(1, len(members) - 1)))
            w.line(f"class C{number} of e{number} = {', '.join(chosen)}")
            w.classes[f"C{number}"] = (f"e{number}", tuple(chosen))


def _enum_column(w: Writer, ref: str, enum: str, kind: str) -> Column:
    classes = tuple(name for name, (of, _) in w.classes.items() if of == enum)
    return Column(ref, kind, w.enums[enum], classes)


def inputs(w: Writer) -> None:
    rng = w.rng
    makers = [_bool_input, _integer_input, _decimal_input, _text_input, _enum_input, _set_input]
    for number in range(rng.randint(2, 7)):
        column, declaration = rng.choice(makers)(w, f"i{number}")
        w.line(declaration)
        w.inputs.append(column)
        w.columns.append(column)
    if rng.random() < 0.4:
        dates(w)
    elif rng.random() < 0.3:
        times(w)


def times(w: Writer) -> None:
    """An evaluation date and time, a date and time before it and the duration between them, and
    a date and time tested against fixed dates and times."""
    w.line('input now: evaluation date and time "the moment of the decision"')
    w.line('input at0: date and time "a moment"')
    w.line('input at1: date and time "a moment tested against fixed ones"')
    w.line('input at2: time of day "a time of day"')
    w.line('fact elapsed0 "time from at0" = time from at0 to now')
    w.columns += [Column("elapsed0", "time"), Column("at1", "moment"), Column("at2", "clock")]


def dates(w: Writer) -> None:
    """An evaluation date, dates before it and the durations between them (one of them, at
    times, between two dates that are neither the evaluation date: a shape the verifier does
    not make finite, which the evaluators must still agree on)."""
    w.line('input today: evaluation date "the day of the decision"')
    starts = [f"d{n}" for n in range(w.rng.randint(1, 2))]
    for start in starts:
        w.line(f'input {start}: date "a date"')
    pairs = [(start, "today") for start in starts]
    if len(starts) == 2 and w.chance(0.3):
        pairs.append((starts[0], starts[1]))
    for number, (start, end) in enumerate(pairs):
        w.line(f'fact since{number} "time from {start}" = time from {start} to {end}')
        w.columns.append(Column(f"since{number}", "duration"))


def _default(w: Writer, value: str) -> str:
    return f" default {value}" if w.chance(0.25) else ""


def _bool_input(w: Writer, name: str) -> tuple[Column, str]:
    return Column(name, "bool"), f"input {name}: yes/no{_default(w, w.rng.choice(['yes', 'no']))}"


def _integer_input(w: Writer, name: str) -> tuple[Column, str]:
    low = w.rng.randint(-5, 5)
    high = low + w.rng.randint(0, 30)
    default = _default(w, str(w.rng.randint(low, high)))
    return Column(name, "integer", low=low, high=high), f"input {name}: integer {low}..{high}{default}"


def _decimal_input(w: Writer, name: str) -> tuple[Column, str]:
    low = w.rng.randint(-3, 3) / 2
    high = low + w.rng.randint(1, 40) / 4
    default = _default(w, f"{w.rng.randint(int(low * 4), int(high * 4)) / 4:.2f}")
    return (Column(name, "decimal", low=low, high=high),
            f'input {name}: decimal {low:.1f}..{high:.2f} unit "mg"{default} "a dose"')


def _text_input(w: Writer, name: str) -> tuple[Column, str]:
    texts = ("", "a", "b c", 'q"uote', "back\\slash", "ünï")
    default = _default(w, '"a"')
    return Column(name, "text", texts=texts), f'input {name}: text{default} "free text"'


def _enum_input(w: Writer, name: str) -> tuple[Column, str]:
    if w.chance(0.3):
        members = tuple(f"{name}_v{i}" for i in range(w.rng.randint(2, 4)))
        return Column(name, "enum", members), f"input {name}: one of {', '.join(members)}"
    enum = w.rng.choice(sorted(w.enums))
    default = _default(w, w.enums[enum][0])
    return _enum_column(w, name, enum, "enum"), f"input {name}: one of {enum}{default}"


def _set_input(w: Writer, name: str) -> tuple[Column, str]:
    enum = w.rng.choice(sorted(w.enums))
    earlier = [c.ref for c in w.inputs if c.kind == "set" and c.members == w.enums[enum]]
    includes = f" includes {w.rng.choice(earlier)}" if earlier and w.chance(0.5) else ""
    return _enum_column(w, name, enum, "set"), f"input {name}: set of {enum}{includes}"


def facts(w: Writer) -> None:
    for number in range(w.rng.randint(0, 3)):
        w.line(f'fact f{number} "fact {number}" = {condition(w, w.rng.randint(1, 3))}')
        w.columns.append(Column(f"f{number}", "bool"))


# ---- conditions ---------------------------------------------------------------------------------


def condition(w: Writer, depth: int) -> str:
    rng = w.rng
    if depth <= 0 or rng.random() < 0.35:
        return simple_condition(w)
    roll = rng.random()
    if roll < 0.15:
        return f"not {_bracketed(condition(w, depth - 1))}"
    joiner = " and " if roll < 0.6 else " or "
    items = [_bracketed(condition(w, depth - 1)) for _ in range(rng.randint(2, 3))]
    return joiner.join(items)


def _bracketed(text: str) -> str:
    return f"({text})" if " and " in text or " or " in text else text


def simple_condition(w: Writer) -> str:
    column = w.rng.choice(w.columns)
    rng, ref = w.rng, column.ref
    match column.kind:
        case "bool":
            return rng.choice([ref, f"{ref} is yes", f"{ref} is no", f"not {ref}"])
        case "integer" | "decimal":
            return rng.choice([f"{ref} {rng.choice(['>=', '<=', '>', '<', '=', '!='])} "
                               f"{number(column, rng)}", f"{ref} in {range_text(column, rng)}"])
        case "text":
            return f'{ref} is {text_literal(column, rng)}'
        case "duration":
            return f"{ref} {duration_test(rng)}"
        case "time":
            return f"{ref} {time_test(rng)}"
        case "moment":
            return rng.choice([f"{ref} {rng.choice(['>=', '<=', '>', '<', '=', '!='])} "
                               f"{moment(rng)}", f"{ref} in {moment_range(rng)}"])
        case "clock":
            return rng.choice([f"{ref} {rng.choice(['>=', '<=', '>', '<', '=', '!='])} "
                               f"{clock(rng)}", f"{ref} in {clock_range(rng)}"])
        case "enum":
            values = ", ".join(rng.sample(column.members, rng.randint(1, len(column.members))))
            return rng.choice([f"{ref} is {rng.choice(column.members)}",
                               f"{ref} is not {rng.choice(column.members)}",
                               f"{ref} in ({values})", f"{ref} not in ({values})"]
                              + [f"{ref} is {c}" for c in column.classes])
        case _:
            return f"{ref} {set_test(column, rng)}"


def number(column: Column, rng: random.Random) -> str:
    if column.kind == "integer":
        return str(rng.randint(int(column.low), int(column.high)))
    return f"{rng.randint(int(column.low * 4), int(column.high * 4)) / 4:.2f}"


def range_text(column: Column, rng: random.Random) -> str:
    low, high = sorted([number(column, rng), number(column, rng)], key=float)
    if rng.random() < 0.5 or low == high:
        return f"{low}..{high}"
    return f"{rng.choice('[]')}{low}..{high}{rng.choice('[]')}"


UNITS = (("day", 1), ("days", 1), ("weeks", 7), ("month", 31), ("months", 31), ("years", 366))


def duration(rng: random.Random) -> tuple[str, int]:
    """`6 weeks` and its longest length in days (to keep ranges non-empty)."""
    unit, days = rng.choice(UNITS)
    amount = rng.choice([0, 1, 2, 3, 6, 12, 18, 60, 180, 400]) if days == 1 \
        else rng.randint(0, 24)
    return f"{amount} {unit}", amount * days


def duration_test(rng: random.Random) -> str:
    written, _ = duration(rng)
    return f"{rng.choice(['>=', '<=', '>', '<', '=', '!='])} {written}"


def duration_range(rng: random.Random) -> str:
    (low, low_days), (high, high_days) = sorted([duration(rng), duration(rng)], key=lambda d: d[1])
    if low_days * 28 // 31 > high_days or low_days == high_days:  # could be empty: one bound
        return f">= {low}"
    return f"{low}..{high}" if rng.random() < 0.5 else f"[{low}..{high}["


TIME_UNITS = (("minute", 60), ("minutes", 60), ("hours", 3600), ("hour", 3600), ("days", 86400),
              ("weeks", 604800))


def time_amount(rng: random.Random) -> tuple[str, int]:
    """`90 minutes` and its length in seconds."""
    unit, seconds = rng.choice(TIME_UNITS)
    amount = rng.choice([0, 1, 2, 4, 30, 90, 270]) if seconds == 60 else rng.randint(0, 6)
    return f"{amount} {unit}", amount * seconds


def time_test(rng: random.Random) -> str:
    return f"{rng.choice(['>=', '<=', '>', '<', '=', '!='])} {time_amount(rng)[0]}"


def time_range(rng: random.Random) -> str:
    (low, low_seconds), (high, high_seconds) = sorted([time_amount(rng), time_amount(rng)],
                                                      key=lambda d: d[1])
    if low_seconds == high_seconds:
        return f">= {low}"
    return f"{low}..{high}" if rng.random() < 0.5 else f"[{low}..{high}["


def moment(rng: random.Random) -> str:
    """A fixed date and time around 1 March 2024, 08:00 (the facts fall around it too)."""
    minutes = rng.choice([-1440, -60, -1, 0, 1, 30, 60, 600])
    return (datetime(2024, 3, 1, 8) + timedelta(minutes=minutes)).isoformat(timespec="minutes")


def moment_range(rng: random.Random) -> str:
    low, high = sorted({moment(rng), moment(rng), "2024-03-01T08:00", "2024-03-02T08:00"})[:2]
    return f"{low}..{high}" if rng.random() < 0.5 else f"[{low}..{high}["


def clock(rng: random.Random) -> str:
    """A fixed time of day around 08:00 (the facts fall around the times named)."""
    seconds = 8 * 3600 + rng.choice([-3600, -60, -1, 0, 1, 30, 60, 36_000])
    return f"{seconds // 3600:02}:{seconds // 60 % 60:02}" + (
        f":{seconds % 60:02}" if seconds % 60 else "")


def clock_range(rng: random.Random) -> str:
    low, high = sorted({clock(rng), clock(rng), "08:00", "18:00"})[:2]
    return f"{low}..{high}" if rng.random() < 0.5 else f"[{low}..{high}["


def text_literal(column: Column, rng: random.Random) -> str:
    value = rng.choice(column.texts)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_test(column: Column, rng: random.Random) -> str:
    member = rng.choice(column.members)
    group = ", ".join(rng.sample(column.members, rng.randint(1, len(column.members))))
    options = [f"has {member}", f"has any of ({group})", f"has none of ({group})",
               f"has all of ({group})"]
    options += [f"has {q} of {c}" for c in column.classes for q in ("any", "none", "all")]
    return rng.choice(options)


# ---- tables -------------------------------------------------------------------------------------


def cell(column: Column, rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "-"
    kind = column.kind
    if kind == "bool":
        return rng.choice(["yes", "no", "not yes"])
    if kind in ("integer", "decimal"):
        options = [f"{rng.choice(['>=', '<=', '>', '<', '!='])} {number(column, rng)}",
                   range_text(column, rng), number(column, rng),
                   f"{number(column, rng)}, {range_text(column, rng)}", f"not {number(column, rng)}"]
        return rng.choice(options)
    if kind == "duration":
        return rng.choice([duration_test(rng), duration_range(rng), f"not {duration_test(rng)}",
                           f"{duration_test(rng)}, {duration_range(rng)}"])
    if kind == "time":
        return rng.choice([time_test(rng), time_range(rng), f"not {time_test(rng)}",
                           f"{time_test(rng)}, {time_range(rng)}"])
    if kind == "moment":
        return rng.choice([f"{rng.choice(['>=', '<=', '>', '<', '!='])} {moment(rng)}",
                           moment_range(rng), moment(rng), f"not {moment_range(rng)}"])
    if kind == "clock":
        return rng.choice([f"{rng.choice(['>=', '<=', '>', '<', '!='])} {clock(rng)}",
                           clock_range(rng), clock(rng), f"not {clock_range(rng)}"])
    if kind == "text":
        return rng.choice([text_literal(column, rng), f"not {text_literal(column, rng)}",
                           f"{text_literal(column, rng)}, {text_literal(column, rng)}"])
    if kind == "enum":
        values = rng.sample(column.members, rng.randint(1, len(column.members)))
        return rng.choice([rng.choice(column.members), ", ".join(values),
                           f"not {rng.choice(column.members)}", f"not ({', '.join(values)})",
                           *column.classes])
    return rng.choice([set_test(column, rng), set_test(column, rng).replace("has ", "", 1),
                       f"not has {rng.choice(column.members)}", rng.choice(column.members)])


def output_types(w: Writer, policy: str) -> list[tuple[str, Column]]:
    """(declared type, the output as a column later tables may read) for each output."""
    rng = w.rng
    if policy.startswith("collect ") and policy != "collect count":
        if rng.random() < 0.5:
            return [("integer", Column("", "integer", low=-20, high=20))]
        return [("decimal", Column("", "decimal", low=-5.0, high=5.0))]
    enum_outputs = [(f"one of {', '.join(ms)}", Column("", "enum", ms))
                    for ms in [tuple(f"o{rng.randrange(100)}_{i}" for i in range(rng.randint(2, 4)))]]
    if policy == "collect count":
        return enum_outputs
    others = [("yes/no", Column("", "bool")), ("integer", Column("", "integer", low=-9, high=9)),
              ("text", Column("", "text", texts=("x", "y z", "</script>"))),
              (f"one of {(enum := rng.choice(sorted(w.enums)))}", _enum_column(w, "", enum, "enum"))]
    outputs = enum_outputs + rng.sample(others, rng.randint(0, 2))
    rng.shuffle(outputs)
    return outputs


def output_value(column: Column, rng: random.Random) -> str:
    if rng.random() < 0.1:
        return "-"
    if column.kind == "bool":
        return rng.choice(["yes", "no"])
    if column.kind in ("integer", "decimal"):
        return number(column, rng)
    if column.kind == "text":
        return text_literal(column, rng)
    return rng.choice(column.members)


def table(w: Writer, number_: int) -> None:
    rng = w.rng
    policy = rng.choice(POLICIES)
    name = f"t{number_}"
    outputs = output_types(w, policy)
    names = [f"out{i}" for i in range(len(outputs))]
    columns = rng.sample(w.columns, rng.randint(1, min(4, len(w.columns))))
    annotations = [a for a in ("evidence", "caveats") if rng.random() < 0.4
                   and (w.evidence if a == "evidence" else w.caveats)]
    w.line(f'table {name} "Table {number_}"')
    w.line(f"  hit {policy}")
    for out_name, (declared, _) in zip(names, outputs, strict=True):
        w.line(f'  output {out_name}: {declared} "output {out_name}"')
    enum_outputs = [n for n, (_, c) in zip(names, outputs, strict=True) if c.kind == "enum"]
    if policy in LISTS and enum_outputs and rng.random() < 0.5:
        w.line(f"  order by {', '.join(rng.sample(enum_outputs, rng.randint(1, len(enum_outputs))))}")
    if policy in LISTS and rng.random() < 0.4:
        w.line(f"  distinct by {', '.join(rng.sample(names, rng.randint(1, len(names))))}")
    named = rng.random() < 0.5
    header = (["rule"] if named else []) + [c.ref for c in columns]
    w.line("  | " + " | ".join(header) + " || " + " | ".join(names)
           + (" || " + " | ".join(annotations) if annotations else "") + " |")
    if rng.random() < 0.5:
        sections = [header, names] + ([annotations] if annotations else [])
        w.line("  |" + "||".join("|".join("---" for _ in s) for s in sections) + "|")
    for row in range(rng.randint(1, 8)):
        cells = ([f"r{row}"] if named else []) + [cell(c, rng) for c in columns]
        values = [output_value(c, rng) for _, c in outputs]
        notes = [_annotation(w, a) for a in annotations]
        w.line("  | " + " | ".join(cells) + " || " + " | ".join(values)
               + (" || " + " | ".join(notes) if notes else "") + " |")
    w.columns += results_of(name, policy, names, outputs)


def _annotation(w: Writer, column: str) -> str:
    pool = w.evidence if column == "evidence" else w.caveats
    if w.rng.random() < 0.3:
        return "-"
    return ", ".join(w.rng.sample(pool, w.rng.randint(1, len(pool))))


def results_of(name: str, policy: str, names: list[str],
               outputs: list[tuple[str, Column]]) -> list[Column]:
    """What later tables may read of this one (facts and the scope never read tables)."""
    if policy.startswith("collect "):
        kind = "integer" if policy == "collect count" or outputs[0][1].kind == "integer" else "decimal"
        return [Column(name, kind, low=-20, high=20)]
    if policy in LISTS:
        return [Column(f"{name}.{n}", "set", c.members) for n, (_, c) in zip(names, outputs, strict=True)
                if c.kind == "enum"]
    return [Column(f"{name}.{n}", c.kind, c.members, (), c.low, c.high, c.texts)
            for n, (_, c) in zip(names, outputs, strict=True)]
