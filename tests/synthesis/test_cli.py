"""`python -m alignwork synthesize WORKSHOP|BUNDLE.json [--json]`."""

import json

from alignwork.cli import main
from alignwork.paths import resource
from tests.synthesis.cases import nine_reps, store_workshop
import pytest

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def test_bundle_to_json(capsys, db_url):
    assert main(["--db", db_url, "synthesize", str(resource("demo_workshop.json")), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interviews"] >= 10
    assert data["groups"]["rejection_triggers"][0]["label"] == "Student or academic"
    assert data["definition"]["criteria"] and data["conflicts"]


def test_stored_workshop_summary(capsys, db_url, session):
    store_workshop(session, nine_reps(), name="Q4 alignment")
    assert main(["--db", db_url, "synthesize", "Q4 alignment"]) == 0
    out = capsys.readouterr().out
    assert "Interviews used: 8 (1 not done yet, left out)" in out
    assert "team SMB wants more volume" in out
    assert "Reason codes: STUDENT, PERSONAL_EMAIL, COMPETITOR" in out


def test_errors_are_one_line_and_exit_2(capsys, db_url, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "alignwork-bundle", "version": 1, "workshop": {"name": "W"}, '
                      '"participants": [{"ref": "p1", "name": "A"}], '
                      '"interviews": [{"participant": "p1", "answers": {"lead_quality_rating": 9}}]}')
    for source, message in ((str(broken), "interviews[0].answers.lead_quality_rating"),
                            (str(tmp_path / "missing.json"), "no such file"),
                            ("No such workshop", "no workshop with id or name")):
        assert main(["--db", db_url, "synthesize", source]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
