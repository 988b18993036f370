"""The user guide: these Markdown pages, shown by Help → User guide.

Installed as the package ``alignwork.resources.docs`` (only the ``*.md`` pages; the README's
screenshot stays in the repository); Help finds it with ``alignwork.paths.docs_dir()``.
"""
