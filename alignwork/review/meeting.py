"""The review meeting: when the next one is due (the agreed cadence).

The agreed SLA (``agreement.sla_of``) names the cadence ("monthly"…) and the first review
date. Every review held (a period added) on or after the due date moves it on by one
cadence step; a due date in the past with no review since is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from alignwork.definition.agreement import add_months, sla_of
from alignwork.definition.criteria import Definition

CADENCE_STEPS = {"weekly": (0, 7), "every two weeks": (0, 14), "monthly": (1, 0), "quarterly": (3, 0),
                 "twice a year": (6, 0), "yearly": (12, 0)}  # (months, days)


def step(day: date, cadence: str) -> date:
    months, days = CADENCE_STEPS.get(cadence, (1, 0))
    return add_months(day, months) + timedelta(days=days)


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


def next_review(definition: Definition, held: list[date], *, today: date | None = None,
                agreed_on: date | None = None) -> NextReview:
    """When the next review is due, given the dates reviews were held on."""
    today = today or date.today()
    sla = sla_of(definition)
    cadence = sla.review_meeting
    due = (definition.sla or {}).get("next_review") and sla.next_review
    if not due:
        due = step(agreed_on or today, cadence)
    last = max(held) if held else None
    while last is not None and due <= last:
        due = step(due, cadence)
    return NextReview(due=due, cadence=cadence, overdue=due < today)
