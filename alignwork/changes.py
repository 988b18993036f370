"""What an operation changed, so the views that show it can refresh (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    workshops: bool = False  # list, names, archive state
    roster: bool = False
    guide: bool = False
    interviews: bool = False  # interviews, answers, notes
    synthesis: bool = False  # corrections, groups
    definition: bool = False  # definition versions, agreement
    premortem: bool = False
    backtest: bool = False
    review: bool = False  # review periods, their issues and decisions
    workshop_id: int | None = None  # the workshop concerned, if one

    @classmethod
    def everything(cls, workshop_id: int | None = None) -> "Changes":
        return cls(**{f.name: True for f in fields(cls) if f.name != "workshop_id"}, workshop_id=workshop_id)

    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "workshop_id")
