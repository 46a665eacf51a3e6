"""Cohorts: many patients at once, through the SQL back end and DuckDB (the `cohort` extra).

`mmdsl cohort` (mmdsl/commands/cohort.py) reads patients from Parquet, CSV or JSON Lines, checks
every row by the rules of docs/decision.md, evaluates the valid rows in one SQL query and writes
the decisions to Parquet; `--generate` makes synthetic patients. See docs/cohort.md.
"""
