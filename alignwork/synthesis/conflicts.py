"""Where reps disagree in a way that matters, said in plain words; and the surprises."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from alignwork.interviews import guide
from alignwork.synthesis.normalize import lead_source_kind, lead_source_kinds
from alignwork.synthesis.data import InterviewData
from alignwork.synthesis.groups import Group
from alignwork.synthesis.numbers import RangeCluster, RangeSummary, readiness_answer
from alignwork.words import counted

VOLUME_WORDS = {"fewer_better": "fewer but better leads", "more_volume": "more volume", "unsure": "unsure"}
FLAG_WORDS = {"need": "a confirmed need", "budget": "a confirmed budget", "authority": "a decision maker"}
MIN_TEAM = 2  # a team needs this many interviews before it can stand against the rest


@dataclass
class Side:
    label: str
    interviews: list[InterviewData] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        teams: dict[str, int] = defaultdict(int)
        for interview in self.interviews:
            teams[interview.team_name] += 1
        return {"label": self.label, "participants": _names(self.interviews), "teams": dict(teams)}


@dataclass
class Conflict:
    question: str
    summary: str
    sides: list[Side]
    kind: str = ""  # ranges | split_vote | team | signal_vs_rejection

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "kind": self.kind, "summary": self.summary,
                "sides": [side.to_dict() for side in self.sides]}


def _names(interviews: list[InterviewData]) -> list[str]:
    return list(dict.fromkeys(i.participant for i in interviews))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _who(interviews: list[InterviewData], limit: int = 4) -> str:
    names = _names(interviews)
    if len(names) <= limit:
        return _and(names)
    return f"{', '.join(names[:limit - 1])} and {len(names) - limit + 1} others"


def range_conflict(summary: RangeSummary, question: str, what: str) -> Conflict | None:
    """Ranges from different reps that do not overlap at all (two clusters or more, 2+ reps each side)."""
    clusters = [c for c in summary.clusters if c.support >= 1]
    if len(clusters) < 2 or sorted((c.support for c in clusters), reverse=True)[1] < 2:
        return None
    sides = [Side(_describe(summary, c), [a.interview for a in c.answers]) for c in sorted(clusters, key=lambda c: c.low)]
    parts = [f"{_who(side.interviews)} want {side.label}" for side in sides]
    text = f"{what}: the ranges reps gave do not overlap — " + "; ".join(parts) + "."
    return Conflict(question, text, sides, "ranges")


def range_team_conflict(summary: RangeSummary, question: str, what: str) -> Conflict | None:
    """Teams (2+ answers each) whose own sweet spots do not overlap, even when a chain of
    in-between answers links every range into one cluster."""
    from alignwork.synthesis.numbers import RangeCluster, _core

    by_team: dict[str, list] = defaultdict(list)
    for answer in summary.answers:
        by_team[answer.interview.team_name].append(answer)
    cores = {}
    for team, answers in by_team.items():
        if len(answers) >= MIN_TEAM:
            core, _support = _core(RangeCluster(0, 0, answers))
            cores[team] = core
    teams = sorted(cores, key=lambda team: cores[team][0])
    apart = any(cores[a][1] < cores[b][0] for a in teams for b in teams if a != b)
    if not apart:
        return None
    sides = [Side(f"Team {team}: {_describe(summary, RangeCluster(*cores[team]))}",
                  [a.interview for a in by_team[team]]) for team in teams]
    text = f"{what}: each team aims elsewhere, and some teams' ranges do not overlap at all — " + "; ".join(
        f"{team} {_describe(summary, RangeCluster(*cores[team]))}" for team in teams) + "."
    return Conflict(question, text, sides, "team")


def _describe(summary: RangeSummary, cluster: RangeCluster) -> str:
    from alignwork.synthesis.ranges import Range

    high = None if cluster.high == float("inf") else int(cluster.high)
    return Range(cluster.low or None, high).describe(summary.unit)


def volume_conflicts(interviews: list[InterviewData]) -> list[Conflict]:
    """Teams that want the opposite of each other; else a vote split across the room."""
    by_team = _team_split(interviews, "volume_vs_quality", lambda i: i.answers.get("volume_vs_quality"),
                          lambda choice, plural: f"want{'' if plural else 's'} {VOLUME_WORDS[choice]}",
                          "Volume or quality")
    if by_team:
        return [by_team]
    voters: dict[str, list[InterviewData]] = defaultdict(list)
    for interview in interviews:
        choice = interview.answers.get("volume_vs_quality")
        if choice in ("fewer_better", "more_volume"):
            voters[choice].append(interview)
    fewer, more = voters["fewer_better"], voters["more_volume"]
    votes = len(fewer) + len(more)
    if votes and min(len(fewer), len(more)) >= max(2, votes / 4):
        return [Conflict(
            "volume_vs_quality",
            f"Volume or quality: {len(fewer)} reps would take fewer but better leads, "
            f"{len(more)} want more volume — halving the leads will meet resistance.",
            [Side(VOLUME_WORDS["fewer_better"], fewer), Side(VOLUME_WORDS["more_volume"], more)], "split_vote")]
    return []


def readiness_conflicts(interviews: list[InterviewData]) -> list[Conflict]:
    conflicts = []
    for flag in guide.BANT_FLAGS:
        def vote(interview, flag=flag):
            value = readiness_answer(interview.answers.get("readiness"))
            return ("yes" if value[flag] else "no") if value else None

        conflict = _team_split(interviews, "readiness", vote,
                               lambda choice, plural: (("require" if plural else "requires") + " it") if choice == "yes"
                               else ("do not" if plural else "does not"),
                               f"{FLAG_WORDS[flag][0].upper()}{FLAG_WORDS[flag][1:]} before Sales takes a lead")
        if conflict:
            conflicts.append(conflict)
    return conflicts


def _team_split(interviews, question, vote, verb, topic) -> Conflict | None:
    """When teams (2+ interviews each) hold clear (≥ 2/3) and opposite majorities, one conflict naming
    which teams stand where; teams without a clear majority stay out of it."""
    by_team: dict[str, list[tuple[InterviewData, str]]] = defaultdict(list)
    for interview in interviews:
        choice = vote(interview)
        if choice is not None and choice != "unsure":
            by_team[interview.team_name].append((interview, choice))
    stands: dict[str, list[str]] = defaultdict(list)
    for team, votes in by_team.items():
        majority = _clear_majority(votes) if len(votes) >= MIN_TEAM else None
        if majority:
            stands[majority].append(team)
    if len(stands) < 2:
        return None
    sides, phrases = [], []
    for choice, teams in sorted(stands.items(), key=lambda item: len(item[1])):
        members = [i for team in teams for i, c in by_team[team] if c == choice]
        name = ("team " if len(teams) == 1 else "teams ") + _and(teams)
        sides.append(Side(name[0].upper() + name[1:], members))
        phrases.append(f"{name} {verb(choice, len(teams) > 1)}")
    return Conflict(question, f"{topic}: " + "; ".join(phrases) + ".", sides, "team")


def _clear_majority(votes: list[tuple[InterviewData, str]]) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for _interview, choice in votes:
        counts[choice] += 1
    if not counts:
        return None
    choice, count = max(counts.items(), key=lambda item: item[1])
    return choice if count * 3 >= 2 * len(votes) else None


def signal_conflicts(buying: list[Group], rejections: list[Group]) -> list[Conflict]:
    """The same activity named as a buying signal by some reps and a reason to reject by others."""
    labels = lead_source_kinds()
    signal_reps: dict[str, list[InterviewData]] = defaultdict(list)
    for group in buying:
        for mention in group.mentions:
            kind = group.meta.get("lead_source") or lead_source_kind(mention.text)
            if kind:
                signal_reps[kind].append(mention.interview)
    reject_reps: dict[str, list[InterviewData]] = defaultdict(list)
    for group in rejections:
        for mention in group.mentions:
            kind = lead_source_kind(mention.text)
            if kind:
                reject_reps[kind].append(mention.interview)
    conflicts = []
    for kind in signal_reps.keys() & reject_reps.keys():
        positive, negative = _names(signal_reps[kind]), _names(reject_reps[kind])
        if set(positive) == set(negative):
            continue
        what = labels.get(kind, kind).lower()
        conflicts.append(Conflict(
            "buying_signals",
            f"\"{labels.get(kind, kind)}\": a buying signal for {counted(len(positive), 'rep')}, "
            f"a reason to reject for {counted(len(negative), 'rep')} (leads that only {what}).",
            [Side("Buying signal", signal_reps[kind]), Side("Reason to reject", reject_reps[kind])],
            "signal_vs_rejection"))
    return conflicts


def surprises(interviews: list[InterviewData], groups: dict[str, list[Group]]) -> list[dict[str, Any]]:
    """Notes marked surprise, answers to "anything we did not ask", and groups only one rep named."""
    found: list[dict[str, Any]] = []
    for interview in interviews:
        for note in interview.notes:
            if note.kind == "surprise":
                found.append({"participant": interview.participant, "question": note.question,
                              "text": note.text, "kind": "note"})
        # the facilitator's surprise note usually sums up the answer to "anything we did not ask?";
        # the answer is listed only when no surprise note was taken in that interview
        text = interview.answers.get("surprises")
        noted = any(note.kind == "surprise" for note in interview.notes)
        if isinstance(text, str) and text.strip() and not noted:
            found.append({"participant": interview.participant, "question": "surprises",
                          "text": text.strip(), "kind": "note"})
    for key, key_groups in groups.items():
        for group in key_groups:
            if group.consensus == "outlier":
                found.append({"participant": group.participants[0], "question": key,
                              "text": "; ".join(group.members), "group": group.label,
                              "kind": "single_rep_answer"})
    return found
