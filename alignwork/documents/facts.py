"""Everything a document needs from the database, read once (``gather_facts``), plus rep anonymising.

Builders in ``alignwork.documents.builders`` work on these facts only, so one read
serves every format and tests can build documents from facts made by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from alignwork import store
from alignwork.definition import agreement
from alignwork.definition import versions
from alignwork.definition.criteria import Definition
from alignwork.documents.crm_values import CrmValues, crm_values_for
from alignwork.models import Interview, Note, Signer, Workshop

PROFILE_LABELS = {"rock_star": "Rock stars", "engaged": "Engaged", "other": "Others"}


@dataclass
class Quote:
    text: str
    speaker: str
    team: str
    kind: str = "quote"  # quote | surprise | pain | idea
    question: str | None = None


@dataclass
class RiskFact:
    title: str
    score: int | None
    klass: str | None
    owner: str
    mitigation: str
    due_date: date | None
    status: str
    likelihood: int | None = None
    impact: int | None = None


@dataclass
class WorkshopFacts:
    """A snapshot of one workshop and one definition version, enough for any document."""

    workshop_name: str
    company: str
    facilitator: str
    goal: str
    version_number: int | None
    status: str
    definition: Definition  # SLA and glossary filled in
    status_dates: dict[str, date] = field(default_factory=dict)
    previous_number: int | None = None
    previous: Definition | None = None
    signers: list[Signer] = field(default_factory=list)
    interviewees: list[dict[str, str]] = field(default_factory=list)  # name, team, profile of done interviews
    roster: list[str] = field(default_factory=list)  # every rep name, roster order (for anonymising)
    quotes: list[Quote] = field(default_factory=list)
    risks: list[RiskFact] = field(default_factory=list)
    risk_rows: list[Any] = field(default_factory=list)  # premortem rows, for the risk matrix chart
    synthesis: dict[str, Any] | None = None  # SynthesisResult.to_dict(), for the appendix charts
    today: date = field(default_factory=date.today)
    premortem: str = "none"  # the latest premortem session: none | running | paused | finished
    crm_values: CrmValues = field(default_factory=CrmValues)  # raw CRM values of the last back-test

    @property
    def version_text(self) -> str:
        return "working draft" if self.version_number is None else f"version {self.version_number}"

    # the numbers every sentence and every table of a document takes, from here only
    @property
    def interviews(self) -> int:
        """Interviews marked done now."""
        return len(self.interviewees)

    @property
    def drafted_from(self) -> int:
        """Interviews the definition's support was counted over: a criterion's support / share,
        as synthesis stored them; the interviews done now when no criterion tells."""
        return counted_over(self.definition) or self.interviews

    @property
    def new_interviews(self) -> int:
        """Interviews done since the definition was drafted (0 when it is up to date)."""
        return max(0, self.interviews - self.drafted_from)

    @property
    def agreed(self) -> bool:
        return self.status == "agreed"

    def counts(self, key: str) -> list[tuple[str, int]]:
        return Counter(i.get(key) or "—" for i in self.interviewees).most_common()


def counted_over(definition: Definition) -> int | None:
    """How many interviews synthesis counted a definition's support over (support = share × N),
    the most common N among its criteria; None for a definition with no counted criterion."""
    totals = Counter(round(c.support / c.share) for c in definition.criteria if c.share > 0 and c.support > 0)
    return totals.most_common(1)[0][0] if totals else None


class Anonymiser:
    """Rep names → "Rep A", "Rep B"… by roster order, the same letter everywhere in a document."""

    def __init__(self, names: list[str], enabled: bool = True):
        self.enabled = enabled
        self.aliases: dict[str, str] = {}
        for name in names:
            if name and name not in self.aliases:
                self.aliases[name] = f"Rep {_letters(len(self.aliases))}"
        firsts = Counter(name.split()[0] for name in self.aliases if name.split())
        # a unique first name in free text ("Dana said…") points at the rep as surely as the full name
        pairs = list(self.aliases.items()) + [(name.split()[0], alias) for name, alias in self.aliases.items()
                                              if name.split() and firsts[name.split()[0]] == 1
                                              and len(name.split()[0]) > 2]
        pairs.sort(key=lambda pair: -len(pair[0]))
        self._lookup = {key.lower(): alias for key, alias in pairs}
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(key) for key, _ in pairs) + r")\b",
                                   re.IGNORECASE) if pairs else None

    def name(self, name: str) -> str:
        if not self.enabled:
            return name
        return self.aliases.get(name) or self.text(name)

    def text(self, text: str) -> str:
        if not self.enabled or self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._lookup[match.group(0).lower()], text)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _risks(session: Session, workshop_id: int) -> tuple[list[RiskFact], list[Any]]:
    from alignwork.premortem import checklist as premortem

    top = premortem.top_risks(session=session, workshop_id=workshop_id, limit=5)
    facts = [RiskFact(title=r.title, score=r.score, klass=r.klass, owner=r.owner, mitigation=r.mitigation,
                      due_date=r.due_date, status=r.status, likelihood=r.likelihood, impact=r.impact) for r in top]
    scored = [r for r in premortem.list_risks(session=session, workshop_id=workshop_id) if r.score]
    return facts, scored


def gather_facts(*, session: Session, workshop_id: int, number: int | None = None,
                 default: bool = True, synthesis: bool = False) -> WorkshopFacts:
    """Read a workshop and a definition version. ``number=None`` with ``default`` takes
    the agreed version (else the newest, else the draft); without ``default``, the working draft.
    ``synthesis`` also synthesizes the interviews (for the appendix charts)."""
    workshop: Workshop = store.get_workshop(session=session, workshop_id=workshop_id)
    if number is None and default:
        version = agreement.default_version(session=session, workshop_id=workshop_id)
    else:
        version = agreement.find_version(session=session, workshop_id=workshop_id, number=number)
    previous = agreement.previous_version(session=session, version=version)
    participants = {p.id: p for p in store.list_participants(session=session, workshop_id=workshop_id)}
    done = [i for i in session.exec(select(Interview).where(Interview.workshop_id == workshop_id))
            if i.status == "done" and i.participant_id in participants]
    interviewees = [{"name": participants[i.participant_id].name, "team": participants[i.participant_id].team,
                     "profile": PROFILE_LABELS.get(participants[i.participant_id].profile, "Others"),
                     "facilitator": i.changed_by} for i in done]
    speaker = {i.id: participants[i.participant_id] for i in done}
    notes = session.exec(select(Note).where(Note.interview_id.in_(list(speaker))).order_by(Note.interview_id,
                                                                                           Note.position))
    quotes = [Quote(text=n.text, speaker=speaker[n.interview_id].name, team=speaker[n.interview_id].team,
                    kind=n.kind, question=n.question) for n in notes]
    dates = {}
    for event in agreement.events_of(session=session, version_id=version.id):
        dates[event.status] = event.at.date()
    if version.number is not None and "saved" not in dates:
        dates["saved"] = version.updated_at.date()
    risks, risk_rows = _risks(session, workshop_id)
    from alignwork.premortem.session import current_session

    premortem = current_session(session=session, workshop_id=workshop_id)
    return WorkshopFacts(
        workshop_name=workshop.name, company=workshop.company, facilitator=workshop.facilitator, goal=workshop.goal,
        version_number=version.number, status=version.status,
        definition=agreement.with_agreement_defaults(versions.load_definition(version)),
        status_dates=dates, previous_number=previous.number if previous else None,
        previous=agreement.with_agreement_defaults(versions.load_definition(previous)) if previous else None,
        signers=agreement.list_signers(session=session, version_id=version.id),
        interviewees=interviewees, roster=[p.name for p in participants.values()], quotes=quotes,
        risks=risks, risk_rows=risk_rows, premortem=premortem.status if premortem else "none",
        crm_values=crm_values_for(session=session, workshop_id=workshop_id, version=version),
        synthesis=_synthesis(session, workshop_id) if synthesis else None)


def _synthesis(session: Session, workshop_id: int) -> dict[str, Any]:
    from alignwork.synthesis.engine import synthesize_workshop

    return synthesize_workshop(session=session, workshop_id=workshop_id).to_dict()


def anonymised(data: Any, anon: Anonymiser) -> Any:
    """A copy of JSON-like data with every rep name replaced (for charts that label reps)."""
    if not anon.enabled:
        return data
    if isinstance(data, str):
        return anon.text(data)
    if isinstance(data, list):
        return [anonymised(item, anon) for item in data]
    if isinstance(data, dict):
        return {key: anonymised(value, anon) for key, value in data.items()}
    return data

