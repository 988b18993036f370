"""Reading lead files in the shapes CRMs and spreadsheets really produce."""

from __future__ import annotations

import os

import pytest

from alignwork.backtest.leads import LINE, LeadFileError, read_csv_bytes, read_leads


def lines_and(table, column):
    return list(zip(table.frame[LINE].to_list(), table.frame[column].to_list()))


def bad(table):
    return [(item.line, item.reason) for item in table.bad_lines]


def test_utf8_bom_comma_crlf_and_quoted_commas():
    data = ("\ufeffJob Title,Company,Number of Employees\r\n"
            "VP Marketing,\"Acme, Inc.\",250\r\n"
            "CMO,Zürich Labs,\"1,200\"\r\n").encode("utf-8")
    table = read_csv_bytes(data)
    assert table.encoding == "utf-8-sig" and table.delimiter == ","
    assert table.columns == ["Job Title", "Company", "Number of Employees"]  # no BOM in the first header
    assert table.rows == 2 and bad(table) == []
    assert lines_and(table, "Company") == [(2, "Acme, Inc."), (3, "Zürich Labs")]
    assert table.frame["Number of Employees"].to_list() == ["250", "1,200"]


def test_cp1252_semicolons_quoted_newlines_blank_lines_and_ragged_rows():
    text = ("Name;Job Title;Notes;Country\n"         # line 1
            "José;Directeur Marketing;\"Met at the fair;\n"  # line 2, record spans 2-3
            "wants a demo\";France\n"                   # line 3
            "\n"                                        # line 4 blank
            "Zoë;CFO;ok\n"                              # line 5: 3 fields
            "Ana;CEO;x;Spain;extra\n"                   # line 6: 5 fields
            ";;;\n"                                     # line 7: only delimiters = blank
            "Bjørn;Head of Sales;\"€ budget \"\"approved\"\"\";Norway\n"  # line 8
            "\n\n")
    table = read_csv_bytes(text.encode("cp1252"))
    assert table.encoding == "cp1252" and table.delimiter == ";"
    assert table.rows == 4  # blank lines and the delimiter-only line are not rows
    assert bad(table) == [(5, "3 fields where the header has 4"), (6, "5 fields where the header has 4")]
    assert lines_and(table, "Name") == [(2, "José"), (8, "Bjørn")]
    assert table.frame["Notes"].to_list() == ["Met at the fair;\nwants a demo", '€ budget "approved"']


def test_tab_separated_with_leading_blank_lines_and_no_final_newline():
    data = b"\n\r\nTitle\tIndustry\tEmail\nCMO\tSaaS\ta@acme.io\nDev\tRetail\nCTO\tBanking\tc@bank.com"
    table = read_csv_bytes(data)
    assert table.delimiter == "\t" and table.columns == ["Title", "Industry", "Email"]
    assert table.rows == 3
    assert bad(table) == [(5, "2 fields where the header has 3")]
    assert lines_and(table, "Title") == [(4, "CMO"), (6, "CTO")]


def test_stray_quote_inside_a_field_falls_back_to_the_exact_reader():
    data = b'Title,Height,Country\nCMO,5\'10" tall,USA\nCTO,"6\'1""",Canada\nVP,1\n\nCEO,x,UK\n'
    table = read_csv_bytes(data)
    assert table.rows == 4
    assert bad(table) == [(4, "2 fields where the header has 3")]
    assert lines_and(table, "Height") == [(2, '5\'10" tall'), (3, "6'1\""), (6, "x")]


def test_duplicate_and_empty_headers_are_made_unique():
    table = read_csv_bytes(b"Email,Email,,Title\na@x.io,b@y.io,z,CMO\n")
    assert table.columns == ["Email", "Email (2)", "Column 3", "Title"]
    assert table.frame.row(0) == ("a@x.io", "b@y.io", "z", "CMO", 2)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"\r\n\n  \n", "empty"), (b"PK\x03\x04\x00\x00binary", "does not look like a text"),
])
def test_unreadable_files_get_one_clear_message(tmp_path, content, message):
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    with pytest.raises(LeadFileError, match=message):
        read_leads(path)


