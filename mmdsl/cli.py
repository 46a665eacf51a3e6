"""The command line: the `mmdsl` group; each command lives in its own module of mmdsl/commands/.

Exit status: 0 when all is well; 1 when the tables have errors, an example fails or generated
files are stale; 2 for a bad command line or invalid facts; 3 when `mmdsl eval` or `mmdsl cohort`
gives a decision in error (status `error`: rules in conflict, or no rule of a complete table).
A command's module is imported only when that command runs (or `--help` lists them all), and the
compiler is imported inside the commands, so `mmdsl eval` starts without the other commands, the
parser or the templates of the back ends.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from mmdsl.commands.common import FAILED, USAGE, _silence_stdout
from mmdsl.version import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("mmdsl.commands.check", "check"),
    "cohort": ("mmdsl.commands.cohort", "cohort"),
    "compile": ("mmdsl.commands.compile", "compile_command"),
    "diff": ("mmdsl.commands.diff", "diff"),
    "docs": ("mmdsl.commands.docs", "docs"),
    "eval": ("mmdsl.commands.eval", "eval_command"),
    "export": ("mmdsl.commands.export", "export"),
    "fmt": ("mmdsl.commands.fmt", "fmt"),
    "import": ("mmdsl.commands.dmn", "import_command"),
    "lsp": ("mmdsl.commands.lsp", "lsp"),
    "serve": ("mmdsl.serve.command", "serve"),
    "test": ("mmdsl.commands.test", "test_command"),
}
"""Each command: the module that defines it and the name of its click command there."""


class Commands(click.Group):
    """The command group; a bug inside mmdsl is reported in one line, not as a traceback.

    The commands are loaded lazily (click's lazy group): `mmdsl eval` imports the module of
    `eval` and no other (benchmarks/coldstart.py measures the start)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str],
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            # click (8.4 and later) suggests a close name ("Did you mean 'eval'?") from the
            # commands the group holds, and a lazy group holds none: suggest from all the names
            no_such_command: Any = getattr(click.exceptions, "NoSuchCommand", None)
            if no_such_command is None or not isinstance(error, no_such_command):
                raise
            raise no_such_command(error.command_name, possibilities=self.list_commands(ctx),
                                  ctx=ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(FAILED)
        except Exception as error:
            from mmdsl.writing import RefusedOutput  # here: `mmdsl eval` never loads the writer

            if isinstance(error, RefusedOutput):  # an output the tool must not replace (writing.py)
                click.echo(f"error: {error}", err=True)
                ctx.exit(USAGE)
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

