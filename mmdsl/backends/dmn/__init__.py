"""DMN export (`mmdsl export --to dmn`): the IR to DMN 1.5 XML (`writer`), cells through
`feel_text`, durations between dates through `durations`. See docs/dmn.md."""
