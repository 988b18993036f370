"""``python -m alignwork premortem WORKSHOP [--json]``: print the risk checklist.

Before any session has run, the checklist holds the seeded items (library and
synthesis); afterwards it holds what the team captured, scored and assigned.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from datetime import date

from alignwork.cli import open_db, print_json
from alignwork.words import counted


def register(subparsers) -> None:
    parser = subparsers.add_parser("premortem", help="print the premortem risk checklist of a workshop",
                                   description="Print a workshop's premortem checklist (seeded if no session ran yet).")
    parser.add_argument("workshop", metavar="WORKSHOP", help="workshop id or exact name")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from alignwork import store
    from alignwork.premortem import checklist as premortem
    from alignwork.premortem.session import session_state

    database = open_db(args)
    try:
        with database.session() as session:
            workshop = store.find_workshop(session=session, ident=args.workshop)
            risks = premortem.list_risks(session=session, workshop_id=workshop.id)
            state = session_state(session=session, workshop_id=workshop.id)
            review = premortem.review_date(session=session, workshop_id=workshop.id)
            today = date.today()
            if args.json:
                payload = {"workshop": {"id": workshop.id, "name": workshop.name}, "session": state.to_dict(),
                           "review_date": review.isoformat() if review else None,
                           "risks": premortem.risks_as_dicts(risks, today)}
                print_json(payload)
            else:
                print(render_text(workshop.name, risks, state, review, today))
    finally:
        database.dispose()
    return 0


def render_text(name: str, risks, state, review, today: date) -> str:
    from alignwork.premortem.checklist import field_text, is_overdue

    # a terminal gets titles cut to fit; a pipe or file gets them whole
    width = max(80, shutil.get_terminal_size((100, 24)).columns) if sys.stdout.isatty() else 400
    if state.status == "not_started":
        status = "no session has run yet; these are the seeded items"
    elif state.status == "finished":
        status = f"session finished ({state.initiative}, {len(state.members)} people)"
    else:
        status = f"session {state.status} at phase {state.phase}: {state.phase_title}"
    lines = [f"Premortem checklist: {name}", f"{counted(len(risks), 'item')}; {status}."]
    if review:
        lines.append(f"Next review: {review.isoformat()}" + (" (overdue)" if review < today else ""))
    lines.append("")
    header = f"{'#':>3}  {'Score':>5}  {'L':>1} {'I':>1}  {'Class':<11}  {'Votes':>5}  {'Status':<10}  {'Due':<10}  "
    title_width = max(20, width - len(header) - 1)
    lines.append(header + "Risk")
    for number, risk in enumerate(risks, 1):
        due = field_text(risk, "due_date") or "-"
        title = textwrap.shorten(risk.title, width=title_width, placeholder="…")
        flag = "  OVERDUE" if is_overdue(risk, today) else ""
        lines.append(f"{number:>3}  {field_text(risk, 'score') or '-':>5}  {field_text(risk, 'likelihood') or '-':>1} "
                     f"{field_text(risk, 'impact') or '-':>1}  {field_text(risk, 'klass') or '-':<11}  "
                     f"{risk.votes:>5}  {field_text(risk, 'status'):<10}  {due:<10}  {title}{flag}")
        if risk.owner or risk.mitigation:
            plan = "; ".join(part for part in (f"owner: {risk.owner}" if risk.owner else "",
                                               f"mitigation: {risk.mitigation}" if risk.mitigation else "") if part)
            lines.append(" " * 5 + textwrap.shorten(plan, width=width - 6, placeholder="…"))
    return "\n".join(lines)
