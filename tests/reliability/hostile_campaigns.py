"""Fuzz campaigns of issue 14: names that differ only in case and control characters in authored
text (refused by check, never a wrong cohort), and outputs that are special files or the input
(refused, left as they were). `make fuzz` runs them at scale (tests/reliability/fuzz.py);
tests/reliability/test_hostile_campaigns.py runs them small inside `make test`."""

from __future__ import annotations

import os
import random
import stat
import string
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

CONTROLS = [*map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]), "\ufffe", "\uffff"]


@dataclass
class Outcome:
    tried: int = 0
    failures: list[str] = field(default_factory=list)


def _name(rng: random.Random) -> str:
    first = rng.choice(string.ascii_letters)
    return first + "".join(rng.choice(string.ascii_letters + string.digits + "_")
                           for _ in range(rng.randint(0, 6)))


def _other_case(rng: random.Random, name: str) -> str:
    """The same name with the case of at least one letter changed."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    flip = set(rng.sample(letters, rng.randint(1, len(letters))))
    return "".join(c.swapcase() if i in flip else c for i, c in enumerate(name))


def _text(rng: random.Random, controls: bool) -> str:
    words = "".join(rng.choice(string.ascii_letters + " ") for _ in range(rng.randint(1, 12)))
    if controls:
        at = rng.randint(0, len(words))
        words = words[:at] + rng.choice(CONTROLS) + words[at:]
    return words.replace("\\", "").replace('"', "")


def case_guideline(rng: random.Random) -> tuple[str, set[str]]:
    """A guideline with two value names that differ only in case (inputs, facts or tables) and
    maybe a control character in its text; the codes check must give."""
    base = _name(rng)
    twin = _other_case(rng, base)
    controls = rng.random() < 0.5
    where = rng.choice(["input", "fact", "table"])
    lines = [f'guideline g "{_text(rng, controls)}"', 'input n_0: integer 0..9 "n"']
    if where == "input":
        lines += [f'input {base}: integer 0..9 "b"', f'input {twin}: integer 0..9 "t"']
        reads = [base, twin]
    elif where == "fact":
        lines += [f'fact {base} "b" = n_0 > 3', f'fact {twin} "t" = n_0 > 5']
        reads = ["n_0"]
    else:
        reads = ["n_0"]
    names = [base, twin] if where == "table" else ["t_0"]
    for table in names:
        header = " | ".join(reads)
        dashes = " | ".join("-" for _ in reads)
        lines += [f'table {table} "{_text(rng, False)}"', "  hit first", "  output o: text",
                  f"  | {header} || o |", f'  | {dashes} || "{_text(rng, False)}" |']
    expected = {"MD204"} | ({"MD110"} if controls else set())
    return "\n".join(lines) + "\n", expected


def case_names(seed: int, count: int) -> Outcome:
    """Each guideline is refused with MD204 (and MD110 for its control character), never
    compiled: no back end, DuckDB or Spark, ever sees two names it would merge."""
    rng, outcome = random.Random(seed), Outcome()
    for number in range(count):
        text, expected = case_guideline(rng)
        compilation = compile_source(Source(f"case{number}.mmdsl", text), verify=False)
        codes = {d.code for d in compilation.diagnostics}
        outcome.tried += 1
        if compilation.guideline is not None or not expected <= codes or "MD900" in codes:
            outcome.failures.append(f"seed {seed} #{number}: {sorted(codes)} for {text!r}")
    return outcome


# ---- outputs that are special files or the input --------------------------------------------------

TABLE = ('guideline c "c"\ninput a: integer 0..9 "a"\ntable t "t"\n  hit first\n'
         '  output o: text\n  | a || o |\n  | > 5 || "big" |\n  | - || "other" |\n')


def _fifo(folder: Path, table: Path) -> Path:
    os.mkfifo(folder / "fifo")
    return folder / "fifo"


def _device(folder: Path, table: Path) -> Path:
    (folder / "null").symlink_to(os.devnull)  # a character device everyone can name
    return folder / "null"


def _folder(folder: Path, table: Path) -> Path:
    (folder / "dir").mkdir()
    return folder / "dir"


def _read_only(folder: Path, table: Path) -> Path:
    path = folder / "ro.out"
    path.write_text("old", "utf-8")
    path.chmod(0o444)
    return path


def _the_table(folder: Path, table: Path) -> Path:
    return table


def _link_to_table(folder: Path, table: Path) -> Path:
    (folder / "alias").symlink_to(table)
    return folder / "alias"


TARGETS: dict[str, Callable[[Path, Path], Path]] = {
    "fifo": _fifo, "device": _device, "folder": _folder, "read-only": _read_only,
    "the table": _the_table, "a link to the table": _link_to_table}
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "export json-schema": lambda t, o: ["export", "--to", "json-schema", str(t), "-o", str(o)],
    "export dmn": lambda t, o: ["export", "--to", "dmn", str(t), "-o", str(o)],
    "cohort --emit-sql": lambda t, o: ["cohort", str(t), "--emit-sql", "-o", str(o)],
    "cohort --generate": lambda t, o: ["cohort", str(t), "--generate", "3", "-o", str(o)],
}


def _fingerprint(path: Path) -> tuple[object, ...]:
    status = path.lstat()
    body = path.read_bytes() if stat.S_ISREG(status.st_mode) else b""
    return stat.S_IFMT(status.st_mode), status.st_mode & 0o777, body


def special_outputs() -> Outcome:
    """Every writing command against every kind of output it must refuse: exit 2, and the
    target (and the table) exactly as they were."""
    outcome = Outcome()
    for command, arguments in COMMANDS.items():
        for kind, make in TARGETS.items():
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                table = folder / "t.mmdsl"
                table.write_text(TABLE, "utf-8")
                output = make(folder, table)
                before = _fingerprint(output), _fingerprint(table)
                result = CliRunner().invoke(main, arguments(table, output))
                outcome.tried += 1
                if result.exit_code != 2 or (_fingerprint(output), _fingerprint(table)) != before:
                    outcome.failures.append(f"{command} -o {kind}: exit {result.exit_code}, "
                                            f"{(result.stdout + result.stderr)[-200:]!r}")
    return outcome
