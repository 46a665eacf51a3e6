"""Reading a DMN 1.2-1.5 file into `mmdsl.dmn.model`, with a diagnostic for what is not read.

Only the XML structure is read here: names, types, the texts of cells and expressions, the
mmdsl extension elements. What the FEEL texts mean, and whether mmdsl can say the same, is the
translation's business (`translate`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from mmdsl.dmn import model as m
from mmdsl.frontends.dmn.report import Reporter
from mmdsl.frontends.dmn.safexml import Element, XmlRefused, parse

MMDSL = m.MMDSL_NAMESPACE
_DIGITS = re.compile(r"[0-9]{1,9}")

# Decision logic that has no mmdsl form: DMN's boxed expressions.
BOXED_EXPRESSIONS = {
    "context": "a boxed context", "invocation": "a boxed invocation", "relation": "a relation",
    "list": "a boxed list", "functionDefinition": "a function definition",
    "conditional": "a boxed conditional", "for": "a boxed for", "every": "a boxed every",
    "some": "a boxed some", "filter": "a boxed filter",
}
# DRG elements that carry logic mmdsl cannot run; knowledge sources are documentation only.
UNSUPPORTED_ELEMENTS = {
    "businessKnowledgeModel": "a business knowledge model (BKM)",
    "decisionService": "a decision service",
}


def read_model(data: bytes, reporter: Reporter) -> m.Model | None:
    """The model in `data`, or None when the file is not a DMN model that can be read at all."""
    try:
        root = parse(data)
    except XmlRefused as error:
        reporter.report("dmn-unreadable", m.Position(error.line, error.column), error.message)
        return None
    if root.tag != "definitions" or root.namespace not in m.DMN_NAMESPACES:
        reporter.report("dmn-not-a-model", _where(root),
                        f"the root element is `{root.tag}` in namespace `{root.namespace}`, not "
                        "the `definitions` of a DMN 1.2 to 1.5 model",
                        help="save the model as DMN 1.3, 1.4 or 1.5")
        return None
    return _definitions(root, reporter)


def _where(element: Element) -> m.Position:
    return m.Position(element.line, element.column)


def _text_of(element: Element) -> m.Text:
    return m.Text(element.text.strip(), m.Position(element.text_line, element.text_column))


def _child_text(element: Element, tag: str) -> m.Text | None:
    child = element.find(tag)
    if child is None:
        return None
    text = child.find("text")
    return None if text is None else _text_of(text)


def _description(element: Element) -> str:
    return (element.child_text("description") or "").strip()


def _extras(element: Element) -> tuple[tuple[str, str], ...]:
    """The mmdsl extension attributes of an element, by local name."""
    prefix = f"{{{MMDSL}}}"
    return tuple(sorted((key[len(prefix):], value) for key, value in element.attributes.items()
                        if key.startswith(prefix)))


# ---- definitions ------------------------------------------------------------------------------


def _definitions(root: Element, reporter: Reporter) -> m.Model:
    for element in root.find_all("import"):
        reporter.report("dmn-unsupported-construct", _where(element),
                        "imported models are not read: the import reads one file",
                        help="merge the imported model's elements into this file")
    knowledge: dict[str, Knowledge] = {}
    formulas: dict[str, m.Formula] = {}
    for element in root.children:
        if element.namespace != root.namespace:
            continue
        if element.tag == "businessKnowledgeModel" and _knowledge_table(element) is not None:
            found = _knowledge(element)
            knowledge[" ".join(found.name.split())] = found
        elif element.tag == "businessKnowledgeModel" and (formula := _formula(element)):
            formulas[formula.name] = formula
        elif element.tag in UNSUPPORTED_ELEMENTS:
            _unsupported_element(element, UNSUPPORTED_ELEMENTS[element.tag], reporter)
    items = {item.name: item for item in map(_item_definition, root.find_all("itemDefinition"))}
    inputs = tuple(_input_data(e) for e in root.find_all("inputData"))
    formula_ids = frozenset(f"#{f.id}" for f in formulas.values())
    decisions = tuple(_decision(e, reporter, knowledge, formula_ids)
                      for e in root.find_all("decision"))
    return m.Model(root.attributes.get("name", ""), root.namespace, items, inputs, decisions,
                   _guideline(root), _where(root), formulas)


def _formula(element: Element) -> m.Formula | None:
    """A knowledge model whose logic is a literal expression (`(p*r/12)/(1-(1+r/12)**-n)`):
    a decision's FEEL that calls it is read with the body inlined (`arithmetic.py`)."""
    logic = element.find("encapsulatedLogic")
    body = _child_text_of(logic.find("literalExpression")) if logic is not None else None
    if logic is None or body is None:
        return None
    parameters = tuple(" ".join(p.attributes.get("name", "").split())
                       for p in logic.find_all("formalParameter"))
    return m.Formula(element.attributes.get("id", ""),
                     " ".join(element.attributes.get("name", "").split()), parameters, body)


