"""Small DMN models written in tests, and running them through the import."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mmdsl.diagnostics.render import render_text
from mmdsl.frontends.dmn.importer import ImportResult, import_dmn
from mmdsl.interpreter import evaluate

DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"


def model(body: str, name: str = "test model", namespace: str = DMN15) -> bytes:
    """A DMN document whose `definitions` holds `body` (XML, written as in the file)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{namespace}" '
            f'id="defs" name={quoteattr(name)} namespace="urn:test">\n{body}\n</definitions>\n'
            ).encode()


def ident(prefix: str, name: str) -> str:
    return quoteattr(prefix + re.sub(r"\W", "_", name, flags=re.ASCII))


def input_data(name: str, type_ref: str) -> str:
    return (f"<inputData id={ident('i_', name)} name={quoteattr(name)}>"
            f"<variable name={quoteattr(name)} typeRef={quoteattr(type_ref)}/></inputData>")


def table(name: str, hit: str, inputs: list[str], outputs: list[str], rules: list[list[str]],
          type_ref: str = "string", extra: str = "") -> str:
    """A decision with a decision table: `inputs` are input expressions, `outputs` output
    clauses written out (`<output name="x" typeRef="string"/>`), rules their entries' texts."""
    clauses = "".join(f"<input><inputExpression><text>{escape(i)}</text></inputExpression></input>"
                      for i in inputs)
    rows = "".join(
        "<rule>" + "".join(f"<inputEntry><text>{escape(c)}</text></inputEntry>"
                           for c in r[:len(inputs)])
        + "".join(f"<outputEntry><text>{escape(c)}</text></outputEntry>" for c in r[len(inputs):])
        + "</rule>" for r in rules)
    return (f"<decision id={ident('d_', name)} name={quoteattr(name)}>"
            f"<variable name={quoteattr(name)} typeRef={quoteattr(type_ref)}/>"
            f'<decisionTable {hit}>{clauses}{"".join(outputs)}{extra}{rows}</decisionTable>'
            "</decision>")


def imported(data: bytes) -> ImportResult:
    return import_dmn(data, "model.dmn", "model.mmdsl")


def problems(result: ImportResult) -> str:
    return render_text(result.all_diagnostics, result.sources)


def codes(result: ImportResult) -> list[str]:
    return [d.code for d in result.all_diagnostics]


def decide(result: ImportResult, facts: dict[str, Any]) -> dict[str, Any]:
    assert result.compilation is not None and result.compilation.guideline is not None, \
        problems(result)
    return evaluate(result.compilation.guideline, facts)
