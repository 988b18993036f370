"""Hostile and broken lead files (issue 14, points 3 and 4): limits are told before memory is
allocated, an unclosed quote names the rows it would swallow, nothing aborts the process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from alignwork.backtest import leads
from alignwork.backtest.leads import LeadFileError, read_csv_bytes, read_leads

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_an_unclosed_quote_names_the_rows_it_swallows():
    rows = [f"Lead {n},CMO,SaaS" for n in range(2, 40)]
    rows[5] = 'Lead 7,"CMO,SaaS'  # line 7 opens a quote that never closes
    data = ("Name,Title,Industry\n" + "\n".join(rows) + "\n").encode()
    table = read_csv_bytes(data)
    assert table.frame.height == 5  # the rows before it are read
    [bad] = table.bad_lines
    assert bad.line == 7
    assert "quote opened on line 7" in bad.reason and "32 following lines (8–39)" in bad.reason, bad.reason


def test_a_quote_closed_much_later_also_says_what_it_ate():
    data = b'Name,Title,Industry\nAna,"CMO,SaaS\nBen,CFO,Retail\nCai,CEO",Banking,extra\nDee,VP,SaaS\n'
    table = read_csv_bytes(data)
    reasons = [item.reason for item in table.bad_lines]
    assert table.frame["Name"].to_list() == ["Dee"]
    assert any("lines (3–4)" in reason for reason in reasons), reasons


def test_too_many_columns_is_told_before_reading(monkeypatch):
    monkeypatch.setattr(leads, "MAX_COLUMNS", 50)
    data = (",".join(f"c{n}" for n in range(60)) + "\n" + ",".join("x" * 60) + "\n").encode()
    with pytest.raises(LeadFileError, match="line 1 has 60 columns; Alignwork reads at most 50"):
        read_csv_bytes(data)


def test_too_many_rows_is_told_before_reading(monkeypatch):
    monkeypatch.setattr(leads, "MAX_ROWS", 100)
    data = ("a,b\n" + "1,2\n" * 101).encode()
    with pytest.raises(LeadFileError, match="101 rows; Alignwork reads at most 100"):
        read_csv_bytes(data)


def test_a_huge_cell_is_refused_before_polars_sees_it(monkeypatch):
    called = []
    monkeypatch.setattr("polars.read_csv", lambda *a, **k: called.append(1))
    data = b"Name,Notes\nAna,short\nBen," + b"x" * (leads.MAX_CELL_BYTES + 10) + b"\nCai,ok\n"
    with pytest.raises(LeadFileError, match=r"line 3 has a cell of 131,082 bytes"):
        read_csv_bytes(data)
    assert called == []


def test_a_long_row_of_ordinary_cells_is_fine():
    width = leads.MAX_CELL_BYTES // 1000 + 50
    data = (",".join(f"c{n}" for n in range(width)) + "\n" + ",".join(["y" * 1000] * width) + "\n").encode()
    assert read_csv_bytes(data).frame.height == 1


def test_a_huge_file_is_refused_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(leads, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "leads.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 500)
    with pytest.raises(LeadFileError, match="leads.csv is 2,004 bytes; Alignwork reads lead files up to 1,000"):
        read_leads(path)


def xlsx(path: Path, sheet_xml: str, strings_xml: str | None = None) -> Path:
    """A minimal, valid XLSX built by hand (so it can lie about its dimension)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                         + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if strings_xml else "")
                         + '</Types>')
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml",
                         '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                         '<sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                         + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if strings_xml else "")
                         + '</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings_xml:
            archive.writestr("xl/sharedStrings.xml", strings_xml)
    return path


SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<dimension ref="{ref}"/><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row>'
         '</sheetData></worksheet>')


def test_a_small_xlsx_declaring_a_huge_dimension_is_refused_without_aborting(tmp_path):
    path = xlsx(tmp_path / "huge.xlsx", SHEET.format(ref="A1:XFD1048576", cell="CMO"))
    assert path.stat().st_size < 2000
    with pytest.raises(LeadFileError, match=r"declares 1,048,576 rows × 16,384 columns"):
        read_leads(path)


