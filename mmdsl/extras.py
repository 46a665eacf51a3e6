"""Optional dependencies, imported only when a cohort command needs them."""

from __future__ import annotations

import importlib
from typing import Any


class MissingExtra(Exception):
    """A package of an optional extra is not installed; the message says how to install it."""


def require(module: str, extra: str = "cohort") -> Any:
    """The module, or MissingExtra naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtra(
            f"`{module}` is not installed: cohorts need the optional extra `{extra}`; "
            f"install it with `pip install 'mmdsl[{extra}]'`") from error
