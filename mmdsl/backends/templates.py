"""The one Jinja environment factory of the back ends (and of `mmdsl serve`'s pages): a package's
own `templates/` folder, then the shared `mmdsl/templates/` (the macros every template imports,
`macros.j2`); a missing name in a view model fails instead of printing nothing, block tags leave no
blank lines, and a file keeps its final newline. Escaping is the caller's choice: HTML escapes
everything, while Python, SQL and Markdown texts arrive already made safe by their view models
(repr, quoting, escaping)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

SHARED = "mmdsl"  # the package whose templates/ folder every environment also reads


def template_environment(package: str = SHARED, *, autoescape: bool = False,
                         finalize: Callable[[Any], Any] | None = None,
                         keep_trailing_newline: bool = True) -> jinja2.Environment:
    """`package` is the one whose `templates/` folder holds the caller's templates (its own name
    wins over a shared template of the same name). `keep_trailing_newline=False` is for pages
    served over HTTP, whose bytes end where their last tag does."""
    loader: jinja2.BaseLoader = jinja2.PackageLoader(SHARED, "templates")
    if package != SHARED:
        loader = jinja2.ChoiceLoader([jinja2.PackageLoader(package, "templates"), loader])
    return jinja2.Environment(
        loader=loader, autoescape=autoescape, undefined=jinja2.StrictUndefined, finalize=finalize,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=keep_trailing_newline,
    )
