"""Back ends: each reads the IR and writes one kind of artefact (evaluator, review documents)."""
