"""The export and agreement commands, end to end through ``alignwork.cli.main``."""

import errno

import pytest

pytest.importorskip("alignwork.premortem.checklist")  # lands with the premortem room

import alignwork.documents.writers  # noqa: E402
from alignwork.cli import main  # noqa: E402
from tests.agreement.workshop import make_workshop  # noqa: E402

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def test_cli_agree_and_export(database, db_url, tmp_path, capsys, monkeypatch):
    with database.session() as session:
        make_workshop(session)
    run = lambda *args: main(["--db", db_url, *args])  # noqa: E731
    assert run("agreement", "1", "propose") == 0
    assert run("agreement", "1", "agree", "--version", "1") == 2
    assert "needs a Sales signer" in capsys.readouterr().err
    assert run("agreement", "1", "sign", "--version", "1", "--name", "Ana Ruiz", "--team", "sales") == 0
    assert run("agreement", "1", "sign", "--version", "1", "--name", "Maya L", "--team", "Marketing",
               "--date", "2026-11-24") == 0
    assert run("agreement", "1", "agree", "--version", "1") == 0
    capsys.readouterr()
    assert run("agreement", "Acme lead workshop") == 0
    listing = capsys.readouterr().out
    assert "Version 1" in listing and "agreed" in listing and "Maya L (Marketing, 2026-11-24)" in listing

    out = tmp_path / "agreement.md"
    assert run("export", "1", "--format", "md", "--anonymise", "--no-quotes", "--no-charts", "--out", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "Version 1" in text and "Maya L" in text and "Dana Whitfield" not in text and "Rep A" in text
    assert run("export", "1", "--format", "md", "--out", str(out)) == 2
    assert "already exists" in capsys.readouterr().err
    assert run("export", "1", "--format", "md", "--sections", "scoring,sigh", "--out", str(tmp_path / "x.md")) == 2
    assert "unknown section sigh" in capsys.readouterr().err and not (tmp_path / "x.md").exists()
    assert run("export", "1", "--format", "rules-csv", "--version", "7", "--out", str(tmp_path / "r.csv")) == 2
    assert "no definition version 7" in capsys.readouterr().err and not (tmp_path / "r.csv").exists()
    assert run("export", "1", "--format", "pdf", "--out", str(tmp_path / "agreement.docx")) == 2
    assert "agreement.docx is named like a .docx file but this is PDF document" in capsys.readouterr().err
    assert not (tmp_path / "agreement.docx").exists()
    assert run("export", "1", "--format", "bundle", "--anonymise", "--out", str(tmp_path / "b.json")) == 2
    assert "a bundle keeps rep names" in capsys.readouterr().err and not (tmp_path / "b.json").exists()
    assert run("export", "1", "--format", "md", "--draft", "--sections", "scoring", "--out", str(out),
               "--force") == 0
    assert "Working draft" in out.read_text(encoding="utf-8")
    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(alignwork.documents.writers, "write_atomic", disk_full)
    assert run("export", "1", "--format", "json", "--out", str(tmp_path / "model.json")) == 2
    assert "cannot write" in capsys.readouterr().err and not (tmp_path / "model.json").exists()


def test_cli_agreement_empty_listing_and_bad_date(database, db_url, capsys):
    from alignwork import store

    with database.session() as session:
        store.create_workshop(session=session, name="Empty")
    run = lambda *args: main(["--db", db_url, *args])  # noqa: E731
    assert run("agreement", "Empty") == 0
    assert "No definition versions yet" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run("agreement", "Empty", "sign", "--version", "1", "--name", "A", "--team", "Sales", "--date", "2026-13-40")
    err = capsys.readouterr().err
    assert "'2026-13-40' is not a date; write it as YYYY-MM-DD" in err and "fromisoformat" not in err
