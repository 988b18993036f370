"""The review's CLI and meeting pack: `review` adds a period and prints it, `export --document
review` writes the pack in the four formats, read back with real readers."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from alignwork.cli import main
from alignwork.review import periods
from tests.review_data import PERIODS, agreed_workshop, period_csv


@pytest.fixture
def workshop_db(tmp_path, db_url, database, session):
    agreed_workshop(session, name="Q1 alignment")
    files = {}
    for period in PERIODS:
        files[period] = tmp_path / f"crm {period}.csv"
        files[period].write_bytes(period_csv(period))
    return db_url, files


def test_review_prints_metrics_and_findings_and_json(workshop_db, capsys):
    url, files = workshop_db
    for period in PERIODS[:5]:
        assert main(["--db", url, "review", "Q1 alignment", str(files[period]), "--period", period, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["period"] == period and report["version"] == 1
    assert {f["id"] for f in report["findings"]} == {"criterion:mql.webinar"}
    assert main(["--db", url, "review", "Q1 alignment", str(files["2027-06"]), "--period", "2027-06"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2027-06 review of crm 2027-06.csv with version 1: ")
    assert "Returns for NO_BUDGET (No budget) grow" in out and "“Attended a webinar” lets in" in out
    assert "reasons that match no agreed code: 'Already a customer'" in out
    assert "followed up within 24 h:" in out and "goal against the back-test of history.csv" in out
    assert "  review columns read: lead status ← “Lead Status”, rejection reason ← “Rejection Reason”, owner ← " \
           "“Lead Owner”, created time ← “Create Date”, first follow-up time ← “First Contacted”" in out


@pytest.mark.parametrize("args, message", [
    (["--period", "2027-13"], "'2027-13' is not a month"),
    (["--period", "2027-01", "--version", "7"], "no definition version 7"),
    (["--period", "2027-01", "--map", "Nope=reason"], "the file has no column 'Nope'"),
])
def test_bad_review_input_is_one_line_and_writes_nothing(workshop_db, capsys, database, args, message):
    url, files = workshop_db
    assert main(["--db", url, "review", "Q1 alignment", str(files["2027-01"]), *args]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1 and "Traceback" not in error
    with database.session() as session:
        assert periods.list_periods(session=session, workshop_id=1) == []


def test_bad_lines_are_told_and_a_month_of_nothing_else_is_refused(workshop_db, capsys, database, tmp_path):
    """Rows whose head count reads as no number are skipped and listed, as the back-test lists them;
    a file where every row is such a line adds no month (and says why in one line)."""
    url, _files = workshop_db
    some = tmp_path / "some.csv"
    some.write_text("Job Title,Email,Number of Employees,Lead Status\nCMO,a@acme.io,lots,MQL\n"
                    "VP Marketing,b@acme.io,250,SQL\n", encoding="utf-8")
    assert main(["--db", url, "review", "Q1 alignment", str(some), "--period", "2027-02"]) == 0
    out = capsys.readouterr().out
    assert ": 1 lead\n" in out and "skipped 1 bad line:\n    line 2: Number of Employees 'lots' is not" in out
    only = tmp_path / "only.csv"
    only.write_text("Job Title,Email,Number of Employees,Lead Status\nCMO,a@acme.io,lots,MQL\n"
                    "VP Marketing,b@acme.io,many,SQL\n", encoding="utf-8")
    assert main(["--db", url, "review", "Q1 alignment", str(only), "--period", "2027-03"]) == 2
    error = capsys.readouterr().err
    assert "none of the 2 rows of only.csv could be read (line 2:" in error and error.count("\n") == 1
    with database.session() as session:
        assert [row.period for row in periods.list_periods(session=session, workshop_id=1)] == ["2027-02"]


def test_review_columns_mapped_once_are_kept_for_files_with_the_same_headers(workshop_db, capsys, database,
                                                                            tmp_path, session):
    """``--map "Warum=reason"`` once: next month's file with the same headers is read with it, and a
    back-test's own mapping saved for those headers later keeps it."""
    from alignwork.backtest.mapping import Mapping, remember_mapping

    url, _files = workshop_db
    header = "Job Title,Email,Lead Status,Warum\n"
    first, second = tmp_path / "jan.csv", tmp_path / "feb.csv"
    first.write_text(header + "Student,a@state.edu,Rejected,Student\nCMO,b@acme.io,MQL,\n", encoding="utf-8")
    second.write_text(header + "Student,c@state.edu,Rejected,Studnet\n", encoding="utf-8")
    assert main(["--db", url, "review", "Q1 alignment", str(first), "--period", "2027-01", "--map", "Warum=reason",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["mapping"]["review"]["reason"] == "Warum"
    remember_mapping(session=session, workshop_id=1, columns=["Job Title", "Email", "Lead Status", "Warum"],
                     mapping=Mapping({"Job Title": "title", "Email": "email_type"}))
    assert main(["--db", url, "review", "Q1 alignment", str(second), "--period", "2027-02", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"]["mapping"]["review"]["reason"] == "Warum"
    assert [r["leads"] for r in report["metrics"]["returned_by_code"] if r["code"] == "STUDENT"] == [1]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.images = [], 0

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.images += tag == "img"


def test_the_pack_in_four_formats_read_back(workshop_db, tmp_path, capsys, database):
    url, files = workshop_db
    for period in PERIODS:
        assert main(["--db", url, "review", "Q1 alignment", str(files[period]), "--period", period]) == 0
    with database.session() as session:
        row = periods.get_period(session=session, workshop_id=1, period="2027-06")
        periods.set_issues(session=session, period_id=row.id, issues=["Reps skip the reason field <b>often</b>"])
        periods.set_decisions(session=session, period_id=row.id,
                              decisions=[{"decision": "Agree a code for existing customers", "owner": "Chloé",
                                          "due": "2027-07-15"}])
    written = {}
    for fmt in ("docx", "pdf", "md", "html"):
        target = tmp_path / f"review.{fmt}"
        assert main(["--db", url, "export", "Q1 alignment", "--document", "review", "--period", "2027-06",
                     "--format", fmt, "-o", str(target)]) == 0
        written[fmt] = target
    expected = ("Monthly lead review", "Key metrics", "By owner", "Ben Okafor", "Followed up within the SLA", "Returns for NO_BUDGET",
                "Reps skip the reason field <b>often</b>", "Agree a code for existing customers", "Chloé",
                "Vocabulary refresher", "Already a customer", "Next review")
    import docx

    document = docx.Document(str(written["docx"]))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert all(item in text for item in expected), [item for item in expected if item not in text]
    assert len(document.inline_shapes) == 2  # the two trend charts
    # the key-metrics table has one column per period (the last six)
    metrics = next(t for t in document.tables if t.rows[0].cells[0].text == "Metric")
    assert [c.text for c in metrics.rows[0].cells] == ["Metric", *PERIODS]
    from pypdf import PdfReader

    pdf = "\n".join(page.extract_text() for page in PdfReader(str(written["pdf"])).pages)
    assert all(item.split(" <")[0] in pdf for item in expected)
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(written["md"].read_text(encoding="utf-8"))
    assert "Reps skip the reason field &lt;b&gt;often&lt;/b&gt;" in rendered  # user text stays text
    assert "<td>STUDENT</td>" in rendered and rendered.count("<img") == 2
    html = _Text()
    html.feed(written["html"].read_text(encoding="utf-8"))
    assert all(item in "".join(html.parts) for item in expected) and html.images == 2
    # asking again does not overwrite without --force, and a missing period is told plainly
    assert main(["--db", url, "export", "Q1 alignment", "--document", "review", "--period", "2027-06",
                 "--format", "md", "-o", str(written["md"])]) == 2
    assert main(["--db", url, "export", "Q1 alignment", "--document", "review", "--period", "2026-01",
                 "--format", "md", "-o", str(tmp_path / "none.md")]) == 2
    assert "there is no 2026-01 review yet" in capsys.readouterr().err
    assert not (tmp_path / "none.md").exists()
