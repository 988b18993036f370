"""The facilitated premortem session: frame, seven timed phases, pause and resume,
round-robin capture, merging duplicates and the tiger rule (dot voting: premortem_votes).

All state lives in the database (``PremortemSession``), so a session survives a
closed laptop: the phase, whose turn it is and the seconds left on the clock.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from alignwork.models import Participant, PremortemMember, PremortemSession, Risk, RiskVote, utcnow
from alignwork.premortem.checklist import PremortemError, add_risk, get_risk, list_risks, seed_checklist
from alignwork.store import commit_stamped, get_workshop
from alignwork.words import counted


@dataclass(frozen=True)
class Phase:
    number: int
    key: str
    title: str
    minutes: int  # default length
    instruction: str


PHASES: tuple[Phase, ...] = (
    Phase(1, "brief", "Brief the plan", 5,
          "Walk everyone through the draft definition and how it will roll out."),
    Phase(2, "silent", "It failed: write silently", 5,
          "Everyone writes alone and in silence, one reason per note. No discussion yet."),
    Phase(3, "round_robin", "Round robin", 15,
          "Each person reads out one reason at a time; capture it, then move to the next person."),
    Phase(4, "merge", "Group duplicates", 10,
          "Fold reasons that say the same thing into one item."),
    Phase(5, "vote", "Vote", 5,
          "Each person places their dots on the risks that worry them most."),
    Phase(6, "score", "Score and classify", 15,
          "Rate likelihood and impact from 1 to 5 and call each item a tiger, paper tiger or elephant."),
    Phase(7, "owners", "Owners and mitigations", 10,
          "Every tiger gets an owner, a mitigation and a due date."),
)
FINISHED = len(PHASES) + 1
TEAMS = ("Sales", "Marketing")
# "Mid-market" is a sales segment, so match whole words only
MARKETING_WORDS = re.compile(r"\b(marketing|mktg|demand gen\w*|growth|cmo|brand|content)\b")


def phase(number: int) -> Phase:
    if not 1 <= number <= len(PHASES):
        raise PremortemError(f"there is no phase {number}; phases are 1 to {len(PHASES)}")
    return PHASES[number - 1]


@dataclass(frozen=True)
class SessionState:
    """Where the workshop's latest premortem stands (``status`` "not_started" if none ran)."""

    status: str  # not_started | running | paused | finished
    phase: int | None = None
    phase_key: str | None = None
    phase_title: str | None = None
    remaining_seconds: int | None = None
    initiative: str = ""
    horizon: str = ""
    anonymous: bool = False
    dots_per_member: int = 3
    max_dots_per_risk: int = 1
    members: list[dict[str, Any]] = field(default_factory=list)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    session_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("started_at", "finished_at"):
            data[name] = data[name].isoformat() if data[name] else None
        return data


# ---------------------------------------------------------------- finding and framing

def current_session(*, session: Session, workshop_id: int) -> PremortemSession | None:
    """The workshop's latest session, finished or not."""
    return session.exec(select(PremortemSession).where(PremortemSession.workshop_id == workshop_id)
                        .order_by(PremortemSession.id.desc())).first()


def active_session(session: Session, workshop_id: int) -> PremortemSession:
    """The session under way (running or paused); refuses when there is none."""
    current = current_session(session=session, workshop_id=workshop_id)
    if current is None or current.status == "finished":
        raise PremortemError("no premortem session is under way; start one first")
    return current


def members(*, session: Session, session_id: int) -> list[PremortemMember]:
    return list(session.exec(select(PremortemMember).where(PremortemMember.session_id == session_id)
                             .order_by(PremortemMember.position, PremortemMember.id)))


def team_of(participant: Participant) -> str:
    """Marketing if the roster says so (team or role), else Sales: the roster is mostly reps."""
    text = f"{participant.team} {participant.role}".casefold()
    return "Marketing" if MARKETING_WORDS.search(text) else "Sales"


def frame_warnings(people: list[dict[str, Any]]) -> list[str]:
    """What a facilitator should hear about the people present (not blocking)."""
    teams = {str(p.get("team", "")).strip() for p in people}
    return [f"No one from {team} is present; the premortem works best with both teams."
            for team in TEAMS if team not in teams]


