"""What DMN import and export share: the DMN model and its namespaces (`model`), the mapping of
DMN names to mmdsl names (`names`) and the MD7xx codes (`codes`).

The import is a front end (`mmdsl.frontends.dmn`: safexml -> reader -> translate and tables ->
importer, which runs the ordinary compiler); the export is a back end (`mmdsl.backends.dmn`: the
IR to DMN 1.5 XML). Standard library only; see docs/dmn.md for the mapping both ways and where DMN
and mmdsl mean different things.
"""