def test_missing_file_and_broken_spreadsheet(tmp_path):
    with pytest.raises(LeadFileError, match="is not a file"):
        read_leads(tmp_path / "nope.csv")
    broken = tmp_path / "leads.xlsx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(LeadFileError, match="cannot read leads.xlsx as a spreadsheet") as caught:
        read_leads(broken)
    assert "calamine" not in str(caught.value) and "Zip" not in str(caught.value)  # words, not the reader's jargon


def test_a_header_without_rows_is_a_clear_error(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("Email,Job Title\n\n", encoding="utf-8")
    with pytest.raises(LeadFileError, match="leads.csv has column headers but no lead rows"):
        read_leads(path)


def test_xlsx_rows_keep_their_sheet_row_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Job Title", "Number of Employees", "Annual Revenue", "Lead Status"])
    sheet.append(["VP Marketing", 250, "$5M", "Closed Won"])   # row 2
    sheet.append([])                                            # row 3 blank
    sheet.append(["CFO", "lots", 1_000_000, "Closed Lost"])     # row 4
    sheet.append([None, None, None, None])                      # row 5 blank
    sheet.append(["Student", 12, None, "Unqualified"])          # row 6
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    table = read_leads(path)
    assert table.file_name == "export.xlsx" and table.rows == 3
    assert lines_and(table, "Job Title") == [(2, "VP Marketing"), (4, "CFO"), (6, "Student")]
    assert table.frame["Number of Employees"].to_list() == ["250", "lots", "12"]


def test_chunked_scan_gives_the_same_index_as_one_pass(monkeypatch):
    from alignwork.backtest import csv_index

    data = ('Title;Notes;"Size"\n\nCMO;"a;b\n""c"";d";10\nVP;x\nCTO;"";5;9\n;;\nCEO;"\n\n";7').encode()
    whole = csv_index.record_index(data, ";")
    monkeypatch.setattr(csv_index, "_CHUNK", 3)  # quotes, delimiters and newlines fall on chunk edges
    chunked = csv_index.record_index(data, ";")
    assert [list(part) for part in chunked] == [list(part) for part in whole]
    table = read_csv_bytes(data)
    assert bad(table) == [(5, "2 fields where the header has 3"), (6, "4 fields where the header has 3")]
    assert lines_and(table, "Title") == [(3, "CMO"), (8, "CEO")]
    assert table.frame["Notes"].to_list() == ["a;b\n\"c\";d", "\n\n"]


def test_xlsx_table_that_starts_lower_right_keeps_true_row_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "Job Title", "Employees"   # a title block above, an empty column A
    sheet["B4"], sheet["C4"] = "CMO", 10
    sheet["B6"], sheet["C6"] = "CFO", "51-200"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    table = read_leads(path)
    assert table.columns == ["Job Title", "Employees"]
    assert lines_and(table, "Employees") == [(4, "10"), (6, "51-200")]


def test_excel_sep_hint_and_trailing_empty_fields():
    data = b"sep=;\r\nTitle;Size\r\nCMO;10;\r\nCFO;20;;\r\nCTO;30;x\r\nCEO;40\r\n"
    table = read_csv_bytes(data)
    assert table.delimiter == ";" and table.columns == ["Title", "Size"]
    assert bad(table) == [(5, "3 fields where the header has 2")]  # only a non-empty extra field is wrong
    assert lines_and(table, "Size") == [(3, "10"), (4, "20"), (6, "40")]
    exact = read_csv_bytes(data.replace(b"CEO;40", b'CEO;4"0'))  # a stray quote: the exact reader agrees
    assert bad(exact) == bad(table) and lines_and(exact, "Title") == [(3, "CMO"), (4, "CFO"), (6, "CEO")]


def test_polars_reads_the_file_itself_and_gets_what_the_bytes_give(tmp_path):
    data = ('Name,Title,Notes\r\n"Ann","VP, Sales","two\r\nlines"\r\nBen,CMO,\r\nCai,CFO,x,y\r\n').encode()
    path = tmp_path / "leads [2024] *.csv"  # characters a glob would read as a pattern
    path.write_bytes(data)
    (tmp_path / "leads 2 x.csv").write_bytes(b"Name\nWrong file\n")
    from_file, from_bytes = read_leads(path), read_csv_bytes(data)
    assert from_file.frame.rows() == from_bytes.frame.rows() == [("Ann", "VP, Sales", "two\r\nlines", 2),
                                                                  ("Ben", "CMO", None, 4)]
    assert bad(from_file) == bad(from_bytes) == [(5, "4 fields where the header has 3")]


def test_a_file_changed_while_it_is_read_is_read_again_from_one_copy_of_its_bytes(tmp_path, monkeypatch):
    """The checks scan the file mapped, polars reads it itself: when another program saved it
    meanwhile, neither read is trusted, and the table is the saved file, read from one copy."""
    import polars as pl

    path = tmp_path / "leads.csv"
    path.write_bytes(b"Name,Title\nAnn,CMO\nBen,CFO\n")
    read_csv = pl.read_csv
    sources = []

    def while_saving(source, **options):  # another program saves the file as polars opens it
        sources.append(type(source))
        if not isinstance(source, bytes):
            path.write_bytes(b"Name,Title\nZed,CMO\nBob,CFO\nCy,CEO\n")
            os.utime(path, ns=(1, 1))
        return read_csv(source, **options)

    monkeypatch.setattr(pl, "read_csv", while_saving)
    table = read_leads(path)
    assert lines_and(table, "Name") == [(2, "Zed"), (3, "Bob"), (4, "Cy")]
    assert sources[-1] is bytes and table.rows == 3 and table.bad_lines == []


def _counting_reads(monkeypatch):
    """polars' read_csv, counted; and the file's bytes, which a file of line records never needs."""
    import pathlib

    import polars as pl

    calls, copies = [], []
    read_csv, read_bytes = pl.read_csv, pathlib.Path.read_bytes
    monkeypatch.setattr(pl, "read_csv", lambda source, **options: calls.append(source) or read_csv(source, **options))
    monkeypatch.setattr(pathlib.Path, "read_bytes", lambda self: copies.append(self) or read_bytes(self))
    return calls, copies


def test_a_file_of_line_records_is_parsed_once_and_never_copied(tmp_path, monkeypatch):
    path = tmp_path / "leads.csv"
    path.write_bytes(b'"Name","Title"\r\n"Ann","VP, Sales"\r\n"Ben","say ""hi"""\r\n')
    calls, copies = _counting_reads(monkeypatch)
    table = read_leads(path)
    assert lines_and(table, "Title") == [(2, "VP, Sales"), (3, 'say "hi"')]
    assert len(calls) == 1 and copies == []


@pytest.mark.parametrize("data, expected", [
    (b'Name,Notes\nAnn,"two\nlines"\nBen,x\n', [(2, "two\nlines"), (4, "x")]),  # a record on two lines
    (b"Name,Notes\nAnn,a\n,\nBen,x\n", [(2, "a"), (4, "x")]),                     # a blank row
])
def test_a_file_the_line_shortcut_declines_is_still_parsed_once(tmp_path, monkeypatch, data, expected):
    """The exact index reads the bytes, but takes the frame polars already made of the file."""
    path = tmp_path / "leads.csv"
    path.write_bytes(data)
    calls, copies = _counting_reads(monkeypatch)
    table = read_leads(path)
    assert lines_and(table, "Notes") == expected
    assert len(calls) == 1 and copies == [path]
