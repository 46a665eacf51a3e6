# ---- mmdsl computed numbers: exact arithmetic for numeric facts ------------------------------
# Shared, text for text, by the reference interpreter (which imports it) and by every generated
# evaluator whose guideline has a numeric fact (which embeds it after the prelude). Standard
# library only, no module docstring.

from fractions import Fraction


def exact(value: object) -> Fraction:
    """A number exactly: a float (a decimal input, as JSON gives it) through its shortest decimal
    spelling, which is the number as written (at most 15 digits); an int or a Fraction as it is."""
    if isinstance(value, float):
        return Fraction(repr(value))
    assert isinstance(value, int | Fraction)
    return Fraction(value)


class Exact(Fraction):
    """The value of a numeric fact. Compared with a float (a threshold of a table, such as 30.0)
    it compares with the decimal the float was written as, so `bmi >= 30.0` is exact; a plain
    Fraction would compare with the float's binary value (0.3 is a little less than 3/10)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return Fraction.__eq__(self, exact(other) if isinstance(other, float) else other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: object) -> bool:
        return Fraction.__lt__(self, exact(other) if isinstance(other, float) else other)  # type: ignore[operator]

    def __le__(self, other: object) -> bool:
        return Fraction.__le__(self, exact(other) if isinstance(other, float) else other)  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        return Fraction.__gt__(self, exact(other) if isinstance(other, float) else other)  # type: ignore[operator]

    def __ge__(self, other: object) -> bool:
        return Fraction.__ge__(self, exact(other) if isinstance(other, float) else other)  # type: ignore[operator]

    __hash__ = Fraction.__hash__


def shown_number(value: Fraction | None, integer: bool) -> int | float | None:
    """A numeric fact in the decision's JSON: an integer, or a decimal rounded to the nearest
    float (the tests compared the exact value); None (null) when it is unknown."""
    if value is None:
        return None
    return int(value) if integer else float(value)
