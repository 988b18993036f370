"""The workshop commands, run in-process like `python -m alignwork …` would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alignwork.workshops.bundle import demo_bundle_path, load_bundle_file
from alignwork.cli import main
from alignwork.db import open_database
from alignwork import store

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(capsys, db_url):
    def run(*argv: str, db: str | None = db_url) -> tuple[int, str, str]:
        code = main((["--db", db] if db else []) + list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def workshop_names(url: str) -> list[str]:
    database = open_database(url)
    try:
        with database.session() as session:
            return [w.name for w in store.list_workshops(session=session)]
    finally:
        database.dispose()


def test_the_shipped_demo_imports_by_name_from_anywhere(run, db_url):
    """``import --demo`` needs no path (an installed copy has no resources/ folder to point at);
    the list's hint says so; a second demo is "… (2)"; a bundle and --demo at once is refused."""
    code, out, _ = run("list")
    assert "python -m alignwork import --demo" in out
    code, out, err = run("import", "--demo")
    assert code == 0, err
    assert out.startswith("Imported workshop 1 'Brightpath") and "12 reps, 12 interviews" in out
    code, out, _ = run("import", "--demo")
    assert code == 0 and "Q1 2027) (2)'" in out
    code, out, err = run("import", "--demo", str(demo_bundle_path()))
    assert code == 2 and "a bundle file or --demo" in err
    code, out, err = run("import")
    assert code == 2 and "a bundle file or --demo" in err
    assert len(workshop_names(db_url)) == 2


def test_import_list_export_round_trip(run, db_url, tmp_path):
    code, out, err = run("list")
    assert (code, err) == (0, "") and "No workshops yet" in out

    code, out, err = run("import", str(demo_bundle_path()))
    assert code == 0, err
    assert out.startswith("Imported workshop 1 'Brightpath") and "12 reps, 12 interviews" in out

    code, out, _ = run("import", str(demo_bundle_path()), "--name", "Second <b>copy</b>")
    assert code == 0 and out.startswith("Imported workshop 2 'Second <b>copy</b>'")

    code, out, _ = run("list")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "STATUS", "REPS", "INTERVIEWS", "UPDATED"]
    assert "Brightpath" in lines[1] and "active" in lines[1] and "11/12 done" in lines[1]
    assert lines[2].startswith("2   Second <b>copy</b>")

    target = tmp_path / "out.json"
    code, out, _ = run("export-bundle", "Second <b>copy</b>", "-o", str(target))
    assert code == 0 and str(target) in out
    exported = json.loads(target.read_text(encoding="utf-8"))
    demo = load_bundle_file(demo_bundle_path())
    assert exported["workshop"].pop("name") == "Second <b>copy</b>"
    demo["workshop"].pop("name")
    assert exported == demo

    code, out, _ = run("export-bundle", "1", "-o", "-")
    assert code == 0 and json.loads(out)["workshop"]["name"].startswith("Brightpath")


def test_errors_are_one_line_exit_2_and_write_nothing(run, db_url, tmp_path):
    assert run("import", str(demo_bundle_path()))[0] == 0
    bad = load_bundle_file(demo_bundle_path())
    bad["interviews"][3]["answers"]["readiness"]["budget"] = "yes"
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad), encoding="utf-8")
    existing = tmp_path / "existing.json"
    existing.write_text("keep me", encoding="utf-8")
    cases = [
        (("import", str(bad_file), "--name", "other"), "interviews[3].answers.readiness.budget: expected true/false"),
        (("import", str(demo_bundle_path())), "already exists; use --name"),
        (("import", str(demo_bundle_path()), "--name", "Brightpath — What is a good lead? (Q1 2027)"),
         "already exists; choose another --name"),
        (("import", str(tmp_path / "missing.json")), "no such file"),
        (("export-bundle", "nope", "-o", str(tmp_path / "x.json")), "no workshop with id or name 'nope'"),
        (("export-bundle", "1", "-o", str(existing)), "already exists; use --force"),
        (("export-bundle", "1", "-o", str(tmp_path / "no" / "x.json")), "does not exist"),
        (("export-bundle", "1", "-o", str(tmp_path)), "is a folder"),
        (("roster-import", "1", str(tmp_path / "missing.csv")), "cannot read"),
    ]
    for argv, message in cases:
        code, out, err = run(*argv)
        assert code == 2, argv
        assert out == ""
        assert err.startswith("alignwork: error: ") and message in err, (argv, err)
        assert err.count("\n") == 1, err
    assert workshop_names(db_url) == ["Brightpath — What is a good lead? (Q1 2027)"]
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".json") == ["bad.json", "existing.json"]

    code, _, _ = run("export-bundle", "1", "-o", str(existing), "--force")
    assert code == 0 and json.loads(existing.read_text(encoding="utf-8"))["version"] == 1


