"""The main window: workshop list and step navigation on the left, the page stack on the right."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from alignwork import store
from alignwork.changes import Changes
from ui.context import AppContext
from ui.icons import icon
from ui.pages import STEPS, Page, PageSpec


class MainWindow(QMainWindow):
    ready = Signal()

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setWindowTitle("Alignwork")
        self._pages: dict[str, Page] = {}

        self.workshop_list = QListWidget()
        self.workshop_list.setAccessibleName("Workshops")
        self.workshop_list.currentItemChanged.connect(self._workshop_selected)
        self.step_list = QListWidget()
        self.step_list.setAccessibleName("Steps of the open workshop")
        self.step_list.currentRowChanged.connect(self._step_selected)
        for spec in STEPS:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setToolTip(f"{spec.title} ({spec.shortcut})")
            self.step_list.addItem(item)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 8, 0, 8)
        side_layout.setSpacing(8)
        side_layout.addWidget(QLabel("<b>Workshops</b>"))
        side_layout.addWidget(self.workshop_list, 2)
        self.steps_label = QLabel("<b>Steps</b>")
        side_layout.addWidget(self.steps_label)
        side_layout.addWidget(self.step_list, 3)

        self.stack = QStackedWidget()
        self.empty = QLabel("Create a workshop (Ctrl+N) or open the demo (File → Open demo workshop).")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)

        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1000])
        self.setCentralWidget(splitter)
        self._build_menus()
        context.changed.connect(self._on_changed)
        context.step_requested.connect(self.show_step)
        context.interview_requested.connect(self._interview_requested)
        context.status.connect(lambda message, timeout: self.statusBar().showMessage(message, timeout))
        self.restore_state()

    # ------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        self.file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu("&Go")
        for row, spec in enumerate(STEPS):
            action = QAction(icon(spec.icon), spec.title, self, shortcut=QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _=False, r=row: self.step_list.setCurrentRow(r))
            go_menu.addAction(action)

    # ------------------------------------------------------------ workshops
    def reload_workshops(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.context.workshop_id
        with self.context.session() as session:
            workshops = store.list_workshops(session=session)
        self.workshop_list.blockSignals(True)
        self.workshop_list.clear()
        for workshop in workshops:
            item = QListWidgetItem(workshop.name + ("  (archived)" if workshop.archived else ""))
            item.setData(Qt.ItemDataRole.UserRole, workshop.id)
            item.setToolTip(workshop.goal or workshop.name)
            self.workshop_list.addItem(item)
            if workshop.id == current:
                self.workshop_list.setCurrentItem(item)
        self.workshop_list.blockSignals(False)
        if self.workshop_list.currentItem() is None and self.workshop_list.count():
            self.workshop_list.setCurrentRow(0)
        else:
            self._workshop_selected(self.workshop_list.currentItem(), None)

    def open_workshop(self, workshop_id: int | None) -> None:
        self.context.workshop_id = workshop_id
        for page in self._pages.values():
            page.set_workshop(workshop_id)
        has = workshop_id is not None
        self.step_list.setEnabled(has)
        if not has:
            self.stack.setCurrentWidget(self.empty)
        elif self.step_list.currentRow() < 0:
            self.step_list.setCurrentRow(0)
        else:
            self._step_selected(self.step_list.currentRow())
        self.context.workshop_opened.emit(workshop_id)

    def _workshop_selected(self, item, _previous) -> None:
        workshop_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if workshop_id != self.context.workshop_id or not self._pages:
            self.open_workshop(workshop_id)

    # ------------------------------------------------------------ pages
    def page(self, key: str) -> Page:
        """The page for ``key``, created on first use (its module is imported then)."""
        if key not in self._pages:
            spec: PageSpec = next(s for s in STEPS if s.key == key)
            cls = getattr(importlib.import_module(spec.module), spec.class_name)
            page = cls(self.context, self)
            self._pages[key] = page
            self.stack.addWidget(page)
            page.set_workshop(self.context.workshop_id)
        return self._pages[key]

    def _step_selected(self, row: int) -> None:
        if row < 0 or self.context.workshop_id is None:
            return
        self.stack.setCurrentWidget(self.page(STEPS[row].key))

    def show_step(self, key: str) -> Page:
        row = next(i for i, s in enumerate(STEPS) if s.key == key)
        self.step_list.setCurrentRow(row)
        return self.page(key)

    def _interview_requested(self, participant_id: int) -> None:
        if any(s.key == "interview" for s in STEPS):
            self.show_step("interview").start_for_participant(participant_id)

    def _on_changed(self, changes: Changes) -> None:
        if changes.workshops:
            self.reload_workshops(changes.workshop_id)

    # ------------------------------------------------------------ state
    def restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = settings.value("main/workshop")
        self.context.workshop_id = int(last) if last not in (None, "") else None

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/workshop", self.context.workshop_id if self.context.workshop_id is not None else "")
        super().closeEvent(event)
