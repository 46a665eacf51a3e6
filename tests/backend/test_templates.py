"""The one Jinja environment factory: every back end's templates, and the separator of a list
written once (`between`), which prints as the template wrote it in HTML and in Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl.backends.review import markdown_text
from mmdsl.backends.templates import between, template_environment

PACKAGE = Path(__file__).resolve().parents[2] / "mmdsl"
LIST = '{% for x in xs %}{{ x }}{{ between(loop, "<br>") }}{% endfor %}'


def test_html_escapes_the_items_but_not_the_separator() -> None:
    template = template_environment(autoescape=True).from_string(LIST)
    assert template.render(xs=["a<b", "c"]) == "a&lt;b<br>c"


def test_markdown_keeps_the_separator_s_space() -> None:
    environment = template_environment(finalize=markdown_text)
    template = environment.from_string('{% for x in xs %}{{ x }}{{ between(loop, "; ") }}{% endfor %}.')
    assert template.render(xs=["a*", "b"]) == "a\\*; b."


def test_a_separator_is_template_text_never_a_value() -> None:
    template = template_environment(autoescape=True).from_string(
        "{% for x in xs %}{{ x }}{{ between(loop, x) }}{% endfor %}")
    with pytest.raises(ValueError, match="not one of the template separators"):
        template.render(xs=["<script>", "b"])


def test_no_template_writes_the_separator_by_hand() -> None:
    written = [path.relative_to(PACKAGE) for path in sorted(PACKAGE.rglob("*.j2"))
               if "{% if not loop.last %}" in path.read_text(encoding="utf-8")]
    assert written == [], "use {{ between(loop, ...) }}"


def test_each_back_end_finds_its_own_templates_and_the_shared_ones() -> None:
    assert template_environment("mmdsl.backends.python").get_template("python_module.py.j2")
    assert template_environment("mmdsl.backends.review").get_template("review.html.j2")
    assert template_environment("mmdsl.serve").get_template("serve_page.html.j2")
    assert template_environment("mmdsl.backends.sql").get_template("sql_query.sql.j2")


def test_between_is_empty_after_the_last_item() -> None:
    class Loop:
        last = True

    assert between(Loop(), "; ") == ""
