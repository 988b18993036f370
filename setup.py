"""Package layout for setuptools (all other metadata is in pyproject.toml).

The repository keeps three top folders; the wheel installs them under names of their own:

    alignwork/  → alignwork             the core
    ui/         → alignwork_gui         the Qt desktop app (never a top-level ``ui``)
    resources/  → alignwork.resources   data files, read through importlib.resources
    docs/       → alignwork.resources.docs   the user guide's Markdown pages (Help → User guide)

Sub-packages are found, not listed, so a new folder with an ``__init__.py`` ships by itself.
"""

from setuptools import find_packages, setup

GUI = {"ui": "alignwork_gui"}

core = find_packages(include=["alignwork", "alignwork.*"])
gui = [GUI["ui"] + name[len("ui"):] for name in find_packages(include=["ui", "ui.*"])]

setup(
    packages=[*core, "alignwork.resources", "alignwork.resources.docs", *gui],
    package_dir={"alignwork.resources": "resources", "alignwork.resources.docs": "docs", GUI["ui"]: "ui"},
)
