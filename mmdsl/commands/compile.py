"""`mmdsl compile`: table files to dependency-free Python modules and their JSON Schemas."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from mmdsl.commands.common import (
    FAILED,
    OK,
    OutputFormat,
    all_diagnostics,
    compile_files,
    finish,
    format_option,
    paths_argument,
    print_json,
    show_diagnostics,
)

if TYPE_CHECKING:
    from mmdsl.pipeline import Compilation


@click.command(name="compile")
@paths_argument
@click.option("-o", "--output", "out_dir", default="generated/", show_default=True,
              type=click.Path(file_okay=False, path_type=str),
              help="the folder for the generated modules")
@click.option("--check", "check_only", is_flag=True,
              help="write nothing; fail if a generated file is missing or differs")
@format_option
def compile_command(
    paths: tuple[str, ...], out_dir: str, check_only: bool, output_format: OutputFormat,
) -> None:
    """Compile table files to dependency-free Python modules.

    Each file without errors becomes OUTPUT/<name>.py and, beside it, OUTPUT/<name>.schema.json
    (the JSON Schema of its patient facts) and OUTPUT/<name>.decision.schema.json (that of its
    decisions), each written atomically; a file with errors leaves
    its previous files untouched. With --check nothing is written: the command fails if a
    generated file is missing or out of date, which is what CI wants. A generated file that
    is a device, a FIFO, a folder or read-only is refused (exit status 2), not replaced; a
    symbolic link is written through to its target.

    \b
    Example:
      mmdsl compile tables/ -o generated/
      mmdsl compile --check tables/ -o generated/
    """
    compilations = compile_files(paths, machine_independent_names=True)
    modules = output_paths(compilations, Path(out_dir))
    rerun = shlex.join(["mmdsl", "compile", *paths, "-o", out_dir])
    outputs = [(c, module.with_name(module.stem + suffix), render)
               for c, module in zip(compilations, modules, strict=True)
               for suffix, render in GENERATED_FILES]
    texts = [render(c) if c.guideline is not None else None for c, _, render in outputs]
    # every text is made before the first file is written: a failure leaves every file as it was
    outcomes = [compile_one(text, target, check_only)
                for text, (_, target, _) in zip(texts, outputs, strict=True)]
    if output_format == "json":
        print_json({
            "diagnostics": [d.to_json() for d in all_diagnostics(compilations)],
            "files": [{"source": c.source.path, "output": str(t), "status": s}
                      for (c, t, _), s in zip(outputs, outcomes, strict=True)],
        })
    else:
        show_diagnostics(compilations, err=True)
        for (compilation, target, _), outcome in zip(outputs, outcomes, strict=True):
            report_output(compilation.source.path, str(target), outcome, rerun)
    finish(FAILED if any(o in FAILED_OUTCOMES for o in outcomes) else OK)


Outcome = Literal["written", "up to date", "stale", "missing", "errors"]
FAILED_OUTCOMES = ("stale", "missing", "errors")


def output_paths(compilations: Sequence[Compilation], out_dir: Path) -> list[Path]:
    """OUTPUT/<stem>.py for each file; two files that would share a module are a usage error."""
    targets: dict[Path, str] = {}
    for compilation in compilations:
        target = out_dir / f"{Path(compilation.source.path).stem}.py"
        if target in targets:
            raise click.UsageError(f"{targets[target]} and {compilation.source.path} would both "
                                   f"be compiled to {target}; rename one of them")
        targets[target] = compilation.source.path
    return list(targets)


def compile_one(text: str | None, target: Path, check_only: bool) -> Outcome:
    """Write (or with --check, compare) one generated file; `text` is None for a file with errors."""
    from mmdsl.writing import is_up_to_date, remove_stale_temporaries, write_atomically

    if text is None:
        return "errors"
    if not check_only:
        remove_stale_temporaries(target)  # left by a compile that was killed
    if is_up_to_date(target, text):
        return "up to date"
    if check_only:
        return "stale" if target.exists() else "missing"
    write_atomically(target, text)
    return "written"


def generated_module(compilation: Compilation) -> str:
    from mmdsl.backends.python import render_module
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_module(published(compilation.guideline))


def generated_schema(compilation: Compilation) -> str:
    from mmdsl.backends.schema.facts import render_schema
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_schema(published(compilation.guideline))


def generated_decision_schema(compilation: Compilation) -> str:
    from mmdsl.backends.schema.decision import render_decision_schema
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_decision_schema(published(compilation.guideline))


GENERATED_FILES: tuple[tuple[str, Callable[[Compilation], str]], ...] = (
    (".py", generated_module),
    (".schema.json", generated_schema),
    (".decision.schema.json", generated_decision_schema),
)
"""What `compile` writes for each table file: OUTPUT/<name> + suffix, made by the function."""


def report_output(source: str, target: str, outcome: Outcome, rerun: str) -> None:
    messages: dict[Outcome, str] = {
        "written": f"wrote {target}",
        "up to date": f"{target} is up to date",
        "stale": f"{target} is stale: run `{rerun}`",
        "missing": f"{target} is missing: run `{rerun}`",
        "errors": f"{source} has errors: {target} was left as it was",
    }
    click.echo(messages[outcome], err=outcome in FAILED_OUTCOMES)
