"""The docs name each step with the shortcut the app gives it (Ctrl+1…Ctrl+0, then Alt+1…, in STEPS order)."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_step_shortcut_in_the_docs_is_the_apps():
    from alignwork_gui.pages import STEPS

    from alignwork_gui.main_window import step_shortcut

    wanted = {spec.title: step_shortcut(row) for row, spec in enumerate(STEPS)}
    found = []
    for path in sorted(DOCS.glob("*.md")) + [DOCS.parent / "README.md"]:
        for title, keys in re.findall(r"\*\*([A-Z][\w-]+)\*\*(?: step)? \(((?:Ctrl|Alt)\+\d)\)", path.read_text(encoding="utf-8")):
            if title in wanted:
                found.append((path.name, title, keys, wanted[title]))
    assert found, "the docs name no step shortcut"
    assert [f for f in found if f[2] != f[3]] == []
