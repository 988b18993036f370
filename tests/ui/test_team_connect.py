"""File → Connect to team database…: wrong password and a server that is down are said in the
dialog; a good connection switches the running window to the team database, the server is
remembered for this machine (not the password) and the password goes to the keyring.
File → Merge a colleague's interviews…: the bundle's interviews join the open workshop."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QFileDialog
from shell_helpers import Dialogs, open_window

from alignwork import store, team
from alignwork.db import open_database
from alignwork.workshops.bundle import demo_bundle_path, import_bundle, load_bundle_file
from tests.pgserver import PASSWORD, ROLE, free_port


def fill(dialog, *, port, password, database="postgres"):
    dialog.name.setText("Dana Kim")
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(port)
    dialog.dbname.setText(database)
    dialog.user.setText(ROLE)
    dialog.password.setText(password)
    dialog.sslmode.setCurrentText("disable")


def test_connect_dialog_messages_then_switch(qtbot, database, pg_server, pg_url, memory_keyring):
    from alignwork_gui.team_connect import ConnectDialog, switch_database

    with open_database(pg_url).session() as session:
        store.create_workshop(session=session, name="On the team server")
    window = open_window(qtbot, database)
    dialog = ConnectDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, port=free_port(), password="x")
    dialog.connect_button.click()
    assert dialog.isVisible() and "is not answering" in dialog.problem.text()
    fill(dialog, port=pg_server.port, password="wrong", database=pg_url.rsplit("/", 1)[1])
    dialog.connect_button.click()
    assert "refused the user name or password" in dialog.problem.text() and dialog.database is None
    dialog.resize(460, dialog.height())
    dialog.grab().save("/tmp/team-connect-dialog.png")
    dialog.password.setText(PASSWORD)
    dialog.connect_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.database is not None
    switch_database(window, dialog.database)
    assert window.context.database.engine.dialect.name == "postgresql"
    qtbot.waitUntil(lambda: window.sidebar.list.count() == 1)
    assert "On the team server" in window.sidebar.list.item(0).text()
    settings = (team.data_dir() / team.SETTINGS_FILE).read_text()
    assert PASSWORD not in settings and "Dana Kim" in settings and "sslmode=disable" in settings
    assert list(memory_keyring.saved.values()) == [PASSWORD]
    assert team.facilitator_name() == "Dana Kim"
    window.context.stop_feed()
    window.context.database.dispose()


def test_merge_a_colleagues_bundle_from_the_file_menu(qtbot, database, tmp_path, monkeypatch):
    demo = load_bundle_file(demo_bundle_path())
    with database.session() as session:
        mine = import_bundle(session=session, data={**demo, "interviews": []})
    bundle = tmp_path / "colleague.json"
    bundle.write_text(json.dumps(demo), encoding="utf-8")
    window = open_window(qtbot, database)
    window.open_workshop(mine.workshop_id, select=True)
    dialogs = Dialogs(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bundle), ""))
    assert window.actions.merge_bundle.isEnabled()
    window.actions.merge_bundle.trigger()
    title, text = dialogs.last
    assert title == "Interviews merged"
    assert f"{len(demo['interviews'])} interviews" in text and "0 reps added" in text
    with database.session() as session:
        assert len(store.list_interviews(session=session, workshop_id=mine.workshop_id)) == len(demo["interviews"])
