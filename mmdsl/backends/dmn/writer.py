"""`mmdsl export --to dmn`: a guideline's IR as a DMN 1.5 model.

| mmdsl                              | DMN 1.5                                                     |
|------------------------------------|-------------------------------------------------------------|
| input                              | inputData, typed by an itemDefinition                       |
| enum, inline `one of`              | itemDefinition: string with allowedValues in declared order |
| set of an enum                     | itemDefinition: a collection of that enum                   |
| integer, unit, bounds              | number with allowedValues `[low..high]`; mmdsl:type, :unit  |
| derived fact                       | decision with a boolean literal expression                  |
| scope                              | decision with a boolean literal expression (mmdsl:scope)    |
| table                              | decision with a decision table, each rule in order          |
| rule name, evidence, caveats       | annotation columns `rule`, `evidence`, `caveats`            |
| evidence, caveats (their texts)    | textAnnotation artifacts, associated with the decisions     |
| bibliography, enum labels, classes | extensionElements `mmdsl:guideline`                         |
| worked examples, notes, quotes     | `mmdsl:example`, `mmdsl:note`, `mmdsl:quote` in the same    |
| order by, distinct by, includes,   | mmdsl extension attributes: `mmdsl import` restores them,   |
| defaults, complete, requires ...   | a DMN engine ignores them (warning MD709)                   |

Derived facts become decisions with literal expressions, not input expressions, because that is
what round-trips: a table column reads the fact by name in both languages, and the fact's
condition stays one statement. Written with the standard library's ElementTree, which escapes
every attribute and text; nothing here needs anything beyond the standard library.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from mmdsl.backends.dmn import durations, feel_text
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.dmn import codes as _codes  # noqa: F401  (registers the MD7xx codes)
from mmdsl.dmn.model import DMN15, FEEL15, MMDSL_NAMESPACE
from mmdsl.dmn.names import Namespace
from mmdsl.ir import model as ir
from mmdsl.ir.walk import (
    choices,
    conditions,
    evaluation_order,
    numbers_read,
    parts,
    refs_read,
    text_parts,
    unknown_durations,
    with_choices,
)
from mmdsl.semantics.policies import POLICIES, RANKED_POLICIES, dmn_name
from mmdsl.source import NO_SPAN, Span
from mmdsl.version import __version__

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What XML 1.0 cannot carry, not even as a character reference."""
HIT_POLICIES = {policy: dmn_name(policy) for policy in POLICIES}


def tag(name: str) -> str:
    return f"{{{DMN15}}}{name}"


def ext(name: str) -> str:
    return f"{{{MMDSL_NAMESPACE}}}{name}"


