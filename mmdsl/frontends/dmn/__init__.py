"""DMN import (`mmdsl import`): DMN 1.2-1.5 to mmdsl source, then the ordinary compiler.

safexml (hostile XML refused) -> reader (XML to `mmdsl.dmn.model`) -> translate and tables (model
to mmdsl text, with cells, feel and types) -> importer (the text through the pipeline).
"""
