"""The columns a review needs beyond the back-test's attributes: lead status, rejection
reason, owner and the two timestamps of the SLA (created, first follow-up).

The back-test mapping (``alignwork.backtest.mapping``) maps attributes and the outcome;
the review adds these targets, recognised from the usual CRM headers, and the same
``COLUMN=target`` overrides (``--map "Why returned=reason"``).

A lead status is read into a funnel step:

- ``won``: won, closed won, customer, deal won
- ``lost``: lost, closed lost (Sales worked it and lost)
- ``returned``: rejected, returned, disqualified, unqualified, recycled, bad fit, junk…
  (a row with a rejection reason counts as returned whatever its status)
- ``accepted``: sql, sales qualified, accepted, sal, opportunity, working, contacted, meeting…
- ``sent``: mql, marketing qualified, sent to sales, assigned, new to sales
- ``kept``: new, open, nurture, subscriber, lead… (Marketing still has it)
Anything else is ``kept``. Sent to Sales = every step but ``kept``.

Headers and statuses in another language ("Ablehnungsgrund", "Verantwortlicher", "Abgelehnt",
"In Bearbeitung") are read into English as the back-test mapping reads its own
(``mapping.names_by_words``, ``mapping.value_key``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alignwork.backtest.mapping import header_words, names_by_words, normalise_header, value_key

REVIEW_TARGETS = ("status", "reason", "owner", "created", "contacted")
TARGET_TITLES = {"status": "Lead status (funnel step)", "reason": "Rejection reason",
                 "owner": "Owner", "created": "Created / sent to Sales (time)",
                 "contacted": "First follow-up (time)"}
TARGET_WORDS = {"status": "lead status", "reason": "rejection reason", "owner": "owner",
                "created": "created time", "contacted": "first follow-up time"}  # in a sentence
HEADERS: dict[str, tuple[str, ...]] = {
    "status": ("lead status", "status", "hs lead status", "lead state", "stage", "lead stage"),
    "reason": ("rejection reason", "reject reason", "reason rejected", "return reason", "returned reason",
               "disqualification reason", "disqualified reason", "unqualified reason", "reason code",
               "rejection code", "reason", "why rejected", "lost reason", "recycle reason"),
    "owner": ("owner", "lead owner", "contact owner", "sales owner", "assigned to", "rep", "sales rep",
              "account owner"),
    "created": ("created", "create date", "created date", "created at", "mql date", "sent to sales",
                "became an mql date", "handoff date", "assigned date", "date created"),
    "contacted": ("first contacted", "first contact", "first follow up", "first activity", "first call",
                  "first touch date", "followed up", "first response", "first outreach",
                  "first sales activity date", "first contact date", "date of first engagement"),
}
STEPS = ("kept", "sent", "accepted", "returned", "lost", "won")
SENT_STEPS = ("sent", "accepted", "returned", "lost", "won")
_STEP_WORDS: dict[str, tuple[str, ...]] = {
    "won": ("won", "closed won", "closedwon", "customer", "deal won", "win"),
    "lost": ("lost", "closed lost", "closedlost", "opportunity lost"),
    "returned": ("rejected", "returned", "sales rejected", "disqualified", "unqualified", "not qualified",
                 "recycled", "bad fit", "bad lead", "junk", "spam", "bounced back", "returned to marketing"),
    "accepted": ("sql", "sales qualified", "sales qualified lead", "accepted", "sales accepted", "sal",
                 "opportunity", "working", "in progress", "contacted", "connected", "meeting booked",
                 "meeting set", "qualified", "attempting to contact", "open deal"),
    "sent": ("mql", "marketing qualified", "marketing qualified lead", "sent to sales", "assigned",
             "new to sales", "handed off"),
}
_WORD_STEP = {word: step for step, words in _STEP_WORDS.items() for word in words}
_ALL_HEADERS = frozenset(name for names in HEADERS.values() for name in names)


def step_of(status: str | None) -> str:
    """The funnel step of a lead status (see the module docstring)."""
    if status is None:
        return "kept"
    return _WORD_STEP.get(value_key(status, _WORD_STEP), "kept")


@dataclass
class ReviewColumns:
    """Review target → the file column holding it (absent targets are missing)."""

    columns: dict[str, str] = field(default_factory=dict)

    def get(self, target: str) -> str | None:
        return self.columns.get(target)

    def to_json(self) -> dict:
        return dict(self.columns)


def find_columns(columns: list[str], taken: set[str] = frozenset()) -> ReviewColumns:
    """The review columns among ``columns`` (headers), best synonym first; ``taken`` (columns the
    attribute mapping already uses) are only used for the status, which may double as an attribute."""
    found: dict[str, tuple[int, str]] = {}
    for column in columns:
        name = normalise_header(column)
        for target, synonyms in HEADERS.items():
            if name in synonyms and (target == "status" or column not in taken):
                rank = synonyms.index(name)
                if target not in found or rank < found[target][0]:
                    found[target] = (rank, column)
    # another language or word order ("Ablehnungsgrund", "Erstellt am"): the header's words
    by_words = names_by_words(tuple(HEADERS.items()))
    for column in columns:
        target = by_words.get(header_words(column)) if normalise_header(column) not in _ALL_HEADERS else None
        if target and target not in found and (target == "status" or column not in taken):
            found[target] = (len(HEADERS[target]), column)
    chosen: dict[str, str] = {}
    for target in REVIEW_TARGETS:  # one column, one target: the first target in order wins
        if target in found and found[target][1] not in chosen.values():
            chosen[target] = found[target][1]
    return ReviewColumns(chosen)


def split_overrides(overrides: list[str]) -> tuple[list[str], list[str]]:
    """``(review overrides, attribute overrides)`` of "COLUMN=target" items."""
    review, rest = [], []
    for item in overrides:
        target = item.rpartition("=")[2].strip().lower()
        (review if target in REVIEW_TARGETS else rest).append(item)
    return review, rest


def apply_review_overrides(found: ReviewColumns, overrides: list[str], columns: list[str]) -> ReviewColumns:
    """Apply "COLUMN=status|reason|owner|created|contacted"; raises ``MappingError``."""
    from alignwork.backtest.mapping import MappingError

    result = dict(found.columns)
    by_lower = {column.lower(): column for column in columns}
    for item in overrides:
        column_text, _sep, target = item.rpartition("=")
        column = by_lower.get(column_text.strip().lower())
        if column is None:
            raise MappingError(f"the file has no column {column_text.strip()!r} (columns: {', '.join(columns)})")
        target = target.strip().lower()
        result = {key: value for key, value in result.items() if value != column}
        result[target] = column
    return ReviewColumns(result)


def remembered_columns(*, session, workshop_id: int, columns: list[str]) -> dict[str, str | None] | None:
    """The review columns chosen for files of this header set (target → column, None: not in the
    file), remembered with the attribute mapping (``mapping.OTHER_KEYS``); None when none were."""
    from alignwork.backtest.mapping import OTHER_KEYS, mapping_row

    row = mapping_row(session=session, workshop_id=workshop_id, columns=columns)
    saved = {key[len(OTHER_KEYS):]: value for key, value in ((row.columns or {}) if row else {}).items()
             if key.startswith(OTHER_KEYS) and key[len(OTHER_KEYS):] in REVIEW_TARGETS}
    if not saved:
        return None
    return {target: saved.get(target) if saved.get(target) in columns else None for target in REVIEW_TARGETS}


def remember_columns(*, session, workshop_id: int, columns: list[str], chosen: ReviewColumns) -> None:
    """Keep ``chosen`` (every target: a column or none) for files of this header set; not committed."""
    from alignwork.backtest.mapping import OTHER_KEYS, mapping_row
    from alignwork.models import utcnow

    row = mapping_row(session=session, workshop_id=workshop_id, columns=columns, create=True)
    row.columns = {**(row.columns or {}),
                   **{OTHER_KEYS + target: chosen.get(target) or "" for target in REVIEW_TARGETS}}
    row.updated_at = utcnow()
    session.add(row)
