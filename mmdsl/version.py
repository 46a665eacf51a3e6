"""The compiler's version, in its own module: the lowerer, the cache and the DMN writer stamp it,
and importing it from the package root would run the root's lazy `__getattr__` towards the API."""

from __future__ import annotations

__version__ = "0.1.0"
