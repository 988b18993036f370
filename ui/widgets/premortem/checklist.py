"""The checklist after (or outside) the session: a sortable, filterable table with inline
edits, the details of the selected item, the review date and overdue highlighting."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from alignwork.premortem import checklist as premortem
from alignwork.models import RISK_SOURCES, RISK_STATUSES
from alignwork.premortem.checklist import CLASS_TITLES, FIELDS, SOURCE_TITLES, STATUS_TITLES, is_overdue
from alignwork_gui.widgets import buttons
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.models.risks import CHOICES, RISK_ROLE, RiskFilterProxy, RiskTableModel
from alignwork_gui.widgets.optional_date import OptionalDateEdit
from alignwork_gui.widgets.labels import counted, make_label
from alignwork_gui.safe_write import database_problem, keep_or_reload
from alignwork_gui.widgets.editable_table import ChoiceDelegate, rows_view
from alignwork_gui.widgets.stale_banner import StaleBanner
from alignwork_gui.widgets.labels import LONG_NAME

CHOICE_TITLES = {"klass": {"": "Not classified", **CLASS_TITLES}, "status": STATUS_TITLES}
VISUAL_ORDER = ("title", "klass", "score", "likelihood", "impact", "votes", "status", "owner", "due_date",
                "mitigation", "review_notes", "category", "source", "description", "evidence")
# read-only long text that the details pane under the table shows in full (and the title's tooltip)
DETAILS_ONLY = ("description", "evidence")
AT_A_GLANCE = VISUAL_ORDER[1:VISUAL_ORDER.index("status") + 1]  # beside the title, never cut
TITLE_WIDTHS = (180, 420)  # the risk column's least and most width
WIDTHS = {"title": 300, "description": 220, "category": 110, "owner": 110, "mitigation": 200,
          "review_notes": 180, "evidence": 200, "status": 96, "klass": 96, "due_date": 92, "source": 90,
          "likelihood": 78}


def _filter_combo(name: str, everything: str, choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(f"Show only items with this {name.lower()}")
    combo.addItem(everything, "")
    for key, title in choices.items():
        combo.addItem(title, key)
    return combo


class ChecklistView(QWidget):
    changed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.workshop_id: int | None = None
        self.model = RiskTableModel(self._save, self)
        self.model.edited.connect(self._saved)
        self.proxy = RiskFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(placeholderText="Filter by any text…", clearButtonEnabled=True)
        self.search.setAccessibleName("Filter the checklist")
        self.class_filter = _filter_combo("Class", "All classes", CLASS_TITLES)
        self.status_filter = _filter_combo("Status", "All statuses", {s: STATUS_TITLES[s] for s in RISK_STATUSES})
        self.source_filter = _filter_combo("Source", "All sources", {s: SOURCE_TITLES[s] for s in RISK_SOURCES})
        self.overdue_only = QCheckBox("Overdue only")
        self.overdue_only.setAccessibleName("Show overdue items only")
        for widget in (self.class_filter, self.status_filter, self.source_filter):
            widget.currentIndexChanged.connect(self.apply_filters)
        self.search.textChanged.connect(self.apply_filters)
        self.overdue_only.toggled.connect(self.apply_filters)

        self.review = OptionalDateEdit()
        self.review.setAccessibleName("Next review date")
        self.review.setToolTip("When the team next walks through this checklist (Delete clears it)")
        self.review.value_changed.connect(self._save_review)
        self.review_state = QLabel()
        self.refresh_button = action_button("Add risks from synthesis",
                                            "Add risks the latest synthesis raises that are not listed yet",
                                            name="Add risks raised by the latest synthesis")
        self.refresh_button.clicked.connect(self.refresh_from_synthesis)
        self.stale = StaleBanner("the risks were seeded", "Add risks from synthesis",
                                 "Add the risks the new interviews raise; nothing listed is changed")
        self.stale.refresh_requested.connect(self.refresh_from_synthesis)
        self.delete_button = action_button("Delete…", "Remove the selected item from the checklist",
                                           name="Delete the selected item", shortcut="Del")
        self.delete_button.clicked.connect(self.delete_current)

        # the shared table pattern; the row number is the item's number on the charts
        self.table = rows_view(self.proxy, "Premortem checklist", numbers=True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(FIELDS.index("score"), Qt.SortOrder.DescendingOrder)
        self.table.setWordWrap(False)
        # the row number is the item's number on the charts (checklist order), whatever the sort
        self.table.verticalHeader().setToolTip("Number of the item on the risk matrix and votes chart")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        header = self.table.horizontalHeader()
        for visual, name in enumerate(VISUAL_ORDER):  # what a reviewer needs first, long text last
            header.moveSection(header.visualIndex(FIELDS.index(name)), visual)
        room = self.fontMetrics().horizontalAdvance(LONG_NAME) + 24  # a full name fits, not "Maya Lindqvi"
        for column, name in enumerate(FIELDS):
            self.table.setColumnWidth(column, max(WIDTHS.get(name, 64), room) if name == "owner"
                                      else WIDTHS.get(name, 64))
            if name in CHOICES:
                self.table.setItemDelegateForColumn(column, ChoiceDelegate(
                    {key: CHOICE_TITLES[name][key] for key in CHOICES[name]}, self.table))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for name in DETAILS_ONLY:
            self.table.setColumnHidden(FIELDS.index(name), True)
        self.table.viewport().installEventFilter(self)  # the risk column gives way as the window narrows
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.empty = make_label(muted=True)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Details of the selected item")
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.viewport().setAutoFillBackground(False)
        self.details.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 8)  # long evidence scrolls

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.search, 2)
        for widget in (self.class_filter, self.status_filter, self.source_filter, self.overdue_only):
            filters.addWidget(widget)
        review_row = QHBoxLayout()
        review_row.setSpacing(8)
        review_row.addWidget(QLabel("Next review"))
        review_row.addWidget(self.review)
        review_row.addWidget(self.review_state, 1)
        review_row.addWidget(self.delete_button)
        review_row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stale)
        layout.setContentsMargins(8, 8, 8, 8)  # inside the tab frame, as the Session tab
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.details)
        layout.addLayout(review_row)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title()
        return super().eventFilter(watched, event)

    def _fit_title(self) -> None:
        """The title takes what the columns up to Status leave, so those are whole at 1024 px;
        owner, due date and the notes follow to the right."""
        glance = sum(self.table.columnWidth(FIELDS.index(name)) for name in AT_A_GLANCE)
        least, most = TITLE_WIDTHS
        width = max(least, min(most, self.table.viewport().width() - glance))
        self.table.setColumnWidth(FIELDS.index("title"), width)

    # ------------------------------------------------------------ data
    def set_workshop(self, workshop_id: int | None) -> None:
        self.workshop_id = workshop_id
        self.reload()

    def reload(self) -> None:
        if self.workshop_id is None:
            return
        with self.context.session() as session:
            risks = premortem.list_risks(session=session, workshop_id=self.workshop_id)
            review = premortem.review_date(session=session, workshop_id=self.workshop_id)
            stale = premortem.seeds_staleness(session=session, workshop_id=self.workshop_id)
        self.stale.show_staleness(stale)
        self.model.set_risks(risks)
        self.review.set_value(review)
        self._show_review_state()
        self.apply_filters()

    def _save(self, risk, name: str, value):
        """The stored item after the edit, or None (said why) when the core refuses it; a colleague's
        save meanwhile asks reload or keep mine (safe_write.keep_or_reload)."""
        def attempt(expected):
            with self.context.session() as session:
                return premortem.update_risk(session=session, risk_id=risk.id, expected_version=expected,
                                             **{name: value})

        try:
            # their version shows once the model has left this edit
            stored = keep_or_reload(self, attempt, risk.version, typed=value if isinstance(value, str) else "",
                                    on_reload=lambda: QTimer.singleShot(0, self.reload))
        except premortem.PremortemError as error:
            self.context.tell(str(error))
            return None
        except SQLAlchemyError as error:
            self.context.tell(database_problem(error))
            return None
        return stored

    def _saved(self, *_edit) -> None:
        self.context.saved()
        self.changed.emit()
        self._show_details()

    def _save_review(self, when) -> None:
        with self.context.session() as session:
            premortem.set_review_date(session=session, workshop_id=self.workshop_id, when=when)
        self.context.saved()
        self.changed.emit()
        self._show_review_state()

    def _show_review_state(self) -> None:
        overdue = sum(is_overdue(r, self.model.today) for r in self.model.risks)
        parts = [f"{counted(overdue, 'overdue item')}, highlighted" if overdue else "No overdue item"]
        if self.review.value() and self.review.value() < self.model.today:
            parts.insert(0, "The review date has passed: walk through the checklist")
        self.review_state.setText(". ".join(parts) + ".")

    def delete_current(self) -> None:
        """Delete the selected item after saying what goes with it."""
        risk = self.current_risk()
        if risk is None:
            self.context.tell("Select the item to delete first.")
            return
        lost = "its votes, owner, mitigation and review notes"
        back = " The items merged into it come back as separate items." if risk.merged_titles else ""
        if not buttons.confirm_destructive(self, "Delete item", f"Delete “{risk.title}” from the checklist? "
                                                                f"This removes {lost}.{back}"):
            return
        with self.context.session() as session:
            premortem.delete_risk(session=session, risk_id=risk.id)
        self.context.tell(f"Deleted “{risk.title}”.")
        self.changed.emit()
        self.reload()

    def refresh_from_synthesis(self) -> None:
        with self.context.session() as session:
            added = premortem.refresh_from_synthesis(session=session, workshop_id=self.workshop_id)
        self.context.tell(f"Added {counted(len(added), 'risk')} from the synthesis." if added
                          else "The synthesis raises no risk the checklist lacks.")
        self.changed.emit()
        self.reload()  # the banner goes even when nothing was added

    # ------------------------------------------------------------ filters and details
    def apply_filters(self) -> None:
        self.proxy.set_filters(text=self.search.text(), overdue_only=self.overdue_only.isChecked(),
                               klass=self.class_filter.currentData(), status=self.status_filter.currentData(),
                               source=self.source_filter.currentData())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.empty.setText("The checklist is empty. Start a session in the Session tab to capture risks.")
        elif shown == 0:
            self.empty.setText("No item matches these filters. Clear the filter text or choose “All”.")
        else:
            self.empty.setText(f"{shown} of {counted(total, 'item')}. Double-click or type on a cell to edit; "
                               "click a header to sort.")
        self._show_details()

    def current_risk(self):
        index = self.table.currentIndex()
        return index.data(RISK_ROLE) if index.isValid() else None

    def _show_details(self) -> None:
        risk = self.current_risk()
        if risk is None:
            self.details.setPlainText("Select an item to see why it happens, its evidence and the suggested "
                                      "mitigation.")
            return
        parts = [f"<b>{escape(risk.title)}</b>. {escape(risk.description)}"]
        if risk.suggestion and not risk.mitigation:
            parts.append(f"<i>Suggested mitigation:</i> {escape(risk.suggestion)}")
        if risk.merged_titles:
            parts.append("<i>Merged from:</i> " + escape("; ".join(risk.merged_titles)))
        if risk.evidence:
            parts.append("<i>Evidence:</i><ul style='margin:0'>"
                         + "".join(f"<li>{escape(item)}</li>" for item in risk.evidence) + "</ul>")
        self.details.setHtml("<br>".join(parts))
