"""`mmdsl serve`: the guidelines of table files over HTTP, on uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

LOOPBACK = "127.0.0.1"


@click.command(name="serve")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option("--host", default=LOOPBACK, show_default=True,
              help="the address to listen on (the default serves this machine only)")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="the port to listen on")
@click.option("--feedback-log", "feedback_log", default="mmdsl-feedback.jsonl", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="where CDS Hooks feedback is appended, one JSON object a line")
@click.option("--base-url", "fhir_base", default=None, metavar="URL",
              help="the base of the FHIR canonical URLs, as given to `mmdsl export --to fhir "
                   "--base-url` [default: https://mmdsl.example/fhir]")
@click.option("--allow-origin", "allowed_origins", multiple=True, metavar="ORIGIN",
              help="a web origin whose pages may call the services (CORS), e.g. a CDS Hooks "
                   "sandbox; repeat for more; none by default")
def serve(paths: tuple[str, ...], host: str, port: int, feedback_log: Path, fhir_base: str | None,
          allowed_origins: tuple[str, ...]) -> None:
    """Serve the guidelines of table files: a decision page for clinicians, a JSON API and
    CDS Hooks 2.0 services.

    PATHS are table files or folders. Open http://127.0.0.1:8000/ for the list of guidelines
    and their decision pages (a patient form, the worked examples as presets, the decision with
    its evidence and caveats, the review document). Integrators: POST facts to
    /guidelines/NAME/decisions (OpenAPI at /openapi.json); CDS Hooks discovery at
    /cds-services. A table file is compiled again when it changes; one with errors is not
    served until they are fixed. Each request is logged on standard error.

    \b
    Example:
      mmdsl serve tables/
      mmdsl serve tables/ --port 8080 --feedback-log /var/log/mmdsl/feedback.jsonl
    """
    try:
        import uvicorn

        from mmdsl.fhir.names import DEFAULT_BASE
        from mmdsl.serve.app import create_app
    except ImportError as error:
        raise click.UsageError(f"`mmdsl serve` needs the extra `serve` ({error.name} is missing): "
                               "pip install 'mmdsl[serve]'") from None
    import logging.config

    logging.config.dictConfig(_log_config())
    app = create_app(list(paths), feedback_log, fhir_base or DEFAULT_BASE, allowed_origins)
    if host != LOOPBACK:
        click.echo(f"warning: listening on {host}: other machines can reach this server; it has "
                   "no authentication", err=True)
    uvicorn.run(app, host=host, port=port, access_log=True, log_level="info",
                log_config=_log_config())


def _log_config() -> dict[str, object]:
    """uvicorn's logging, plus mmdsl's own messages (a guideline loaded, reloaded, refused)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = {**LOGGING_CONFIG}
    loggers = dict(LOGGING_CONFIG["loggers"])
    loggers["mmdsl"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"] = loggers
    return config
