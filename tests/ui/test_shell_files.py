"""File menu: open the demo, export a workshop, import it back, refuse a bad bundle."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QFileDialog
from shell_helpers import Dialogs, open_window

from alignwork import store
from alignwork.workshops.bundle import export_bundle


def test_demo_export_and_import_round_trip_through_the_menu(qtbot, database, session, monkeypatch, tmp_path):
    window = open_window(qtbot, database)
    dialogs = Dialogs(monkeypatch)
    window.actions.demo.trigger()
    [demo] = store.list_workshops(session=session)
    counts = store.workshop_counts(session=session, workshop_id=demo.id)
    assert counts.participants >= 10 and counts.done >= 10
    assert window.context.workshop_id == demo.id and window.sidebar.current_id() == demo.id
    assert window.page("overview").name.text() == demo.name
    assert window.statusBar().currentMessage().startswith("Opened the demo workshop")

    # export: the dialog suggests "<name>.json"; the file is real JSON equal to the core's export
    target = tmp_path / "out" / "demo.json"
    target.parent.mkdir()
    suggested = []

    def save_dialog(_parent, _title, proposed, _filter):
        suggested.append(proposed)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.actions.export_bundle.trigger()
    assert suggested[0].endswith(".json") and "Brightpath" in suggested[0]
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written == export_bundle(session=session, workshop_id=demo.id)
    assert [p.name for p in target.parent.iterdir()] == ["demo.json"]  # no temp file left behind

    # import it back: a second copy under a free name, opened, with its counts told
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    window.actions.import_bundle.trigger()
    title, text = dialogs.last
    assert title == "Workshop imported"
    assert f"{counts.participants} reps, {counts.interviews} interviews, {counts.answers} answers" in text
    workshops = store.list_workshops(session=session)
    assert len(workshops) == 2
    copy = next(w for w in workshops if w.id != demo.id)
    assert copy.name == f"{demo.name} (2)" and window.context.workshop_id == copy.id
    assert store.workshop_counts(session=session, workshop_id=copy.id) == counts


def test_a_bad_bundle_says_where_and_imports_nothing(qtbot, database, session, monkeypatch, tmp_path):
    store.create_workshop(session=session, name="Existing")
    window = open_window(qtbot, database)
    dialogs = Dialogs(monkeypatch)
    bundle = {"format": "alignwork-bundle", "version": 1, "workshop": {"name": "Broken"},
              "participants": [{"ref": "p1", "name": "Ana"}],
              "interviews": [{"participant": "p1", "answers": {"readiness": {"need": True, "budget": "yes"}}}]}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions.import_bundle.trigger()
    title, text = dialogs.last
    assert title == "Workshop not imported"
    assert "interviews[0].answers.readiness.budget" in text and "Nothing was imported" in text
    assert [w.name for w in store.list_workshops(session=session)] == ["Existing"]

    path.write_text("{not json", encoding="utf-8")
    window.actions.import_bundle.trigger()
    assert "line 1" in dialogs.last[1]
    assert [w.name for w in store.list_workshops(session=session)] == ["Existing"]


def test_export_to_an_unwritable_place_says_so(qtbot, database, session, monkeypatch, tmp_path):
    store.create_workshop(session=session, name="Existing")
    window = open_window(qtbot, database)
    dialogs = Dialogs(monkeypatch)
    missing = tmp_path / "no such folder" / "x.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    window.actions.export_bundle.trigger()
    title, text = dialogs.last
    assert title == "Workshop not exported" and "No file was written" in text
    assert not missing.parent.exists()
