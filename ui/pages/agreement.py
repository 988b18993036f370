"""Agreement step: versions and their status, sign-off, SLA, glossary and a compare view."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QSplitter, QStackedWidget,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from alignwork import store
from alignwork.definition import agreement
from alignwork.definition import versions
from alignwork.changes import Changes
from alignwork.definition.compare import compare_definitions
from alignwork.models.agreement import SIGNER_TEAMS
from alignwork.store import StoreError
from alignwork_gui.pages import Page
from alignwork_gui.safe_write import database_problem, keep_or_reload
from alignwork_gui.widgets.buttons import action_button, confirm_destructive, make_primary
from alignwork_gui.widgets.labels import PROBLEM_COLOUR, header_row, make_label
from alignwork_gui.widgets.agreement_editors import GlossaryEditor, SlaForm
from alignwork_gui.widgets.editable_table import ChoiceDelegate, Column, RowsModel, keyboard_table, rows_view
from alignwork_gui.widgets.empty_state import EmptyState, go_to_step

SIGNER_COLUMNS = (Column("name", "Name"), Column("role", "Role"), Column("team", "Team"),
                  Column("signed_on", "Signed on", tip="Date as YYYY-MM-DD; empty until they sign"))
STATUS_TEXT = {"draft": "Editing", "saved": "Saved", "proposed": "Proposed", "agreed": "Agreed",
               "superseded": "Superseded"}


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return keyboard_table(table)


class AgreementPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self._loading = False
        self._draft_version: int | None = None  # the working draft's version shown (team mode)
        self._versions = []
        self._draft_is_new = True
        self._signer_version = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)  # the header of every step page
        layout.setSpacing(8)
        title = make_label("Agreement", bold=True, size=1.3)
        self.status_label = make_label(muted=True)
        self.message = make_label()  # why the last action was refused, shown in place (no modal dialog)
        self.message.setAccessibleName("Agreement message")
        self.message.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.message.hide()
        layout.addLayout(header_row(title, self.status_label))
        layout.addWidget(self.message)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        self.versions = _table(("Version", "Status", "Date", "Signed"), "Definition versions")
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.versions.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.versions.itemSelectionChanged.connect(self._version_selected)
        self.empty_versions = make_label("No versions yet.", muted=True)  # the right pane says what to do
        left_layout.addWidget(self.versions)
        left_layout.addWidget(self.empty_versions)
        self.propose_button = action_button("Propose draft", "Freeze the working draft as the next version and put "
                                            "it up for agreement", shortcut="Ctrl+Shift+P", on_click=self._propose)
        make_primary(self.propose_button)
        self.agree_button = action_button("Agree", "Mark the selected proposed version agreed (needs a Sales and a "
                                          "Marketing signature)", on_click=self._agree)
        self.new_draft_button = action_button("New draft from it", "Start the working draft from the selected "
                                              "version (how an agreed version is changed)", on_click=self._new_draft)
        actions = QHBoxLayout()
        for button in (self.propose_button, self.agree_button, self.new_draft_button):
            actions.addWidget(button)
        self.empty_versions.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        actions.addStretch()
        left_layout.addLayout(actions)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Agreement details")
        self.tabs.addTab(self._build_signoff(), "Sign-off")
        self.sla_form = SlaForm()
        self.sla_form.edited.connect(self._save_sla)
        self.sla_fields = self.sla_form.fields
        self.glossary_editor = GlossaryEditor()
        self.glossary_editor.edited.connect(self._save_glossary)
        self.glossary_editor.incomplete.connect(
            lambda: self.show_message("A glossary row needs a term and a meaning; it is saved once both are filled"))
        self.glossary = self.glossary_editor.table
        self.tabs.addTab(self.sla_form, "SLA")
        self.tabs.addTab(self.glossary_editor, "Glossary")
        self.tabs.addTab(self._build_compare(), "Compare")

        # with no version at all there is nothing to sign: say what comes first instead of empty tabs
        propose = QAction("Propose draft", self)
        propose.setToolTip("Synthesize the working draft from the interviews and freeze it as version 1")
        propose.triggered.connect(self._propose)
        self.no_versions = EmptyState(
            "Nothing to sign yet",
            "There is no version of the definition yet. Review the draft the synthesis makes from the "
            "interviews in the Definition step, then press Propose draft: it becomes version 1, and its "
            "signers, SLA and glossary are edited here.",
            [propose, go_to_step(self, context, "definition", "Review the definition")])
        self.no_interviews = EmptyState(
            "Nothing to sign yet",
            "There is no draft to agree on: the definition is synthesized from finished interviews. "
            "Run and finish the interviews, review the synthesis, then propose the draft here.",
            [go_to_step(self, context, "interview", "Go to the interviews"),
             go_to_step(self, context, "synthesis", "Open the synthesis")])
        self.right = QStackedWidget()
        for widget in (self.tabs, self.no_versions, self.no_interviews):
            self.right.addWidget(widget)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 700])
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------ building
    def _build_signoff(self) -> QWidget:
        widget = QWidget()
        box = QVBoxLayout(widget)
        self.signoff_hint = make_label()
        self.signer_model = RowsModel(SIGNER_COLUMNS, self)
        self.signer_model.edited.connect(self._signer_edited)
        self.signers = rows_view(self.signer_model, "Signers of the selected version")
        header = self.signers.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Fixed,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.signers.setItemDelegateForColumn(2, ChoiceDelegate(SIGNER_TEAMS, self.signers,
                                                                placeholder="Choose a team"))
        # the Team column (and its editor, with the combo's arrow) fits "Marketing", not "Sa"
        header.resizeSection(2, max(self.fontMetrics().horizontalAdvance(t) for t in (*SIGNER_TEAMS, "Choose a team"))
                             + 40)
        self.add_signer_button = action_button("Add signer", "Add a row; type name, role, team (Sales or Marketing) "
                                               "and the signing date", on_click=self._add_signer)
        self.remove_signer_button = action_button("Remove signer", "Remove the selected signer",
                                                  on_click=self._remove_signer)
        row = QHBoxLayout()
        row.addWidget(self.add_signer_button)
        row.addWidget(self.remove_signer_button)
        row.addStretch()
        box.addWidget(self.signoff_hint)
        box.addWidget(self.signers, 1)
        box.addLayout(row)
        return widget

    def _build_compare(self) -> QWidget:
        widget = QWidget()
        box = QVBoxLayout(widget)
        row = QHBoxLayout()
        self.compare_from, self.compare_to = QComboBox(), QComboBox()
        self.compare_from.setAccessibleName("Compare from version")
        self.compare_to.setAccessibleName("Compare to version")
        for combo in (self.compare_from, self.compare_to):
            combo.activated.connect(self._show_compare)
        row.addWidget(QLabel("From"))
        row.addWidget(self.compare_from, 1)
        row.addWidget(QLabel("to"))
        row.addWidget(self.compare_to, 1)
        self.compare_list = QListWidget()
        self.compare_list.setAccessibleName("Changes between the two versions")
        self.compare_list.setWordWrap(True)
        box.addLayout(row)
        box.addWidget(self.compare_list, 1)
        return widget

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        if self.workshop_id is None:
            return
        self._loading = True
        selected = self._selected_version_id()
        with self.context.session() as session:
            self._versions = agreement.all_versions(session=session, workshop_id=self.workshop_id)
            self._signers = {v.id: agreement.list_signers(session=session, version_id=v.id) for v in self._versions}
            self._dates = {v.id: agreement.status_date(session=session, version=v) for v in self._versions}
            # something new to propose: a first version (the draft is synthesized if needed) or draft edits
            self._draft_is_new = not any(v.number is not None for v in self._versions) or \
                agreement.draft_has_edits(session=session, workshop_id=self.workshop_id)
            finished = store.workshop_counts(session=session, workshop_id=self.workshop_id).done \
                if not self._versions else 0
        self.versions.setRowCount(0)
        for version in self._versions:
            row = self.versions.rowCount()
            self.versions.insertRow(row)
            signed = [s for s in self._signers[version.id] if s.signed_on]
            when = self._dates[version.id] or version.updated_at.date()
            label = "Draft" if version.number is None else agreement.version_label(version)
            for column, text in enumerate((label, STATUS_TEXT.get(version.status,
                                           version.status), when.isoformat(), f"{len(signed)}")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, version.id)
                self.versions.setItem(row, column, item)
            if version.id == selected:
                self.versions.selectRow(row)
        has = bool(self._versions)
        self.versions.setVisible(has)
        self.empty_versions.setVisible(not has)
        self.right.setCurrentWidget(self.tabs if has else self.no_versions if finished else self.no_interviews)
        for button in (self.propose_button, self.agree_button, self.new_draft_button):
            button.setVisible(has)  # the empty state on the right holds the one next action
        if has and not self.versions.selectedItems():
            self.versions.selectRow(self._next_action_row())
        agreed = [v for v in self._versions if v.status == "agreed"]
        self.status_label.setText(f"Version {agreed[0].number} is agreed." if agreed else
                                  "No version is agreed yet: propose the draft, collect a Sales and a Marketing "
                                  "signature, then agree it.")
        self._fill_compare_choices()
        self._loading = False
        self._version_selected()

    def _next_action_row(self) -> int:
        # a version just saved in Definition (or awaiting signatures) is what to act on, not an unchanged draft
        if not self._draft_is_new:
            for row, version in enumerate(self._versions):
                if version.number is not None and version.status in ("saved", "proposed"):
                    return row
        return 0

    def _selected_version_id(self) -> int | None:
        items = self.versions.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _selected(self):
        version_id = self._selected_version_id()
        return next((v for v in self._versions if v.id == version_id), None)

    def _version_selected(self) -> None:
        if self._loading:
            return
        version = self._selected()
        status = version.status if version else None
        self.agree_button.setEnabled(status == "proposed")
        self.new_draft_button.setEnabled(version is not None and version.number is not None)
        self.propose_button.setText("Propose draft" if status in (None, "draft") or status != "saved"
                                    else "Propose version")
        can_propose = status == "saved" or self._draft_is_new
        self.propose_button.setEnabled(can_propose)
        self.propose_button.setToolTip(
            "Freeze the working draft as the next version and put it up for agreement" if can_propose else
            "Nothing new to propose: the working draft has no changes since the newest version. Change the SLA, "
            "the glossary or the definition first, or use New draft from it on an agreed version.")
        self._fill_signers(version)
        self._fill_draft_editors()
        self._compare_with_previous(version)

    def _fill_signers(self, version) -> None:
        self._loading = True
        signers = self._signers.get(version.id, []) if version else []
        editable = version is not None and version.status in agreement.SIGNABLE
        rows = [{"id": s.id, "name": s.name, "role": s.role, "team": s.team, "version": s.version,
                 "signed_on": s.signed_on.isoformat() if s.signed_on else ""} for s in signers]
        pending = [r for r in self.signer_model.rows if r.get("id") is None] \
            if version is not None and version.id == self._signer_version else []
        self._signer_version = version.id if version is not None else None
        self.signer_model.set_rows(rows + pending, read_only=not editable)  # in place: an open editor keeps its cell
        self.add_signer_button.setEnabled(editable)
        self.remove_signer_button.setEnabled(editable and bool(signers))
        if version is None:
            hint = "Select a version."
        elif version.status in agreement.LOCKED:
            hint = f"{agreement.version_label(version)} is {version.status} and locked. To change it, start a new draft from it."
        elif not editable:
            hint = "The working draft still changes: propose it first, then collect signatures on that version."
        else:
            gaps = agreement.signature_gaps(signers)
            hint = ("Ready to agree." if not gaps else "Still needed: " + " and ".join(gaps) + ".")
        self.signoff_hint.setText(hint)
        self._loading = False

    def _fill_draft_editors(self) -> None:
        # without a working draft, show the newest version: the first edit starts a draft from it
        draft = next((v for v in self._versions if v.number is None), None)
        source = draft or (self._versions[0] if self._versions else None)
        definition = versions.load_definition(source) if source else None
        self._draft_version = draft.version if draft else None  # what a save expects (team mode)
        self.sla_form.set_sla(agreement.sla_of(definition) if definition else agreement.default_sla(),
                              "Changes go to the working draft; agreed versions keep what was signed." if draft else
                              "There is no working draft: a change here starts one from the newest version.")
        self.glossary_editor.set_entries(agreement.glossary_of(definition) if definition else [])

    def _fill_compare_choices(self) -> None:
        for combo in (self.compare_from, self.compare_to):
            combo.clear()
            for version in reversed(self._versions):
                combo.addItem(f"{agreement.version_label(version)} ({STATUS_TEXT.get(version.status)})", version.id)
        if self.compare_to.count() >= 2:
            self.compare_from.setCurrentIndex(self.compare_to.count() - 2)
        self.compare_to.setCurrentIndex(self.compare_to.count() - 1)
        self._show_compare()

    def _compare_with_previous(self, version) -> None:
        """Point the compare view at the selected version and the one before it."""
        index = self.compare_to.findData(version.id) if version is not None else -1
        if index >= 0:
            self.compare_to.setCurrentIndex(index)
            self.compare_from.setCurrentIndex(max(index - 1, 0))
            self._show_compare()

    def _show_compare(self, *_args) -> None:
        by_id = {v.id: v for v in self._versions}
        before, after = by_id.get(self.compare_from.currentData()), by_id.get(self.compare_to.currentData())
        self.compare_list.clear()
        if before is None or after is None:
            self.compare_list.addItem("Save at least one version to compare.")
            return
        filled = lambda version: agreement.with_agreement_defaults(versions.load_definition(version))  # noqa: E731
        lines = compare_definitions(filled(before), filled(after)).lines()
        self.compare_list.addItems(lines or ["No differences."])

    # ------------------------------------------------------------ actions
    def _run(self, action, done: str) -> bool:
        try:
            with self.context.session() as session:
                action(session)
        except StoreError as error:
            self.show_message(str(error))
            return False
        except SQLAlchemyError as error:  # locked, read-only or unreachable: said, nothing changed
            self.show_message(database_problem(error))
            return False
        self.message.hide()
        self.context.announce(Changes(definition=True, workshop_id=self.workshop_id))
        self.context.saved(done)
        return True

    def show_message(self, text: str) -> None:
        message = text[:1].upper() + text[1:]
        self.message.setText(message if message.endswith(".") else message + ".")
        self.message.show()
        self.context.tell(text, 8000)

    def _propose(self) -> None:
        version = self._selected()
        number = version.number if version is not None and version.status == "saved" else None
        self._run(lambda s: agreement.propose(session=s, workshop_id=self.workshop_id, number=number), "Proposed")

    def _agree(self) -> None:
        version = self._selected()
        if version is not None:
            self._run(lambda s: agreement.agree(session=s, workshop_id=self.workshop_id, number=version.number),
                      f"Version {version.number} agreed")

    def _new_draft(self) -> None:
        version = self._selected()
        if version is None or version.number is None:
            return
        with self.context.session() as session:
            edits = agreement.draft_has_edits(session=session, workshop_id=self.workshop_id)
        if edits and not confirm_destructive(
                self, "Replace the working draft?",
                f"The working draft has edits that are in no version. Starting from version {version.number} "
                "replaces them; they will be lost.", "Replace draft"):
            return
        self._run(lambda s: agreement.start_draft_from(session=s, workshop_id=self.workshop_id,
                                                       number=version.number, replace=True), "New draft started")

    def _add_signer(self) -> None:
        # no team is assumed: the signer's team is what the agreement checks, so it is chosen
        row = self.signer_model.append({"id": None, "name": "", "role": "", "team": "",
                                        "signed_on": date.today().isoformat()})
        index = self.signer_model.index(row, 0)
        self.signers.setCurrentIndex(index)
        self.signers.setFocus(Qt.FocusReason.OtherFocusReason)
        self.signers.edit(index)

    def _signer_values(self, row: int) -> dict:
        texts = {key: str(self.signer_model.rows[row].get(key) or "").strip()
                 for key in ("name", "role", "team", "signed_on")}
        try:
            signed = date.fromisoformat(texts["signed_on"]) if texts["signed_on"] else None
        except ValueError:
            raise StoreError(f"signed on: {texts['signed_on']!r} is not a date like 2026-11-25") from None
        return {**texts, "signed_on": signed}

    def _signer_edited(self, row: int, key: str, _value) -> None:
        if self._loading:
            return
        version = self._selected()
        signer_id = self.signer_model.rows[row].get("id")
        try:
            values = self._signer_values(row)
        except StoreError as error:
            self.show_message(str(error))
            if signer_id is not None:  # a saved signer shows what is saved, not the refused text
                QTimer.singleShot(0, lambda: self._fill_signers(self._selected()))
            return
        if signer_id is None:
            if not values["name"] or not values["team"]:
                missing = " and ".join(w for w, v in (("a name", values["name"]), ("a team", values["team"])) if not v)
                self.signoff_hint.setText(f"The new signer is saved once it has {missing}.")
                return  # a new row waits for its name and team
            def add(session, row=self.signer_model.rows[row]):
                # the row knows its id before the page reloads, so it is not kept as a second, unsaved one
                row["id"] = agreement.add_signer(session=session, version_id=version.id, **values).id
            self._run(add, "Signer added")
        else:
            edit = {key: values[key]}  # only what was edited: Keep mine keeps the rest of theirs

            def update(session, expected, row=self.signer_model.rows[row]):
                row["version"] = agreement.update_signer(session=session, signer_id=signer_id,
                                                         expected_version=expected, **edit).version
            self._run_versioned(update, "Saved", self.signer_model.rows[row].get("version"),
                                typed=str(values[key] or ""))

    def _run_versioned(self, action, done: str, expected: int | None, typed: str = "") -> bool:
        """``_run`` of ``action(session, expected_version)``; a colleague's save meanwhile asks
        reload or keep mine (safe_write.keep_or_reload)."""
        return bool(keep_or_reload(self, lambda version: self._run(lambda s: action(s, version), done), expected,
                                   typed=typed, on_reload=lambda: QTimer.singleShot(0, self.reload)))

    def _remove_signer(self) -> None:
        index = self.signers.currentIndex()
        if not index.isValid():
            return
        signer_id = self.signer_model.rows[index.row()].get("id")
        if signer_id is not None:
            self._run(lambda s: agreement.remove_signer(session=s, signer_id=signer_id), "Signer removed")
        else:
            self.signer_model.remove(index.row())

    def _save_sla(self, key: str, value) -> None:
        self._save_draft_part(lambda s, expected: agreement.set_sla(
            session=s, workshop_id=self.workshop_id, expected_version=expected, **{key: value}),
            str(value) if isinstance(value, str) else "")

    def _save_glossary(self, entries: list) -> None:
        self._save_draft_part(lambda s, expected: agreement.set_glossary(
            session=s, workshop_id=self.workshop_id, entries=entries, expected_version=expected),
            "\n".join(f"{e.get('term', '')}: {e.get('meaning', '')}" for e in entries))

    def _save_draft_part(self, change, typed: str) -> None:
        """The SLA or the glossary into the working draft, against the draft version shown."""
        def save(session, expected):
            self._draft_version = change(session, expected).version
        self._run_versioned(save, "Saved", self._draft_version, typed)
