"""The Guide step: the workshop's interview guide, edited inline — reword, reorder,
hide, add custom questions — and printed as the interview kit (PDF)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLineEdit, QMessageBox,
    QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from alignwork import store
from alignwork.interviews import guide_edit
from alignwork.interviews import guide_settings
from alignwork.changes import Changes
from alignwork.interviews.kit import kit_html
from alignwork_gui.pages import Page
from alignwork_gui.pages.guide.settings import AnswerSettingsPane
from alignwork_gui.safe_write import keep_or_reload, try_write
from alignwork_gui.widgets.labels import counted, header_row, make_label
from alignwork_gui.widgets.wrap_delegate import WrapDelegate
from alignwork_gui.widgets.editable_table import keyboard_table

KEY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Question (what you read)", "Hint", "Kind", "Shown")
KIND_TITLES = {"text": "Text", "tags": "Tags", "range": "Range", "bant": "BANT", "scale": "Scale",
               "number": "Number", "choice": "Choice"}
NEW_KINDS = (("Text — open answer", "text", ""), ("Tags — a list", "tags", ""), ("Choice — one option", "choice", ""),
             ("Scale 1–5", "scale", ""), ("Number", "number", ""), ("Range — employees", "range", "employees"),
             ("Range — revenue (USD)", "range", "usd"), ("Range — plain numbers", "range", ""))


def kind_title(question) -> str:
    """"Range (USD)", "Scale 1–5", "Number 0–100": the kind with what bounds it."""
    title = KIND_TITLES.get(question.kind, question.kind)
    if question.kind == "range":
        return title + {"usd": " (USD)", "employees": " (people)"}.get(question.unit, "")
    bounds = [b for b in (question.minimum, question.maximum) if b is not None]
    if question.kind in ("scale", "number") and len(bounds) == 2:
        return f"{title} {bounds[0]:g}–{bounds[1]:g}"
    if question.kind == "number" and bounds:
        return f"{title} {'≥' if question.minimum is not None else '≤'} {bounds[0]:g}"
    return title


class GuidePage(Page):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.questions = []
        self.guide_version: int | None = None  # the guide version shown (team mode: see keep_or_reload)
        self.title = make_label("Guide", bold=True, size=1.3)
        self.summary = make_label("", muted=True)
        self.print_button = QPushButton("Print interview &kit…")
        self.print_button.setAccessibleName("Print the interview kit as PDF")
        self.print_button.setToolTip("Save the opening script, the promise and the questions as a PDF (Alt+K)")
        self.print_button.clicked.connect(lambda: self.print_kit())
        header = header_row(self.title, self.summary, self.print_button)

        self.tree = QTreeWidget()
        keyboard_table(self.tree)  # Tab leaves it, arrows move inside
        self.tree.setAccessibleName("Guide questions by section")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        header_view = self.tree.header()
        header_view.setStretchLastSection(False)
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header_view.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_settings())
        self.settings = AnswerSettingsPane()
        self.settings.options_changed.connect(self.set_options)
        self.settings.option_renamed.connect(self.rename_option)
        self.settings.bounds_changed.connect(self.set_bounds)
        self.settings.unit_changed.connect(self.set_unit)
        self.settings.problem.connect(lambda message: self.context.tell(message, 8000))
        help_line = make_label("F2 edits the prompt (Tab: the hint) · Alt+↑/↓ moves · Ctrl+H hides or shows · "
                               "Ctrl+E edits the answer settings · Delete removes a custom question nobody "
                               "answered. Built-in keys stay; hiding never loses answers.", muted=True)
        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.tree, 1)
        body.addWidget(self.settings)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(help_line)
        layout.addWidget(self._build_add_form())
        # Alt+↑/↓ on the tree only: in the options list they move an option
        for keys, slot, scope in (("Alt+Up", lambda: self.move_selected(-1), self.tree),
                                  ("Alt+Down", lambda: self.move_selected(+1), self.tree),
                                  ("Ctrl+H", self.toggle_selected, self),
                                  ("Ctrl+E", self.settings.focus_first, self),
                                  ("Delete", self.remove_selected, self.tree)):
            shortcut = QShortcut(QKeySequence(keys), scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _build_add_form(self) -> QGroupBox:
        box = QGroupBox("Add a question")
        self.new_section = QComboBox()
        self.new_section.setEditable(True)
        self.new_section.setAccessibleName("Section of the new question")
        self.new_section.setToolTip("Pick a section or type a new one")
        self.new_kind = QComboBox()
        self.new_kind.setAccessibleName("Kind of answer")
        for label, kind, unit in NEW_KINDS:
            self.new_kind.addItem(label, f"{kind}:{unit}")
        self.new_kind.currentIndexChanged.connect(self._kind_changed)
        self.new_prompt = QLineEdit()
        self.new_prompt.setAccessibleName("Prompt of the new question")
        self.new_prompt.setPlaceholderText("The question you will ask")
        self.new_prompt.setToolTip("For example “Which CRM do your best leads use?” — Enter adds it")
        self.new_prompt.returnPressed.connect(self.add_question)
        self.new_options = QLineEdit()
        self.new_options.setAccessibleName("Options, separated by commas")
        self.new_options.setPlaceholderText("Options, comma-separated")
        self.new_options.returnPressed.connect(self.add_question)
        self.add_button = QPushButton("Add question")
        self.add_button.setAccessibleName("Add the question to the guide")
        self.add_button.clicked.connect(self.add_question)
        row = QHBoxLayout(box)
        row.setSpacing(8)
        row.addWidget(self.new_section, 2)
        row.addWidget(self.new_kind, 2)
        row.addWidget(self.new_prompt, 5)
        row.addWidget(self.new_options, 3)
        row.addWidget(self.add_button)
        self._kind_changed()
        return box

    def _kind_changed(self, *_args) -> None:
        is_choice = self.new_kind.currentData().startswith("choice:")
        self.new_options.setVisible(is_choice)

    # ------------------------------------------------------------ showing
    def reload(self) -> None:
        if self.workshop_id is None:
            return
        with self.context.session() as session:
            workshop = store.get_workshop(session=session, workshop_id=self.workshop_id)
            self.questions = store.workshop_guide(session=session, workshop_id=self.workshop_id)
            self.guide_version = store.guide_version(session=session, workshop_id=self.workshop_id)
        self.workshop_name = workshop.name
        self.workshop = workshop
        hidden = sum(q.hidden for q in self.questions)
        self.summary.setText(f"{len(self.questions) - hidden} questions shown · {hidden} hidden · "
                             f"promise: {counted(workshop.target_minutes, 'minute')}")
        selected = self.selected_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        sections: dict[str, QTreeWidgetItem] = {}
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for question in self.questions:
            parent = sections.get(question.section)
            if parent is None:
                parent = QTreeWidgetItem([question.section])
                font = QFont(parent.font(0))
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                parent.setFirstColumnSpanned(False)
                self.tree.addTopLevelItem(parent)
                sections[question.section] = parent
            kind = kind_title(question)
            item = QTreeWidgetItem([question.prompt, question.hint, kind, ""])
            if question.kind == "choice":
                item.setToolTip(2, "Options: " + ", ".join(o.replace("_", " ") for o in question.options))
            item.setData(0, KEY_ROLE, question.key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(3, Qt.CheckState.Unchecked if question.hidden else Qt.CheckState.Checked)
            origin = "built-in" if question.builtin else "custom"
            item.setToolTip(0, f"{question.prompt}\n\nKey: {question.key} ({origin})")
            item.setToolTip(3, "Hidden questions are skipped in interviews; their answers are kept (Ctrl+H)")
            if question.hidden:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, muted)
            parent.addChild(item)
            if question.key == selected:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0).child(0))
        self._size_hint_column()
        self._show_settings()
        self.new_section.clear()
        self.new_section.addItems(list(sections))

    def _size_hint_column(self) -> None:
        # the hint gets under a third; the prompt (what is read aloud) keeps the most room
        self.tree.setColumnWidth(1, max(120, int(self.tree.viewport().width() * 0.28)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        QTimer.singleShot(0, self._size_hint_column)  # after the layout has resized the tree

    def _show_settings(self) -> None:
        key = self.selected_key()
        self.settings.show_question(next((q for q in self.questions if q.key == key), None))

    def selected_key(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    # ------------------------------------------------------------ editing
    def _save(self, change, what: str, interviews: bool = False, typed: str = "") -> bool:
        """Run ``change(session, expected_version)`` against the guide version this page shows; a
        refusal is told in the status bar and changes nothing; a colleague's save meanwhile asks
        reload or keep mine (``typed`` goes to the clipboard on reload)."""
        saved = keep_or_reload(self, lambda expected: try_write(
            self.context, "Guide not saved", lambda session: change(session, expected)), self.guide_version,
            typed=typed)
        self.reload()
        if not saved:
            return False
        self.context.saved(what)
        self.context.announce(Changes(guide=True, interviews=interviews, workshop_id=self.workshop_id))
        return True

    def _apply(self, operation, what: str = "Guide saved", typed: str = "") -> bool:
        return self._save(lambda session, expected: guide_edit.edit_guide(
            session=session, workshop_id=self.workshop_id, operation=operation, expected_version=expected),
            what, typed=typed)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if key is None:
            return
        typed = item.text(column) if column in (0, 1) else ""
        if column == 0:
            operation = lambda qs, text=typed: guide_edit.reword(qs, key, prompt=text)  # noqa: E731
        elif column == 1:
            operation = lambda qs, text=typed: guide_edit.reword(qs, key, hint=text)  # noqa: E731
        elif column == 3:
            hidden = item.checkState(3) == Qt.CheckState.Unchecked
            operation = lambda qs: guide_edit.set_hidden(qs, key, hidden)  # noqa: E731
        else:
            operation = None  # the kind is not editable here
        # the tree is rebuilt after saving: not while Qt is still inside this item's setData
        QTimer.singleShot(0, lambda: self._apply(operation, typed=typed) if operation else self.reload())

    def move_selected(self, step: int) -> None:
        key = self.selected_key()
        if key is not None:
            self._apply(lambda qs: guide_edit.move(qs, key, step))

    def toggle_selected(self) -> None:
        key = self.selected_key()
        question = next((q for q in self.questions if q.key == key), None)
        if question is not None:
            self._apply(lambda qs: guide_edit.set_hidden(qs, key, not question.hidden))

    def remove_selected(self) -> None:
        key = self.selected_key()
        question = next((q for q in self.questions if q.key == key), None)
        if question is None:
            return
        if question.builtin:
            self.context.tell("Built-in questions cannot be removed; hide them instead (Ctrl+H).", 6000)
            return
        with self.context.session() as session:
            answers = guide_settings.given_answers(session=session, workshop_id=self.workshop_id, key=key)
        if answers:
            self.context.tell(f"“{question.prompt}” is answered in {guide_settings.interviews_of(answers)}; "
                              "hide it instead (Ctrl+H) to keep the answers.", 8000)
            return
        reply = QMessageBox.question(self, "Remove question",
                                     f"Remove “{question.prompt}” from this workshop's guide? "
                                     "Nobody has answered it, so only the question itself is lost.")
        if reply == QMessageBox.StandardButton.Yes:
            self._apply(lambda qs: guide_edit.remove_question(qs, key, answers=0), "Question removed")

    def add_question(self) -> None:
        kind, unit = self.new_kind.currentData().split(":")
        options = self.new_options.text().split(",") if kind == "choice" else []
        section = self.new_section.currentText()
        added: list[str] = []

        def operation(questions):
            result, key = guide_edit.add_question(questions, section=section, prompt=self.new_prompt.text(),
                                                  kind=kind, unit=unit, options=options)
            added.append(key)
            return result

        if self._apply(operation, "Question added"):
            self.new_prompt.clear()
            self.new_options.clear()
            self._select(added[0])
            self.new_prompt.setFocus()

    # ------------------------------------------------------------ answer settings (the pane)
    def _apply_with_answers(self, key: str, edit, what: str) -> bool:
        """Apply a settings edit that must not invalidate the answers already given to ``key``."""
        def change(session, expected):
            answers = guide_settings.given_answers(session=session, workshop_id=self.workshop_id, key=key)
            guide_edit.edit_guide(session=session, workshop_id=self.workshop_id,
                                  operation=lambda questions: edit(questions, answers), expected_version=expected)

        return self._save(change, what)

    def set_options(self, key: str, options: list) -> None:
        self._apply_with_answers(key, lambda qs, answers: guide_settings.set_options(
            qs, key, options, answers=answers), "Options saved")

    def set_bounds(self, key: str, lowest, highest) -> None:
        self._apply_with_answers(key, lambda qs, answers: guide_settings.set_bounds(
            qs, key, lowest, highest, answers=answers), "Limits saved")

    def set_unit(self, key: str, unit: str) -> None:
        with self.context.session() as session:
            given = len(guide_settings.given_answers(session=session, workshop_id=self.workshop_id, key=key))
        # answers typed as words now read differently ("10-50" as $10M–$50M): say so
        what = f"Unit saved · {counted(given, 'answer')} now read in {guide_settings.UNIT_NAMES[unit]} ·" if given \
            else "Unit saved"
        self._apply_with_answers(key, lambda qs, answers: guide_settings.set_unit(
            qs, key, unit, answers=answers), what)

    def rename_option(self, key: str, old: str, new: str) -> None:
        # later, not while the list is still inside the item's setData
        QTimer.singleShot(0, lambda: self._save(lambda session, expected: guide_settings.rename_option(
            session=session, workshop_id=self.workshop_id, key=key, old=old, new=new, expected_version=expected),
            "Option renamed", interviews=True, typed=new))

    def _select(self, key: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(index)
            for child in range(section.childCount()):
                if section.child(child).data(0, KEY_ROLE) == key:
                    self.tree.setCurrentItem(section.child(child))
                    self.tree.scrollToItem(section.child(child))

    # ------------------------------------------------------------ printing
    def print_kit(self, path: str | Path | None = None) -> Path | None:
        """Save the interview kit as PDF (asks where when no ``path`` is given)."""
        if self.workshop_id is None:
            return None
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggested = str(Path(folder or Path.home()) / f"{self.workshop_name} – interview kit.pdf")
            path, _ = QFileDialog.getSaveFileName(self, "Print interview kit", suggested, "PDF documents (*.pdf)")
            if not path:
                return None
        from alignwork_gui.kit_pdf import write_kit_pdf

        html = kit_html(workshop_name=self.workshop.name, company=self.workshop.company,
                        facilitator=self.workshop.facilitator, minutes=self.workshop.target_minutes,
                        questions=self.questions)
        try:
            written = write_kit_pdf(path, html, title=f"Interview kit — {self.workshop.name}")
        except OSError as error:
            self.context.tell(f"The kit could not be saved: {error.strerror or error}. Nothing was written.", 8000)
            return None
        self.context.tell(f"Interview kit saved to {written}")
        return written
