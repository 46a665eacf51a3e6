"""`mmdsl lsp`: the language server, so that an editor shows what `mmdsl check` says as the author
types, and helps write tables (hover, completion, go to definition, rename, formatting, fixes).

A layer on top of the compiler: it calls the pipeline, the checks, the formatter and the
verbaliser, and nothing in the compiler imports it.
"""
