"""The roster as a table: the shared ``RowsModel`` over the workshop's participants.

Edits go to ``save(participant_id, field, value)`` (the page calls the core); when the
core refuses, ``setData`` returns False and the message comes out of ``edit_failed``.
"""

from __future__ import annotations

from collections.abc import Callable

from alignwork_gui.widgets.editable_table import Column, RowsModel

PROFILE_LABELS = {"rock_star": "Rock star", "engaged": "Engaged", "other": "Other"}
STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}

COLUMNS = (
    Column("name", "Name", tip="The rep's name (required)"),
    Column("role", "Role", tip="Job title, e.g. Account Executive"),
    Column("team", "Team", tip="Team or segment, e.g. Mid-market"),
    Column("region", "Region", tip="Territory, e.g. EMEA"),
    Column("profile", "Profile", tip="Rock star, Engaged or Other: weighs whose view counts most"),
    Column("notes", "Notes", tip="Anything worth knowing before the interview"),
    Column("interview", "Interview", editable=False, tip="The rep's latest interview"),
)
FIELD_COLUMN = {column.key: number for number, column in enumerate(COLUMNS)}


class RosterModel(RowsModel):
    """Participant rows (detached copies); the Interview column comes from the page."""

    def __init__(self, save: Callable[[int, str, str], object], parent=None):
        super().__init__(COLUMNS, parent, save=lambda participant, field, value: save(participant.id, field, value))
        self._interviews: dict[int, str] = {}  # participant id → "Done · 3 Nov 2026"

    def set_rows(self, participants: list, interviews: dict[int, str]) -> None:  # type: ignore[override]
        before = self.shown()
        self._interviews = dict(interviews)
        super().set_rows(list(participants), before=before)

    def participant(self, row: int):
        return self.rows[row]

    def row_of(self, participant_id: int) -> int:
        return self.position_of(participant_id)

    # ------------------------------------------------------------ how a cell shows
    def value(self, participant, field: str):
        if field == "interview":
            return self._interviews.get(participant.id, "")
        return getattr(participant, field)

    def text(self, participant, field: str) -> str:
        value = self.value(participant, field)
        if field == "interview":
            return value or "—"
        return PROFILE_LABELS.get(value, value) if field == "profile" else value.replace("\n", " ")

    def edit_value(self, participant, field: str):
        return self.value(participant, field)

    def tip(self, participant, field: str) -> str | None:
        if field in ("profile", "interview"):
            return None
        return self.value(participant, field) or None  # narrow windows cut roles and regions; a hover shows all