def start_session(*, session: Session, workshop_id: int, initiative: str, people: list[dict[str, Any]],
                  horizon: str = "six months from now", anonymous: bool = False, dots_per_member: int = 3,
                  max_dots_per_risk: int = 1, phase_minutes: dict[int, int] | None = None) -> PremortemSession:
    """Frame and start a session. ``people``: dicts with ``name``, ``team`` and optionally
    ``participant_id`` (someone from the roster). The checklist is seeded first."""
    get_workshop(session=session, workshop_id=workshop_id)
    current = current_session(session=session, workshop_id=workshop_id)
    if current is not None and current.status != "finished":
        raise PremortemError("a premortem is already under way; resume it or finish it first")
    if not initiative.strip():
        raise PremortemError("name the initiative the team imagines has failed")
    names = [str(p.get("name", "")).strip() for p in people]
    if not any(names):
        raise PremortemError("add the people present (from the roster or typed in)")
    if len({n.casefold() for n in names if n}) != len([n for n in names if n]):
        raise PremortemError("two people present have the same name; tell them apart")
    check_vote_rules(dots_per_member, max_dots_per_risk)
    minutes = {str(p.number): p.minutes for p in PHASES}
    for number, value in (phase_minutes or {}).items():
        phase(int(number))
        minutes[str(int(number))] = _checked_minutes(value)
    seed_checklist(session=session, workshop_id=workshop_id)
    row = PremortemSession(workshop_id=workshop_id, initiative=initiative.strip(),
                           horizon=horizon.strip() or "six months from now", anonymous=anonymous,
                           dots_per_member=dots_per_member, max_dots_per_risk=max_dots_per_risk,
                           phase_minutes=minutes, remaining_seconds=minutes["1"] * 60)
    session.add(row)
    session.flush()
    for position, person in enumerate(p for p in people if str(p.get("name", "")).strip()):
        session.add(PremortemMember(session_id=row.id, participant_id=person.get("participant_id"),
                                    name=str(person["name"]).strip(),
                                    team=str(person.get("team") or "Sales").strip(), position=position))
    session.commit()
    return row


def session_state(*, session: Session, workshop_id: int) -> SessionState:
    """The latest session's phase, clock, frame and people, for pages and documents."""
    row = current_session(session=session, workshop_id=workshop_id)
    if row is None:
        return SessionState(status="not_started")
    current = phase(row.phase) if row.phase <= len(PHASES) else None
    return SessionState(
        status=row.status, phase=row.phase, phase_key=current.key if current else "done",
        phase_title=current.title if current else "Finished", remaining_seconds=row.remaining_seconds,
        initiative=row.initiative, horizon=row.horizon, anonymous=row.anonymous,
        dots_per_member=row.dots_per_member, max_dots_per_risk=row.max_dots_per_risk,
        members=[{"id": m.id, "name": m.name, "team": m.team, "participant_id": m.participant_id}
                 for m in members(session=session, session_id=row.id)],
        started_at=row.created_at, finished_at=row.finished_at, session_id=row.id)


# ---------------------------------------------------------------- clock and phases

def _checked_minutes(value: Any) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise PremortemError("a phase length is a whole number of minutes") from None
    if not 1 <= minutes <= 120:
        raise PremortemError("a phase lasts 1 to 120 minutes")
    return minutes


def save_clock(*, session: Session, workshop_id: int, remaining_seconds: int) -> PremortemSession:
    """Remember the seconds left in the current phase (the UI calls this as the clock runs)."""
    row = active_session(session, workshop_id)
    row.remaining_seconds = max(0, int(remaining_seconds))
    return commit_stamped(session, row)


def set_phase_minutes(*, session: Session, workshop_id: int, number: int, minutes: int) -> PremortemSession:
    """Change a phase's length; the current phase's clock restarts at the new length."""
    row = active_session(session, workshop_id)
    phase(number)
    row.phase_minutes = {**row.phase_minutes, str(number): _checked_minutes(minutes)}
    if number == row.phase:
        row.remaining_seconds = row.phase_minutes[str(number)] * 60
    return commit_stamped(session, row)


def pause_session(*, session: Session, workshop_id: int, remaining_seconds: int | None = None) -> PremortemSession:
    row = active_session(session, workshop_id)
    if remaining_seconds is not None:
        row.remaining_seconds = max(0, int(remaining_seconds))
    row.status = "paused"
    return commit_stamped(session, row)


def resume_session(*, session: Session, workshop_id: int) -> PremortemSession:
    row = active_session(session, workshop_id)
    row.status = "running"
    return commit_stamped(session, row)


def tigers_missing_plans(*, session: Session, workshop_id: int) -> list[Risk]:
    """Tigers that still lack an owner, a mitigation or a due date."""
    return [r for r in list_risks(session=session, workshop_id=workshop_id)
            if r.klass == "tiger" and not (r.owner.strip() and r.mitigation.strip() and r.due_date)]


def advance(*, session: Session, workshop_id: int) -> PremortemSession:
    """Move to the next phase (its clock starts full). Finishing phase 7 needs every tiger
    to have an owner, a mitigation and a due date."""
    row = active_session(session, workshop_id)
    if row.phase == len(PHASES):
        missing = tigers_missing_plans(session=session, workshop_id=workshop_id)
        if missing:
            names = ", ".join(f"“{r.title}”" for r in missing[:3]) + (" …" if len(missing) > 3 else "")
            need = "needs" if len(missing) == 1 else "need"
            raise PremortemError(f"{counted(len(missing), 'tiger')} still {need} an owner, a mitigation and a due date: "
                                 f"{names}")
        row.phase, row.status, row.remaining_seconds, row.finished_at = FINISHED, "finished", 0, utcnow()
    else:
        row.phase += 1
        row.remaining_seconds = int(row.phase_minutes.get(str(row.phase), phase(row.phase).minutes)) * 60
        row.status = "running"
    return commit_stamped(session, row)


