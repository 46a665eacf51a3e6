"""How the FHIR resources of a guideline are named: ids, canonical URLs, computable names."""

from __future__ import annotations

import re

DEFAULT_BASE = "https://mmdsl.example/fhir"
"""The canonical base of exported resources unless `--base-url` says otherwise (`.example` is a
reserved domain: the URL names the resource and never resolves)."""

MMDSL_MEDIA_TYPE = "text/x-mmdsl"


def resource_id(name: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) from a guideline name: `_` becomes `-`."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", name)[:64] or "guideline"


def computable_name(name: str) -> str:
    """`myeloma_post_daratumumab` -> `MyelomaPostDaratumumab` (FHIR's rule for `name`)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    text = "".join(w[:1].upper() + w[1:] for w in words) or "Guideline"
    return text if text[0].isalpha() else f"G{text}"


def canonical(base: str, kind: str, name: str) -> str:
    return f"{base.rstrip('/')}/{kind}/{resource_id(name)}"


def questionnaire_tail(name: str) -> str:
    """What the canonical URL of a guideline's Questionnaire ends with, whatever the base."""
    return f"/Questionnaire/{resource_id(name)}"
