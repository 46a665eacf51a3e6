"""The inputs of a guideline as the prelude's validation reads them.

The interpreter builds this description at run time; the Python back end writes the very same
tuple into every generated module, so both validate facts alike.
"""

from __future__ import annotations

from mmdsl.ir.model import IRInput
from mmdsl.runtime.prelude import InputField


def input_fields(inputs: tuple[IRInput, ...]) -> tuple[InputField, ...]:
    return tuple(input_field(item) for item in inputs)


def input_field(item: IRInput) -> InputField:
    # a set's default is a JSON list in the IR; a tuple keeps the description immutable
    default = tuple(item.default) if isinstance(item.default, list) else item.default
    return InputField(
        name=item.name, kind=item.type.kind, required=item.required, default=default,
        members=item.type.members, low=item.type.low, high=item.type.high,
        includes=item.includes, unknown=item.unknown, offset_with=item.offset_with,
    )
