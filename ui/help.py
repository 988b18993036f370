"""Help menu: the user guide (the Markdown files of docs/, shipped with the app as
``alignwork.resources.docs`` and shown here, no browser or network) and the keyboard shortcuts, read from the window's actions so the list
cannot drift from the keys that work."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QSplitter, QTextBrowser, QVBoxLayout, QWidget,
)

from alignwork.paths import docs_dir

FIRST = ("app.md", "startup.md", "interviews.md", "synthesis.md", "premortem.md", "backtest.md", "export.md",
         "bundle.md")  # the order of the workflow; any other page follows


IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)\n?")


def guide_pages(folder: Path | None = None) -> list[Path]:
    folder = docs_dir() if folder is None else folder
    return sorted(folder.glob("*.md"), key=lambda p: (FIRST.index(p.name) if p.name in FIRST else len(FIRST), p.name))


def page_text(path: Path) -> str:
    """The page's Markdown without pictures that are not shipped beside it (the README's
    screenshot stays in the repository): no broken-image box in the guide."""
    def keep(match: re.Match) -> str:
        target = match.group(1)
        local = "://" not in target and not target.startswith("data:")
        return match.group(0) if not local or (path.parent / target).is_file() else ""
    return IMAGE.sub(keep, path.read_text(encoding="utf-8"))


def page_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


class UserGuide(QDialog):
    """The docs, one page at a time: the list on the left, the rendered page on the right."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Alignwork user guide")
        self.folder = folder = docs_dir() if folder is None else folder
        self.pages = QListWidget()
        self.pages.setAccessibleName("Pages of the user guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide page")
        self.browser.setOpenLinks(False)  # links between pages open here; web links in the browser
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link)
        for path in guide_pages(folder):
            item = QListWidgetItem(page_title(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.pages.addItem(item)
        self.pages.currentRowChanged.connect(self._show)
        splitter = QSplitter()
        splitter.addWidget(self.pages)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        if self.pages.count():
            self.pages.setCurrentRow(0)
        else:
            self.browser.setPlainText(f"The guide was not found in {folder}.")
        self.resize(900, 600)

    def _show(self, row: int) -> None:
        item = self.pages.item(row)
        if item is None:
            return
        path = Path(item.data(Qt.ItemDataRole.UserRole))
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path)))  # pictures next to the page show
        self.browser.setMarkdown(page_text(path))

    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        name = Path(url.path()).name
        for row in range(self.pages.count()):
            if Path(self.pages.item(row).data(Qt.ItemDataRole.UserRole)).name == name:
                self.pages.setCurrentRow(row)
                if url.fragment():
                    self.browser.scrollToAnchor(url.fragment())
                return


def _keys(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())


def shortcut_groups(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(what, keys)]) for every menu, then the other keys of the window."""
    groups, seen = [], set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        rows = []
        for action in menu.actions():
            seen.add(action)
            if action.shortcuts() and not action.isSeparator():
                rows.append((action.text().replace("&", ""), _keys(action)))
        if rows:
            groups.append((menu_action.text().replace("&", ""), rows))
    others = [(a.text().replace("&", ""), _keys(a)) for a in window.findChildren(QAction)
              if a not in seen and a.shortcuts() and a.text()]
    if others:
        groups.append(("On the pages", sorted(set(others))))
    return groups


def shortcut_table(window) -> str:
    """The shortcuts as HTML, one table per menu."""
    # one table, so the key column is as wide in every group
    parts = ["<table cellpadding='3' width='100%'>"]
    for title, rows in shortcut_groups(window):
        # element text: < > & escaped; quotes stay as typed ("a colleague's interviews")
        parts.append(f"<tr><td colspan='2'><h3>{html.escape(title, quote=False)}</h3></td></tr>")
        parts += [f"<tr><td width='40%'><b>{html.escape(keys, quote=False)}</b></td>"
                  f"<td>{html.escape(what, quote=False)}</td></tr>" for what, keys in rows]
    parts.append("</table>")
    parts.append("<p>In every table: Tab and Shift+Tab leave the table, the arrow keys move inside it, "
                 "Enter or F2 edits a cell, Escape cancels the edit.</p>")
    return "".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Keyboard shortcuts")
        self.browser.setHtml(shortcut_table(window))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(520, 560)
