"""The one Jinja environment factory of the back ends (and of `mmdsl serve`'s pages): a package's own
`templates/` folder, then the shared `mmdsl/templates/` if there is one (today every template
lives beside its back end, so there is none); a missing name in a view model fails
instead of printing nothing, block tags leave no blank lines, and a file keeps its final newline.
Every environment knows `between(loop, ", ")`, the separator between the items of a loop, written
once here rather than as `{% if not loop.last %}, {% endif %}` in every list of every template.
Escaping is the caller's choice: HTML escapes everything, while Python, SQL and Markdown texts
arrive already made safe by their view models (repr, quoting, escaping)."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

SHARED = "mmdsl"  # the package whose templates/ folder every environment also reads


def template_environment(package: str = SHARED, *, autoescape: bool = False,
                         finalize: Callable[[Any], Any] | None = None,
                         keep_trailing_newline: bool = True) -> jinja2.Environment:
    """`package` is the one whose `templates/` folder holds the caller's templates (its own name
    wins over a shared template of the same name). `keep_trailing_newline=False` is for pages
    served over HTTP, whose bytes end where their last tag does."""
    shared = folder_loader(SHARED) if package != SHARED else []
    loader = jinja2.ChoiceLoader([*folder_loader(package), *shared])
    environment = jinja2.Environment(
        loader=loader, autoescape=autoescape, undefined=jinja2.StrictUndefined, finalize=finalize,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=keep_trailing_newline,
    )
    environment.globals["between"] = between
    return environment


def folder_loader(package: str) -> list[jinja2.BaseLoader]:
    """A loader of the package's `templates/` folder, or none when it has no such folder (Jinja's
    PackageLoader refuses a missing folder, and git keeps no empty one)."""
    if not (importlib.resources.files(package) / "templates").is_dir():
        return []
    return [jinja2.PackageLoader(package, "templates")]


# The separators a template may ask for: template text, never authored text, so they are printed as
# they are (`Markup`: HTML does not escape `<br>`, and the Markdown `finalize` leaves them alone).
SEPARATORS = frozenset({", ", "; ", ",", "<br>"})


def between(loop: Any, separator: str = ", ") -> Markup:
    """What goes after a loop's item: the separator, or nothing after the last item. Not a Jinja
    macro, because a macro's result is printed through `finalize`, and the Markdown one folds
    the separator's space away."""
    if separator not in SEPARATORS:
        raise ValueError(f"between(): {separator!r} is not one of the template separators")
    return Markup("" if loop.last else separator)
