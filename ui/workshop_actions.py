"""What the user can do to whole workshops: new, rename, archive, delete, import, export, demo.

Each handler asks the core, announces what changed and says so in the status bar; only
destructive steps ask first, and every failure is told plainly with nothing changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy.exc import SQLAlchemyError

from alignwork import store
from alignwork.changes import Changes
from alignwork_gui.actions import make_action
from alignwork_gui.dialogs import Icon, confirm, tell
from alignwork_gui.icons import icon
from alignwork_gui.safe_write import plain_problem
from alignwork_gui.widgets.labels import counted

SIDEBAR = Qt.ShortcutContext.WidgetWithChildrenShortcut
BUNDLE_FILTER = "Alignwork workshop bundle (*.json);;All files (*)"


class WorkshopActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.new = make_action(self, "&New workshop", "new", "Ctrl+N", "Create a new workshop", self.new_workshop)
        self.rename = make_action(self, "&Rename workshop", "rename", "F2", "Rename the selected workshop",
                                  self.rename_workshop, context=SIDEBAR)
        self.archive = make_action(self, "&Archive workshop", "archive", "Ctrl+Shift+A",
                                   "Archive or unarchive the selected workshop", self.toggle_archived)
        self.delete = make_action(self, "&Delete workshop…", "delete", "Delete",
                                  "Delete the selected workshop and everything in it", self.delete_workshop,
                                  context=SIDEBAR)
        self.show_archived = make_action(self, "Show a&rchived workshops", "show-archived", "Ctrl+Shift+H",
                                         "Show or hide archived workshops in the list")
        self.show_archived.setCheckable(True)
        self.import_bundle = make_action(self, "&Import workshop…", "import", "Ctrl+O",
                                         "Import a workshop from a bundle file (.json)", self.import_workshop)
        self.export_bundle = make_action(self, "&Export workshop…", "export", "Ctrl+E",
                                         "Export the open workshop as a bundle file (.json)", self.export_workshop)
        self.demo = make_action(self, "Open &demo workshop", "demo", "Ctrl+Shift+D",
                                "Add the demo workshop (filled-in roster and interviews) and open it", self.open_demo)
        self.merge_bundle = make_action(self, "&Merge a colleague's interviews…", "import", "Ctrl+Shift+O",
                                        "Add the interviews from a colleague's bundle file to the open workshop",
                                        self.merge_workshop)
        self.connect_team = make_action(self, "Connect to &team database…", "workshop", "Ctrl+Shift+T",
                                        "Work with colleagues on a shared PostgreSQL server", self.connect_team_database)

    def update_enabled(self) -> None:
        has = self.window.sidebar.current_id() is not None
        archived = self.window.sidebar.is_current_archived()
        for action in (self.rename, self.archive, self.delete, self.export_bundle, self.merge_bundle):
            action.setEnabled(has)
        self.archive.setText("Un&archive workshop" if archived else "&Archive workshop")
        self.archive.setIcon(icon("unarchive" if archived else "archive"))

    # ------------------------------------------------------------ helpers
    def _workshop(self):
        workshop_id = self.window.sidebar.current_id()
        if workshop_id is None:
            return None
        with self.context.session() as session:
            return store.get_workshop(session=session, workshop_id=workshop_id)

    def _opened(self, workshop_id: int, message: str) -> None:
        self.context.announce(Changes.everything(workshop_id))
        self.window.open_workshop(workshop_id, select=True)
        self.context.tell(message, 10000)

    def _documents(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    # ------------------------------------------------------------ workshops
    def new_workshop(self) -> None:
        with self.context.session() as session:
            name = store.unique_workshop_name(session=session, name="New workshop")
            workshop = store.create_workshop(session=session, name=name)
        self.context.announce(Changes(workshops=True, workshop_id=workshop.id))
        self.window.open_workshop(workshop.id, select=True)
        self.context.saved(f"Created “{name}” ·")
        page = self.window.show_step(self.window.first_step_key())
        if hasattr(page, "focus_name"):  # the overview page: type the real name straight away
            page.focus_name()

    def rename_workshop(self) -> None:
        self.window.sidebar.start_rename()

    def apply_rename(self, workshop_id: int, name: str) -> None:
        try:
            with self.context.session() as session:
                store.update_workshop(session=session, workshop_id=workshop_id, name=name)
        except store.StoreError as error:
            # one message, in the status bar beside the list: the stored name is back in place
            self.context.tell(f"Not renamed: {error}; the name was left as it was.", 10000)
            return
        self.context.announce(Changes(workshops=True, workshop_id=workshop_id))
        self.context.saved()

    def toggle_archived(self) -> None:
        workshop = self._workshop()
        if workshop is None:
            return
        with self.context.session() as session:
            store.update_workshop(session=session, workshop_id=workshop.id, archived=not workshop.archived)
        self.context.announce(Changes(workshops=True, workshop_id=workshop.id))
        if workshop.archived:
            self.context.saved(f"Unarchived “{workshop.name}” ·")
        else:
            hint = "" if self.show_archived.isChecked() else " (Ctrl+Shift+H shows archived workshops)"
            self.context.saved(f"Archived “{workshop.name}”{hint} ·")

    def delete_workshop(self) -> None:
        workshop = self._workshop()
        if workshop is None:
            return
        with self.context.session() as session:
            counts = store.workshop_counts(session=session, workshop_id=workshop.id)
        if not confirm(self.window, "Delete workshop", f"Delete the workshop “{workshop.name}”?",
                       f"This permanently deletes its {counts.describe()}, and everything worked out from them "
                       "(synthesis, definitions, premortem, back-tests). It cannot be undone.\n\n"
                       "To keep a copy, export it first; to just put it away, archive it.", "Delete workshop"):
            return
        with self.context.session() as session:
            store.delete_workshop(session=session, workshop_id=workshop.id)
        self.context.workshop_id = None
        self.context.announce(Changes.everything(workshop.id))
        self.window.open_workshop(self.window.sidebar.first_id(), select=True)
        self.context.saved(f"Deleted “{workshop.name}” ·")

    # ------------------------------------------------------------ bundles
    def import_workshop(self) -> None:
        from alignwork.workshops.bundle import BundleError, import_bundle, load_bundle_file

        path, _ = QFileDialog.getOpenFileName(self.window, "Import workshop", self._documents(), BUNDLE_FILTER)
        if not path:
            return
        try:
            data = load_bundle_file(path)
            with self.context.session() as session:
                result = import_bundle(session=session, data=data, rename_if_taken=True)
        except (BundleError, store.StoreError, OSError, SQLAlchemyError) as error:
            tell(self.window, "Workshop not imported", f"{Path(path).name} could not be imported:\n\n{plain_problem(error)}",
                 "Nothing was imported.")
            return
        self._opened(result.workshop_id, f"Imported “{result.name}”")
        tell(self.window, "Workshop imported", f"Imported “{result.name}” from {Path(path).name}: {counted(result.participants, 'rep')}, "
             f"{counted(result.interviews, 'interview')}, {counted(result.answers, 'answer')} and {counted(result.notes, 'note')}.",
             icon=Icon.Information)

    def merge_workshop(self) -> None:
        from alignwork.workshops.bundle import load_bundle_file
        from alignwork.workshops.bundle_merge import BundleError, merge_bundle

        workshop = self._workshop()
        if workshop is None:
            return
        path, _ = QFileDialog.getOpenFileName(self.window, f"Merge interviews into “{workshop.name}”",
                                              self._documents(), BUNDLE_FILTER)
        if not path:
            return
        try:
            data = load_bundle_file(path)
            with self.context.session() as session:
                result = merge_bundle(session=session, data=data, workshop_id=workshop.id)
        except (BundleError, store.StoreError, OSError) as error:
            tell(self.window, "Interviews not merged", f"{Path(path).name} could not be merged:\n\n{error}",
                 "Nothing was changed.")
            return
        self._opened(workshop.id, f"Merged {Path(path).name} into “{workshop.name}”")
        summary = (f"From {Path(path).name}: {counted(result.reps_matched, 'rep')} matched, "
                   f"{counted(result.reps_added, 'rep')} added, {counted(result.interviews_added, 'interview')}, "
                   f"{counted(result.answers_added, 'answer')} and {counted(result.notes_added, 'note')} added.")
        if result.conflicts:
            tell(self.window, "Interviews merged, with differences", summary + " Where both held a different "
                 "answer, yours was kept.", "\n".join(result.conflicts), icon=Icon.Information)
        else:
            tell(self.window, "Interviews merged", summary, icon=Icon.Information)

    def connect_team_database(self) -> None:
        from alignwork_gui.team_connect import ConnectDialog, switch_database

        dialog = ConnectDialog(self.window)
        if dialog.exec() and dialog.database is not None:
            switch_database(self.window, dialog.database)

    def export_workshop(self) -> None:
        from alignwork.workshops.bundle import BundleError, export_bundle, write_bundle_file

        workshop = self._workshop()
        if workshop is None:
            return
        settings = self.context.settings()
        folder = settings.value("export/folder") or self._documents()
        suggested = str(Path(folder) / f"{safe_file_name(workshop.name)}.json")
        # QFileDialog asks before overwriting an existing file.
        path, _ = QFileDialog.getSaveFileName(self.window, "Export workshop", suggested, BUNDLE_FILTER)
        if not path:
            return
        try:
            with self.context.session() as session:
                data = export_bundle(session=session, workshop_id=workshop.id)
            write_bundle_file(data, path)  # atomic: a temp file renamed over the target
        except (BundleError, store.StoreError, OSError, SQLAlchemyError) as error:
            tell(self.window, "Workshop not exported", f"“{workshop.name}” could not be written to {path}:\n\n{plain_problem(error)}",
                 "No file was written.")
            return
        settings.setValue("export/folder", str(Path(path).parent))
        self.context.tell(f"Exported “{workshop.name}” to {path}", 10000)

    def open_demo(self) -> None:
        from alignwork.workshops.bundle import BundleError, import_demo

        try:
            with self.context.session() as session:
                result = import_demo(session=session)
        except (BundleError, store.StoreError, OSError, SQLAlchemyError) as error:
            tell(self.window, "Demo not opened", f"The demo workshop could not be added:\n\n{plain_problem(error)}")
            return
        self._opened(result.workshop_id, f"Opened the demo workshop “{result.name}”: {result.participants} reps, "
                                         f"{result.interviews} interviews")


def safe_file_name(name: str) -> str:
    """A workshop name usable as a file name on every system."""
    cleaned = "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned[:100] or "workshop"
