"""`mmdsl serve`: decisions over HTTP: a page for clinicians, a JSON API, CDS Hooks 2.0."""
