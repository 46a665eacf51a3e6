"""Every legal-but-tricky character through every back end, each output read by its own reader
(issue 14: "control characters through every back end, parsed by its own reader").

For each character (and random strings of them) a guideline carries the text `«c»` in its
title, an input's description, a member's description, a table's title, a text output's value
and a text cell. The characters `check` refuses (the control characters: MD110; bidirectional
and invisible ones: MD202) must be refused, never compiled. Every other must come out of each
back end, read back by that back end's own reader, exactly as written:

- the Python module: compiled, imported, run: the decision's output is the text, and it decides
  a patient whose text input is the text;
- the review HTML read by `html.parser` and the review Markdown rendered by markdown-it and read
  the same way: the text is among the document's text (as characters, whatever the escaping);
- the SQL run in DuckDB (`mmdsl cohort`'s engine): the output, and a patient's text value;
- the DMN document parsed as XML (`xml.etree`): the output entry and the descriptions; then
  imported back (`mmdsl import`) and compiled: the same output text;
- the JSON Schema read with `json.loads`, the FHIR bundle validated by fhir.resources' R4B
  models: the descriptions.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.reliability.hostile_campaigns import CONTROLS
from tests.reliability.promises import COHORT_THREADS

# Refused: MD110 for the control characters, MD202 for what hides or reorders text.
HIDDEN = ["\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff", "\u061c", "\u00ad"]
# Legal, each a trap for some reader: line breaks Python and JavaScript split at, C1 and DEL,
# markup, quoting and escaping of every output language, astral and private-use characters,
# right-to-left words, combining marks, look-alike punctuation.
LEGAL = ["\t", "\n", "\r", " \n\t", "\u0085", "\u2028", "\u2029", "\x7f", "\x80", "\x9f", "\u00a0",
         "\u3000", "<", ">", "&", "&amp;", "&#65;", "]]>", "<!--", "'", "''", "\\\"", "\\\\",
         "\\n", "{{", "}}", "{%", "`", "*", "_", "|", "#", "[x](y)", "--", "/*", ";", "%s",
         "${x}", "\U0001f600", "\U0010fffd", "\ue000", "\ufffd", "שלום", "مرحبا", "e\u0301",
         "a\u0308\u0323", "ß", "İ", "\u2126", "ﬁ", "\u0130\u0131", "NULL", "None", "true"]


def unescaped(piece: str) -> str:
    """The text a piece of quoted mmdsl text stands for: `\\"` is `"`, `\\\\` is `\\`, a line
    break and the white space around it one space (docs/language.md, "Quoted text")."""
    from mmdsl.syntax.build import decode_text

    return decode_text(f'"{piece}"')


GUIDELINE = '''guideline g "title «{t}»"
enum kind "kind «{t}»" = first "first «{t}»", second
input said: text "said «{t}»"
input n: integer 0..9 "n «{t}»"
table t "table «{t}»"
  hit first
  output o: text "o «{t}»"
  output k: one of kind
  | said | n || o | k |
  | "«{t}»" | - || "hit «{t}»" | first |
  | - | > 5 || "big «{t}»" | second |
  | - | - || "none" | second |
'''


@dataclass
class Tally:
    tried: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)
    reproducers: list[tuple[str, str]] = field(default_factory=list)


SINGLES = [*CONTROLS, *HIDDEN, *LEGAL]


def texts(seed: int, count: int, singles: bool = True) -> Iterator[str]:
    """Each character alone, then `count` random strings of them (quoted-text form)."""
    if singles:
        yield from SINGLES
    rng = random.Random(f"backend-text:{seed}")
    for _ in range(count):
        yield "".join(rng.choice(LEGAL) if rng.random() < 0.9 else rng.choice(CONTROLS + HIDDEN)
                      for _ in range(rng.randint(1, 6)))


def run(seed: int, count: int, singles: bool = True,
        backends: tuple[str, ...] | None = None) -> Tally:
    tally = Tally()
    for written in texts(seed, count, singles):
        tally.tried += 1
        text = GUIDELINE.replace("{t}", written)
        try:
            problems = one(text, written, backends or tuple(BACKENDS), tally)
        except Exception as error:  # any exception is a failure this campaign looks for
            problems = [f"raised {type(error).__name__}: {str(error)[:300]}"]
        if problems:
            label = f"seed {seed} text {written!r}"
            tally.failures.append(f"{label}: {'; '.join(problems)[:600]}")
            tally.reproducers.append((f"backend-text-{tally.tried}",
                                      f"# {'; '.join(problems)[:600]!r}\n{text}"))
    return tally


def one(text: str, written: str, backends: tuple[str, ...], tally: Tally) -> list[str]:
    compilation = compile_source(Source("text.mmdsl", text), verify=False)
    codes = {d.code for d in compilation.diagnostics}
    refused = [c for c in written if c in CONTROLS or c in HIDDEN]
    if refused:
        tally.refused += 1
        wanted = {"MD110"} if any(c in CONTROLS for c in refused) else {"MD202"}
        if compilation.guideline is not None or not wanted <= codes or "MD900" in codes:
            return [f"expected {sorted(wanted)}, got {sorted(codes)}"]
        return []
    if compilation.guideline is None:
        return [f"legal text refused: {sorted(codes)} "
                f"{[d.message for d in compilation.diagnostics][:2]}"]
    value = "«" + unescaped(written) + "»"
    problems = []
    for name in backends:
        try:
            problems += [f"{name}: {p}" for p in BACKENDS[name](compilation.guideline, text, value)]
        except Exception as error:  # a reader that cannot read the output is the failure
            problems.append(f"{name}: raised {type(error).__name__}: {str(error)[:300]}")
    return problems


# ---- each back end and its reader -----------------------------------------------------------------


def _python(guideline: IRGuideline, text: str, value: str) -> list[str]:
    from mmdsl.backends.python import render_module
    from tests.reliability.promises import load_generated

    module = load_generated(render_module(guideline))
    hit = module.evaluate({"said": value, "n": 1})["t"]["o"]
    big = module.evaluate({"said": "x", "n": 7})["t"]["o"]
    return ([] if hit == "hit " + value else [f"said {value!r} gave {hit!r}"]) + \
        ([] if big == "big " + value else [f"the output is {big!r}"])


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


def _review_html(guideline: IRGuideline, text: str, value: str) -> list[str]:
    from mmdsl.backends.review import render_html, run_examples

    found = html_text(render_html(guideline, run_examples(guideline)))
    return [] if all(f"{what} {value}" in found for what in ("title", "said", "big")) else [
        "the text is not in the document's text"]


def _review_markdown(guideline: IRGuideline, text: str, value: str) -> list[str]:
    from markdown_it import MarkdownIt

    from mmdsl.backends.review import render_markdown, run_examples

    found = html_text(MarkdownIt("commonmark").enable("table").render(
        render_markdown(guideline, run_examples(guideline))))
    # Markdown has no way to keep a line break inside a table cell or a heading: the renderer
    # writes every run of white space as one space (review.markdown_text); the rest must stay.
    return [] if " ".join(f"big {value}".split()) in found else [
        "the text is not in the rendered Markdown's text"]


def _sql(guideline: IRGuideline, text: str, value: str) -> list[str]:
    """The cohort's decisions file read back (`compare.as_decision`: the rule each row chose,
    its outputs from the file's metadata) against the module's decision."""
    import pyarrow.parquet as pq

    from mmdsl.cohort.compare import as_decision, expected, read_rules, same
    from mmdsl.cohort.engine import evaluate_cohort
    from mmdsl.cohort.rows import evaluator

    rows = [{"said": value, "n": 1}, {"said": "x", "n": 7}]
    with tempfile.TemporaryDirectory(prefix="mmdsl-text-") as scratch:
        source, output = Path(scratch) / "p.jsonl", Path(scratch) / "d.parquet"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
        report = evaluate_cohort(guideline, source, output, threads=COHORT_THREADS)
        if report.invalid_rows:
            return [f"rows refused: {report.problems[:1]}"]
        table = pq.read_table(output)
    tables = read_rules(table.schema.metadata)
    decided = [as_decision(guideline, row, tables) for row in table.to_pylist()]
    module = evaluator(guideline)
    wanted = [expected(module.evaluate(row)) for row in rows]
    if not all(same(d, w) for d, w in zip(decided, wanted, strict=True)):
        return [f"DuckDB decided {decided!r}, eval {wanted!r}"]
    got = [d["t"]["o"] for d in decided]
    return [] if got == ["hit " + value, "big " + value] else [f"DuckDB gave {got!r}"]


def _dmn(guideline: IRGuideline, text: str, value: str) -> list[str]:
    import xml.etree.ElementTree as ET

    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    document = export_dmn(guideline, text).text
    root = ET.fromstring(document.encode("utf-8"))
    strings = {node.text for node in root.iter() if node.text} | {
        v for node in root.iter() for v in node.attrib.values()}
    problems = [] if any(value in s for s in strings) else ["the XML does not hold the text"]
    imported = import_dmn(document.encode("utf-8"), "t.dmn")
    compiled = imported.compilation
    if compiled is None or compiled.guideline is None:
        codes = sorted({d.code for d in [*imported.diagnostics,
                                          *(compiled.diagnostics if compiled else [])]})
        return [*problems, f"the export does not import back: {codes}"]
    from mmdsl.backends.python import render_module
    from tests.reliability.promises import load_generated

    module = load_generated(render_module(compiled.guideline))
    decision = json.dumps(module.evaluate({"said": "x", "n": 7}), ensure_ascii=False)
    return problems + ([] if json.dumps("big " + value, ensure_ascii=False)[1:-1] in decision
                       else ["imported back, the output is not the text"])


def _json(guideline: IRGuideline, text: str, value: str) -> list[str]:
    from mmdsl.backends.schema.facts import render_schema

    found = json.dumps(json.loads(render_schema(guideline)), ensure_ascii=False)
    return [] if json.dumps("said " + value, ensure_ascii=False)[1:-1] in found else [
        "the schema does not hold the description"]


def _fhir(guideline: IRGuideline, text: str, value: str) -> list[str]:
    """The bundle read by json and validated by fhir.resources' R4B models (FHIR's own rules for
    a string), then the description looked for in what the models read."""
    from fhir.resources.R4B.bundle import Bundle

    from mmdsl.fhir.resources import fhir_bundle_text

    bundle = Bundle.model_validate_json(fhir_bundle_text(guideline, text, "https://example.org/fhir"))
    found = json.dumps(json.loads(bundle.model_dump_json()), ensure_ascii=False)
    return [] if json.dumps("said " + value, ensure_ascii=False)[1:-1] in found else [
        "the resources do not hold the description"]


BACKENDS: dict[str, Callable[[IRGuideline, str, str], list[str]]] = {
    "python": _python, "review html": _review_html, "review markdown": _review_markdown,
    "sql (duckdb)": _sql, "dmn": _dmn, "json schema": _json, "fhir": _fhir}


def summary(tally: Tally) -> dict[str, Any]:
    return {"tried": tally.tried, "refused": tally.refused, "failed": len(tally.failures)}
