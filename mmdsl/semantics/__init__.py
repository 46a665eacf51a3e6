"""Meaning of the syntax tree: the declarations of a guideline and the types of its values."""
