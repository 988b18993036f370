"""Export step: pick a document, format, version and options; write it off the GUI thread."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem,
    QProgressBar, QVBoxLayout, QWidget,
)

from alignwork import store
from alignwork.definition import agreement
from alignwork.documents.docmodel import AGREEMENT_SECTIONS, DocumentOptions
from alignwork.documents.writers import (DOCUMENT_FORMATS, FORMATS, ExportError, check_extension, check_target,
                                         draw_workshop_charts, export_workshop)
from alignwork_gui.context import ui_settings
from alignwork_gui.pages import Page
from alignwork_gui.tasks import run_task
from alignwork_gui.widgets.buttons import action_button, confirm_destructive, make_primary
from alignwork_gui.widgets.labels import header_row, make_label

RECENT_KEY = "export/recent"
RECENT_LIMIT = 10


def slug(text: str) -> str:
    """"Brightpath Analytics" → "brightpath-analytics" (for suggested file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def recent_exports() -> list[str]:
    value = ui_settings().value(RECENT_KEY, [])
    return [value] if isinstance(value, str) else list(value or [])


def remember_export(path: str) -> None:
    paths = [path] + [p for p in recent_exports() if p != path]
    ui_settings().setValue(RECENT_KEY, paths[:RECENT_LIMIT])


class ExportPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.task = None
        # the document's charts are drawn while the user picks a format and a file (the slow part of a
        # first export): started a moment after the page shows or its options change, once per choice
        self._drawing = None
        self._drawn_for = None
        self._draw_timer = QTimer(self, singleShot=True, interval=400, timeout=self._draw_charts_ahead)
        self.last_path: Path | None = None
        self._prefix = ""  # the workshop's company as a file-name part
        self._suggested: str | None = None  # the last path this page proposed (not typed by the user)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)  # the header of every step page
        layout.setSpacing(8)
        layout.addLayout(header_row(make_label("Export", bold=True, size=1.3), make_label(
            "Write the agreement or the one-page summary for people to read and sign, or the scoring rules "
            "for the CRM.", muted=True)))
        columns = QHBoxLayout()
        columns.setSpacing(16)
        layout.addLayout(columns, 1)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        self.document = QComboBox()
        self.document.addItem("Lead definition agreement", "agreement")
        self.document.addItem("One-page summary for a sales meeting", "summary")
        self.format = QComboBox()
        for key, (_, description) in FORMATS.items():
            self.format.addItem(f"{description} (.{key if key != 'rules-csv' else 'csv'})", key)
        self.version = QComboBox()
        for widget, name in ((self.document, "Document"), (self.format, "Format"), (self.version, "Version")):
            widget.setAccessibleName(name)
            form.addRow(name, widget)
        self.document.currentIndexChanged.connect(self._options_changed)
        self.format.currentIndexChanged.connect(self._options_changed)
        self.version.currentIndexChanged.connect(lambda *_: self._draw_timer.start())

        self.quotes = QCheckBox("Include evidence quotes")
        self.notes = QCheckBox("Include private interview notes")
        self.anonymise = QCheckBox("Anonymise rep names (Rep A, Rep B…)")
        self.charts = QCheckBox("Include charts")
        self.quotes.setChecked(True)
        self.charts.setChecked(True)
        for box in (self.quotes, self.notes, self.anonymise, self.charts):
            box.setAccessibleName(box.text())
            form.addRow("", box)
        for box in (self.anonymise, self.charts):
            box.toggled.connect(lambda *_: self._draw_timer.start())

        path_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("Output file")
        self.path.setPlaceholderText("Where to write the file")
        choose = action_button("Choose…", "Choose the output file", name="Choose output file",
                               on_click=self._choose_path)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(choose)
        form.addRow("Save as", path_row)

        # Ctrl+E is the window's "Export workshop…" (bundle); the page's own key is Ctrl+Return
        self.export_button = make_primary(action_button("Export", "Write the file", shortcut="Ctrl+Return",
                                                        on_click=self.start_export))
        self.cancel_button = action_button("Cancel", "Stop the export; nothing is written", name="Cancel export",
                                           on_click=self._cancel)
        self.open_folder = action_button("Open folder", "Show the folder of the last export",
                                         name="Open the folder of the last export", on_click=self._open_folder)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        buttons = QHBoxLayout()
        for widget in (self.export_button, self.cancel_button, self.open_folder):
            buttons.addWidget(widget)
        buttons.addWidget(self.progress, 1)
        form.addRow("", buttons)
        self.result = make_label()  # paths are user text: plain, never rich text
        self.result.setAccessibleName("Export result")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.result)
        columns.addWidget(form_widget, 3)

        side = QVBoxLayout()
        side.addWidget(make_label("Sections", bold=True))
        self.sections = QListWidget()
        self.sections.setAccessibleName("Sections to include")
        for key, title in AGREEMENT_SECTIONS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setCheckState(Qt.CheckState.Checked)
            self.sections.addItem(item)
        side.addWidget(self.sections, 3)
        side.addWidget(make_label("Recent exports", bold=True))
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent exports")
        self.recent.setWordWrap(True)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setToolTip("Double-click to open the folder")
        self.recent.itemActivated.connect(lambda item: self._reveal(Path(item.text())))
        side.addWidget(self.recent, 2)
        columns.addLayout(side, 2)
        self._set_running(False)
        self.open_folder.setEnabled(False)
        self._options_changed()

    # ------------------------------------------------------------ state
    def reload(self) -> None:
        if self.workshop_id is None:
            return
        current = self.version.currentData()
        self.version.clear()
        self.version.addItem("Agreed version (else the newest)", "default")
        with self.context.session() as session:
            for version in agreement.all_versions(session=session, workshop_id=self.workshop_id):
                self.version.addItem(f"{agreement.version_label(version)} ({version.status})",
                                     "draft" if version.number is None else version.number)
            workshop = store.get_workshop(session=session, workshop_id=self.workshop_id)
        index = self.version.findData(current)
        self.version.setCurrentIndex(max(index, 0))
        self._prefix = slug(workshop.company or workshop.name)
        self._fill_recent()
        self._suggest_path()
        self._drawn_for = None  # the workshop may have changed: its charts with it
        self._draw_timer.start()

    def _fill_recent(self) -> None:
        self.recent.clear()
        paths = recent_exports()
        self.recent.addItems(paths or ["No exports yet: choose a format and press Export."])
        self.recent.setEnabled(bool(paths))

    def _options_changed(self, *_args) -> None:
        fmt = self.format.currentData()
        is_document = fmt in DOCUMENT_FORMATS
        agreement_doc = is_document and self.document.currentData() == "agreement"
        self.document.setEnabled(is_document)
        self.sections.setEnabled(agreement_doc)
        for box in (self.quotes, self.notes, self.charts):
            box.setEnabled(agreement_doc)
        self.anonymise.setEnabled(is_document)
        self.version.setEnabled(fmt != "bundle")
        self._suggest_path()
        self._draw_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_timer.start()

    def _draw_charts_ahead(self) -> None:
        """Draw the charts of the document as chosen, in the background; an export started meanwhile
        waits for the chart being drawn and takes the rest as drawn (documents.builders._png)."""
        options = self.options()
        choice = self.version.currentData()
        wanted = (self.workshop_id, choice, options.anonymise)
        if (self.workshop_id is None or not self.isVisible() or self._drawing is not None or self.task is not None
                or self.format.currentData() not in DOCUMENT_FORMATS or not options.shows_charts
                or wanted == self._drawn_for):
            return
        number = choice if isinstance(choice, int) else None
        workshop_id, database = self.workshop_id, self.context.database

        def work(_progress):
            with database.session() as session:
                return draw_workshop_charts(session=session, workshop_id=workshop_id, options=options, number=number,
                                            default_version=choice != "draft")

        def finished():
            self._drawing = None
            self._draw_timer.start()  # a choice changed meanwhile is drawn next (the same one is skipped)

        self._drawn_for = wanted
        # a failure here is the export's to tell (it draws again and says what went wrong)
        self._drawing = run_task(work, on_error=lambda _message: setattr(self, "_drawn_for", None))
        self._drawing.signals.finished.connect(finished)

    def _suggest_path(self) -> None:
        """A name from the company and the document; a name the user typed keeps its folder and
        stem and only follows the format's extension."""
        fmt = self.format.currentData()
        extension = FORMATS[fmt][0]
        current = self.path.text().strip()
        if current and current != self._suggested:
            self.path.setText(str(Path(current).with_suffix(extension)))
            return
        stem = {"json": "scoring-model", "rules-csv": "scoring-rules", "bundle": "workshop-bundle"}.get(
            fmt, "lead-definition-" + (self.document.currentData() or "agreement"))
        folder = Path(current).parent if current else Path.home()
        self._suggested = str(folder / f"{'-'.join(filter(None, (self._prefix, stem)))}{extension}")
        self.path.setText(self._suggested)

    def _choose_path(self) -> None:
        fmt = self.format.currentData()
        extension = FORMATS[fmt][0]
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(),
                                              f"{FORMATS[fmt][1]} (*{extension})",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path.setText(path)

    def options(self) -> DocumentOptions:
        sections = frozenset(self.sections.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sections.count())
                             if self.sections.item(i).checkState() == Qt.CheckState.Checked)
        return DocumentOptions(document=self.document.currentData(), sections=sections,
                               include_quotes=self.quotes.isChecked(), include_notes=self.notes.isChecked(),
                               include_charts=self.charts.isChecked(), anonymise=self.anonymise.isChecked())

    def _set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)

    # ------------------------------------------------------------ export
    def start_export(self) -> None:
        if self.workshop_id is None or self.task is not None:
            return
        text = self.path.text().strip()
        if not text:
            self.result.setText("Choose where to write the file first.")
            return
        target = Path(text).expanduser()
        try:  # a folder, a missing folder or a misleading name is said before anything is asked
            check_extension(target, self.format.currentData())
            check_target(target, force=True)
        except ExportError as error:
            self.result.setText(f"Nothing was written: {error}")
            return
        fmt = self.format.currentData()
        if fmt in DOCUMENT_FORMATS and self.document.currentData() == "agreement" and not self.options().sections:
            self.result.setText("Tick at least one section to export.")
            return
        force = False
        if target.exists():
            if not confirm_destructive(self, "Replace the file?", f"{target.name} already exists in {target.parent}. "
                                       "Replacing it loses its current contents.", "Replace"):
                return
            force = True
        choice = self.version.currentData()
        number = choice if isinstance(choice, int) else None
        options, workshop_id, database = self.options(), self.workshop_id, self.context.database

        def work(progress):
            with database.session() as session:
                return export_workshop(session=session, workshop_id=workshop_id, format=fmt, path=target,
                                       options=options, number=number, force=force,
                                       default_version=choice != "draft", progress=progress)

        self._set_running(True)
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self.result.setText("Exporting…")
        self.task = run_task(work, on_done=self._done, on_error=self._failed, on_progress=self._progressed,
                             on_cancelled=self._cancelled)
        self.task.signals.finished.connect(self._finished)

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(message)

    def _done(self, result) -> None:
        self.last_path = result.path
        self.open_folder.setEnabled(True)
        self.result.setText(f"Wrote {result.path} ({result.size:,} bytes in {result.seconds:.1f} s).")
        remember_export(str(result.path))
        self._fill_recent()
        self.context.saved("Exported")

    def _failed(self, message: str) -> None:
        self.result.setText(f"Nothing was written: {message}")

    def _cancelled(self) -> None:
        self.result.setText("Export cancelled; nothing was written.")

    def _finished(self) -> None:
        self.task = None
        self._set_running(False)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _open_folder(self) -> None:
        if self.last_path is not None:
            self._reveal(self.last_path)

    def _reveal(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
