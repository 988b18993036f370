"""All UI settings live in ONE file in the data folder (``ui-settings.ini``): the pages that
remember a folder or a list of recent files write nothing to the user's real config folder,
and ALIGNWORK_HOME moves them with the data."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog

from alignwork import store

UI = Path(__file__).resolve().parents[2] / "ui"


@pytest.fixture
def app_names(qapp):
    """The names app.run() gives the application: they decide where a plain QSettings() writes."""
    before = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("Alignwork")
    QCoreApplication.setApplicationName("Alignwork")
    yield
    QCoreApplication.setOrganizationName(before[0])
    QCoreApplication.setApplicationName(before[1])


def plain_settings_file() -> Path:
    """Where a plain ``QSettings()`` would write in this process (the real config folder)."""
    return Path(QSettings().fileName())


def ini_keys(home: Path) -> set[str]:
    parser = configparser.RawConfigParser()
    parser.read(home / "ui-settings.ini", encoding="utf-8")
    return {f"{section}/{key}" for section in parser.sections() for key in parser[section]}


def test_no_page_builds_a_settings_object_of_its_own():
    """Every QSettings in ui/ comes from context.ui_settings(); a bare one goes to ~/.config."""
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "QSettings":
                if path.name != "context.py":
                    offenders.append(f"{path.relative_to(UI.parent)}:{node.lineno}")
    assert offenders == []


def test_backtest_premortem_and_export_remember_in_the_data_folder(
        qtbot, app_names, context, database, tmp_path, monkeypatch, _private_home):
    from alignwork_gui.pages.backtest import BacktestPage
    from alignwork_gui.pages.export import recent_exports, remember_export
    from alignwork_gui.pages.premortem import PremortemPage

    real = plain_settings_file()
    existed = real.exists()
    before = real.read_bytes() if existed else b""
    with database.session() as session:
        workshop_id = store.create_workshop(session=session, name="Settings").id

    # Export: the list of recent files
    remember_export(str(tmp_path / "agreement.docx"))
    assert recent_exports() == [str(tmp_path / "agreement.docx")]

    # Back-test: the folder of the last lead file (remembered before the file is read)
    leads = tmp_path / "leads" / "q3.csv"
    leads.parent.mkdir()
    leads.write_text("Company,Stage\nAcme,SQL\n", encoding="utf-8")
    backtest = BacktestPage(context)
    qtbot.addWidget(backtest)
    backtest.set_workshop(workshop_id)
    backtest.choose_file(str(leads))

    # Premortem: the folder of the last exported checklist
    premortem = PremortemPage(context)
    qtbot.addWidget(premortem)
    premortem.set_workshop(workshop_id)
    target = tmp_path / "out" / "risks.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "CSV (*.csv)")))
    premortem.export_dialog()
    assert target.exists()

    from alignwork_gui.tasks import wait_for_tasks

    wait_for_tasks()
    assert {"export/recent", "backtest/folder", "premortem/export_folder"} <= ini_keys(_private_home)
    assert (real.read_bytes() if real.exists() else b"") == before, f"{real} was written"
    assert real.exists() == existed

    # ALIGNWORK_HOME moves them all: a new data folder starts with none of it
    monkeypatch.setenv("ALIGNWORK_HOME", str(tmp_path / "elsewhere"))
    assert recent_exports() == []


def test_what_qt_itself_remembers_goes_to_the_data_folder_too(qapp, app_names, _private_home):
    """Qt's file dialog keeps its last folder under "QtProject" (~/.config/QtProject.conf):
    the app start-up points that, and any plain QSettings(), at the data folder."""
    from alignwork_gui.context import keep_qt_settings_in

    native, ini = QSettings.Format.NativeFormat, QSettings.Format.IniFormat
    qt_own = lambda: Path(QSettings(QSettings.Scope.UserScope, "QtProject").fileName())  # noqa: E731
    before = {native: qt_own().parent, ini: Path(QSettings(ini, QSettings.Scope.UserScope, "x").fileName()).parent}
    default_format = QSettings.defaultFormat()
    try:
        keep_qt_settings_in(_private_home)
        assert qt_own().parent == _private_home
        assert _private_home in Path(QSettings().fileName()).parents
        settings = QSettings(QSettings.Scope.UserScope, "QtProject")
        settings.setValue("FileDialog/lastVisited", "file:///somewhere")
        settings.sync()
        assert qt_own().exists()
    finally:
        for kind, folder in before.items():
            QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
        QSettings.setDefaultFormat(default_format)
