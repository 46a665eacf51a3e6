"""mmdsl: a compiler for clinical decision tables."""

__version__ = "0.1.0"
