"""Synthesis: interviews → groups, consensus, conflicts, surprises → a draft lead definition.

    synthesize(interviews, corrections)           pure, on plain data
    synthesize_workshop(session=…, workshop_id=…)  a workshop's done interviews + its stored corrections
    synthesize_bundle(data)                        a workshop bundle (dict), as the CLI reads it

Only interviews marked *done* count (in-progress ones are still changing and
would skew the shares); ``SynthesisResult.pending`` says how many were left out.
The JSON of ``SynthesisResult.to_dict()`` is documented in docs/synthesis.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from alignwork.definition.criteria import Definition
from alignwork.interviews.guide import TAG_KEYS
from alignwork.progress import NO_PROGRESS, Progress
from alignwork.synthesis.conflicts import (
    Conflict, range_conflict, range_team_conflict, readiness_conflicts, signal_conflicts, surprises, volume_conflicts,
)
from alignwork.synthesis.data import (
    InterviewData, NoteData, SynthesisInputError, interviews_from_bundle, interviews_from_db, used_interviews,
)
from alignwork.synthesis.draft import build_definition
from alignwork.synthesis.groups import CORRECTION_OPS, Correction, Group, build_groups, consensus_level
from alignwork.synthesis.numbers import RangeSummary, junk_share, rating, readiness, summarize_ranges, volume_votes

__all__ = [
    "SynthesisResult", "synthesize", "synthesize_workshop", "synthesize_bundle", "InterviewData", "NoteData",
    "Correction", "CORRECTION_OPS", "Group", "SynthesisInputError", "consensus_level", "GROUP_KEYS",
]

# tag questions grouped, plus seniority read from the titles
GROUP_KEYS = (*TAG_KEYS, "titles_seniority")


@dataclass
class SynthesisResult:
    interviews: list[InterviewData]
    groups: dict[str, list[Group]]
    company_size: RangeSummary
    annual_revenue: RangeSummary
    readiness: dict[str, Any]
    volume_vs_quality: dict[str, int]
    lead_quality_rating: dict[str, Any]
    junk_share_percent: dict[str, Any]
    conflicts: list[Conflict]
    surprises: list[dict[str, Any]]
    definition: Definition
    pending: int = 0
    stale_corrections: list[Correction] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.interviews)

    def teams(self) -> dict[str, int]:
        return dict(Counter(i.team_name for i in self.interviews).most_common())

    def profiles(self) -> dict[str, int]:
        return dict(Counter(i.profile for i in self.interviews).most_common())

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON (docs/synthesis.md)."""
        groups = {key: [g.to_dict() for g in groups] for key, groups in self.groups.items()
                  if key != "titles_seniority"}
        return {
            "interviews": self.count,
            "pending": self.pending,
            "teams": self.teams(),
            "profiles": self.profiles(),
            "groups": groups,
            "seniority": [g.to_dict() for g in self.groups.get("titles_seniority", [])],
            "company_size": self.company_size.to_dict(),
            "annual_revenue": self.annual_revenue.to_dict(),
            "readiness": self.readiness,
            "volume_vs_quality": self.volume_vs_quality,
            "lead_quality_rating": self.lead_quality_rating,
            "junk_share_percent": self.junk_share_percent,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "surprises": self.surprises,
            "stale_corrections": [c.id for c in self.stale_corrections if c.id is not None],
            "definition": self.definition.model_dump(mode="json"),
        }


def synthesize(interviews: list[InterviewData], corrections: list[Correction] | None = None, *,
               progress: Progress = NO_PROGRESS) -> SynthesisResult:
    """Synthesize interviews (only those marked done count) with the facilitator's corrections."""
    used = used_interviews(interviews)
    total = len(used)
    corrections = list(corrections or [])
    groups: dict[str, list[Group]] = {}
    stale: list[Correction] = []
    titles = {index: i.answers.get("titles") or [] for index, i in enumerate(used)}
    # a workshop's own tag questions (custom_…) are grouped by wording
    custom = sorted({key for i in used for key, value in i.answers.items()
                     if key.startswith("custom_") and isinstance(value, list)})
    keys = (*GROUP_KEYS, *custom)
    for step, key in enumerate(keys):
        progress.report(step, len(keys) + 2, "Grouping answers")
        values = titles if key == "titles_seniority" else None
        groups[key], key_stale = build_groups(key, used, corrections, total, values=values)
        stale.extend(key_stale)
    progress.report(len(keys), len(keys) + 2, "Comparing ranges and conflicts")
    size = summarize_ranges(used, "company_size", "employees")
    revenue = summarize_ranges(used, "annual_revenue", "usd")
    bant = readiness(used)
    conflicts = [c for c in (range_conflict(size, "company_size", "Company size")
                             or range_team_conflict(size, "company_size", "Company size"),
                             range_conflict(revenue, "annual_revenue", "Annual revenue")
                             or range_team_conflict(revenue, "annual_revenue", "Annual revenue")) if c]
    conflicts += volume_conflicts(used) + readiness_conflicts(used)
    conflicts += signal_conflicts(groups.get("buying_signals", []), groups.get("rejection_triggers", []))
    progress.report(len(keys) + 1, len(keys) + 2, "Drafting the definition")
    definition = build_definition(total=total, groups=groups, size=size, revenue=revenue, readiness=bant,
                                  interviews=used)
    return SynthesisResult(
        interviews=used, groups=groups, company_size=size, annual_revenue=revenue, readiness=bant,
        volume_vs_quality=volume_votes(used), lead_quality_rating=rating(used),
        junk_share_percent=junk_share(used), conflicts=conflicts,
        surprises=surprises(used, {k: v for k, v in groups.items() if k != "titles_seniority"}),
        definition=definition, pending=len(interviews) - total, stale_corrections=stale)


def synthesize_workshop(*, session, workshop_id: int, progress: Progress = NO_PROGRESS) -> SynthesisResult:
    """Synthesize a stored workshop with its stored corrections."""
    from alignwork.synthesis.corrections import list_corrections

    interviews = interviews_from_db(session=session, workshop_id=workshop_id)
    corrections = list_corrections(session=session, workshop_id=workshop_id)
    return synthesize(interviews, corrections, progress=progress)


def synthesize_bundle(data: dict[str, Any]) -> SynthesisResult:
    """Synthesize a workshop bundle (format alignwork-bundle, version 1); no corrections."""
    return synthesize(interviews_from_bundle(data))