@dataclass(frozen=True, slots=True)
class Knowledge:
    """A business knowledge model whose logic is a decision table over its parameters: a
    decision that invokes it (a boxed invocation binding each parameter) reads as that table
    with each column's parameter replaced by the expression bound to it."""

    name: str
    parameters: tuple[str, ...]
    table: m.DecisionTable


def _knowledge_table(element: Element) -> Element | None:
    logic = element.find("encapsulatedLogic")
    return logic.find("decisionTable") if logic is not None else None


def _knowledge(element: Element) -> Knowledge:
    logic = element.find("encapsulatedLogic")
    table = _knowledge_table(element)
    assert logic is not None and table is not None
    parameters = tuple(" ".join(p.attributes.get("name", "").split())
                       for p in logic.find_all("formalParameter"))
    return Knowledge(element.attributes.get("name", ""), parameters, _decision_table(table))


def _invocation(element: Element, name: str, knowledge: dict[str, Knowledge],
                reporter: Reporter) -> m.DecisionTable | None:
    """The table of the knowledge model a boxed invocation calls, its columns reading what the
    bindings give; reported (MD702) when that cannot be said exactly."""
    callee = element.find("literalExpression")
    called = " ".join((callee.child_text("text") or "").split()) if callee is not None else ""
    bkm = knowledge.get(called)
    if bkm is None:
        reporter.report("dmn-unsupported-construct", _where(element),
                        f"decision `{name}` invokes `{called}`, which is not a business "
                        "knowledge model whose logic is a decision table",
                        help="rewrite the logic as a decision table")
        return None
    bound: dict[str, m.Text] = {}
    for binding in element.find_all("binding"):
        parameter = binding.find("parameter")
        expression = _child_text_of(binding.find("literalExpression"))
        if parameter is None or expression is None:
            reporter.report("dmn-unsupported-construct", _where(binding),
                            f"decision `{name}`: a binding that is not a literal expression")
            return None
        bound[" ".join(parameter.attributes.get("name", "").split())] = expression
    columns = []
    for clause in bkm.table.inputs:
        text = " ".join(clause.expression.value.split())
        if text not in bkm.parameters or text not in bound:
            what = "is not bound by the invocation" if text in bkm.parameters else \
                "is not one of its parameters"
            reporter.report("dmn-unsupported-construct", clause.expression,
                            f"decision `{name}` invokes `{called}`, whose column `{text}` {what}")
            return None
        columns.append(m.InputClause(bound[text], clause.type_ref, clause.values, clause.where))
    return replace(bkm.table, inputs=tuple(columns))


def _child_text_of(element: Element | None) -> m.Text | None:
    if element is None:
        return None
    text = element.find("text")
    return _text_of(text) if text is not None else None


def _unsupported_element(element: Element, what: str, reporter: Reporter) -> None:
    name = element.attributes.get("name", "")
    reporter.report("dmn-unsupported-construct", _where(element),
                    f"{what} (`{name}`) has no mmdsl equivalent",
                    help="write its logic as a decision table that reads the same inputs")


