"""Tag answers → groups with support, share, consensus and breakdowns; the
facilitator's corrections (merge, split, rename, move) are replayed on top."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from alignwork.synthesis.data import InterviewData
from alignwork.synthesis.tag_groups import group_tags

CORRECTION_OPS = ("merge", "split", "rename", "move")


@dataclass(frozen=True)
class Correction:
    """One facilitator correction on a question's groups, replayed in order on every synthesis.

    merge:  ``labels`` (2+) become one group named ``target`` (default: the first label)
    split:  ``members`` of group ``labels[0]`` leave it for a new group ``target``
    rename: group ``labels[0]`` is called ``target``
    move:   raw answers ``members`` go to group ``target`` (made if missing)
    """

    op: str
    key: str
    labels: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    target: str = ""
    id: int | None = None


@dataclass
class Mention:
    text: str
    interview: InterviewData


@dataclass
class Group:
    key: str
    label: str
    members: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    support: int = 0
    share: float = 0.0
    consensus: str = "weak"
    participants: list[str] = field(default_factory=list)
    interviews: list[InterviewData] = field(default_factory=list)
    by_team: dict[str, int] = field(default_factory=dict)
    by_profile: dict[str, int] = field(default_factory=dict)

    @property
    def interview_ids(self) -> list[int]:
        return [i.interview_id for i in self.interviews if i.interview_id is not None]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "support": self.support, "share": round(self.share, 4),
                "consensus": self.consensus, "members": list(self.members),
                "participants": list(self.participants), "interview_ids": self.interview_ids,
                "by_team": dict(self.by_team), "by_profile": dict(self.by_profile),
                "mentions": [{"text": m.text, "participant": m.interview.participant} for m in self.mentions],
                **({"code": self.meta["code"]} if "code" in self.meta else {}),
                **({"lead_source": self.meta["lead_source"]} if self.meta.get("lead_source") else {})}


def consensus_level(support: int, total: int) -> str:
    """strong ≥ 2/3 of interviews, contested ≥ 1/3, outlier = one rep (of 2+), weak otherwise."""
    if total <= 0 or support <= 0:
        return "weak"
    if support == 1 and total >= 2:
        return "outlier"
    share = support / total
    if share * 3 >= 2:
        return "strong"
    if share * 3 >= 1:
        return "contested"
    return "weak"


@dataclass
class Assignment:
    """Raw answer → group label, with group order and curated extras; what corrections act on."""

    labels: dict[str, str]
    order: list[str]
    meta: dict[str, dict[str, Any]]

    def relabel(self, raws: list[str], target: str, *, after: str | None = None) -> None:
        if target not in self.order:
            position = self.order.index(after) + 1 if after in self.order else len(self.order)
            self.order.insert(position, target)
        for raw in raws:
            self.labels[raw] = target
        used = set(self.labels.values())
        self.order = [label for label in self.order if label in used]

    def members_of(self, label: str) -> list[str]:
        return [raw for raw, own in self.labels.items() if own == label]


def apply_correction(assignment: Assignment, correction: Correction) -> bool:
    """Apply one correction; False when it no longer fits the data (it is then skipped)."""
    present = [label for label in correction.labels if label in assignment.order]
    target = correction.target.strip()
    if correction.op == "rename":
        if not present or not target or target == present[0]:
            return False
        source = present[0]
        if source in assignment.meta and target not in assignment.meta:
            assignment.meta[target] = assignment.meta[source]
        assignment.relabel(assignment.members_of(source), target, after=source)
        return True
    if correction.op == "merge":
        if len(present) < 1 or (len(present) < 2 and not target):
            return False
        target = target or present[0]
        for label in present:
            if label in assignment.meta and target not in assignment.meta:
                assignment.meta[target] = assignment.meta[label]
        raws = [raw for label in present for raw in assignment.members_of(label)]
        assignment.relabel(raws, target, after=present[0])
        return True
    if correction.op == "split":
        if not present or not target:
            return False
        raws = [raw for raw in correction.members if assignment.labels.get(raw) == present[0]]
        if not raws:
            return False
        assignment.relabel(raws, target, after=present[0])
        return True
    if correction.op == "move":
        raws = [raw for raw in correction.members if raw in assignment.labels and assignment.labels[raw] != target]
        if not raws or not target:
            return False
        assignment.relabel(raws, target)
        return True
    return False


def build_groups(key: str, interviews: list[InterviewData], corrections: list[Correction], total: int,
                 *, values: dict[int, list[str]] | None = None) -> tuple[list[Group], list[Correction]]:
    """Groups of one tag question, sorted by support; and the corrections that no longer apply.

    ``values`` (interview index → raw answers) overrides reading ``answers[key]``.
    """
    per_interview: list[list[str]] = []
    for index, interview in enumerate(interviews):
        raw = values.get(index, []) if values is not None else interview.answers.get(key)
        items = [item.strip() for item in raw if isinstance(item, str) and item.strip()] if isinstance(raw, list) else []
        per_interview.append(list(dict.fromkeys(items)))
    tag_groups = group_tags([item for items in per_interview for item in items], key=key)
    assignment = Assignment(labels={raw: group.label for group in tag_groups for raw in group.members},
                            order=[group.label for group in tag_groups],
                            meta={group.label: group.meta for group in tag_groups if group.meta})
    stale = [c for c in corrections if c.key == key and not apply_correction(assignment, c)]
    groups = {label: Group(key=key, label=label, meta=dict(assignment.meta.get(label, {})))
              for label in assignment.order}
    seen: set[tuple[str, str]] = set()
    for interview, items in zip(interviews, per_interview):
        for raw in items:
            group = groups[assignment.labels[raw]]
            group.mentions.append(Mention(raw, interview))
            if (group.label, raw) not in seen:
                seen.add((group.label, raw))
                group.members.append(raw)
            if not group.interviews or group.interviews[-1] is not interview:
                group.interviews.append(interview)
    for group in groups.values():
        finish_group(group, total)
    position = {label: index for index, label in enumerate(assignment.order)}
    ordered = sorted(groups.values(), key=lambda g: (-g.support, position[g.label]))
    return ordered, stale


def finish_group(group: Group, total: int) -> None:
    """Fill support, share, consensus and the breakdowns from ``group.interviews``."""
    group.support = len(group.interviews)
    group.share = group.support / total if total else 0.0
    group.consensus = consensus_level(group.support, total)
    group.participants = [i.participant for i in group.interviews]
    group.by_team = dict(Counter(i.team_name for i in group.interviews).most_common())
    group.by_profile = dict(Counter(i.profile for i in group.interviews).most_common())