@dataclass
class Export:
    """The DMN document and the warnings about what a DMN engine will not apply."""

    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def export_dmn(guideline: ir.IRGuideline, source_text: str = "") -> Export:
    """The DMN document; `source_text`, the guideline's file, places the warnings in it."""
    writer = _Writer(guideline, source_text)
    root = writer.definitions()
    ET.register_namespace("", DMN15)
    ET.register_namespace("mmdsl", MMDSL_NAMESPACE)
    ET.indent(root, space="  ")
    # A parser reads a raw carriage return as a line feed (XML 1.0, 2.11), and ElementTree
    # escapes it in attributes only: as a reference, text keeps its CR (backend_text.py found it).
    text = ET.tostring(root, encoding="unicode", xml_declaration=False).replace("\r", "&#13;")
    if NOT_XML.search(text):  # check refuses them (MD110): never write a file no parser reads
        raise ValueError("a control character reached the DMN writer; XML 1.0 cannot hold it")
    return Export('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", writer.warnings)


class _Writer:
    def __init__(self, guideline: ir.IRGuideline, source_text: str) -> None:
        self.guideline = guideline
        self.source_text = source_text
        self.item_names = Namespace()
        self.types: dict[str, str] = {}  # a type's key -> the typeRef written for it
        self.items: list[ET.Element] = []
        self.ids: dict[str, str] = {}  # an mmdsl name (input, fact, table) -> its element id
        self.warnings: list[Diagnostic] = []
        self.scope_name = ""
        self.unknown_durations = unknown_durations(guideline)  # null when a date is null

    # ---- the document ----

    def definitions(self) -> ET.Element:
        g = self.guideline
        root = ET.Element(tag("definitions"), {
            "id": f"guideline_{g.name}", "name": g.name, "namespace": f"urn:x-mmdsl:guideline:{g.name}",
            "expressionLanguage": FEEL15, "typeLanguage": FEEL15, "exporter": "mmdsl",
            "exporterVersion": __version__})
        _text_child(root, "description", g.title)
        extension = ET.SubElement(root, tag("extensionElements"))
        extension.append(self.guideline_extension())
        elements = list(self.inputs()) + list(self.intervals()) + list(self.facts()) \
            + list(self.tables())
        root.extend(self.items)
        root.extend(elements)
        root.extend(self.annotations())
        return root

    def guideline_extension(self) -> ET.Element:
        g = self.guideline
        element = ET.Element(ext("guideline"), name=g.name, title=g.title, version=g.version)
        if g.scope is not None:
            self.scope_name = self.fresh_decision_name("in_scope")
            ET.SubElement(element, ext("scope"), decision=f"decision_{self.scope_name}",
                          description=g.scope.description)
            self.warn(f"the scope \"{g.scope.description}\" is the decision `{self.scope_name}`; a "
                      "DMN engine evaluates the tables for every patient, in scope or not",
                      r"scope\b")
        for reference in g.references:
            _text_child(element, "reference", reference.citation, ns=ext,
                        number=str(reference.number))
        for evidence in g.evidence:
            element.append(_evidence_extension(evidence))
        for caveat in g.caveats:
            _text_child(element, "caveat", caveat.text, ns=ext, name=caveat.name,
                        refs=" ".join(map(str, caveat.refs)))
        for enum in g.enums:
            element.append(self.enum_extension(enum))
        for example in g.examples:
            element.append(self.example_extension(example))
        for kind, remarks in (("note", g.notes), ("quote", g.quotes)):
            for remark in remarks:
                _text_child(element, kind, remark.text, ns=ext, name=remark.name,
                            on=" ".join(remark.targets))
        return element

    def example_extension(self, example: ir.IRExample) -> ET.Element:
        """A worked example, its values as JSON lists (`mmdsl import` writes it back)."""
        element = ET.Element(ext("example"), name=example.name, description=example.description)
        inputs = {i.name: i for i in self.guideline.inputs}
        unknown = {f.name for f in self.guideline.facts if f.false_when is not None}
        unknown |= {c.name for c in self.guideline.computed if c.unknown_when is not None}
        unknown |= {t.name for t in self.guideline.labels if t.unknown_when is not None}
        for name, value in example.facts.items():
            given = inputs.get(name)
            text = "null" if value is None and given is not None and given.unknown \
                else _json_list(value)  # `ldh: unknown`
            _text_child(element, "given", text, ns=ext, subject=name,
                        quoted=_true_if(given is not None and given.type.kind == "text"))
        for expectation in example.expectations:
            text = "null" if expectation.expected is None and expectation.subject in unknown \
                else _json_list(expectation.expected)  # `expect high_ldh: unknown`
            _text_child(element, "expect", text, ns=ext,
                        subject=expectation.subject,
                        quoted=_true_if(self.is_text(expectation.subject)))
        return element

    def is_text(self, subject: str) -> bool:
        """Whether an expectation's subject holds text (its strings are quoted in mmdsl)."""
        name, _, output = subject.partition(".")
        if not output and any(label.name == name for label in self.guideline.labels):
            return True  # a text fact
        for table in self.guideline.tables:
            if table.name == name:
                outputs = [o for o in table.outputs if o.name == output] if output else \
                    list(table.outputs) if len(table.outputs) == 1 else []
                return bool(outputs) and outputs[0].type.kind == "text"
        return False

    def enum_extension(self, enum: ir.IREnum) -> ET.Element:
        element = ET.Element(ext("enum"), name=enum.name, description=enum.description)
        labels = dict(enum.labels)
        for member in enum.members:
            ET.SubElement(element, ext("member"), name=member, label=labels.get(member, ""))
        for cls in self.guideline.classes:
            if cls.enum == enum.name:
                ET.SubElement(element, ext("class"), name=cls.name, description=cls.description,
                              members=" ".join(cls.members))
        return element

    def fresh_decision_name(self, wanted: str) -> str:
        taken = {i.name for i in self.guideline.inputs} | {f.name for f in self.guideline.facts} \
            | {t.name for t in self.guideline.tables}
        name, counter = wanted, 1
        while name in taken:
            counter += 1
            name = f"{wanted}_{counter}"
        return name

    def warn(self, message: str, statement: str) -> None:
        """A warning at the first line matching `statement` (a regular expression), if any."""
        self.warnings.append(lookup("dmn-export-not-applied").at(
            self.guideline.source_path, _line_span(self.source_text, statement), message))

    # ---- types ----

    def type_ref(self, value_type: ir.IRType, owner: str) -> str:
        """The typeRef of a value: a FEEL type, or an itemDefinition written once per type."""
        kind = value_type.kind
        if kind == "bool":
            return "boolean"
        if kind == "text":
            return "string"
        if kind == "date":
            return "date"
        if kind == "datetime":
            return "date and time"
        if kind == "time":  # a time of day, FEEL's `time` (written without an offset)
            return "time"
        if kind == "duration" and owner.endswith("_time"):  # between dates and times
            return "days and time duration"
        if kind == "duration":  # a column of a duration reads one of its counts (backends/dmn/durations.py)
            return "number"
        if kind == "decimal" and value_type.low is None and value_type.unit is None:
            return "number"
        key = repr((kind, value_type.members, value_type.enum_name, value_type.low,
                    value_type.high, value_type.unit))
        if key not in self.types:
            self.types[key] = self.item_definition(value_type, owner)
        return self.types[key]

    def item_definition(self, value_type: ir.IRType, owner: str) -> str:
        if value_type.kind == "set":
            enum_ref = self.type_ref(ir.IRType("enum", value_type.members,
                                               enum_name=value_type.enum_name), owner)
            name = self.item_names.claim(f"{enum_ref}_set", "set")
            item = ET.Element(tag("itemDefinition"), name=name, isCollection="true")
            _text_child(item, "typeRef", enum_ref)
        elif value_type.kind == "enum":
            declared = value_type.enum_name in {e.name for e in self.guideline.enums}
            name = self.item_names.claim(
                value_type.enum_name if declared and value_type.enum_name else
                f"{(value_type.enum_name or owner).replace('.', '_')}_values", "values")
            item = ET.Element(tag("itemDefinition"), name=name)
            _text_child(item, "typeRef", "string")
            allowed = ET.SubElement(item, tag("allowedValues"))
            _text_child(allowed, "text", ", ".join(feel_text.string(m) for m in value_type.members))
        else:
            name = self.item_names.claim(f"{owner.replace('.', '_')}_number", "number")
            item = ET.Element(tag("itemDefinition"), name=name)
            if value_type.kind == "integer":
                item.set(ext("type"), "integer")
            if value_type.unit:
                item.set(ext("unit"), value_type.unit)
            _text_child(item, "typeRef", "number")
            if value_type.low is not None and value_type.high is not None:
                allowed = ET.SubElement(item, tag("allowedValues"))
                _text_child(allowed, "text", f"[{feel_text.number(value_type.low)}.."
                                             f"{feel_text.number(value_type.high)}]")
        self.items.append(item)
        return name

    # ---- inputs and facts ----

    def inputs(self) -> Iterator[ET.Element]:
        for data in self.guideline.inputs:
            self.ids[data.name] = f"input_{data.name}"
            element = ET.Element(tag("inputData"), id=f"input_{data.name}", name=data.name)
            _text_child(element, "description", data.description)
            ET.SubElement(element, tag("variable"), name=data.name,
                          typeRef=self.type_ref(data.type, data.name))
            self.input_extras(element, data)
            yield element

    @cached_property
    def fixed_moments(self) -> set[str]:
        """The date-and-time inputs compared with a fixed date and time somewhere."""
        return {p.ref for c in conditions(self.guideline) for p in parts(c)
                if isinstance(p, ir.AtTime)}

    def input_extras(self, element: ET.Element, data: ir.IRInput) -> None:
        if data.name == self.guideline.evaluation_date:
            element.set(ext("evaluation"), "true")  # the day of the decision (`evaluation date`)
        if data.unknown:  # `or unknown`: null is a value the caller may give (DMN allows it)
            element.set(ext("unknown"), "true")
        if data.name in self.fixed_moments:
            self.warn(f"`{data.name}` is compared with fixed dates and times: mmdsl compares the "
                      "clock time as written on the value, a DMN engine the instant when the "
                      "value carries an offset; give it without an offset",
                      rf"input\s+{re.escape(data.name)}\b")
        if data.includes:
            element.set(ext("includes"), data.includes)
            self.warn(f"`{data.name}` includes `{data.includes}`: a DMN engine does not add "
                      f"`{data.includes}` to `{data.name}`; the caller must",
                      rf"input\s+{re.escape(data.name)}\b")
        if not data.required:
            text = _default_literal(data.default)
            element.set(ext("default"), text)
            self.warn(f"`{data.name}` has the default {text}: a DMN engine has no defaults, so "
                      "the caller must give it", rf"input\s+{re.escape(data.name)}\b")

    def intervals(self) -> Iterator[ET.Element]:
        """Each duration as two number decisions: its days and its completed months."""
        for interval in self.guideline.intervals:
            for unit in durations.units_used(self.guideline, interval.name):
                name = f"{interval.name}_{unit}"
                self.ids[name] = f"decision_{name}"
                element = ET.Element(tag("decision"), id=f"decision_{name}", name=name)
                element.set(ext("duration"), interval.name)
                element.set(ext("unit"), unit)
                element.set(ext("start"), interval.start)
                element.set(ext("end"), interval.end)
                _text_child(element, "description", (interval.description or interval.name)
                            + (f", in {unit}" if unit != "time" else ""))
                ET.SubElement(element, tag("variable"), name=name, typeRef="number"
                              if unit != "time" else "days and time duration")
                base = durations.BASE[unit]
                self.requirements(element, [interval.start, interval.end] if base == unit
                                  else [f"{interval.name}_{base}"])
                literal = ET.SubElement(element, tag("literalExpression"))
                _text_child(literal, "text", durations.feel(interval, unit))
                yield element

    def facts(self) -> Iterator[ET.Element]:
        for _, fact in evaluation_order(self.guideline):  # each after the decisions it requires
            if isinstance(fact, ir.IRComputed):
                yield self.number_decision(fact)
            elif isinstance(fact, ir.IRLabel):
                yield self.text_decision(fact)
            else:
                yield self.literal_decision(fact.name, fact.description, fact.condition,
                                            fact.false_when)
        if self.guideline.scope is not None:
            scope = self.guideline.scope
            yield self.literal_decision(self.scope_name, scope.description, scope.condition)

    def literal_decision(self, name: str, description: str, condition: ir.Cond,
                         false_when: ir.Cond | None = None) -> ET.Element:
        """A yes/no decision; one that may be unknown (Kleene) is true, false or null."""
        condition = durations.known_days(condition, self.unknown_durations)
        if false_when is not None:
            false_when = durations.known_days(false_when, self.unknown_durations)
        self.ids[name] = f"decision_{name}"
        element = ET.Element(tag("decision"), id=f"decision_{name}", name=name)
        _text_child(element, "description", description)
        ET.SubElement(element, tag("variable"), name=name, typeRef="boolean")
        refs = durations.refs(condition) + (durations.refs(false_when) if false_when else [])
        self.requirements(element, sorted(set(refs)))
        literal = ET.SubElement(element, tag("literalExpression"))
        text = feel_text.expression(durations.as_compare(condition))
        if false_when is not None:
            text = (f"if {text} then true else if "
                    f"{feel_text.expression(durations.as_compare(false_when))} "
                    "then false else null")
        _text_child(literal, "text", text)
        return element

    def number_decision(self, fact: ir.IRComputed) -> ET.Element:
        """A numeric fact: a literal expression of FEEL arithmetic (mmdsl:type tells an integer)."""
        self.ids[fact.name] = f"decision_{fact.name}"
        element = ET.Element(tag("decision"), id=f"decision_{fact.name}", name=fact.name)
        _text_child(element, "description", fact.description)
        if fact.type.kind == "integer":
            element.set(ext("type"), "integer")  # FEEL has one number type; the import reads it
        ET.SubElement(element, tag("variable"), name=fact.name, typeRef="number")
        expr = with_choices(fact.expr, lambda c: durations.as_compare(
            durations.known_days(c, self.unknown_durations)))
        reads = [*numbers_read(expr), *(r for c in choices(expr) for r in refs_read(c))]
        self.requirements(element, sorted(set(reads)))
        literal = ET.SubElement(element, tag("literalExpression"))
        text = feel_text.arithmetic(expr)
        if fact.unknown_when is not None and next(choices(expr), None) is not None:
            # FEEL's `if` takes the `else` on a null condition, where mmdsl's number is unknown:
            # the cases that are unknown are said first (arithmetic over null is null in both)
            unknown_when = durations.as_compare(
                durations.known_days(fact.unknown_when, self.unknown_durations))
            text = f"if {feel_text.expression(unknown_when)} then null else {text}"
        _text_child(literal, "text", text)
        return element

    def text_decision(self, fact: ir.IRLabel) -> ET.Element:
        """A text fact: a literal expression joining FEEL strings with `+`."""
        self.ids[fact.name] = f"decision_{fact.name}"
        element = ET.Element(tag("decision"), id=f"decision_{fact.name}", name=fact.name)
        _text_child(element, "description", fact.description)
        ET.SubElement(element, tag("variable"), name=fact.name, typeRef="string")
        reads = [ref for part in text_parts(fact.expr) for ref in (
            [part.ref] if isinstance(part, ir.Part) else
            durations.refs(part.condition) if isinstance(part, ir.PickText) else [])]
        self.requirements(element, sorted(set(reads)))
        literal = ET.SubElement(element, tag("literalExpression"))
        text = feel_text.words(fact.expr, lambda c: feel_text.expression(durations.as_compare(c)))
        if fact.unknown_when is not None and any(isinstance(p, ir.PickText)
                                                 for p in text_parts(fact.expr)):
            # FEEL's `if` takes the `else` on a null condition, where mmdsl's text is unknown:
            # the cases that are unknown are said first (text joined with null is null in both)
            text = (f"if {feel_text.expression(durations.as_compare(fact.unknown_when))} "
                    f"then null else {text}")
        _text_child(literal, "text", text)
        return element

    def requirements(self, element: ET.Element, refs: list[str]) -> None:
        """An informationRequirement for each input or decision that `refs` name."""
        for name in dict.fromkeys(ref.split(".")[0] for ref in refs):
            requirement = ET.SubElement(element, tag("informationRequirement"))
            kind = "requiredInput" if self.ids[name].startswith("input_") else "requiredDecision"
            ET.SubElement(requirement, tag(kind), href=f"#{self.ids[name]}")

    # ---- tables ----

    def tables(self) -> Iterator[ET.Element]:
        for table in self.guideline.tables:
            self.ids[table.name] = f"decision_{table.name}"
            yield self.table_decision(table)

    def table_decision(self, table: ir.IRTable) -> ET.Element:
        element = ET.Element(tag("decision"), id=f"decision_{table.name}", name=table.name)
        if table.title:
            element.set("label", table.title)
        ET.SubElement(element, tag("variable"), name=table.name, typeRef=self.result_type(table))
        self.requirements(element, [ref for column, _ in self.dmn_columns(table)
                                    for ref in [column.ref]])
        element.append(self.decision_table(table))
        return element

    def result_type(self, table: ir.IRTable) -> str:
        if table.aggregate is not None:
            return "number"
        if table.result_kind == "single" and len(table.outputs) == 1:
            return self.type_ref(table.outputs[0].type, f"{table.name}.{table.outputs[0].name}")
        name = self.item_names.claim(f"{table.name}_result", "result")
        item = ET.Element(tag("itemDefinition"), name=name)
        if table.result_kind == "list":
            item.set("isCollection", "true")
        if len(table.outputs) == 1:
            _text_child(item, "typeRef", self.type_ref(table.outputs[0].type,
                                                       f"{table.name}.{table.outputs[0].name}"))
        for output in table.outputs if len(table.outputs) > 1 else ():
            component = ET.SubElement(item, tag("itemComponent"), name=output.name)
            _text_child(component, "typeRef", self.type_ref(output.type,
                                                            f"{table.name}.{output.name}"))
        self.items.append(item)
        return name

    def decision_table(self, table: ir.IRTable) -> ET.Element:
        element = ET.Element(tag("decisionTable"), hitPolicy=HIT_POLICIES[table.hit],
                             outputLabel=table.title or table.name)
        if table.aggregate:
            element.set("aggregation", table.aggregate.upper())
        self.table_extras(element, table)
        for column, _ in self.dmn_columns(table):
            clause = ET.SubElement(element, tag("input"), label=column.label)
            expression = ET.SubElement(clause, tag("inputExpression"),
                                       typeRef=self.type_ref(column.type, column.ref))
            _text_child(expression, "text", self.column_expression(column))
        for output in table.outputs:
            clause = ET.SubElement(element, tag("output"), name=output.name,
                                   typeRef=self.type_ref(output.type, f"{table.name}.{output.name}"))
            _text_child(clause, "description", output.description)
            if table.hit in RANKED_POLICIES and output.type.kind == "enum":
                # A PRIORITY / OUTPUT ORDER table ranks by the output clause's list of values,
                # not by the type's allowed values: without it an engine cannot rank.
                values = ET.SubElement(clause, tag("outputValues"))
                _text_child(values, "text", ", ".join(feel_text.literal(member)
                                                      for member in output.type.members))
        for name in ("rule", "evidence", "caveats"):
            ET.SubElement(element, tag("annotation"), name=name)
        for rule in table.rules:
            element.append(self.rule(table, rule))
        return element

    def table_extras(self, element: ET.Element, table: ir.IRTable) -> None:
        for key, names in (("orderBy", table.order_by), ("distinctBy", table.distinct_by)):
            if names:
                element.set(ext(key), " ".join(names))
                clause = "order by" if key == "orderBy" else "distinct by"
                self.warn(f"table `{table.name}`: `{clause} {', '.join(names)}` is not applied by "
                          "a DMN engine, which lists the rows in rule order",
                          rf"table\s+{re.escape(table.name)}\b")
        if table.complete:
            element.set(ext("complete"), "true")

    def dmn_columns(self, table: ir.IRTable) -> list[tuple[ir.IRColumn, int]]:
        """The table's columns as DMN has them, each with the mmdsl column it comes from: a
        duration becomes one number column per unit its cells test (backends/dmn/durations.py)."""
        found: list[tuple[ir.IRColumn, int]] = []
        for index, column in enumerate(table.columns):
            if column.type.kind != "duration":
                found.append((column, index))
                continue
            units = durations.units_read([rule.tests[index] for rule in table.rules]) or ["days"]
            found += [(replace(column, ref=f"{column.ref}_{unit}",
                               label=f"{column.label} ({unit})"), index) for unit in units]
        return found

    def column_expression(self, column: ir.IRColumn) -> str:
        """What a column reads, as DMN names it: a single-output table's result is the table."""
        name, _, output = column.ref.partition(".")
        tables = {t.name: t for t in self.guideline.tables}
        if output and name in tables and len(tables[name].outputs) == 1:
            return name
        return column.ref

    def rule(self, table: ir.IRTable, rule: ir.IRRule) -> ET.Element:
        element = ET.Element(tag("rule"), id=f"rule_{table.name}_{rule.index}")
        for column, index in self.dmn_columns(table):
            test = rule.tests[index]
            if table.columns[index].type.kind == "duration":
                test = durations.split(test, column.ref.rsplit("_", 1)[1])
            entry = ET.SubElement(element, tag("inputEntry"))
            _text_child(entry, "text", feel_text.unary_tests(test, column.nullable))
        for value in rule.outputs:
            entry = ET.SubElement(element, tag("outputEntry"))
            _text_child(entry, "text", feel_text.literal(value))
        for text in (rule.name, ", ".join(rule.evidence_names), ", ".join(rule.caveat_names)):
            annotation = ET.SubElement(element, tag("annotationEntry"))
            _text_child(annotation, "text", text)
        return element

    # ---- evidence and caveats as text annotations ----

    def annotations(self) -> Iterator[ET.Element]:
        cited = self.citations()
        for evidence in self.guideline.evidence:
            yield from self.text_annotation(f"evidence_{evidence.name}", evidence_text(evidence),
                                            cited.get(("evidence", evidence.name), []))
        for caveat in self.guideline.caveats:
            yield from self.text_annotation(f"caveat_{caveat.name}", f"Caveat: {caveat.text}",
                                            cited.get(("caveat", caveat.name), []))

    def citations(self) -> dict[tuple[str, str], list[str]]:
        """The tables that cite each evidence and caveat."""
        cited: dict[tuple[str, str], list[str]] = {}
        for table in self.guideline.tables:
            for rule in table.rules:
                for key in [("evidence", e) for e in rule.evidence_names] + \
                        [("caveat", c) for c in rule.caveat_names]:
                    cited.setdefault(key, [])
                    if table.name not in cited[key]:
                        cited[key].append(table.name)
        return cited

    def text_annotation(self, id_: str, text: str, tables: list[str]) -> Iterator[ET.Element]:
        annotation = ET.Element(tag("textAnnotation"), id=id_)
        _text_child(annotation, "text", text)
        yield annotation
        for table in tables:
            association = ET.Element(tag("association"), id=f"{id_}_{table}")
            ET.SubElement(association, tag("sourceRef"), href=f"#{id_}")
            ET.SubElement(association, tag("targetRef"), href=f"#decision_{table}")
            yield association


def _json_list(value: ir.JsonValue) -> str:
    values = value if isinstance(value, list) else [] if value is None else [value]
    return json.dumps(values, ensure_ascii=False)


def _true_if(condition: bool) -> str:
    return "true" if condition else "false"


def _default_literal(default: ir.JsonValue) -> str:
    """An input's default as a FEEL literal; a set's as a list."""
    if isinstance(default, list):
        return "[" + ", ".join(feel_text.literal(v) for v in default
                               if not isinstance(v, (list, dict))) + "]"
    assert not isinstance(default, dict)
    return feel_text.literal(default)


def evidence_text(evidence: ir.IREvidence) -> str:
    lines = [f"Evidence {evidence.name}: {evidence.title}"]
    lines += [f"References: {', '.join(map(str, evidence.refs))}"] if evidence.refs else []
    lines += [f"Design: {t}" for t in evidence.design]
    lines += [f"Population: {t}" for t in evidence.population]
    lines += [f"Finding: {t}" for t in evidence.findings]
    return "\n".join(lines)


def _evidence_extension(evidence: ir.IREvidence) -> ET.Element:
    element = ET.Element(ext("evidence"), name=evidence.name, title=evidence.title,
                         refs=" ".join(map(str, evidence.refs)))
    for key, texts in (("design", evidence.design), ("population", evidence.population),
                       ("finding", evidence.findings)):
        for text in texts:
            _text_child(element, key, text, ns=ext)
    return element


def _text_child(parent: ET.Element, element: str, text: str, ns: object = tag,
                **attributes: str) -> ET.Element:
    assert callable(ns)
    child = ET.SubElement(parent, ns(element), attributes)
    child.text = text
    return child


def _line_span(text: str, statement: str) -> Span:
    """The first line of `text` that starts with `statement`, or no span."""
    found = re.search(rf"^{statement}", text, re.MULTILINE)
    if found is None:
        return NO_SPAN
    line = text.count("\n", 0, found.start()) + 1
    return Span(line, 1, line, found.end() - found.start() + 1, found.start(), found.end())