def go_back(*, session: Session, workshop_id: int) -> PremortemSession:
    """Return to the previous phase (nothing captured is lost)."""
    row = active_session(session, workshop_id)
    if row.phase <= 1:
        raise PremortemError("this is the first phase")
    row.phase -= 1
    row.remaining_seconds = int(row.phase_minutes.get(str(row.phase), phase(row.phase).minutes)) * 60
    return commit_stamped(session, row)


# ---------------------------------------------------------------- round robin

def capture(*, session: Session, workshop_id: int, member_id: int, title: str,
            description: str = "") -> Risk:
    """Record one person's reason (attributed unless the session is anonymous) and pass
    the turn to the next person."""
    row = active_session(session, workshop_id)
    people = members(session=session, session_id=row.id)
    member = next((m for m in people if m.id == member_id), None)
    if member is None:
        raise PremortemError("that person is not part of this session")
    risk = add_risk(session=session, workshop_id=workshop_id, title=title, description=description,
                    author="" if row.anonymous else member.name, session_id=row.id, commit=False)
    row.turn = (people.index(member) + 1) % len(people)
    commit_stamped(session, row)
    return risk


def pass_turn(*, session: Session, workshop_id: int) -> PremortemMember:
    """Whoever has nothing (more) to add passes; returns whose turn it is now."""
    row = active_session(session, workshop_id)
    people = members(session=session, session_id=row.id)
    row.turn = (row.turn + 1) % len(people)
    commit_stamped(session, row)
    return people[row.turn]


def whose_turn(*, session: Session, workshop_id: int) -> PremortemMember:
    row = active_session(session, workshop_id)
    people = members(session=session, session_id=row.id)
    return people[row.turn % len(people)]


def set_anonymous(*, session: Session, workshop_id: int, anonymous: bool) -> PremortemSession:
    """Attribute reasons captured from now on, or not."""
    row = active_session(session, workshop_id)
    row.anonymous = anonymous
    return commit_stamped(session, row)


# ---------------------------------------------------------------- merging

def merge_risks(*, session: Session, target_id: int, other_ids: list[int], title: str | None = None) -> Risk:
    """Fold ``other_ids`` into ``target_id``: their text, evidence and votes move to the
    target; they stay stored (hidden) so ``split_risk`` can undo it."""
    target = get_risk(session=session, risk_id=target_id)
    others = [get_risk(session=session, risk_id=i) for i in dict.fromkeys(other_ids) if i != target_id]
    if not others:
        raise PremortemError("choose at least two items to merge")
    for other in others:
        if other.workshop_id != target.workshop_id or other.merged_into_id or target.merged_into_id:
            raise PremortemError("only items of the same checklist that are not merged already can be merged")
    for other in others:
        target.merged_titles = [*target.merged_titles, other.title, *other.merged_titles]
        if other.description and other.description not in target.description:
            target.description = f"{target.description}\n{other.description}".strip()
        target.evidence = list(dict.fromkeys([*target.evidence, *other.evidence]))
        if other.author and other.author not in target.author.split(", "):
            target.author = ", ".join(a for a in (target.author, other.author) if a)
        _move_votes(session, other, target)
        other.merged_into_id = target.id
        session.add(other)
    if title and title.strip():
        target.title = title.strip()[:300]
    return commit_stamped(session, target)


def _move_votes(session: Session, source: Risk, target: Risk) -> None:
    for vote in session.exec(select(RiskVote).where(RiskVote.risk_id == source.id)):
        existing = session.exec(select(RiskVote).where(RiskVote.risk_id == target.id,
                                                       RiskVote.member_id == vote.member_id)).first()
        if existing:
            existing.dots += vote.dots
            session.add(existing)
            session.delete(vote)
        else:
            vote.risk_id = target.id
            session.add(vote)
    target.votes += source.votes
    source.votes = 0


def split_risk(*, session: Session, risk_id: int) -> list[Risk]:
    """Undo merges into ``risk_id``: the folded items come back (without their moved votes)."""
    target = get_risk(session=session, risk_id=risk_id)
    folded = list(session.exec(select(Risk).where(Risk.merged_into_id == risk_id)))
    for risk in folded:
        risk.merged_into_id = None
        session.add(risk)
    target.merged_titles = []
    session.add(target)
    session.commit()
    return folded


def check_vote_rules(dots: int, per_risk: int) -> None:
    if not 1 <= dots <= 20:
        raise PremortemError("each person has 1 to 20 dots")
    if not 1 <= per_risk <= dots:
        raise PremortemError("dots allowed on one item must be between 1 and the dots per person")
