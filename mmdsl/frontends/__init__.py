"""Front ends other than the table language itself: each turns another format into mmdsl source
and runs it through the ordinary pipeline."""
