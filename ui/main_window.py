"""The main window: workshop list and step navigation on the left, the page stack on the right.

The window knows pages only through ``STEPS``: a step appears in the navigation and the Go
menu once its PageSpec is listed there, and its module is imported when it is first shown.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMargins, QRect, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
    QVBoxLayout, QWidget,
)

from alignwork import store
from alignwork.changes import Changes
from alignwork_gui.actions import make_action
from alignwork_gui.context import AppContext
from alignwork_gui.icons import list_icon
from alignwork_gui.pages import STEPS, Page, PageSpec
from alignwork_gui.widgets.labels import make_label
from alignwork_gui.widgets.workshop_list import WorkshopList
from alignwork_gui.window_geometry import fitted, fractions_of
from alignwork_gui.workshop_actions import WorkshopActions

if TYPE_CHECKING:
    from alignwork_gui.widgets.empty_state import EmptyState


TITLE_BAR_GUESS, FRAME_GUESS = 32, 4  # pixels; the real frame is known only once the window is shown
STEP_DIGITS = "1234567890"  # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth step, as on the keyboard row


def step_shortcut(row: int) -> str:
    """Steps are reached with Ctrl+1…Ctrl+9 and Ctrl+0 in the order shown, whoever adds them, then
    Alt+1…Alt+0 for the eleventh to the twentieth; every step is also one Ctrl+Tab /
    Ctrl+Shift+Tab away from its neighbour."""
    if row < len(STEP_DIGITS):
        return f"Ctrl+{STEP_DIGITS[row]}"
    return f"Alt+{STEP_DIGITS[row - len(STEP_DIGITS)]}" if row < 2 * len(STEP_DIGITS) else ""


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setWindowTitle("Alignwork")
        self._pages: dict[str, Page] = {}
        self._restored_workshop: int | None = None
        self.actions = WorkshopActions(self)

        self.sidebar = WorkshopList()
        self.sidebar.selected.connect(self._workshop_selected)
        self.sidebar.renamed.connect(self.actions.apply_rename)
        self.sidebar.show_archived_toggled.connect(self.actions.show_archived.setChecked)
        self.actions.show_archived.toggled.connect(lambda _on: self.reload_workshops())
        self.sidebar.set_context_actions([self.actions.new, None, self.actions.rename, self.actions.archive,
                                          self.actions.export_bundle, None, self.actions.delete])
        self.sidebar.addActions([self.actions.rename, self.actions.delete])  # their keys work in the sidebar
        self.sidebar.add_header_action(self.actions.new)

        self.step_list = QListWidget()
        self.step_list.setAccessibleName("Steps of the open workshop")
        self.step_list.currentRowChanged.connect(self._step_selected)
        for row, spec in enumerate(STEPS):
            item = QListWidgetItem(list_icon(spec.icon), spec.title)
            keys = step_shortcut(row)
            item.setToolTip(f"{spec.title} ({keys})" if keys else spec.title)
            self.step_list.addItem(item)
        self.step_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.step_list.ensurePolished()  # row heights are known only once the style is applied
        self.step_list.setFixedHeight(sum(self.step_list.sizeHintForRow(row) for row in range(len(STEPS)))
                                      + 2 * self.step_list.frameWidth())
        self.steps_label = make_label(bold=True, wrap=False)  # the open workshop's name, above its steps

        side = self.side = QWidget()
        side.setMinimumWidth(200)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 8, 0, 8)
        side_layout.setSpacing(8)
        side_layout.addWidget(self.steps_label)
        side_layout.addWidget(self.step_list)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.sidebar, 1)

        self._empty: EmptyState | None = None  # built when first shown: most starts open a workshop
        self.stack = QStackedWidget()

        self.splitter = QSplitter()
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([232, 1048])
        self.setCentralWidget(self.splitter)
        self.statusBar()  # there from the start, so its height counts when the window is fitted
        self._build_menus()
        context.changed.connect(self._on_changed)
        context.step_requested.connect(self.show_step)
        context.interview_requested.connect(self._interview_requested)
        context.status.connect(lambda message, timeout: self.statusBar().showMessage(message, timeout))
        self.restore_state()
        self._enable_steps(False)  # until reload_workshops() opens one

    # ------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        a = self.actions
        quit_action = make_action(self, "&Quit", "quit", "Ctrl+Q", "Quit Alignwork", self.close)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([a.new, a.import_bundle, a.merge_bundle, a.export_bundle, a.demo])
        file_menu.addSeparator()
        file_menu.addAction(a.connect_team)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        workshop_menu = self.menuBar().addMenu("&Workshop")
        workshop_menu.addActions([a.rename, a.archive, a.delete])
        workshop_menu.addSeparator()
        workshop_menu.addAction(a.show_archived)
        go_menu = self.menuBar().addMenu("&Go")
        self.step_actions: list[QAction] = []
        for row, spec in enumerate(STEPS):
            action = make_action(self, spec.title, spec.icon, step_shortcut(row), f"Go to {spec.title}",
                                 lambda r=row: self.go_to_row(r))
            go_menu.addAction(action)
            self.step_actions.append(action)
        # Ctrl+Tab, not Ctrl+PgDown: the interview runner uses Ctrl+PgDown/PgUp for its sections
        self.next_step = make_action(self, "&Next step", "next-step", QKeySequence.StandardKey.NextChild,
                                     "Go to the step below the current one", lambda: self.move_step(+1))
        # listed first so the menu reads Ctrl+Shift+Tab; the key itself arrives as Ctrl+Shift+Backtab
        previous_keys = ["Ctrl+Shift+Tab", *QKeySequence.keyBindings(QKeySequence.StandardKey.PreviousChild)]
        self.previous_step = make_action(self, "&Previous step", "previous-step", previous_keys,
                                         "Go to the step above the current one", lambda: self.move_step(-1))
        go_menu.addSeparator()
        go_menu.addActions([self.next_step, self.previous_step])
        self.step_actions += [self.next_step, self.previous_step]
        view_menu = self.menuBar().addMenu("&View")
        self.toggle_sidebar = make_action(self, "&Sidebar", "sidebar", "Ctrl+B", "Show or hide the workshops and "
                                          "steps on the left (more room for the page on a small screen)")
        self.toggle_sidebar.setCheckable(True)
        self.toggle_sidebar.setChecked(True)
        self.toggle_sidebar.toggled.connect(self._show_sidebar)
        view_menu.addAction(self.toggle_sidebar)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(make_action(self, "&User guide", "user-guide", "F1", "The Alignwork guide, step by step "
                                        "(opened here, no internet needed)", self.show_user_guide))
        help_menu.addAction(make_action(self, "&Keyboard shortcuts", "shortcuts", "Ctrl+/", "Every key of the "
                                        "menus and steps, read from the actions themselves", self.show_shortcuts))
        help_menu.addSeparator()
        help_menu.addAction(make_action(self, "&About Alignwork", "about", "Ctrl+F1", "What Alignwork is and where "
                                        "it keeps your data", self.show_about))
        self.addActions([self.toggle_sidebar])
        for menu in (file_menu, workshop_menu, go_menu, view_menu, help_menu):
            menu.setToolTipsVisible(True)
        self.addActions([a.new, a.import_bundle, a.export_bundle, a.demo, a.archive, a.show_archived])

    def _show_sidebar(self, shown: bool) -> None:
        self.side.setVisible(shown)
        if not shown and self.side.isAncestorOf(QApplication.focusWidget()):
            self.focus_page()

    def go_to_row(self, row: int) -> None:
        """A step by its shortcut: shown, and the keyboard in it (not left in the sidebar)."""
        self.step_list.setCurrentRow(row)
        self.focus_page()

    def focus_page(self) -> None:
        page = self.stack.currentWidget()
        target = page.focus_target() if isinstance(page, Page) else None
        (target or page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shortcut_text(self) -> str:
        from alignwork_gui.help import shortcut_table

        return shortcut_table(self)

    def show_shortcuts(self) -> None:
        from alignwork_gui.help import ShortcutsDialog

        ShortcutsDialog(self).show()

    def show_user_guide(self) -> None:
        from alignwork_gui.help import UserGuide

        if getattr(self, "user_guide", None) is None:
            self.user_guide = UserGuide(self)
        self.user_guide.show()
        self.user_guide.raise_()

    def show_about(self) -> None:
        import html

        from alignwork import __version__ as version  # noqa: N813
        from alignwork.paths import data_dir

        where = html.escape(str(self.context.database.path or self.context.database.url))
        QMessageBox.about(self, "About Alignwork",
                          f"<b>Alignwork {version}</b><p>Align Marketing and Sales on what a good lead is: "
                          "interview the reps, synthesize their answers into a lead definition, test it and "
                          f"sign it off.</p><p>Data folder: {html.escape(str(data_dir()))}<br>Database: {where}</p>")

    # ------------------------------------------------------------ workshops
    def reload_workshops(self, select_id: int | None = None) -> None:
        """Re-read the workshop list; keep (or move to) ``select_id``, else the open one."""
        wanted = next((i for i in (select_id, self.context.workshop_id, self._restored_workshop) if i is not None),
                      None)
        self._restored_workshop = None
        with self.context.session() as session:
            workshops = store.list_workshops(session=session)
        self.sidebar.populate(workshops, wanted, self.actions.show_archived.isChecked())
        current = self.sidebar.current_id()
        if current is None:
            current = self.sidebar.first_id()
            with QSignalBlocker(self.sidebar):
                self.sidebar.select(current)
        self._show_workshop(current, next((w.name for w in workshops if w.id == current), None))

    def open_workshop(self, workshop_id: int | None, select: bool = False) -> None:
        if select and workshop_id is not None and self.sidebar.current_id() != workshop_id:
            with QSignalBlocker(self.sidebar):
                self.sidebar.select(workshop_id)
        self._show_workshop(workshop_id)

    def _workshop_selected(self, workshop_id: int | None) -> None:
        if workshop_id is not None:
            self._show_workshop(workshop_id)

    def _show_workshop(self, workshop_id: int | None, name: str | None = None) -> None:
        """Open ``workshop_id`` (None: the empty state); ``name`` saves a query when already known."""
        changed = workshop_id != self.context.workshop_id
        self.context.workshop_id = workshop_id
        if changed:
            for page in self._pages.values():
                page.set_workshop(workshop_id)
        has = workshop_id is not None
        self._enable_steps(has)
        if not has:
            self.stack.setCurrentWidget(self.empty)
            self.setWindowTitle("Alignwork")
        else:
            if name is None:
                with self.context.session() as session:
                    name = store.get_workshop(session=session, workshop_id=workshop_id).name
            self.setWindowTitle(f"{name} — Alignwork")
            self.steps_label.setText(self.steps_label.fontMetrics().elidedText(
                name, Qt.TextElideMode.ElideRight, max(self.step_list.width(), 180)))
            self.steps_label.setToolTip(name)
            if self.step_list.currentRow() < 0:
                self.step_list.setCurrentRow(0)
            else:
                self._step_selected(self.step_list.currentRow())
        if changed:
            self.context.workshop_opened.emit(workshop_id)

    def _enable_steps(self, has_workshop: bool) -> None:
        self.steps_label.setVisible(has_workshop and bool(STEPS))
        self.step_list.setVisible(has_workshop and bool(STEPS))
        for action in self.step_actions:
            action.setEnabled(has_workshop)
        self.actions.update_enabled()

    @property
    def empty(self) -> EmptyState:
        """What the window shows without any workshop: what to do first."""
        if self._empty is None:
            from alignwork_gui.widgets.empty_state import EmptyState

            self._empty = EmptyState("Create a workshop or open the demo",
                                     "A workshop holds the roster of reps you will interview, their answers and "
                                     "the lead definition you build from them. Start a new one, or open the demo "
                                     "to see a filled-in workshop first.", [self.actions.new, self.actions.demo])
            self.stack.addWidget(self._empty)
        return self._empty

    # ------------------------------------------------------------ pages
    def first_step_key(self) -> str:
        return STEPS[0].key

    def page(self, key: str) -> Page:
        """The page for ``key``, created on first use (its module is imported then)."""
        if key not in self._pages:
            spec: PageSpec = next(s for s in STEPS if s.key == key)
            cls = getattr(importlib.import_module(spec.module), spec.class_name)
            page = cls(self.context, self)
            try:
                page.set_workshop(self.context.workshop_id)
            except BaseException:
                page.deleteLater()  # not kept half-loaded: the next visit builds it again
                raise
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def _step_selected(self, row: int) -> None:
        if row < 0 or self.context.workshop_id is None:
            return
        try:
            page = self.page(STEPS[row].key)
        except Exception:
            # one broken step must not take the window down: say so, and show the first step instead
            sys.excepthook(*sys.exc_info())
            if row != 0:
                self.step_list.setCurrentRow(0)
            return
        self.stack.setCurrentWidget(page)

    def show_step(self, key: str) -> Page:
        row = next(i for i, s in enumerate(STEPS) if s.key == key)
        if self.step_list.currentRow() == row:
            self._step_selected(row)
        self.step_list.setCurrentRow(row)
        return self.page(key)

    def move_step(self, delta: int) -> None:
        """The step ``delta`` rows below (or above) the current one; stops at the first and last."""
        row = self.step_list.currentRow() + delta
        if 0 <= row < self.step_list.count():
            self.step_list.setCurrentRow(row)

    def offer_resume(self) -> None:
        """Called once after start-up: an interview left running in the open workshop (the app was
        closed or died mid-interview) is offered by showing the Interviews step and its resume banner.
        Answers an earlier run kept on this computer (the database was unreachable) are written now."""
        replaying = False
        if any(s.key == "interview" for s in STEPS):
            from alignwork.interviews.journal import kept_for
            from alignwork.paths import data_dir

            if kept_for(self.context.database.engine, data_dir()):
                self.page("interview")  # its autosave writer replays the file and says what it saved
            # (the page may be built already, for the step last shown, and have said it)
            replaying = "interview" in self._pages and self._pages["interview"].replaying
        workshop_id = self.context.workshop_id
        if workshop_id is None or not self.isVisible() or not any(s.key == "interview" for s in STEPS):
            return
        from alignwork.interviews.flow import interrupted_interviews

        with self.context.session() as session:
            interrupted = interrupted_interviews(session=session, workshop_id=workshop_id)
        if interrupted:
            self.show_step("interview")
        if interrupted and not replaying:  # else the status bar is for what the replay saved; the banner offers resume
            self.context.tell(f"{interrupted[0].rep}'s interview was interrupted; "
                              "Resume interview continues where it stopped.", 15000)

    def _interview_requested(self, participant_id: int) -> None:
        if any(s.key == "interview" for s in STEPS):
            self.show_step("interview").start_for_participant(participant_id)

    def _on_changed(self, changes: Changes) -> None:
        if changes.workshops:  # whoever opens another workshop does so itself; keep the open one
            self.reload_workshops()

    # ------------------------------------------------------------ state
    def restore_state(self) -> None:
        settings = self.context.settings()
        saved = settings.value("main/window")
        try:
            shares = [float(v) for v in saved] if isinstance(saved, (list, tuple)) else None
        except (TypeError, ValueError):
            shares = None  # an unreadable setting opens the window as the first time
        if shares is None:
            geometry = settings.value("main/geometry")  # written by earlier versions
            if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
                shares = fractions_of(QRect(self.pos(), self.size()), self._available())
        self.place_on_screen(shares)
        if settings.value("main/maximized", False, type=bool):
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        with QSignalBlocker(self.actions.show_archived):
            self.actions.show_archived.setChecked(settings.value("main/show_archived", False, type=bool))
        self.toggle_sidebar.setChecked(settings.value("main/sidebar", True, type=bool))
        last = settings.value("main/workshop", "")
        self._restored_workshop = int(last) if str(last).isdigit() else None
        step = settings.value("main/step", "")
        row = next((i for i, s in enumerate(STEPS) if s.key == step), 0)
        with QSignalBlocker(self.step_list):
            self.step_list.setCurrentRow(row if STEPS else -1)

    def _available(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def place_on_screen(self, shares: list[float] | None = None) -> None:
        """Open inside the available screen area: as big as 1280×800 allows, or as remembered."""
        inner, outer = self.geometry(), self.frameGeometry()
        margins = QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                           outer.right() - inner.right(), outer.bottom() - inner.bottom())
        if margins.isNull():  # not shown yet: leave room for a title bar
            margins = QMargins(FRAME_GUESS, TITLE_BAR_GUESS, FRAME_GUESS, FRAME_GUESS)
        rect = fitted(self._available(), shares, margins)
        self.resize(rect.size())
        self.move(rect.topLeft())

    def save_state(self) -> None:
        settings = self.context.settings()
        normal = self.normalGeometry() if self.isMaximized() else QRect(self.pos(), self.size())
        settings.setValue("main/window", fractions_of(normal, self._available()))
        settings.setValue("main/maximized", self.isMaximized())
        settings.remove("main/geometry")
        settings.setValue("main/splitter", self.splitter.saveState())
        settings.setValue("main/show_archived", self.actions.show_archived.isChecked())
        settings.setValue("main/sidebar", self.toggle_sidebar.isChecked())
        workshop_id = self.context.workshop_id
        settings.setValue("main/workshop", "" if workshop_id is None else str(workshop_id))
        row = self.step_list.currentRow()
        settings.setValue("main/step", STEPS[row].key if 0 <= row < len(STEPS) else "")
        settings.sync()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        # the frame is known now: a window sticking out of the screen is fitted once more
        if not self.isMaximized() and not self._available().contains(self.frameGeometry()):
            self.place_on_screen(fractions_of(QRect(self.pos(), self.size()), self._available()))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        for page in self._pages.values():
            flush = getattr(page, "flush", None)
            if flush is not None:  # pending debounced saves are written before the window goes
                flush()
        self.save_state()
        super().closeEvent(event)
