"""The commands of the `mmdsl` program, one module each; `mmdsl.cli` registers them."""
