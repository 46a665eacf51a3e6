"""The list of checks, in the order their diagnostics are documented."""

from __future__ import annotations

from mmdsl.check import Check

CHECKS: list[Check] = []
