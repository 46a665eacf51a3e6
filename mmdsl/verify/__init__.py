"""Verification: gaps, overlaps, dead, unreachable and redundant rules, each with a witness patient.

Every condition becomes a boolean function over the base inputs (derived facts and earlier tables'
results are expanded), encoded as a BDD; the analyses are exact operations on those functions.
"""
