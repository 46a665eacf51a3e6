"""The pages for clinicians: the view models and their rendering (Jinja2, autoescaped).

The templates (mmdsl/serve/templates/serve_*.html.j2) only print what these view models hold; every
choice of wording is made here or in mmdsl/backends/review/decision_view.py.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

import jinja2

from mmdsl.backends.review.decision_view import DecisionReading
from mmdsl.backends.templates import template_environment
from mmdsl.ir.model import IRGuideline
from mmdsl.serve.form import Entered, Field, form_fields


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    description: str
    href: str
    active: bool


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with the facts, for the summary above the form; `anchor` is its field's."""

    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class PageView:
    name: str
    title: str
    version: str
    action: str
    review: str
    presets: tuple[Preset, ...]
    fields: tuple[Field, ...]
    problems: tuple[Problem, ...]
    decision: DecisionReading | None


@dataclass(frozen=True, slots=True)
class GuidelineLink:
    name: str
    title: str
    version: str
    ok: bool
    page: str
    review: str


def page_path(name: str) -> str:
    return f"/guidelines/{quote(name)}"


def review_path(name: str) -> str:
    return f"/guidelines/{quote(name)}/review"


def decision_page(name: str, guideline: IRGuideline, entered: Entered,
                  problems: Sequence[Mapping[str, str]], decision: DecisionReading | None,
                  preset: str | None) -> PageView:
    """The page of the guideline served as `name` (its table file's name)."""
    fields = form_fields(guideline, entered, problems)
    ids = {f.name: f.id for f in fields}
    listed = tuple(Problem(f"{p['field']}: {p['message']}" if p["field"] != "$" else p["message"],
                           ids.get(p["field"].partition("[")[0], "")) for p in problems)
    presets = tuple(Preset(e.name, e.description, f"{page_path(name)}?example={quote(e.name)}",
                           e.name == preset) for e in guideline.examples)
    return PageView(name, guideline.title or name, guideline.version or "(no version given)",
                    page_path(name), review_path(name), presets, fields, listed, decision)


@functools.cache
def _environment() -> jinja2.Environment:
    return template_environment("mmdsl.serve", autoescape=True, keep_trailing_newline=False)


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def render_page(view: PageView) -> str:
    return render("serve_page.html.j2", page_title=f"{view.title}: decision", p=view)


def render_index(guidelines: Sequence[GuidelineLink]) -> str:
    return render("serve_index.html.j2", page_title="mmdsl: guidelines", guidelines=guidelines)


def render_problem(heading: str, message: str, details: str = "") -> str:
    return render("serve_problem.html.j2", page_title=heading, heading=heading, message=message,
                  details=details)


@functools.cache
def stylesheet() -> bytes:
    return resources.files("mmdsl.serve").joinpath("templates/serve.css").read_bytes()
