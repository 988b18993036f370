"""The step pages of an open workshop, in the order they appear in the navigation.

Pages are imported lazily (when first shown), so heavy modules they use never
slow the start-up. A page is a ``Page`` subclass taking ``(context, parent)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from alignwork.changes import Changes


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str  # file name in resources/icons (without .svg)
    module: str
    class_name: str
    shortcut: str  # Ctrl+<digit> style navigation


STEPS: list[PageSpec] = [
    PageSpec("overview", "Overview", "overview", "alignwork_gui.pages.workshop", "WorkshopPage", "Ctrl+1"),
    PageSpec("roster", "Roster", "roster", "alignwork_gui.pages.roster", "RosterPage", "Ctrl+2"),
    PageSpec("guide", "Guide", "guide", "alignwork_gui.pages.guide.page", "GuidePage", "Ctrl+3"),
    PageSpec("interview", "Interviews", "interview", "alignwork_gui.pages.interviews.page", "InterviewPage", "Ctrl+4"),
    PageSpec("synthesis", "Synthesis", "synthesis", "alignwork_gui.pages.synthesis", "SynthesisPage", "Ctrl+5"),
    PageSpec("definition", "Definition", "definition", "alignwork_gui.pages.definition", "DefinitionPage", "Ctrl+6"),
    PageSpec("premortem", "Premortem", "premortem", "alignwork_gui.pages.premortem", "PremortemPage", "Ctrl+7"),
    PageSpec("backtest", "Back-test", "backtest", "alignwork_gui.pages.backtest", "BacktestPage", "Ctrl+8"),
    PageSpec("agreement", "Agreement", "agreement", "alignwork_gui.pages.agreement", "AgreementPage", "Ctrl+9"),
    PageSpec("export", "Export", "export", "alignwork_gui.pages.export", "ExportPage", "Ctrl+0"),
    # the eleventh step: Alt+1, the digits' second row (alignwork_gui.main_window.step_shortcut)
    PageSpec("review", "Review", "review", "alignwork_gui.pages.review", "ReviewPage", "Alt+1"),
]


class Page(QWidget):
    """Base of step pages: shows one workshop; refreshes itself when told what changed."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.workshop_id: int | None = None
        context.changed.connect(self._on_changed)

    def set_workshop(self, workshop_id: int | None) -> None:
        self.workshop_id = workshop_id
        self.reload()

    def reload(self) -> None:
        """Re-read everything shown from the database."""

    def wants(self, changes: Changes) -> bool:
        """Whether ``changes`` concern this page (default: everything about its workshop)."""
        return changes.workshop_id in (None, self.workshop_id) and self.context.announcer is not self

    def _on_changed(self, changes: Changes) -> None:
        if self.workshop_id is not None and self.isVisible() and self.wants(changes):
            self.reload()
        elif self.wants(changes):
            self._stale = True

    def focus_target(self) -> QWidget | None:
        """Where the keyboard goes when the step is opened by its shortcut: by default the
        first visible input of the page, in Tab order (pages may name their main input)."""
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self and self.isAncestorOf(widget):
            if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                return widget
            widget = widget.nextInFocusChain()
        return None

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
        super().showEvent(event)
