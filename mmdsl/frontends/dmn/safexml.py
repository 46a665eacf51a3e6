"""Reading untrusted XML safely, keeping the line and column of every element.

A DMN file comes from outside and is hostile input. The standard library's expat parser never
fetches external entities, but it does expand entities declared in an internal DTD, which is how
"billion laughs" and quadratic-blowup documents exhaust memory. DMN never needs a DTD, so the
parser refuses the document as soon as it sees a DOCTYPE (and, as a second line of defence, any
entity declaration or external entity reference); with no DTD only the five predefined entities
and character references remain, which cannot expand. The size of the file and the depth of the
element tree are bounded as well, so the tree walkers above never recurse without limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 256
_DECLARATION_BYTES = 200
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")


class XmlRefused(Exception):
    """The document is not well-formed, or uses a feature that is refused; with its position."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass(eq=False)
class Element:
    """An XML element: namespace and local name, attributes, direct text, children, position.

    Attributes without a namespace are keyed by their local name, others by `{namespace}name`.
    `text_line` and `text_column` locate the element's first character of text (or its tag).
    """

    namespace: str
    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)
    text: str = ""
    text_line: int = 0
    text_column: int = 0
    # The chunks of text while the element is open: expat hands text over in many small pieces
    # (one per line or character reference), so they are joined once at the end tag; adding
    # each piece to `text` would copy the text so far every time, quadratic in its length.
    chunks: list[str] = field(default_factory=list, repr=False)
    has_text: bool = field(default=False, repr=False)  # a chunk with a non-blank character seen

    def find(self, tag: str, namespace: str | None = None) -> Element | None:
        """The first child called `tag` (in this element's namespace unless another is given)."""
        found = self.find_all(tag, namespace)
        return found[0] if found else None

    def find_all(self, tag: str, namespace: str | None = None) -> list[Element]:
        wanted = self.namespace if namespace is None else namespace
        return [c for c in self.children if c.tag == tag and c.namespace == wanted]

    def child_text(self, tag: str) -> str | None:
        """The text of the first child called `tag`, or None when there is no such child."""
        child = self.find(tag)
        return None if child is None else child.text


def parse(data: bytes) -> Element:
    """The root element of an XML document; raises XmlRefused for anything unsafe or broken."""
    if len(data) > MAX_BYTES:
        raise XmlRefused(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB", 1, 1)
    builder = _TreeBuilder()
    try:
        builder.parser.Parse(data, True)
    except expat.ExpatError as error:
        raise XmlRefused(f"not well-formed XML: {expat.ErrorString(error.code)}",
                         error.lineno, error.offset + 1) from None
    except (LookupError, ValueError):
        # expat asks Python for the codec the XML declaration names: an unknown name is a
        # LookupError, a codec expat cannot drive (UTF-7, the CJK multi-byte ones) a ValueError
        declared = _DECLARED_ENCODING.match(data[:_DECLARATION_BYTES])
        name = declared.group(1).decode("ascii", "replace") if declared else "?"
        raise XmlRefused(f"the XML declaration names the encoding `{name}`, which cannot be "
                         "read; save the file as UTF-8", 1, 1) from None
    assert builder.root is not None  # expat refuses a document without a root element
    return builder.root


class _TreeBuilder:
    """Expat callbacks that build Elements and refuse DTDs, entity declarations and deep trees."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.UnparsedEntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._characters
        self.parser.buffer_text = False  # unbuffered, a chunk's position is where it starts
        self.stack: list[Element] = []
        self.root: Element | None = None

    def _position(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def _refuse(self, what: str) -> None:
        raise XmlRefused(f"{what} is refused: DMN files need none, and it is how entity-"
                         "expansion and external-entity attacks work", *self._position())

    def _refuse_doctype(self, *_: object) -> None:
        self._refuse("a DOCTYPE declaration")

    def _refuse_entity(self, *_: object) -> None:
        self._refuse("an entity declaration")

    def _refuse_external(self, *_: object) -> int:
        self._refuse("an external entity reference")
        return 0

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise XmlRefused(f"elements are nested more than {MAX_DEPTH} deep", *self._position())
        namespace, tag = _split(name)
        line, column = self._position()
        element = Element(namespace, tag, {_attribute_key(k): v for k, v in attributes.items()},
                          line, column, text_line=line, text_column=column)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def _end(self, _name: str) -> None:
        element = self.stack.pop()
        element.text = "".join(element.chunks)
        element.chunks = []

    def _characters(self, data: str) -> None:
        if not self.stack:
            return
        element = self.stack[-1]
        if not element.has_text and data.strip():
            # the first non-blank chunk: where the element's text starts (each chunk is looked
            # at once, so this costs time linear in the text)
            element.has_text = True
            line, column = self._position()
            leading = data[:len(data) - len(data.lstrip())]
            element.text_line = line + leading.count("\n")
            element.text_column = len(leading) - leading.rfind("\n") if "\n" in leading \
                else column + len(leading)
        element.chunks.append(data)


def _split(name: str) -> tuple[str, str]:
    namespace, _, tag = name.rpartition(" ")
    return namespace, tag


def _attribute_key(name: str) -> str:
    namespace, tag = _split(name)
    return f"{{{namespace}}}{tag}" if namespace else tag
