"""The web application of `mmdsl serve` (Starlette): routes, limits, headers.

| route | what |
| --- | --- |
| `GET /` | the guidelines served, with links |
| `GET /guidelines/{name}` | the decision page: the patient form (`?example=NAME` fills it in) |
| `POST /guidelines/{name}` | the form posted: the page with the decision, or the errors at their fields |
| `GET /guidelines/{name}/review` | the review document |
| `POST /guidelines/{name}/decisions` | JSON API: facts (or a QuestionnaireResponse) in, the decision out |
| `GET /guidelines` | the guidelines as JSON |
| `GET /openapi.json` | the OpenAPI 3.1 description of the JSON API |
| `GET /cds-services`, `POST /cds-services/{id}`, `POST /cds-services/{id}/feedback` | CDS Hooks 2.0 |
| `GET /health` | whether the server runs, and the state of each guideline |

Every answer carries a strict Content-Security-Policy (no script at all, styles and images from
this server only, forms posted only here). A bad request gets a clear 4xx answer, never a
traceback: bodies are read up to a limit, JSON strictly, facts through the guideline's
validation.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mmdsl.backends.review.decision_view import read_decision
from mmdsl.fhir.names import DEFAULT_BASE
from mmdsl.fhir.response import facts_from_any
from mmdsl.runtime.prelude import MAX_FACTS_SIZE, InputError, decision_json, parse_facts_json
from mmdsl.serve import cds, page
from mmdsl.serve.feedback import FeedbackLog
from mmdsl.serve.form import Entered, entered_from_facts, facts_from_form
from mmdsl.serve.openapi import openapi_document
from mmdsl.serve.registry import Loaded, Registry

log = logging.getLogger("mmdsl.serve")

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
MAX_BODY = MAX_FACTS_SIZE  # the same bound as `mmdsl eval` and the generated modules read
MAX_FORM_FIELDS = 2000


class TooLarge(Exception):
    pass


class SecurityHeaders:
    """Adds the security headers to every response that has not set its own policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(paths: list[str], feedback_path: Path, fhir_base: str = DEFAULT_BASE,
               allowed_origins: tuple[str, ...] = ()) -> Starlette:
    registry = Registry(paths)
    feedback = FeedbackLog(feedback_path)
    handlers = Handlers(registry, feedback, fhir_base)
    routes = [
        Route("/", handlers.index, methods=["GET"]),
        Route("/health", handlers.health, methods=["GET"]),
        Route("/static/mmdsl.css", handlers.stylesheet, methods=["GET"]),
        Route("/openapi.json", handlers.openapi, methods=["GET"]),
        Route("/guidelines", handlers.guidelines, methods=["GET"]),
        Route("/guidelines/{name}", handlers.page, methods=["GET", "POST"]),
        Route("/guidelines/{name}/review", handlers.review, methods=["GET"]),
        Route("/guidelines/{name}/decisions", handlers.decisions, methods=["POST"]),
        Route("/cds-services", handlers.discovery, methods=["GET"]),
        Route("/cds-services/{name}", handlers.hook, methods=["POST"]),
        Route("/cds-services/{name}/feedback", handlers.feedback, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={TooLarge: _too_large})
    if allowed_origins:  # browser-based CDS clients (a sandbox) on other origins
        app.add_middleware(CORSMiddleware, allow_origins=list(allowed_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    return app


async def _too_large(request: Request, _: Exception) -> Response:
    return JSONResponse({"errors": [{"field": "$", "message": f"the body is larger than "
                                     f"{MAX_BODY:,} bytes"}]}, status_code=413)


def _json_error(status: int, message: str, **more: Any) -> JSONResponse:
    return JSONResponse({"error": message, **more}, status_code=status)


class Handlers:
    def __init__(self, registry: Registry, feedback: FeedbackLog, fhir_base: str) -> None:
        self.registry = registry
        self.feedback_log = feedback
        self.fhir_base = fhir_base

    # ---- lookups ------------------------------------------------------------------------------

    def _loaded(self, request: Request) -> Loaded | None:
        return self.registry.get(request.path_params["name"])

    def _missing_json(self, request: Request, loaded: Loaded | None) -> JSONResponse | None:
        """404 for an unknown guideline, 503 for one whose table file has errors, else None."""
        name = request.path_params["name"]
        if loaded is None:
            return _json_error(404, f"no guideline named {name!r}", guidelines=self.registry.names())
        if loaded.guideline is None:
            return _json_error(503, f"the table file of {name} has errors; fix them and the "
                               f"guideline is served again", diagnostics=loaded.problems)
        return None

    def _missing_page(self, request: Request, loaded: Loaded | None) -> HTMLResponse | None:
        name = request.path_params["name"]
        if loaded is None:
            return HTMLResponse(page.render_problem("No such guideline", f"No guideline is named "
                                                    f"“{name}”."), status_code=404)
        if loaded.guideline is None:
            return HTMLResponse(page.render_problem(
                "This guideline is not served", f"The table file of {name} has errors. No decision "
                "is given from it until they are fixed:", loaded.problems), status_code=503)
        return None

    # ---- pages -----------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        links = []
        for name in self.registry.names():
            loaded = self.registry.get(name)
            if loaded is None:
                continue
            g = loaded.guideline
            links.append(page.GuidelineLink(name, (g.title or name) if g else name,
                                            g.version if g else "", g is not None,
                                            page.page_path(name), page.review_path(name)))
        return HTMLResponse(page.render_index(links))

    async def stylesheet(self, request: Request) -> Response:
        return Response(page.stylesheet(), media_type="text/css")

    async def page(self, request: Request) -> Response:
        loaded = self._loaded(request)
        if (missing := self._missing_page(request, loaded)) is not None:
            return missing
        assert loaded is not None and loaded.guideline is not None
        guideline = loaded.guideline
        if request.method == "GET":
            example = request.query_params.get("example")
            entered: Entered = {}
            if example is not None:
                found = next((e for e in guideline.examples if e.name == example), None)
                if found is None:
                    return HTMLResponse(page.render_problem(
                        "No such worked example", f"{guideline.name} has no example “{example}”."),
                        status_code=404)
                entered = entered_from_facts(guideline, found.facts)
            view = page.decision_page(loaded.name, guideline, entered, (), None, example)
            return HTMLResponse(page.render_page(view))
        entered = _form_values(await read_body(request))
        try:
            decision = loaded.decide(facts_from_form(guideline, entered))
        except InputError as error:
            view = page.decision_page(loaded.name, guideline, entered, error.errors, None, None)
            return HTMLResponse(page.render_page(view), status_code=422)
        reading = read_decision(guideline, decision, loaded.words)
        view = page.decision_page(loaded.name, guideline, entered, (), reading, None)
        return HTMLResponse(page.render_page(view))

    async def review(self, request: Request) -> Response:
        loaded = self._loaded(request)
        if (missing := self._missing_page(request, loaded)) is not None:
            return missing
        assert loaded is not None
        html = loaded.review_html()
        return HTMLResponse(html, headers={"content-security-policy": review_policy(html)})

    # ---- JSON API ----------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        states = {}
        for name in self.registry.names():
            loaded = self.registry.get(name)
            states[name] = "ok" if loaded and loaded.guideline else "errors"
        return JSONResponse({"status": "ok", "guidelines": states})

    async def guidelines(self, request: Request) -> Response:
        items = []
        for name in self.registry.names():
            loaded = self.registry.get(name)
            g = loaded.guideline if loaded else None
            items.append({"name": name, "served": g is not None,
                          "title": g.title if g else None, "version": g.version if g else None,
                          "decisions": f"/guidelines/{name}/decisions", "page": page.page_path(name),
                          "review": page.review_path(name)})
        return JSONResponse({"guidelines": items})

    async def openapi(self, request: Request) -> Response:
        guidelines = [(name, g) for name in self.registry.names()
                      if (loaded := self.registry.get(name)) and (g := loaded.guideline)]
        return JSONResponse(openapi_document(guidelines))

    async def decisions(self, request: Request) -> Response:
        loaded = self._loaded(request)
        if (missing := self._missing_json(request, loaded)) is not None:
            return missing
        assert loaded is not None and loaded.guideline is not None
        try:
            facts = facts_from_any(loaded.guideline, parse_facts_json(await read_body(request)))
            decision = loaded.decide(facts)
        except InputError as error:
            return JSONResponse({"errors": error.errors}, status_code=422)
        return Response((decision_json(decision) + "\n").encode("utf-8"), media_type="application/json")

    # ---- CDS Hooks -----------------------------------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        services = [cds.service(name, g, self.fhir_base) for name in self.registry.names()
                    if (loaded := self.registry.get(name)) and (g := loaded.guideline)]
        return JSONResponse({"services": services})

    async def hook(self, request: Request) -> Response:
        loaded = self._loaded(request)
        if (missing := self._missing_json(request, loaded)) is not None:
            return missing
        assert loaded is not None and loaded.guideline is not None
        try:
            body = cds.check_request(_json_body(await read_body(request)))
        except cds.BadRequest as error:
            return _json_error(400, str(error))
        links = cds.Links(str(request.base_url), loaded.name)
        return JSONResponse(cds.cards_for(loaded, body, links))

    async def feedback(self, request: Request) -> Response:
        loaded = self._loaded(request)
        if (missing := self._missing_json(request, loaded)) is not None:
            return missing
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            # a web page can post a form or text to any address without asking; JSON it cannot
            # without a CORS preflight, so no page the clinician visits can write to the log
            return _json_error(415, "send the feedback as application/json")
        try:
            records = cds.feedback_records(request.path_params["name"],
                                           _json_body(await read_body(request)))
        except cds.BadRequest as error:
            return _json_error(400, str(error))
        self.feedback_log.append(records)
        return JSONResponse({"recorded": len(records)})


def _json_body(raw: bytes) -> object:
    try:
        return parse_facts_json(raw)
    except InputError as error:
        raise cds.BadRequest("; ".join(e["message"] for e in error.errors)) from None


def _form_values(raw: bytes) -> Entered:
    """The posted form (application/x-www-form-urlencoded), each field's values in order."""
    entered: Entered = {}
    text = raw.decode("utf-8", errors="replace")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        pairs = []
    for key, value in pairs:
        entered.setdefault(key, []).append(value)
    return entered


STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def review_policy(html: str) -> str:
    """The review document's inline stylesheet allowed by its hash, and nothing else."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in STYLE.findall(html))
    return CSP.replace("style-src 'self'", f"style-src {hashes or 'none'}")
