"""The front end: grammar, parser, and the syntax tree it builds."""