def _item_definition(element: Element) -> m.ItemDefinition:
    type_ref = element.find("typeRef")
    allowed = _child_text(element, "allowedValues")
    return m.ItemDefinition(
        element.attributes.get("name", ""), type_ref.text.strip() if type_ref is not None else None,
        allowed, element.attributes.get("isCollection") == "true",
        tuple(_item_definition(c) for c in element.find_all("itemComponent")), _where(element),
        _extras(element))


def _input_data(element: Element) -> m.InputData:
    variable = element.find("variable")
    type_ref = variable.attributes.get("typeRef") if variable is not None else None
    return m.InputData(element.attributes.get("id", ""), element.attributes.get("name", ""),
                       _description(element), type_ref, _where(element), _extras(element))


# ---- decisions -----------------------------------------------------------------------------------


def _decision(element: Element, reporter: Reporter,
              knowledge: dict[str, Knowledge] | None = None,
              formula_ids: frozenset[str] = frozenset()) -> m.Decision:
    name = element.attributes.get("name", "")
    variable = element.find("variable")
    type_ref = variable.attributes.get("typeRef") if variable is not None else None
    invocation = element.find("invocation")
    logic = _logic(element, name, reporter, knowledge or {})
    # A boxed invocation of a table model is read as that table; any other use of a knowledge
    # model (a call inside FEEL, `PMT(...)`) is not.
    # A literal expression may call knowledge models whose logic is a literal expression
    # (formulas), which the arithmetic inlines.
    requirements = [] if invocation is not None else [
        r for r in element.find_all("knowledgeRequirement")
        if not (isinstance(logic, m.LiteralExpression) and _required(r) in formula_ids)]
    for requirement in requirements:
        reporter.report("dmn-unsupported-construct", _where(requirement),
                        f"decision `{name}` invokes a business knowledge model, which mmdsl "
                        "cannot run", help="inline the knowledge model's logic as a decision table")
    return m.Decision(element.attributes.get("id", ""), name, _description(element), type_ref,
                      logic, _where(element), _extras(element),
                      element.attributes.get("label", ""), bool(requirements))


def _required(requirement: Element) -> str:
    found = requirement.find("requiredKnowledge")
    return found.attributes.get("href", "") if found is not None else ""


def _logic(element: Element, name: str, reporter: Reporter,
           knowledge: dict[str, Knowledge]) -> m.DecisionTable | m.LiteralExpression | None:
    for child in element.children:
        if child.namespace != element.namespace:
            continue
        if child.tag == "invocation":
            return _invocation(child, name, knowledge, reporter)
        if child.tag == "decisionTable":
            return _decision_table(child)
        if child.tag == "literalExpression":
            text = child.find("text")
            return m.LiteralExpression(_text_of(text) if text is not None else
                                       m.Text("", _where(child)), _where(child))
        if child.tag in BOXED_EXPRESSIONS:
            reporter.report("dmn-unsupported-construct", _where(child),
                            f"decision `{name}` is {BOXED_EXPRESSIONS[child.tag]}, which has no "
                            "mmdsl equivalent", help="rewrite the logic as a decision table")
            return None
    reporter.report("dmn-unsupported-construct", _where(element),
                    f"decision `{name}` has no decision logic", help="give it a decision table")
    return None


def _decision_table(element: Element) -> m.DecisionTable:
    return m.DecisionTable(
        element.attributes.get("hitPolicy", "UNIQUE"), element.attributes.get("aggregation"),
        tuple(_input_clause(e) for e in element.find_all("input")),
        tuple(_output_clause(e) for e in element.find_all("output")),
        tuple(e.attributes.get("name", "") for e in element.find_all("annotation")),
        tuple(_rule(e) for e in element.find_all("rule")),
        element.attributes.get("typeRef"), _where(element), _extras(element))


def _input_clause(element: Element) -> m.InputClause:
    expression = element.find("inputExpression")
    text = expression.find("text") if expression is not None else None
    return m.InputClause(
        _text_of(text) if text is not None else m.Text("", _where(element)),
        expression.attributes.get("typeRef") if expression is not None else None,
        _child_text(element, "inputValues"), _where(element))


