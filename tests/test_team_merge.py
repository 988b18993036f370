"""Offline teams: merging a colleague's bundle into an existing workshop (CLI), and moving a
whole workshop between SQLite and PostgreSQL, both ways, exactly."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from alignwork import store
from alignwork.cli import main
from alignwork.db import open_database
from alignwork.models import load_all_tables
from alignwork.workshops.bundle import demo_bundle_path, export_bundle, import_bundle, load_bundle_file
from alignwork.workshops.copy import copy_workshop

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_into_merges_a_colleagues_interviews_and_reports_conflicts(db_url, tmp_path, capsys):
    demo = load_bundle_file(demo_bundle_path())
    database = open_database(db_url)
    with database.session() as session:
        mine = import_bundle(session=session, data=demo, name="Team week")
    # the colleague's file: the first two reps' interviews, one answer different, one new rep
    theirs = json.loads(json.dumps(demo))
    first, second, third = theirs["participants"][:3]
    theirs["participants"] = [first, {**second, "name": "  " + second["name"].upper() + " ", "ref": "zz-9"},
                              {"ref": third["ref"], "name": "Noor Haddad"}]
    kept = [i for i in theirs["interviews"] if i["participant"] in (first["ref"], second["ref"])]
    changed_key = next(iter(kept[0]["answers"]))
    kept[0]["answers"][changed_key] = "Something else entirely"
    for interview in kept:
        if interview["participant"] == second["ref"]:
            interview["participant"] = "zz-9"
            interview["notes"].append({"kind": "quote", "question": None, "text": "Call me after 4"})
    theirs["interviews"] = kept
    bundle = tmp_path / "dana.json"
    bundle.write_text(json.dumps(theirs), encoding="utf-8")

    code, out, err = run(capsys, "--db", db_url, "import", str(bundle), "--into", "Team week")
    assert code == 0, err
    assert "1 rep added" in out and "2 reps matched" in out and "1 note" in out
    conflicts = [line for line in err.splitlines() if line.startswith("alignwork: conflict:")]
    assert any(changed_key in line and "Something else entirely" in line for line in conflicts)
    assert any(f"ref {third['ref']} is {third['name']} here but Noor Haddad" in line for line in conflicts)
    with database.session() as session:
        reps = store.list_participants(session=session, workshop_id=mine.workshop_id)
        assert [r.name for r in reps].count("Noor Haddad") == 1 and len(reps) == mine.participants + 1
        ours = export_bundle(session=session, workshop_id=mine.workshop_id)
    first_interview = next(i for i in ours["interviews"] if i["participant"] == first["ref"])
    assert first_interview["answers"][changed_key] != "Something else entirely"  # ours kept
    assert sum(n["text"] == "Call me after 4" for i in ours["interviews"] for n in i["notes"]) == 1

    # merging the same file again adds nothing
    code, out, _ = run(capsys, "--db", db_url, "import", str(bundle), "--into", "Team week")
    assert code == 0 and "0 reps added" in out and "0 answers and 0 notes added" in out
    # a bad target is one line and changes nothing
    code, _, err = run(capsys, "--db", db_url, "import", str(bundle), "--into", "No such workshop")
    assert code == 2 and "no workshop" in err and len(err.strip().splitlines()) == 1
    database.dispose()


def _snapshot(engine, workshop_id):
    """Every row of the workshop with ids replaced by their position, to compare two copies."""
    from alignwork.workshops.copy import _rows_of

    with engine.connect() as connection:
        rows = _rows_of(connection, load_all_tables(), workshop_id)
    order = {table: {row["id"]: index for index, row in enumerate(items) if "id" in row}
             for table, items in rows.items()}
    tables = {t.name: t for t in load_all_tables().sorted_tables}
    shaped = {}
    for table, items in rows.items():
        refs = {fk.parent.name: fk.column.table.name for fk in tables[table].foreign_keys}
        shaped[table] = [{key: (order[refs[key]].get(value) if key in refs and value is not None else value)
                          for key, value in row.items() if key != "id"} for row in items]
        for row in shaped[table]:
            row.pop("name", None) if table == "workshop" else None
    return shaped


def test_copy_a_full_workshop_sqlite_to_postgres_and_back(pg_url, tmp_path, capsys):
    db_url = f"sqlite:///{tmp_path / 'laptop.db'}"  # this test goes both ways itself
    from alignwork.synthesis import engine  # noqa: F401
    from alignwork.definition import agreement, versions
    from alignwork.premortem import checklist

    here, there = open_database(db_url), open_database(pg_url)
    with here.session() as session:
        result = import_bundle(session=session, data=load_bundle_file(demo_bundle_path()))
        draft = versions.current_draft(session=session, workshop_id=result.workshop_id)
        version = versions.save_version(session=session, workshop_id=result.workshop_id, note="first")
        agreement.add_signer(session=session, version_id=version.id, name="Sam Ortiz", team="Sales")
        agreement.propose(session=session, workshop_id=result.workshop_id, number=version.number)
        checklist.add_risk(session=session, workshop_id=result.workshop_id, title="Reps ignore the score")
    assert draft is not None
    code, out, err = run(capsys, "--db", db_url, "copy", str(result.workshop_id), "--to", pg_url)
    assert code == 0, err
    with there.session() as session:
        [copied] = store.list_workshops(session=session)
    original = _snapshot(here.engine, result.workshop_id)
    assert [t for t in ("participant", "interview", "answer", "note", "definitionversion", "signer", "risk",
                        "versionevent") if not original[t]] == []
    assert _snapshot(there.engine, copied.id) == original
    back = copy_workshop(source=there.engine, target=here.engine, workshop_id=copied.id, name="Back home")
    assert _snapshot(here.engine, back.workshop_id) == _snapshot(here.engine, result.workshop_id)
    # the name is taken there now: one line, nothing written
    code, _, err = run(capsys, "--db", db_url, "copy", str(result.workshop_id), "--to", pg_url)
    assert code == 2 and "already exists" in err
    here.dispose()
    there.dispose()


def test_autosave_follows_the_app_to_another_database(db_url, tmp_path):
    """Connecting to the team database mid-session: what was queued goes to the old database,
    what is typed next to the new one."""
    from alignwork.interviews import flow
    from alignwork.interviews.autosave import AutosaveWriter

    old, new = open_database(f"sqlite:///{tmp_path / 'laptop.db'}"), open_database(db_url)
    ids = []
    for database in (old, new):
        with database.session() as session:
            ws = store.create_workshop(session=session, name="Team week")
            rep = store.add_participant(session=session, workshop_id=ws.id, name="Ana")
            ids.append(flow.interview_for_participant(session=session, participant_id=rep.id).id)
    writer = AutosaveWriter(old.engine, delay=5)
    writer.set_answer(ids[0], "surprises", "typed on the laptop")
    assert writer.use_engine(new.engine)
    writer.set_answer(ids[1], "surprises", "typed on the team server")
    assert writer.close()
    for database, interview_id, text in ((old, ids[0], "typed on the laptop"), (new, ids[1], "typed on the team server")):
        with database.session() as session:
            assert store.answers_for(session=session, interview_id=interview_id) == {"surprises": text}
        database.dispose()
