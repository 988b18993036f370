"""The review meeting: when the next one is due, from the agreed cadence.

The agreed version's SLA (``Definition.sla``, see ``agreement.ServiceLevel``) names the
cadence ("monthly"…) and the first review date. Every review held (a period added) on or
after the due date moves it on by one cadence step; a due date in the past with no review
since is overdue.

Read straight from the stored rows (no table classes, no pydantic): the Overview asks at
start-up, before any room's tables are built.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CADENCE_STEPS = {"weekly": (0, 7), "every two weeks": (0, 14), "monthly": (1, 0), "quarterly": (3, 0),
                 "twice a year": (6, 0), "yearly": (12, 0)}  # (months, days)


def step(day: date, cadence: str) -> date:
    """One cadence step after ``day`` (the 31st becomes the month's last day)."""
    months, days = CADENCE_STEPS.get(cadence, (1, 0))
    year, month = divmod(day.month - 1 + months, 12)
    moved = day.replace(year=day.year + year, month=month + 1,
                        day=min(day.day, calendar.monthrange(day.year + year, month + 1)[1]))
    return moved + timedelta(days=days)


@dataclass(frozen=True)
class NextReview:
    due: date
    cadence: str
    overdue: bool

    def text(self, today: date | None = None) -> str:
        today = today or date.today()
        when = self.due.strftime("%d %b %Y").lstrip("0")
        if self.overdue:
            return f"The {self.cadence} review was due {when}; it is overdue."
        days = (self.due - today).days
        soon = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
        return f"Next {self.cadence} review: {when} ({soon})."


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def next_review(sla: dict, held: list[date], *, today: date | None = None,
                agreed_on: date | None = None) -> NextReview:
    """When the next review is due, given the agreed SLA (a ``Definition.sla`` dict) and the
    dates reviews were held on."""
    today = today or date.today()
    cadence = (sla or {}).get("review_meeting")
    cadence = cadence if cadence in CADENCE_STEPS else "monthly"
    due = _day((sla or {}).get("next_review")) or step(agreed_on or today, cadence)
    last = max(held) if held else None
    while last is not None and due <= last:
        due = step(due, cadence)
    return NextReview(due=due, cadence=cadence, overdue=due < today)


def workshop_next_review(*, session, workshop_id: int, today: date | None = None) -> NextReview | None:
    """The next review of the workshop's agreed version, or None while none is agreed."""
    from sqlalchemy import text

    version = session.execute(text("SELECT id, body FROM definitionversion WHERE workshop_id = :w AND "
                                   "status = 'agreed' ORDER BY number DESC LIMIT 1"), {"w": workshop_id}).first()
    if version is None:
        return None
    body = version[1] if isinstance(version[1], dict) else json.loads(version[1] or "{}")
    held = [_day(row[0]) for row in session.execute(
        text("SELECT created_at FROM reviewperiod WHERE workshop_id = :w"), {"w": workshop_id})]
    agreed = session.execute(text("SELECT at FROM versionevent WHERE version_id = :v AND status = 'agreed' "
                                  "ORDER BY at DESC LIMIT 1"), {"v": version[0]}).first()
    return next_review(body.get("sla") or {}, [day for day in held if day], today=today,
                       agreed_on=_day(agreed[0]) if agreed else None)
