"""Data files Alignwork reads (demo workshop, schema, taxonomies, premortem library, icons).

Installed as the package ``alignwork.resources``; use ``alignwork.paths.resource(...)``.
"""
