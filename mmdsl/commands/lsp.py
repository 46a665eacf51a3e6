"""`mmdsl lsp`: the language server an editor starts (mmdsl/lsp/)."""

from __future__ import annotations

import click


@click.command(name="lsp")
@click.option("--pause", default=0.4, show_default=True, type=click.FloatRange(0, 10),
              help="seconds without typing before the verifier's findings are computed")
def lsp(pause: float) -> None:
    """Run the language server over standard input and output, for an editor.

    It shows what `mmdsl check` says as the author types (the verifier's findings after a short
    pause), and answers hover, completion, go to definition, find references, rename, the
    outline, formatting (as `mmdsl fmt`) and quick fixes. Editors start it themselves: the VS
    Code extension in editors/vscode/ does. It needs the `lsp` extra: pip install 'mmdsl[lsp]'.

    \b
    Example (the command an editor is configured with):
      mmdsl lsp
    """
    try:
        from mmdsl.lsp.server import main as serve
    except ImportError as error:
        raise click.ClickException(
            f"the language server needs pygls and lsprotocol ({error.name} is missing): "
            "pip install 'mmdsl[lsp]'") from error
    serve(pause)
