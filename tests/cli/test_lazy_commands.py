"""The command group loads each command's module only when it is asked for (mmdsl/cli.py)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mmdsl.cli import COMMANDS, main

COMMAND_MODULES = Path(__file__).resolve().parents[2] / "mmdsl" / "commands"


def test_every_command_module_is_in_the_group() -> None:
    """A new module under mmdsl/commands/ that the group does not name would be unreachable."""
    modules = {f"mmdsl.commands.{p.stem}" for p in COMMAND_MODULES.glob("*.py")
               if p.stem not in ("__init__", "common")}
    assert modules <= {module for module, _ in COMMANDS.values()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_name_loads_its_command(name: str) -> None:
    context = click.Context(main)
    command = main.get_command(context, name)
    assert isinstance(command, click.Command) and command.name == name
    assert name in main.list_commands(context)


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:")[1]
    assert all(f"\n  {name} " in listed for name in COMMANDS)


def test_a_misspelt_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(main, ["evl"])
    assert result.exit_code == 2
    assert "No such command 'evl'." in result.stderr
    if hasattr(click.exceptions, "NoSuchCommand"):  # click 8.4 and later suggest
        assert "Did you mean 'eval'?" in result.stderr
