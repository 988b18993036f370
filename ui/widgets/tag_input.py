"""Tag input: chips plus a line edit. Enter adds the typed tag (with completion from
earlier answers), Backspace on an empty field removes the last tag, a chip's × removes it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCompleter, QLineEdit, QToolButton, QVBoxLayout, QWidget

from alignwork_gui.widgets.answer_input import AnswerInput
from alignwork_gui.widgets.flow_layout import FlowLayout


class _TagLine(QLineEdit):
    def __init__(self, owner: "TagInput"):
        super().__init__()
        self._owner = owner

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        popup_open = self.completer() is not None and self.completer().popup().isVisible()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup_open \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self._owner.add_tag(self.text())
            return
        if event.key() == Qt.Key.Key_Backspace and not self.text() and self._owner.tags:
            self._owner.remove_tag(len(self._owner.tags) - 1)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        # the suggestions opening is not leaving; anything else (a shortcut moving on, a click
        # elsewhere) closes them, or they would stay over the next question and eat its keys
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            if self.completer() is not None:
                self.completer().popup().hide()
            self._owner.commit_pending()
        super().focusOutEvent(event)


class TagInput(AnswerInput):
    def __init__(self, label: str = "Tags", parent: QWidget | None = None):
        super().__init__(parent)
        self.tags: list[str] = []
        self._label = label
        self.chips = QWidget()
        self.chips.setAccessibleName(f"{label}: entered tags")
        self.chip_layout = FlowLayout(self.chips)
        self.edit = _TagLine(self)
        self.edit.setAccessibleName(label)
        self.edit.setPlaceholderText("Type and press Enter to add; Backspace removes the last")
        self.edit.setToolTip("Enter adds the tag · Backspace on an empty field removes the last tag")
        self._suggestions = QStringListModel()
        self.completer = QCompleter(self._suggestions, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(self.completer)
        # a tag still in the line is part of the answer: autosaved as typed, so a crash keeps it
        self.edit.textEdited.connect(lambda _text: self.changed.emit(self.value()))
        self.completer.activated[str].connect(self._completed)
        self.completer.popup().installEventFilter(self)
        # the completer eats the line's focus-out while its list shows: watch the application instead
        QApplication.instance().focusChanged.connect(self._focus_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.chips)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._rebuild()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        # Enter while suggestions show but none is picked adds what was typed (one Enter, not two)
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not self.completer.popup().currentIndex().isValid()):
            self.completer.popup().hide()
            self.add_tag(self.edit.text())
            return True
        return super().eventFilter(watched, event)

    def _focus_changed(self, old, new) -> None:
        if old is self.edit and new is not self.edit and self.completer.popup().isVisible():
            self.commit_pending()

    def set_suggestions(self, suggestions: list[str]) -> None:
        self._suggestions.setStringList(suggestions)

    def value(self) -> list[str] | None:
        pending = " ".join(self.edit.text().split())
        if pending and pending.casefold() not in {tag.casefold() for tag in self.tags}:
            return [*self.tags, pending]
        return list(self.tags) or None

    def set_value(self, value) -> None:
        self.tags = [str(tag) for tag in value] if isinstance(value, list) else []
        self.edit.clear()
        self._rebuild()

    def add_tag(self, text: str) -> None:
        text = " ".join(text.split())
        self.edit.clear()
        if not text or text.casefold() in {tag.casefold() for tag in self.tags}:
            return
        self.tags.append(text)
        self._rebuild()
        self.changed.emit(self.value())

    def remove_tag(self, index: int) -> None:
        del self.tags[index]
        self._rebuild()
        self.changed.emit(self.value())

    def commit_pending(self) -> None:
        self.completer.popup().hide()
        if self.edit.text().strip():
            self.add_tag(self.edit.text())

    def _completed(self, text: str) -> None:
        self.add_tag(text)
        QTimer.singleShot(0, self.edit.clear)  # the line edit writes the completion back after this signal

    def _rebuild(self) -> None:
        while self.chip_layout.count():
            item = self.chip_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for index, tag in enumerate(self.tags):
            chip = QToolButton()
            chip.setText(f"{tag}  ×".replace("&", "&&"))  # "FP&A" is text, not a mnemonic
            chip.setAutoRaise(False)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Backspace removes by keyboard
            chip.setToolTip(f"Remove “{tag}”")
            chip.setAccessibleName(f"Remove tag {tag}")
            chip.clicked.connect(lambda _=False, i=index: self.remove_tag(i))
            self.chip_layout.addWidget(chip)
        self.chips.setVisible(bool(self.tags))
        self.chips.updateGeometry()


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    widget = TagInput("Job titles")
    widget.set_suggestions(["CFO", "VP Finance", "Head of RevOps"])
    widget.set_value(["CFO", "Controller"])
    widget.show()
    app.exec()
