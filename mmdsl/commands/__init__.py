"""Commands of the `mmdsl` program that live in their own modules; `mmdsl.cli` registers them."""
