"""The interview kit: what the facilitator reads — the opening script ("what's in it
for you"), the brevity promise, then the guide's sections and prompts.

Plain text and HTML (all user text escaped) for the opening card and the printed kit.
"""

from __future__ import annotations

import re
from html import escape

from alignwork.interviews.guide import Question
from alignwork.interviews.flow import sections_of
from alignwork.words import counted

KIND_LABELS = {"text": "open answer", "tags": "list", "range": "range", "bant": "need · budget · authority · timeline",
               "scale": "scale", "number": "number", "choice": "choice"}


def brevity_promise(minutes: int) -> str:
    return f"We'll keep this to {counted(minutes, 'minute')} and only ask what matters."


def opening_script(*, rep: str = "", company: str = "", minutes: int = 20) -> list[str]:
    """The paragraphs the facilitator says before the first question."""
    whom = f"Thanks for making the time{', ' + rep if rep else ''}."
    team = f"{company} Marketing" if company else "Marketing"
    return [
        whom,
        f"What's in it for you: {team} wants to send you the leads you would pick yourself, and stop "
        "sending the ones you throw away. Your answers decide what counts as a good lead — what gets "
        "routed to you, what gets filtered out, and what we build content for.",
        brevity_promise(minutes),
        "There are no wrong answers; your own words are the most useful. Nothing you say is attributed "
        "to you outside this workshop without asking.",
    ]

# hints written for the screen ("Press 1–5.") mean nothing on paper: the kit leaves those sentences out
_SCREEN_ONLY = re.compile(r"[^.!?]*\b(?:press|click|double-click|keyboard|shortcut|ctrl|alt|enter key|"
                          r"arrow keys?)\b[^.!?]*[.!?]?\s*", re.IGNORECASE)


def paper_hint(hint: str) -> str:
    """A question's hint as it reads on paper: sentences about keys and clicks left out."""
    return _SCREEN_ONLY.sub("", hint).strip()


def paper_note(question: Question) -> str:
    """What kind of answer to note down, for the printed kit: "Scale 1–5", "Range, employees"."""
    note = _kind_note(question)
    return note[:1].upper() + note[1:]


def _kind_note(question: Question) -> str:
    if question.kind == "choice" and question.options:
        return " / ".join(option.replace("_", " ") for option in question.options)
    if question.kind == "scale":
        low = int(question.minimum if question.minimum is not None else 1)
        high = int(question.maximum if question.maximum is not None else 5)
        return f"scale {low}–{high}"
    if question.kind == "number" and question.minimum is not None and question.maximum is not None:
        return f"number {question.minimum:g}–{question.maximum:g}"
    if question.kind == "range" and question.unit:
        return "range, " + ("employees" if question.unit == "employees" else "USD")
    return KIND_LABELS.get(question.kind, question.kind)


def kit_html(*, workshop_name: str, company: str, facilitator: str, minutes: int,
             questions: list[Question]) -> str:
    """The printable kit as simple HTML (for Qt's rich text engine): visible questions only."""
    visible = [q for q in questions if not q.hidden]
    parts = [
        "<html><body style='font-size:10pt'>",
        f"<h1 style='font-size:16pt; margin:0'>Interview kit — {escape(workshop_name)}</h1>",
        "<p style='color:#555555; margin-top:2pt'>"
        + escape(" · ".join(filter(None, [company, f"Facilitator: {facilitator}" if facilitator else "",
                                          counted(minutes, "minute"), counted(len(visible), "question")])))
        + "</p>",
        "<h2 style='font-size:12pt; margin-bottom:2pt'>Opening (say this first)</h2>",
    ]
    script = opening_script(company=company, minutes=minutes)
    for index, paragraph in enumerate(script):
        style = "font-weight:bold;" if index == 2 else ""
        parts.append(f"<p style='{style} margin-top:0px; margin-bottom:8px'>{escape(paragraph)}</p>")
    number = 0
    for section, members in sections_of(visible):
        parts.append(f"<h2 style='font-size:12pt; margin-bottom:2pt'>{escape(section)}</h2>")
        parts.append("<table width='100%' cellspacing='0' cellpadding='3'>")
        for question in members:
            number += 1
            hint = paper_hint(question.hint)
            hint = f"<br/><span style='color:#555555'>{escape(hint)}</span>" if hint else ""
            parts.append(
                f"<tr><td width='6%' valign='top'><b>{number}.</b></td>"
                f"<td valign='top'>{escape(question.prompt)}{hint}</td>"
                f"<td width='24%' valign='top' align='right' style='color:#555555'>"
                f"{escape(paper_note(question))}</td></tr>")
        parts.append("</table>")
    parts.append("<p style='color:#555555; margin-top:12pt'>Close: thank them, say what happens next "
                 "(the draft definition comes back to them for sign-off), and stop on time.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)

