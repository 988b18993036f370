"""The roster of reps to interview: edited in place, saved silently, imported from CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QStackedLayout, QToolButton, QVBoxLayout, QWidget

from alignwork import store
from alignwork.changes import Changes
from alignwork_gui.actions import make_action, name_button
from alignwork_gui.dialogs import Icon, confirm, tell
from alignwork_gui.models.roster_model import FIELD_COLUMN, PROFILE_LABELS, STATUS_LABELS, RosterModel
from alignwork_gui.pages import STEPS, Page
from alignwork_gui.widgets.empty_state import EmptyState, make_primary
from alignwork_gui.widgets.inline_message import InlineMessage
from alignwork_gui.widgets.labels import counted, header_row, make_label
from alignwork_gui.widgets.editable_table import ChoiceDelegate, rows_view

# share of the table's width and the least width in pixels; Notes take what is left
COLUMN_SHARES = {"name": (0.15, 120), "role": (0.16, 110), "team": (0.11, 80), "region": (0.11, 80),
                 "profile": (0.09, 80), "interview": (0.13, 120)}
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
CSV_MAX_BYTES = 5_000_000  # a roster is a few hundred lines; anything bigger is the wrong file


def short_date(day: date) -> str:
    """"3 Nov" this year, "3 Nov 2025" otherwise."""
    text = f"{day.day} {day:%b}"
    return text if day.year == date.today().year else f"{text} {day.year}"


def has_interview_step() -> bool:
    return any(spec.key == "interview" for spec in STEPS)


class RosterPage(Page):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.model = RosterModel(self._save_field, self)
        self.model.edit_failed.connect(lambda message: self.message.show_error(f"Not saved: {message}."))
        self.table = rows_view(self.model, "Roster of reps", several=True)  # the shared table pattern
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(FIELD_COLUMN["profile"], ChoiceDelegate(PROFILE_LABELS, self.table))
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_enabled())

        self.add_action = make_action(self, "&Add rep", "add-rep", ["Ctrl+Shift+N", "Insert"],
                                      "Add a rep to the roster and type their name", self.add_rep)
        self.remove_action = make_action(self, "&Remove rep…", "remove-rep", "Delete",
                                         "Remove the selected reps and their interviews", self.remove_selected,
                                         context=Qt.ShortcutContext.WidgetShortcut)
        self.import_action = make_action(self, "&Import CSV…", "import-csv", "Ctrl+Shift+I",
                                         "Add reps from a CSV file with a header row (name required)", self.import_csv)
        self.interview_action = make_action(self, "Start &interview", "start-interview", "Ctrl+I",
                                            "Start or continue the interview with the selected rep",
                                            self.start_interview)
        if not has_interview_step():
            self.interview_action.setToolTip("Interviews are not available in this version")
        self.addActions([self.add_action, self.import_action, self.interview_action])
        self.table.addAction(self.remove_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.add_action, self.interview_action])

        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        self.buttons: dict[str, QToolButton] = {}
        for key, action in (("add", self.add_action), ("remove", self.remove_action), ("import", self.import_action),
                            ("interview", self.interview_action)):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            name_button(button, action)
            self.buttons[key] = button
            if key == "interview":
                toolbar.addStretch(1)
            toolbar.addWidget(button)
        make_primary(self.buttons["interview"])
        self.title = make_label("Roster", bold=True, size=1.3)
        self.summary = make_label("", muted=True)

        self.message = InlineMessage("Roster message")
        self.empty = EmptyState(
            "No reps on the roster yet",
            "Add the sales reps you will interview: a mix of rock stars and engaged reps gives the clearest "
            "picture. Add them one by one, or import a CSV file with a header row "
            "(name, role, team, region, profile, notes).",
            [self.add_action, self.import_action])
        self.body = QStackedLayout()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header_row(self.title, self.summary))
        layout.addLayout(toolbar)
        layout.addWidget(self.message)
        layout.addLayout(self.body, 1)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        """Columns share the table's width in fixed proportions (the user can still drag them)."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            width, header = event.size().width(), self.table.horizontalHeader()
            for field, (share, least) in COLUMN_SHARES.items():
                header.resizeSection(FIELD_COLUMN[field], max(least, int(width * share)))
            used = sum(header.sectionSize(FIELD_COLUMN[field]) for field in COLUMN_SHARES)
            header.resizeSection(FIELD_COLUMN["notes"], max(120, width - used))
        return False

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        self.message.show_error(None)
        participants, interviews = [], {}
        if self.workshop_id is not None:
            with self.context.session() as session:
                participants = store.list_participants(session=session, workshop_id=self.workshop_id)
                for interview in store.list_interviews(session=session, workshop_id=self.workshop_id):
                    when = f" · {short_date(interview.held_on)}" if interview.held_on else ""
                    interviews[interview.participant_id] = STATUS_LABELS.get(interview.status,
                                                                             interview.status) + when
        self.model.set_rows(participants, interviews)
        self.body.setCurrentWidget(self.table if participants else self.empty)
        interviewed = sum(1 for text in interviews.values() if text.startswith(STATUS_LABELS["done"]))
        self.summary.setText(f"{counted(len(participants), 'rep')}, {interviewed} interviewed · F2 edits a cell, Insert adds "
                             "a rep, Delete removes one" if participants else "The sales reps you will interview")
        self._update_enabled()

    def _update_enabled(self) -> None:
        selected = bool(self.selected_ids())
        self.remove_action.setEnabled(selected)
        self.interview_action.setEnabled(selected and has_interview_step())
        for button in self.buttons.values():  # an empty roster offers its actions in the empty state
            button.setVisible(self.model.rowCount() > 0)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.participant(row).id for row in rows]

    def _announce(self) -> None:
        self.context.announce(Changes(roster=True, workshop_id=self.workshop_id), source=self)

    # ------------------------------------------------------------ editing
    def _save_field(self, participant_id: int, field: str, value):
        with self.context.session() as session:
            participant = store.update_participant(session=session, participant_id=participant_id, **{field: value})
        self.message.show_error(None)
        self._announce()
        self.context.saved()
        return participant

    def add_rep(self) -> None:
        if self.workshop_id is None:
            return
        with self.context.session() as session:
            participant = store.add_participant(session=session, workshop_id=self.workshop_id, name="New rep")
        self._announce()
        self.reload()
        self.context.saved("Added a rep ·")
        index = self.model.index(self.model.row_of(participant.id), FIELD_COLUMN["name"])
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        with self.context.session() as session:
            lines = [self._what_goes(session, participant_id) for participant_id in ids]
        names = [self.model.participant(self.model.row_of(pid)).name for pid in ids]
        question = (f"Remove {names[0]} from the roster?" if len(ids) == 1
                    else f"Remove {len(ids)} reps from the roster?")
        if not confirm(self, "Remove reps", question, "\n".join(lines) + "\n\nThis cannot be undone.", "Remove"):
            return
        with self.context.session() as session:
            for participant_id in ids:
                store.delete_participant(session=session, participant_id=participant_id)
        self.context.announce(Changes(roster=True, interviews=True, workshop_id=self.workshop_id), source=self)
        self.reload()
        self.context.saved(f"Removed {', '.join(names)} ·")

    def _what_goes(self, session, participant_id: int) -> str:
        """One line per rep naming the interviews that are deleted with them."""
        participant = self.model.participant(self.model.row_of(participant_id))
        interviews = [i for i in store.list_interviews(session=session, workshop_id=self.workshop_id)
                      if i.participant_id == participant_id]
        if not interviews:
            return f"{participant.name}: no interviews yet, nothing else is lost."
        parts = []
        for interview in interviews:
            answers = len(store.answers_for(session=session, interview_id=interview.id))
            notes = len(store.notes_for(session=session, interview_id=interview.id))
            when = f" of {interview.held_on:%d %b %Y}" if interview.held_on else ""
            status = {"in_progress": "interview in progress", "done": "finished interview"}.get(
                interview.status, f"{interview.status} interview")
            parts.append(f"the {status}{when} ({counted(answers, 'answer')}, {counted(notes, 'note')})")
        return f"{participant.name}: {', '.join(parts)} will be deleted too."

    # ------------------------------------------------------------ CSV import
    def import_csv(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from alignwork.workshops.roster_csv import RosterCsvError, parse_roster_csv
        from alignwork_gui.safe_write import plain_problem

        if self.workshop_id is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(self, "Import reps from CSV", folder, CSV_FILTER)
        if not path:
            return
        name = Path(path).name
        try:
            if Path(path).stat().st_size > CSV_MAX_BYTES:
                raise RosterCsvError([f"the file is larger than {CSV_MAX_BYTES // 1_000_000} MB; "
                                      "is it really a roster?"])
            parsed = parse_roster_csv(Path(path).read_bytes())
            with self.context.session() as session:
                added = store.add_participants(session=session, workshop_id=self.workshop_id, rows=parsed.rows)
        except RosterCsvError as error:
            shown = error.problems[:15]
            more = len(error.problems) - len(shown)
            tell(self, "Reps not imported", f"{name} has problems, so nothing was imported:\n\n• "
                 + "\n• ".join(shown) + (f"\n• …and {more} more" if more > 0 else ""),
                 "Fix the file and import it again.")
            return
        except (OSError, store.StoreError, SQLAlchemyError) as error:
            tell(self, "Reps not imported", f"{name} could not be imported: {plain_problem(error)}",
                 "Nothing was imported.")
            return
        self._announce()
        self.reload()
        report = f"Added {counted(len(added), 'rep')} from {name}."
        if parsed.unknown_columns:
            report += ("\n\nThese columns are not part of a roster and were ignored: "
                       + ", ".join(parsed.unknown_columns) + ".")
        self.context.saved(f"Imported {counted(len(added), 'rep')} ·")
        tell(self, "Reps imported", report, icon=Icon.Information)

    # ------------------------------------------------------------ interviews
    def start_interview(self) -> None:
        ids = self.selected_ids()
        if ids and has_interview_step():
            self.context.interview_requested.emit(ids[0])
