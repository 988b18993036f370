"""Risks raised by a workshop's synthesis: a pure function of ``SynthesisResult.to_dict()``.

Each risk says which evidence raised it, so the team can check it against what
the reps actually said. Keys are stable across re-synthesis so refreshing the
checklist never duplicates an item.
"""

from __future__ import annotations

import re
from typing import Any

from alignwork.premortem.library import RiskSeed
from alignwork.words import counted

MAX_CONTESTED = 5  # one item per contested criterion, the most supported first
MIN_TEAM_INTERVIEWS = 3  # fewer interviews than this from a team: its view is thin
MIN_INTERVIEWS = 5  # fewer interviews overall: the whole definition rests on little
VOLUME_SHARE = 0.3  # share of reps wanting more volume that threatens a stricter definition
LOW_RATING = 2.5  # mean lead-quality rating (1–5) at or below which trust is low
HIGH_JUNK = 40.0  # junk share (percent) at or above which trust is low

QUESTION_NAMES = {
    "titles": "job titles", "industries": "industries", "company_size": "company size",
    "revenue": "revenue", "regions": "regions", "buying_signals": "buying signals",
    "rejection_triggers": "rejection reasons", "punt_signals": "reasons to pass a lead back",
    "helpful_content": "helpful content", "volume_vs_quality": "volume versus quality",
    "timeline": "buying timeline", "bant": "readiness",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-")[:60] or "item"


def _names(values: Any, limit: int = 6) -> str:
    names = [str(v) for v in (values or []) if str(v).strip()]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _contested_criteria(result: dict[str, Any], interviews: int) -> list[RiskSeed]:
    criteria = (result.get("definition") or {}).get("criteria") or []
    contested = [c for c in criteria if c.get("consensus") == "contested" and c.get("decision") != "rejected"]
    contested.sort(key=lambda c: -(c.get("support") or 0))
    seeds = []
    for criterion in contested[:MAX_CONTESTED]:
        support = int(criterion.get("support") or 0)
        label = str(criterion.get("label") or criterion.get("id") or "a criterion")
        share = support / interviews if interviews else float(criterion.get("share") or 0)
        scored = criterion.get("section") in ("mql", "sql", "disqualifiers")
        evidence = [f"Criterion “{label}” is contested: {support} of {counted(interviews, 'interview')} "
                    f"({_percent(share)}) support it."]
        supporters = (criterion.get("evidence") or {}).get("participants")
        if supporters:
            evidence.append(f"Supported by {_names(supporters)}.")
        seeds.append(RiskSeed(
            key=f"synthesis:contested:{_slug(criterion.get('id') or label)}",
            title=f"Reps are split on “{label}”",
            description=("Only part of the team stands behind this criterion. The others may keep "
                         "working leads their own way and blame the definition when numbers dip."),
            category="Definition", source="synthesis", likelihood=4 if 0.4 <= share <= 0.6 else 3,
            impact=4 if scored else 3,
            suggestion=("Discuss this criterion explicitly before sign-off; agree a trial period "
                        "and how it will be judged."),
            evidence=tuple(evidence)))
    return seeds


def _subject(conflict: dict[str, Any], topic: str) -> str:
    """What a conflict is about: the summary's lead-in ("A confirmed budget before…: …") or the topic."""
    summary = str(conflict.get("summary") or "")
    head = summary.split(":", 1)[0].strip() if ":" in summary else ""
    if not head or len(head) > 70:
        return topic
    first = head.split()[0]
    return head if len(first) > 1 and first.isupper() else head[0].lower() + head[1:]  # keep "MQL …"


def _conflicts(result: dict[str, Any]) -> list[RiskSeed]:
    seeds = []
    for conflict in result.get("conflicts") or []:
        question = str(conflict.get("question") or "")
        topic = QUESTION_NAMES.get(question, question.replace("_", " ") or "a question")
        sides = conflict.get("sides") or []
        teams = [set(side.get("teams") or []) for side in sides]
        between_teams = len(sides) > 1 and any(a != b for a in teams for b in teams)
        evidence = [str(conflict.get("summary") or f"Reps disagree on {topic}.")]
        for side in sides:
            who = _names(side.get("participants"))
            team_text = f" ({', '.join(sorted(side.get('teams') or []))})" if side.get("teams") else ""
            evidence.append(f"“{side.get('label', '?')}”: {who or 'no names'}{team_text}")
        labels = "-".join(sorted(_slug(side.get("label", "")) for side in sides))
        seeds.append(RiskSeed(
            key=f"synthesis:conflict:{_slug(question)}:{labels[:80]}",
            title=f"{'Teams' if between_teams else 'Reps'} disagree on {_subject(conflict, topic)}",
            description=("The interviews show opposite views here. If the definition picks one side "
                         "without saying why, the other side will not apply it."),
            category="Alignment", source="synthesis", likelihood=4 if between_teams else 3, impact=4,
            suggestion=("Put both sides' evidence on one page, decide with both team leads present, "
                        "and record the rationale."),
            evidence=tuple(evidence)))
    return seeds


def _volume(result: dict[str, Any]) -> list[RiskSeed]:
    votes = result.get("volume_vs_quality") or {}
    more = int(votes.get("more_volume") or 0)
    total = more + int(votes.get("fewer_better") or 0) + int(votes.get("unsure") or 0)
    if not total or more / total < VOLUME_SHARE:
        return []
    share = more / total
    return [RiskSeed(
        key="synthesis:volume",
        title="Many reps want more leads, not fewer better ones",
        description=("A stricter definition sends fewer leads. Reps who asked for volume will read the "
                     "drop as Marketing under-delivering and push to loosen the rules."),
        category="Change", source="synthesis", likelihood=5 if share >= 0.5 else 4 if share >= 0.4 else 3,
        impact=4,
        suggestion="Show the expected drop and the conversion gain side by side before launch; agree a trial period.",
        evidence=(f"{more} of {counted(total, 'rep')} ({_percent(share)}) chose “more volume” "
                  "over “fewer but better”.",))]


def _trust(result: dict[str, Any]) -> list[RiskSeed]:
    rating = result.get("lead_quality_rating") or {}
    junk = result.get("junk_share_percent") or {}
    evidence = []
    mean = rating.get("mean")
    if rating.get("n") and mean is not None and mean <= LOW_RATING:
        evidence.append(f"Today's leads rated {mean:.1f} of 5 on average by {counted(rating['n'], 'rep')}.")
    junk_level = junk.get("median") if junk.get("median") is not None else junk.get("mean")
    if junk.get("n") and junk_level is not None and junk_level >= HIGH_JUNK:
        evidence.append(f"Reps put the junk share of today's leads at {junk_level:.0f}% "
                        f"({'median' if junk.get('median') is not None else 'mean'} of {junk['n']}).")
    if not evidence:
        return []
    return [RiskSeed(
        key="synthesis:trust",
        title="Sales does not trust today's leads",
        description=("Reps who expect junk skim new leads and follow up late, so even good leads "
                     "convert poorly and confirm the belief."),
        category="Feedback", source="synthesis",
        likelihood=5 if mean is not None and mean <= 2 else 4, impact=4,
        suggestion=("Share the first weeks' results lead by lead with Sales; fix the top rejection "
                    "reason visibly and fast."),
        evidence=tuple(evidence))]


def _coverage(result: dict[str, Any]) -> list[RiskSeed]:
    seeds = []
    interviews = int(result.get("interviews") or 0)
    teams = {str(k): int(v or 0) for k, v in (result.get("teams") or {}).items() if str(k).strip()}
    if 0 < interviews < MIN_INTERVIEWS:
        seeds.append(RiskSeed(
            key="synthesis:few-interviews",
            title="The definition rests on very few interviews",
            description=("With so few voices, one strong opinion shapes the definition and others "
                         "will not recognise it."),
            category="Definition", source="synthesis", likelihood=4, impact=3,
            suggestion="Interview a few more reps, especially from teams not yet heard, before sign-off.",
            evidence=(f"The synthesis used only {counted(interviews, 'interview')}.",)))
    if len(teams) > 1:
        for team, count in sorted(teams.items()):
            if count < MIN_TEAM_INTERVIEWS:
                seeds.append(RiskSeed(
                    key=f"synthesis:thin-team:{_slug(team)}",
                    title=f"Too few interviews from {team}",
                    description=(f"{team}'s leads may look different, but the definition barely hears them; "
                                 "they may not feel bound by it."),
                    category="Definition", source="synthesis", likelihood=3, impact=3,
                    suggestion=f"Interview more of {team} or review the draft with its lead before sign-off.",
                    evidence=(f"{count} of {counted(interviews, 'interview')} came from {team}.",)))
    return seeds


def risks_from_synthesis(result: dict[str, Any]) -> list[RiskSeed]:
    """Risks raised by a synthesis result (``SynthesisResult.to_dict()``): contested criteria,
    conflicts between teams, a wish for volume over quality, low trust in today's leads, and
    teams (or a whole workshop) with too few interviews. Missing keys raise nothing."""
    interviews = int(result.get("interviews") or 0)
    if interviews == 0:
        return []
    return [*_conflicts(result), *_contested_criteria(result, interviews), *_volume(result),
            *_trust(result), *_coverage(result)]
