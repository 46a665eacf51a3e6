"""DMN interchange: `mmdsl import` (DMN 1.2-1.5 to mmdsl source) and `mmdsl export --to dmn`.

Reading: safexml (hostile XML refused) -> reader (XML to `model`) -> translate and tables (model
to mmdsl text, with cells, feel and types) -> importer (the text through the ordinary compiler).
Writing: writer (IR to DMN 1.5 XML, cells through feel_text). Standard library only; see
docs/dmn.md for the mapping both ways and where DMN and mmdsl mean different things.
"""
