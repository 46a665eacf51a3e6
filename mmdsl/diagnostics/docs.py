"""The page `docs/diagnostics.md`, generated from the registry of codes: for every code what it
means, why it matters, an example that triggers it, and the fix.

Deterministic: codes in order, every registering module imported first, no dates. A test keeps
the committed page equal to this output; write it with

    python -m mmdsl.diagnostics.docs > docs/diagnostics.md

`mmdsl docs --diagnostics` writes the page and, from the same registry, the module
`mmdsl/diagnostics/names.py` (`render_code_names`): every code and name as a `Literal` type.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from mmdsl.diagnostics.codes import CODES, Code

# Modules that add their own codes with `register` when imported (the core codes are built in).
REGISTERING_MODULES = ("mmdsl.dmn.codes",)

RANGES = {
    "1": "Syntax", "2": "Names", "3": "Types and values",
    "4": "Structure of tables and the guideline", "5": "Worked examples",
    "6": "Verification of the rules", "7": "DMN import and export", "9": "The compiler itself",
}

INTRO = """\
# Diagnostics

Every problem mmdsl finds is a diagnostic with a stable code (`MD` and three digits), a
severity, the place in the file, a message and, where a fix is known, a `help:` line. A code
keeps its meaning forever, so a code can be searched for, suppressed by tools or cited in a
review. Errors stop the compiler from producing an evaluator; warnings do not.

This page is generated from the registry in `mmdsl/diagnostics/codes.py` by
`mmdsl.diagnostics.docs`; do not edit it by hand.
"""


def all_codes() -> list[Code]:
    """Every registered code, in code order."""
    for module in REGISTERING_MODULES:
        importlib.import_module(module)
    return sorted(CODES.values(), key=lambda entry: entry.code)


def render_diagnostics_markdown() -> str:
    codes = all_codes()
    parts = [INTRO, *contents(codes)]
    for title, members in by_range(codes):
        parts.append(f"## {title}\n")
        parts += [code_section(entry) for entry in members]
    return "\n".join(parts).rstrip("\n") + "\n"


def contents(codes: list[Code]) -> Iterator[str]:
    yield "| code | name | severity | what |\n| --- | --- | --- | --- |"
    for entry in codes:
        yield (f"| [{entry.code}](#{anchor(entry)}) | {entry.name} | {entry.severity.value} | "
               f"{_cell(entry.summary)} |")
    yield ""


def by_range(codes: list[Code]) -> Iterator[tuple[str, list[Code]]]:
    """The codes grouped by their hundreds (MD1xx, MD2xx, …), each group with its title."""
    for digit in sorted({entry.code[2] for entry in codes}):
        title = f"MD{digit}xx: {RANGES.get(digit, 'Other')}"
        yield title, [entry for entry in codes if entry.code[2] == digit]


def code_section(entry: Code) -> str:
    return "\n".join([
        f"### {entry.code} {entry.name}",
        "",
        f"**Severity:** {entry.severity.value}",
        "",
        f"{entry.summary[:1].upper()}{entry.summary[1:]}.",
        "",
        f"**Why it matters.** {entry.why}",
        "",
        "**Example**",
        "",
        "```mmdsl",
        entry.example,
        "```",
        "",
        f"**Fix.** {entry.fix}",
        "",
    ])


def anchor(entry: Code) -> str:
    """The anchor Markdown renderers give the heading `### MD100 syntax-error`."""
    return f"{entry.code.lower()}-{entry.name}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


CODE_NAMES_HEADER = '''\
"""Every diagnostic code and name as a type, so that a misspelt `lookup("unkown-name")` fails at
type check (mypy), not when the mistake is first reported. Generated from the registry (codes.py,
dmn/codes.py), which stays the one home of what each code means: after adding a code, run
`mmdsl docs --diagnostics` (`--check` fails while this file is stale). Do not edit by hand.
"""

from __future__ import annotations

from typing import Literal

CodeName = Literal[
'''


def render_code_names() -> str:
    """The text of mmdsl/diagnostics/names.py: each registered code and its name, in code order."""
    members = "".join(f'    "{entry.code}", "{entry.name}",\n' for entry in all_codes())
    return (CODE_NAMES_HEADER + members + "]\n"
            '"""A code (`MD200`) or its name (`unknown-name`): what `lookup` and the reporters accept."""\n')


if __name__ == "__main__":
    print(render_diagnostics_markdown(), end="")
