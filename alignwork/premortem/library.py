"""The shipped library of known alignment failures, and the shape every proposed risk takes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from alignwork.paths import resource


@dataclass(frozen=True)
class RiskSeed:
    """A risk proposed before the session: from the library or from the synthesis."""

    key: str
    title: str
    description: str
    category: str
    source: str  # library | synthesis
    likelihood: int
    impact: int
    suggestion: str = ""
    evidence: tuple[str, ...] = field(default_factory=tuple)


@cache
def library() -> tuple[RiskSeed, ...]:
    """The shipped library of known alignment failures (resources/premortem_library.json)."""
    data = json.loads(resource("premortem_library.json").read_text(encoding="utf-8"))
    return tuple(RiskSeed(key=f"library:{item['id']}", title=item["title"], description=item["why"],
                          category=item["category"], source="library", likelihood=int(item["likelihood"]),
                          impact=int(item["impact"]), suggestion=item["mitigation"])
                 for item in data["risks"])