def test_an_honest_small_xlsx_still_reads(tmp_path):
    path = xlsx(tmp_path / "ok.xlsx", SHEET.format(ref="A1:A2", cell="CMO"))
    table = read_leads(path)
    assert table.columns == ["Title"] and table.frame["Title"].to_list() == ["CMO"]


def test_a_huge_cell_in_an_xlsx_is_refused_by_size_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(leads, "MAX_SHEET_BYTES", 1_000_000)
    path = xlsx(tmp_path / "cell.xlsx", SHEET.format(ref="A1:A2", cell="x" * 2_000_000))
    assert path.stat().st_size < 100_000  # compresses to almost nothing
    with pytest.raises(LeadFileError, match="uncompressed"):
        read_leads(path)


def test_a_zip_that_lies_about_its_sizes_is_caught_while_counting(tmp_path, monkeypatch):
    monkeypatch.setattr(leads, "MAX_SHEET_BYTES", 1_000_000)
    path = xlsx(tmp_path / "liar.xlsx", SHEET.format(ref="A1:A2", cell="y" * 2_000_000))
    data = bytearray(path.read_bytes())
    # patch the declared uncompressed size of the sheet in the central directory to 1 KB
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4: data.find(b"PK\x01\x02") + 4][:0])
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        if data[position + 46:position + 46 + name_length] == info.filename.encode():
            data[position + 24:position + 28] = (1024).to_bytes(4, "little")
            break
        position += 4
    path.write_bytes(bytes(data))
    assert central is not None
    with pytest.raises(LeadFileError):
        read_leads(path)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("hostile-*.csv")) + sorted(FIXTURES.glob("hostile-*.xlsx")),
                         ids=lambda path: path.name)
def test_hostile_lead_fixtures_each_get_one_clear_message_or_a_table(path):
    try:
        table = read_leads(path)
    except LeadFileError as error:
        assert "\n" not in str(error) and str(error), path.name
        return
    assert table.rows >= 1  # a file that reads is fine too: what matters is that nothing else escapes


def test_the_far_cell_fixture_is_refused_by_its_reference():
    with pytest.raises(LeadFileError, match="1,048,576 rows × 16,384 columns"):
        read_leads(FIXTURES / "hostile-far-cell.xlsx")


def test_a_formula_header_is_neutralised_in_the_scored_csv(tmp_path):
    import csv as csv_module

    from alignwork.backtest.history import export_scored
    from alignwork.backtest.mapping import Mapping
    from alignwork.backtest.run import run_backtest
    from alignwork.definition.criteria import Definition

    table = read_leads(FIXTURES / "hostile-formula-header.csv")
    result = run_backtest(table, Definition(), Mapping(columns={"Title": "title"}))
    written = export_scored(result, tmp_path / "scored.csv")
    with open(written, encoding="utf-8-sig", newline="") as handle:
        header = next(csv_module.reader(handle))
    assert header[0] == "'" + '=HYPERLINK("http://evil","x")'
    assert not any(cell[:1] in "=+-@" for cell in header)


def test_the_cli_on_a_huge_dimension_is_one_line_and_exit_2_under_a_memory_cap(tmp_path):
    path = xlsx(tmp_path / "huge.xlsx", SHEET.format(ref="A1:XFD1048576", cell="CMO"))
    home = tmp_path / "home"
    env = dict(os.environ, ALIGNWORK_HOME=str(home))
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-m", "alignwork", "import", str(root / "resources" / "demo_workshop.json")],
                          env=env, capture_output=True, timeout=120).returncode == 0

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    result = subprocess.run([sys.executable, "-m", "alignwork", "backtest", "1", str(path)], env=env,
                            capture_output=True, text=True, timeout=120, preexec_fn=cap)
    assert result.returncode == 2, result.stderr
    assert "declares 1,048,576 rows" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_huge_cell_in_an_xlsx_is_refused_before_the_reader(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr("fastexcel.read_excel", lambda *a, **k: called.append(1))
    path = xlsx(tmp_path / "cell.xlsx", SHEET.format(ref="A1:A2", cell="z" * (leads.MAX_CELL_BYTES * 3)))
    with pytest.raises(LeadFileError, match="has a cell longer than 131,072 bytes"):
        read_leads(path)
    assert called == []
