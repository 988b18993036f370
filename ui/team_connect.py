"""File → Connect to team database…: a shared PostgreSQL for several facilitators.

The dialog tries the connection before it closes (server down, wrong password and SSL trouble
are said plainly inside it); on success the app switches to that database, the settings file
remembers the server for this machine (never the password) and the password goes to the OS
keyring when the facilitator asks for it, else it is asked again next time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QInputDialog, QLabel, QLineEdit, QSpinBox,
    QVBoxLayout, QWidget,
)

from alignwork import team
from alignwork.db import DatabaseError

SSL_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")


class ConnectDialog(QDialog):
    """Host, port, database, user, password, SSL mode and the facilitator's name."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to team database")
        self.database = None  # the opened Database once the connection worked
        saved = team.load_settings()
        from sqlalchemy.engine import make_url

        url = make_url(saved["database_url"]) if saved.get("database_url") else None
        self.name = QLineEdit(saved.get("facilitator", ""))
        self.name.setPlaceholderText("Dana Kim")
        self.host = QLineEdit(url.host if url and url.host else "")
        self.host.setPlaceholderText("db.example.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(url.port if url and url.port else 5432)
        self.dbname = QLineEdit(url.database if url and url.database else "alignwork")
        self.user = QLineEdit(url.username if url and url.username else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sslmode = QComboBox()
        self.sslmode.addItems(SSL_MODES)
        if url is not None:
            self.sslmode.setCurrentText(url.query.get("sslmode", "prefer"))
        self.remember = QCheckBox("Remember the password in this computer's keyring")
        self.remember.setChecked(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        form = QFormLayout()
        for label, widget in (("Your name", self.name), ("Server", self.host), ("Port", self.port),
                              ("Database", self.dbname), ("User", self.user), ("Password", self.password),
                              ("SSL", self.sslmode)):
            form.addRow(label, widget)
        intro = QLabel("Several facilitators can work on one workshop at once on a shared PostgreSQL "
                       "server. Your changes are saved under your name.")
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def url(self) -> str:
        return team.team_url(host=self.host.text(), port=self.port.value(), database=self.dbname.text(),
                             user=self.user.text(), sslmode=self.sslmode.currentText())

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def try_connect(self) -> None:
        missing = [label for label, widget in (("your name", self.name), ("the server", self.host),
                                               ("the database", self.dbname), ("the user", self.user))
                   if not widget.text().strip()]
        if missing:
            self._say(f"Fill in {', '.join(missing)}.")
            return
        url = self.url()
        password = self.password.text() or team.password_from_keyring(url)
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            database = team.connect(team.with_password(url, password))
        except DatabaseError as error:
            self._say(str(error))
            return
        finally:
            self.unsetCursor()
        team.save_settings(database_url=url, facilitator=self.name.text().strip())
        team.forget_name()
        if self.password.text() and self.remember.isChecked() and not team.save_password(url, self.password.text()):
            self._say("Connected. This computer has no keyring, so the password will be asked next time.")
        self.database = database
        self.accept()


def saved_team_url(parent: QWidget | None = None) -> str | None:
    """At start: the remembered team database with its password (keyring, else asked), or None."""
    url = team.load_settings().get("database_url")
    if not url:
        return None
    password = team.password_from_keyring(url)
    if password is None:
        password, ok = QInputDialog.getText(parent, "Team database password",
                                            f"Password for {url.split('?')[0]}:", QLineEdit.EchoMode.Password)
        if not ok:
            return None
    return team.with_password(url, password)


def switch_database(window, database) -> None:
    """Point the running app at ``database``: pending saves are written first, then every view reloads."""
    from alignwork.changes import Changes

    context = window.context
    for page in list(window._pages.values()):
        flush = getattr(page, "flush", None)
        if flush is not None:
            flush()
        writer = getattr(page, "writer", None)  # the interview page's autosave
        if writer is not None:
            writer.use_engine(database.engine)
    context.stop_feed()
    old, context.database = context.database, database
    context.start_feed()
    window.open_workshop(None)
    window.reload_workshops()
    context.announce(Changes.everything())
    old.dispose()
    context.tell(f"Connected to the team database {database.engine.url.render_as_string()}", 10000)
