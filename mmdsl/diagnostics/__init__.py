"""Diagnostics: stable codes, the records the compiler emits, and their rendering."""

from mmdsl.diagnostics.codes import CODES, Code, lookup
from mmdsl.diagnostics.model import Diagnostic, Severity, has_errors

__all__ = ["CODES", "Code", "Diagnostic", "Severity", "has_errors", "lookup"]
