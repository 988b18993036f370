"""One facilitator's process for the concurrency test: adds reps, runs their interviews with
autosave, edits the shared draft (retrying on EditConflict) and watches the others' work.

    python tests/team_writer.py URL WORKSHOP_ID NAME SECONDS  →  prints one JSON line
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(url: str, workshop_id: int, name: str, seconds: float) -> None:
    os.environ["ALIGNWORK_FACILITATOR"] = name
    from sqlmodel import select

    from alignwork import store
    from alignwork.db import open_database
    from alignwork.definition import versions
    from alignwork.interviews import flow
    from alignwork.interviews.autosave import AutosaveWriter
    from alignwork.models import Interview, Participant

    database = open_database(url)
    errors: list[str] = []
    writer = AutosaveWriter(database.engine, delay=0.05, on_error=errors.append)
    written: dict[str, dict] = {}
    conflicts = saw_others = 0
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        rep_name = f"{name} rep {number}"
        with database.session() as session:
            rep = store.add_participant(session=session, workshop_id=workshop_id, name=rep_name)
            interview = flow.interview_for_participant(session=session, participant_id=rep.id)
            flow.start_interview(session=session, interview_id=interview.id)
        answers = {"surprises": f"{rep_name}: pricing page", "wiifm": f"{rep_name} wants fewer junk leads"}
        for key, value in answers.items():
            writer.set_answer(interview.id, key, value)
        writer.add_note(interview.id, "quote", f"{rep_name} said so", None)
        writer.flush(20)
        written[rep_name] = answers
        for _ in range(5):  # the shared draft: read, change, save; a colleague may have saved first
            with database.session() as session:
                draft = versions.current_draft(session=session, workshop_id=workshop_id)
                definition = versions.load_definition(draft)
                definition = definition.model_copy(update={"summary": f"{definition.summary} {name}{number}"[-400:]})
                try:
                    versions.update_draft(session=session, workshop_id=workshop_id, definition=definition,
                                          expected_version=draft.version)
                    break
                except store.EditConflict:
                    conflicts += 1
        with database.session() as session:
            others = session.exec(select(Participant.name).join(Interview, Interview.participant_id == Participant.id)
                                  .where(Interview.workshop_id == workshop_id,
                                         Participant.name.not_like(f"{name} rep %"))).all()
            saw_others = max(saw_others, len(others))
    closed = writer.close(20)
    database.dispose()
    print(json.dumps({"name": name, "written": written, "saw_others": saw_others, "conflicts": conflicts,
                      "errors": errors, "closed": closed}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
