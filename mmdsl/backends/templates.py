"""The one Jinja environment factory of the back ends: the package's templates, a missing name in
a view model fails instead of printing nothing, block tags leave no blank lines, and the file
keeps its final newline. Escaping is the caller's choice: HTML escapes everything, while Python,
SQL and Markdown texts arrive already made safe by their view models (repr, quoting, escaping)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2


def template_environment(*, autoescape: bool = False,
                         finalize: Callable[[Any], Any] | None = None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mmdsl", "templates"), autoescape=autoescape,
        undefined=jinja2.StrictUndefined, finalize=finalize, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
