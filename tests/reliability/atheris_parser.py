"""Coverage-guided fuzzing of the front end with atheris (libFuzzer for Python). Optional.

    pip install atheris            # a wheel exists for CPython 3.11 on x86-64 Linux
    python -m tests.reliability.atheris_parser -max_total_time=300 -rss_limit_mb=3000

Where `make fuzz` mutates table files blindly, libFuzzer keeps the inputs that reach new lines
of the parser, the checks and lowering, and mutates those. Each input is the bytes of a table
file; the promises are those of `promises.py` (back ends aside, for speed). The corpus starts
from every table file of the repository; a failing input is written by libFuzzer as
`crash-<hash>` and replays with `python -m tests.reliability.fuzz --replay crash-<hash>`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports(include=["mmdsl"]):
    from tests.reliability.promises import run_whole_pipeline


def test_one_input(data: bytes) -> None:
    outcome = run_whole_pipeline(data, "atheris.mmdsl", backends=False)
    if outcome.problems:
        raise AssertionError("\n".join(outcome.problems))


def seed_corpus() -> str:
    from tests.reliability.corpus import seeds

    folder = Path(tempfile.mkdtemp(prefix="mmdsl-atheris-"))
    for number, text in enumerate(seeds()):
        (folder / f"seed-{number}.mmdsl").write_text(text, "utf-8")
    return str(folder)


def main() -> None:
    arguments = list(sys.argv)
    if not any(not a.startswith("-") for a in arguments[1:]):
        arguments.append(seed_corpus())
    atheris.Setup(arguments, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