def _output_clause(element: Element) -> m.OutputClause:
    return m.OutputClause(element.attributes.get("name"), element.attributes.get("typeRef"),
                          _child_text(element, "outputValues"),
                          _literal_text(element.find("defaultOutputEntry")),
                          _description(element), _where(element))


def _literal_text(element: Element | None) -> m.Text | None:
    if element is None:
        return None
    text = element.find("text")
    return _text_of(text) if text is not None else None


def _rule(element: Element) -> m.Rule:
    return m.Rule(
        tuple(_entry(e) for e in element.find_all("inputEntry")),
        tuple(_entry(e) for e in element.find_all("outputEntry")),
        tuple((e.child_text("text") or "").strip() for e in element.find_all("annotationEntry")),
        _description(element), _where(element))


def _entry(element: Element) -> m.Text:
    text = element.find("text")
    return _text_of(text) if text is not None else m.Text("", _where(element))


# ---- what mmdsl keeps in extension elements ----------------------------------------------------


def _guideline(root: Element) -> m.Guideline | None:
    extension = root.find("extensionElements")
    found = extension.find("guideline", MMDSL) if extension is not None else None
    if found is None:
        return None
    scope = found.find("scope")
    return m.Guideline(
        name=found.attributes.get("name", ""), title=found.attributes.get("title", ""),
        version=found.attributes.get("version", ""),
        scope_decision=scope.attributes.get("decision", "") if scope is not None else "",
        scope_description=scope.attributes.get("description", "") if scope is not None else "",
        references=tuple((_int(e.attributes.get("number", "")), e.text)
                         for e in found.find_all("reference")),
        evidence=tuple(_evidence(e) for e in found.find_all("evidence")),
        caveats=tuple(m.Caveat(e.attributes.get("name", ""), e.text,
                               _ints(e.attributes.get("refs", "")))
                      for e in found.find_all("caveat")),
        enumerations=tuple(_enumeration(e) for e in found.find_all("enum")),
        examples=tuple(_example(e) for e in found.find_all("example")),
        remarks=tuple(m.Remark(e.tag, e.attributes.get("name", ""),
                               tuple(e.attributes.get("on", "").split()), e.text)
                      for e in found.children if e.tag in ("note", "quote")
                      and e.namespace == MMDSL))


def _example(element: Element) -> m.Example:
    lines = tuple(m.ExampleLine(e.tag == "expect", e.attributes.get("subject", ""),
                                _example_values(e.text), e.attributes.get("quoted") == "true",
                                unknown=e.text.strip() == "null")
                  for e in element.children if e.tag in ("given", "expect")
                  and e.namespace == MMDSL)
    return m.Example(element.attributes.get("name", ""),
                     element.attributes.get("description", ""), lines)


def _example_values(text: str) -> tuple[m.ExampleScalar, ...]:
    """A JSON list of scalars; anything else reads as no valid value (the line is left out)."""
    try:
        values = json.loads(text)
    except ValueError:
        return (float("nan"),)
    if values is None:  # `unknown` (ExampleLine.unknown)
        return ()
    if not isinstance(values, list):
        return (float("nan"),)
    return tuple(v if isinstance(v, (bool, int, float, str)) else float("nan") for v in values)


def _evidence(element: Element) -> m.Evidence:
    def texts(tag: str) -> tuple[str, ...]:
        return tuple(e.text for e in element.find_all(tag))

    return m.Evidence(element.attributes.get("name", ""), element.attributes.get("title", ""),
                      _ints(element.attributes.get("refs", "")), texts("design"),
                      texts("population"), texts("finding"))


def _enumeration(element: Element) -> m.Enumeration:
    members = tuple((e.attributes.get("name", ""), e.attributes.get("label", ""))
                    for e in element.find_all("member"))
    classes = tuple((e.attributes.get("name", ""), e.attributes.get("description", ""),
                     tuple(e.attributes.get("members", "").split()))
                    for e in element.find_all("class"))
    return m.Enumeration(element.attributes.get("name", ""),
                         element.attributes.get("description", ""), members, classes)


def _int(text: str) -> int:
    return int(text) if _DIGITS.fullmatch(text.strip()) else 0


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split() if _DIGITS.fullmatch(part))
