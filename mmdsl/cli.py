"""The command line: the `mmdsl` group; each command lives in its own module of mmdsl/commands/.

Exit status: 0 when all is well; 1 when the tables have errors, an example fails or generated
files are stale; 2 for a bad command line or invalid facts; 3 when `mmdsl eval` or `mmdsl cohort`
gives a decision in error (status `error`: rules in conflict, or no rule of a complete table).
The compiler is imported inside the commands, so `mmdsl --help` starts without loading the
parser and `mmdsl eval` without the templates of the back ends.
"""

from __future__ import annotations

import os
from typing import Any

import click

from mmdsl.commands.check import check
from mmdsl.commands.cohort import cohort
from mmdsl.commands.common import FAILED, _silence_stdout
from mmdsl.commands.compile import compile_command
from mmdsl.commands.diff import diff
from mmdsl.commands.dmn import import_command
from mmdsl.commands.docs import docs
from mmdsl.commands.eval import eval_command
from mmdsl.commands.export import export
from mmdsl.commands.fmt import fmt
from mmdsl.commands.lsp import lsp
from mmdsl.commands.test import test_command
from mmdsl.serve.command import serve
from mmdsl.version import __version__


class Commands(click.Group):
    """The command group; a bug inside mmdsl is reported in one line, not as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(FAILED)
        except Exception as error:
            if os.environ.get("MMDSL_DEBUG"):
                raise
            click.echo(f"error: internal error in mmdsl: {type(error).__name__}: {error}", err=True)
            click.echo("  = help: this is a bug in mmdsl, not in your tables; "
                       "run with MMDSL_DEBUG=1 to see where it happened", err=True)
            ctx.exit(FAILED)


@click.group(name="mmdsl", cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mmdsl")
def main() -> None:
    """mmdsl: check, compile, evaluate and test clinical decision tables.

    \b
    Example:
      mmdsl check tables/
      mmdsl compile tables/ -o generated/
      mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts examples/patient.json
      mmdsl test tables/

    Exit status: 0 all is well; 1 the tables have errors, an example fails or generated files
    are stale; 2 a bad command line or invalid facts; 3 a decision in error (`mmdsl eval`,
    `mmdsl cohort`: rules in conflict, or no rule of a table declared complete). Colour is used
    on terminals unless NO_COLOR is set.
    """


main.add_command(check)
main.add_command(compile_command)
main.add_command(eval_command)
main.add_command(test_command)
main.add_command(fmt)
main.add_command(import_command)
main.add_command(export)
main.add_command(docs)
main.add_command(cohort)
main.add_command(serve)
main.add_command(lsp)
main.add_command(diff)