def test_roster_import(run, db_url, tmp_path):
    run("import", str(demo_bundle_path()), "--name", "Roster")
    good = tmp_path / "reps.csv"
    good.write_bytes("Full name;Segment;Territory;Badge\nJonas Weber;EMEA;DACH;x\nAïsha N;SMB;UK;y\n".encode("cp1252"))
    code, out, err = run("roster-import", "Roster", str(good))
    assert code == 0 and out.startswith("Added 2 reps to workshop 1 'Roster'")
    assert "ignored unknown column: Badge" in err

    bad = tmp_path / "bad.csv"
    bad.write_text("name,profile\nA,engaged\nB,superstar\n", encoding="utf-8")
    code, out, err = run("roster-import", "1", str(bad))
    assert code == 2 and "line 3: profile 'superstar'" in err and "nothing was imported" in err
    database = open_database(db_url)
    with database.session() as session:
        names = [p.name for p in store.list_participants(session=session, workshop_id=1)]
    database.dispose()
    assert names[-2:] == ["Jonas Weber", "Aïsha N"] and len(names) == 14


def test_database_chosen_by_env_and_home(run, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ALIGNWORK_HOME", str(home))
    assert run("import", str(demo_bundle_path()), db=None)[0] == 0
    assert (home / "alignwork.db").exists()
    assert os.stat(home).st_mode & 0o777 == 0o700
    assert os.stat(home / "alignwork.db").st_mode & 0o777 == 0o600

    other = tmp_path / "elsewhere.db"
    monkeypatch.setenv("ALIGNWORK_DB", f"sqlite:///{other}")
    code, out, _ = run("list", db=None)
    assert code == 0 and "No workshops yet" in out and not other.exists()  # looking creates nothing
    code, out, _ = run("list", db=f"sqlite:///{home / 'alignwork.db'}")  # --db beats the environment
    assert "Brightpath" in out


def test_unusable_database_url_is_one_line(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    for url, message in [("not a url", "is not a database URL"),
                         ("postgresql://u@127.0.0.1:1/x", "Cannot open the database postgresql://u@127.0.0.1:1/x"),
                         (f"sqlite:///{blocker}/sub/x.db", "There is no database at"),
                         (f"sqlite:///{tmp_path}", "is a folder")]:
        code, out, err = run("list", db=url)
        assert code == 2 and out == "" and message in err and err.count("\n") == 1, err


def test_module_entry_point_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "alignwork", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                             "import", str(demo_bundle_path()), "--name", "From a shell"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Imported workshop 1 'From a shell'" in result.stdout


def test_database_failing_mid_command_is_one_line(run, db_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def locked(**_kwargs):
        raise OperationalError("INSERT …", {}, Exception("database is locked"))

    monkeypatch.setattr(store, "create_workshop", locked)
    code, out, err = run("import", str(demo_bundle_path()))
    assert (code, out) == (2, "")
    assert err == "alignwork: error: the database failed (database is locked); nothing was written\n"
    monkeypatch.undo()
    assert workshop_names(db_url) == []
