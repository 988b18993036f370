"""Overview of the open workshop: its details, edited in place and saved as you type,
and how far the roster and the interviews have come."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout,
    QWidget,
)

from alignwork import store, team
from alignwork.changes import Changes
from alignwork.review.meeting import workshop_next_review
from alignwork_gui.icons import icon
from alignwork_gui.pages import STEPS, Page
from alignwork_gui.widgets.inline_message import InlineMessage
from alignwork_gui.widgets.labels import counted, header_row, make_label

SAVE_DELAY_MS = 600  # typing pauses this long before a silent save


class WorkshopPage(Page):
    FIELDS = ("name", "goal", "company", "facilitator", "target_minutes")

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._loading = False
        self._dirty: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.flush)

        self.name = QLineEdit()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.name.setFont(font)
        self.goal = QPlainTextEdit()
        self.goal.setTabChangesFocus(True)
        self.goal.setFixedHeight(self.goal.fontMetrics().lineSpacing() * 4 + 16)
        self.company = QLineEdit()
        self.facilitator = QLineEdit()
        self.target_minutes = QSpinBox()
        self.target_minutes.setRange(1, 240)
        self.target_minutes.setSuffix(" min")
        self.target_minutes.setMaximumWidth(120)
        self.errors = {key: InlineMessage(f"{key.replace('_', ' ').capitalize()} error") for key in self.FIELDS}
        self.widgets = {"name": self.name, "goal": self.goal, "company": self.company,
                        "facilitator": self.facilitator, "target_minutes": self.target_minutes}
        helps = {
            "name": ("Workshop name", "The workshop's name, unique among your workshops"),
            "goal": ("Goal", "What this workshop should settle, e.g. “agree what an SQL is before Q3 planning”"),
            "company": ("Company", "The company whose Sales and Marketing are aligning"),
            "facilitator": ("Facilitator", "Who runs the interviews and the workshop"),
            "target_minutes": ("Target interview length", "How long each interview should take (1–240 minutes)"),
        }
        for key, widget in self.widgets.items():
            widget.setAccessibleName(helps[key][0])
            widget.setToolTip(helps[key][1])
        self.name.setPlaceholderText("Name this workshop")
        self.goal.setPlaceholderText("What should this workshop settle?")
        self.company.setPlaceholderText("Company")
        self.facilitator.setPlaceholderText("Your name")

        for key in ("name", "company", "facilitator"):
            widget = self.widgets[key]
            widget.textEdited.connect(lambda _text, k=key: self._edited(k))
            widget.editingFinished.connect(self.flush)
        self.goal.textChanged.connect(lambda: self._edited("goal"))
        self.target_minutes.valueChanged.connect(lambda _value: self._edited("target_minutes"))
        self.target_minutes.editingFinished.connect(self.flush)

        form = QFormLayout()
        form.setSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in (("name", "&Name"), ("goal", "&Goal"), ("company", "&Company"),
                           ("facilitator", "&Facilitator"), ("target_minutes", "Interview &length")):
            form.addRow(label, self._with_error(key))

        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.progress.setAccessibleName("Roster and interviews so far")
        self.roster_button = QPushButton(icon("roster"), "Open the roster")
        self.roster_button.setAccessibleName("Open the roster")
        self.roster_button.setToolTip("Add the reps you will interview")
        self.roster_button.clicked.connect(lambda: self.context.step_requested.emit("roster"))
        self.roster_button.setVisible(any(s.key == "roster" for s in STEPS))
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.roster_button)
        self.dates = QLabel()
        self.dates.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.review_due = QLabel()  # once a version is agreed: when its next review is (the Review step)
        self.review_due.setAccessibleName("Next review")
        self.review_due.hide()
        self.activity = QLabel()  # team mode: who did what lately
        self.activity.setWordWrap(True)
        self.activity.setAccessibleName("Recent activity")

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        heading = QLabel("<b>Progress</b>")

        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)  # the page margins frame it, as on every other step
        column.setSpacing(8)
        column.addLayout(header_row(make_label("Overview", bold=True, size=1.3),
                                    make_label("What this workshop is for; every change is saved as you type",
                                               muted=True)))
        column.addSpacing(8)
        column.addLayout(form)
        column.addSpacing(8)
        column.addWidget(line)
        column.addWidget(heading)
        column.addLayout(progress_row)
        column.addWidget(self.dates)
        column.addWidget(self.review_due)
        column.addSpacing(8)
        column.addWidget(self.activity)
        column.addStretch(1)
        body = QWidget()
        body.setLayout(column)
        body.setMaximumWidth(720)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(body, 1, Qt.AlignmentFlag.AlignTop)
        outer.addStretch(0)

    def _with_error(self, key: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.widgets[key])
        layout.addWidget(self.errors[key])
        return box

    # ------------------------------------------------------------ loading
    def set_workshop(self, workshop_id: int | None) -> None:
        self.flush()  # what was typed belongs to the workshop it was typed for
        super().set_workshop(workshop_id)

    def reload(self) -> None:
        self.flush()  # what is being typed is saved, not overwritten by the reload
        self._dirty.clear()
        for label in self.errors.values():
            label.show_error(None)
        if self.workshop_id is None:
            return
        with self.context.session() as session:
            workshop = store.get_workshop(session=session, workshop_id=self.workshop_id)
            counts = store.workshop_counts(session=session, workshop_id=self.workshop_id)
            due = workshop_next_review(session=session, workshop_id=self.workshop_id)
            activity = team.recent_activity(session=session, workshop_id=self.workshop_id)
        self.activity.setText("<b>Recent activity</b><br>" + "<br>".join(
            escape(team.activity_line(*row)) for row in activity) if activity else "")
        self.activity.setVisible(bool(activity))
        self._loading = True
        try:
            for key in ("name", "company", "facilitator"):
                if self.widgets[key].text() != getattr(workshop, key):  # a colleague's reload keeps the cursor
                    self.widgets[key].setText(getattr(workshop, key))
            if self.goal.toPlainText() != workshop.goal:
                self.goal.setPlainText(workshop.goal)
            self.target_minutes.setValue(workshop.target_minutes)
        finally:
            self._loading = False
        if counts.participants == 0:
            self.progress.setText("No reps yet. Open the roster to add the sales reps you will interview, "
                                  "or import them from a CSV file.")
        else:
            self.progress.setText(f"{counted(counts.participants, 'rep')} on the roster · "
                                  f"{counted(counts.interviews, 'interview')}, {counts.done} done · "
                                  f"{counted(counts.answers, 'answer')} and {counted(counts.notes, 'note')}")
        self.dates.setText(f"Created {workshop.created_at:%d %b %Y}"
                           + (" · archived" if workshop.archived else ""))
        self.review_due.setText(due.text() if due else "")
        self.review_due.setVisible(due is not None)

    def focus_name(self) -> None:
        self.name.setFocus()
        self.name.selectAll()

    # ------------------------------------------------------------ saving
    def _edited(self, key: str) -> None:
        if self._loading or self.workshop_id is None:
            return
        self._dirty.add(key)
        self._timer.start()

    def _value(self, key: str):
        widget = self.widgets[key]
        if key == "goal":
            return widget.toPlainText()
        if key == "target_minutes":
            return widget.value()
        return widget.text()

    def flush(self) -> None:
        """Save every edited field now; a field the core refuses is not saved and says why."""
        self._timer.stop()
        if not self._dirty or self.workshop_id is None:
            return
        saved: list[str] = []
        for key in sorted(self._dirty):
            try:
                with self.context.session() as session:
                    store.update_workshop(session=session, workshop_id=self.workshop_id, **{key: self._value(key)})
            except store.StoreError as error:
                message = str(error).removeprefix(f"{key}: ")
                self.errors[key].show_error(f"{message[:1].upper()}{message[1:]} — not saved.")
                continue
            self.errors[key].show_error(None)
            saved.append(key)
        self._dirty.difference_update(saved)
        if saved:
            self.context.announce(Changes(workshops=True, workshop_id=self.workshop_id), source=self)
            self.context.saved()
