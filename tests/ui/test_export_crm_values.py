"""The Export page writes the raw CRM values of the last back-test into the rules JSON and CSV:
a back-test run on the Back-test page, then json and rules-csv exported on the Export page and
read back with the json and csv readers."""

from __future__ import annotations

import csv
import json

from tests.definition_workshop import workshop_with
from tests.test_crm_values_export import DEFINITION, SAAS, _ordered, write_leads


def test_the_export_page_carries_the_raw_values_of_the_last_backtest(qtbot, context, database, tmp_path, show_page):
    from PySide6.QtCore import Qt

    from alignwork_gui.pages.backtest import BacktestPage
    from alignwork_gui.pages.export import ExportPage

    workshop_id = workshop_with(database, "Raw values", DEFINITION, number=1, company="Acme")
    exporter = show_page(ExportPage(context), workshop_id)

    def export(fmt: str, name: str):
        exporter.format.setCurrentIndex(exporter.format.findData(fmt))
        exporter.version.setCurrentIndex(exporter.version.findData(1))
        target = tmp_path / name
        exporter.path.setText(str(target))
        exporter.start_export()
        qtbot.waitUntil(lambda: exporter.task is None, timeout=10000)
        assert target.exists(), exporter.result.text()
        return target

    before = json.loads(export("json", "before.json").read_text(encoding="utf-8"))
    assert "No back-test yet" in before["crm_values_from"]["note"]

    backtest = show_page(BacktestPage(context), workshop_id)
    backtest.version_combo.setCurrentIndex(backtest.version_combo.findData(1))
    backtest.choose_file(str(write_leads(tmp_path / "messy leads.csv")))
    qtbot.waitUntil(lambda: backtest.mapping_stack.currentIndex() == 1, timeout=10000)
    qtbot.mouseClick(backtest.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: backtest.results_stack.currentIndex() == 1, timeout=10000)

    exporter.reload()
    model = json.loads(export("json", "rules.json").read_text(encoding="utf-8"))
    assert model["crm_values_from"]["file"] == "messy leads.csv" and model["crm_values_from"]["same_version"]
    saas = next(r for r in model["rules"] if r["id"] == "fit.saas")["conditions"][0]
    assert [[item["value"], item["leads"]] for item in saas["crm_value_leads"]] == _ordered(SAAS)
    with export("rules-csv", "rules.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == "fit.saas")
    assert row["crm_values"].split(";") == [value for value, _ in _ordered(SAAS)]
    assert row["crm_values_note"].startswith("5 raw values on 70 leads in messy leads.csv, back-test of ")
