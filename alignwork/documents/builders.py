"""Build the two documents from workshop facts: the lead definition agreement and the
one-page summary for a sales meeting. Plain data in, ``docmodel.Document`` out."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from alignwork.definition.agreement import ServiceLevel, signature_gaps
from alignwork.definition.compare import compare_definitions, describe_rule, rule_group, rules_of
from alignwork.definition.criteria import Criterion
from alignwork.documents.facts import PROFILE_LABELS, Anonymiser, WorkshopFacts, anonymised
from alignwork.documents.docmodel import (
    AGREEMENT_SECTIONS, Block, Bullets, Document, DocumentOptions, Figure, Heading, KeyValues, PageBreak, Paragraph,
    Section, Table, shorten,
)

STATUS_WORDS = {"draft": "Draft", "saved": "Saved, not yet proposed", "proposed": "Proposed for agreement",
                "agreed": "Agreed", "superseded": "Superseded"}
KLASS_WORDS = {"tiger": "Tiger", "paper_tiger": "Paper tiger", "elephant": "Elephant", None: "—"}


def _date(value) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else ""


def _points(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _rule_points(criterion: Criterion, *, unit: str = "") -> str:
    """Points of a scored rule ("+10", "-20 points"); a descriptive criterion scores nothing: "—"."""
    if criterion.knockout:
        return "knock-out"
    if not criterion.attribute and not criterion.points:
        return "—"
    return f"{_points(criterion.points)}{unit}"


def _support(criterion: Criterion, interviews: int) -> str:
    text = f"{criterion.support} of {interviews}" if interviews else str(criterion.support)
    return f"{text} ({criterion.consensus})" if criterion.consensus else text


def grouped_labels(labels: list[str]) -> str:
    """"Industry: A", "Industry: B", "Region: C" → "Industry: A, B; Region: C"."""
    groups: dict[str, list[str]] = {}
    for label in labels:
        prefix, sep, rest = label.partition(": ")
        key, item = (prefix, rest) if sep and rest else ("", label)
        groups.setdefault(key, []).append(item)
    return "; ".join(f"{key}: {', '.join(items)}" if key else ", ".join(items) for key, items in groups.items())


def interviews_words(facts: WorkshopFacts) -> str:
    """The interview count every part of a document states: done now, and what the definition
    was drafted from when that is fewer ("12 reps; the definition was drafted from 11, 1 interview since")."""
    text = f"{facts.interviews} rep{'s' if facts.interviews != 1 else ''}"
    if facts.new_interviews:
        since = f"{facts.new_interviews} interview{'s' if facts.new_interviews != 1 else ''}"
        text += (f"; the definition was drafted from {facts.drafted_from} interview"
                 f"{'s' if facts.drafted_from != 1 else ''}, {since} since (re-synthesize to count them)")
    return text


def summary_text(facts: WorkshopFacts, anon: Anonymiser) -> str:
    """The summary paragraph: the facilitator's own words if they wrote it, else written now from
    the same facts as the tables (a stored synthesized sentence goes stale when thresholds change)."""
    definition = facts.definition
    if "summary" in definition.edited and definition.summary:
        return anon.text(definition.summary)
    from alignwork.synthesis.draft import summarize

    return anon.text(summarize(definition, facts.drafted_from)) if definition.criteria else ""


def _live(criteria: list[Criterion]) -> list[Criterion]:
    return [c for c in criteria if c.decision != "rejected"]


def _doc_date(facts: WorkshopFacts):
    return facts.status_dates.get(facts.status) or facts.today


def _meta(facts: WorkshopFacts) -> list[tuple[str, str]]:
    return [("Workshop", facts.workshop_name), ("Company", facts.company or "—"),
            ("Version", facts.version_text.capitalize()), ("Status", STATUS_WORDS.get(facts.status, facts.status)),
            ("Date", _date(_doc_date(facts))), ("Facilitator", facts.facilitator or "—")]


def not_in_force(facts: WorkshopFacts) -> tuple[str, str]:
    """(mark, notice) for a version that is not agreed: every format prints the mark on every page."""
    if facts.status == "agreed":
        return "", ""
    if facts.status == "superseded":
        return "SUPERSEDED", (f"{facts.version_text.capitalize()} was agreed once and has been replaced by a "
                              "later agreed version; it is no longer in force.")
    what = {"draft": "the working draft", "saved": f"{facts.version_text}, saved but not yet proposed",
            "proposed": f"{facts.version_text}, proposed for agreement"}.get(facts.status, facts.version_text)
    return "DRAFT", (f"This is {what}. It is not agreed and not in force until at least one Sales and one "
                     "Marketing signer sign it.")


def _document_fields(facts: WorkshopFacts, kind: str) -> dict:
    """What both documents share: footer, metadata and the mark of a version not in force."""
    from datetime import datetime, timezone

    mark, notice = not_in_force(facts)
    who = shorten(facts.company or facts.workshop_name, 36)  # a long company name never wraps the footer
    footer = f"{kind} · {who} · {facts.version_text}" + (f" · {mark}" if mark else "")
    return dict(footer=footer, author=facts.facilitator, created=datetime.now(timezone.utc), mark=mark,
                notice=notice)


def sla_pairs(sla: ServiceLevel, reason_codes: list[str]) -> tuple[tuple[str, str], ...]:
    codes = ", ".join(reason_codes) or "the agreed reason codes"
    return (
        ("MQL follow-up", f"Sales contacts every MQL within {sla.mql_follow_up_hours} hours"),
        ("Demo requests", f"Within {sla.demo_follow_up_hours} hours"),
        ("Contact attempts", f"At least {sla.contact_attempts} attempts over {sla.attempt_window_days} days "
                             "before a lead is returned"),
        ("Rejected leads", f"Returned to Marketing within {sla.rejection_return_days} business days"
                           + (f" with a reason code ({codes})" if sla.reason_code_required else "")),
        ("Nurture", f"Leads not ready to buy go back to Marketing nurture for {sla.recycle_after_days} days"),
    )


def _review_pairs(sla: ServiceLevel) -> tuple[tuple[str, str], ...]:
    return (("Review meeting", f"{sla.review_meeting.capitalize()}: rejected leads, reason codes, follow-up times"),
            ("Full review", f"{sla.full_review.capitalize()}: criteria, points and thresholds against closed deals"),
            ("Next review", _date(sla.next_review) or "to be set"))


def _criteria_table(criteria: list[Criterion], interviews: int, anon: Anonymiser) -> Table:
    rows = tuple((anon.text(c.label), describe_rule(c), _rule_points(c), _support(c, interviews))
                 for c in criteria)
    return Table(("Criterion", "Rule", "Points", "Support"), rows, widths=(3, 3.2, 1, 1.6),
                 numeric=frozenset({2}), empty="No criteria in this part yet.")


def _signoff(facts: WorkshopFacts) -> list[Block]:
    signed = [s for s in facts.signers if s.signed_on]
    blocks: list[Block] = []
    if facts.status == "agreed":
        blocks.append(Paragraph(f"Agreed on {_date(facts.status_dates.get('agreed'))} by the signers below.", "lead"))
    elif signed:
        gaps = signature_gaps(facts.signers)
        pending = f" Still needed: {' and '.join(gaps)}." if gaps else ""
        blocks.append(Paragraph(f"Signatures pending: {len(signed)} signed so far.{pending}", "lead"))
    else:
        blocks.append(Paragraph("Signatures pending. At least one Sales and one Marketing signer sign "
                                "to agree this definition.", "lead"))
    rows = tuple((s.name, s.role or "—", s.team, _date(s.signed_on) or "pending") for s in facts.signers)
    if rows:
        blocks.append(Table(("Name", "Role", "Team", "Signed on"), rows, widths=(2.4, 2.4, 1.2, 1.4)))
    missing = [team for team in ("Sales", "Marketing") if not any(s.team == team and s.signed_on for s in signed)]
    if missing and facts.status != "agreed":  # room to sign on paper for the teams still to sign
        blocks.append(Table(("Team", "Name", "Signature", "Date"), tuple((team, "", "", "") for team in missing),
                            widths=(1.2, 2.4, 2.8, 1.4), sign_space=True))
    return blocks


def _summary_blocks(facts: WorkshopFacts, anon: Anonymiser, *, one_page: bool = False) -> list[Block]:
    definition, sla = facts.definition, ServiceLevel.model_validate(facts.definition.sla)
    live = _live(definition.criteria)
    company = [anon.text(c.label) for c in live if c.section == "ideal_company"]
    persona = [anon.text(c.label) for c in live if c.section == "persona"]
    knockouts = [anon.text(c.label) for c in live if c.section == "disqualifiers" and c.knockout]
    signals = sorted((c for c in definition.scored_criteria() if c.axis == "intent"), key=lambda c: -c.points)[:5]
    signed = [s for s in facts.signers if s.signed_on]
    blocks: list[Block] = []
    summary = summary_text(facts, anon)
    if summary and not one_page:  # the one-pager's bullets say the same, shorter
        blocks.append(Paragraph(summary, "lead"))
    blocks.append(KeyValues((
        ("Interviews", interviews_words(facts)),
        ("MQL", f"score ≥ {definition.mql_threshold} points, no knock-out"),
        ("SQL", f"score ≥ {definition.sql_threshold} with ≥ {definition.sql_min_intent} intent points"),
        ("Follow-up", f"{sla.mql_follow_up_hours} h for MQLs, {sla.demo_follow_up_hours} h for demo requests"),
        ("Status", STATUS_WORDS.get(facts.status, facts.status)
         + (f", signed by {', '.join(f'{s.name} ({s.team})' for s in signed)}" if signed else ", signatures pending")),
    )))
    bullets = []
    if company and not one_page:  # the one-pager lists every rule in its table
        bullets.append("Ideal company — " + grouped_labels(company))
    if persona and not one_page:
        bullets.append("Persona — " + grouped_labels(persona))
    if signals and not one_page:
        bullets.append("Strongest buying signals: " + "; ".join(f"{anon.text(c.label)} ({_points(c.points)})"
                                                               for c in signals))
    if knockouts:
        bullets.append("Never a lead: " + "; ".join(knockouts))
    steps = [c for c in live if c.knockout and not c.conditions and c.manual_step]
    if steps:
        bullets.append("Sales checks by hand: " + "; ".join(f"{anon.text(c.label)} — {anon.text(c.manual_step)}"
                                                           for c in steps))
    if definition.reason_codes and not one_page:  # the one-pager has them as a table
        bullets.append("Return a lead with a reason code: " + ", ".join(r.code for r in definition.reason_codes))
    bullets.append(f"Next review: {_date(sla.next_review) or 'to be set'} ({sla.review_meeting} meeting, "
                   f"{sla.full_review} full review)")
    blocks.append(Bullets(tuple(bullets)))
    return blocks


def _appendix(facts: WorkshopFacts, options: DocumentOptions, anon: Anonymiser) -> list[Block]:
    definition, interviews = facts.definition, facts.drafted_from
    blocks: list[Block] = [Heading("Who supports each criterion")]
    rows = tuple((anon.text(c.label), _support(c, interviews),
                  ", ".join(anon.name(p) for p in c.evidence.participants) or "—")
                 for c in _live(definition.criteria))
    blocks.append(Table(("Criterion", "Support", "Reps"), rows, widths=(3, 1.5, 4)))
    if options.include_quotes:
        quotes = [q for q in facts.quotes if q.kind == "quote"]
        blocks.append(Heading("Evidence quotes"))
        blocks.append(Bullets(tuple(f"“{anon.text(q.text)}” — {anon.name(q.speaker)}"
                                    + (f", {q.team}" if q.team else "") for q in quotes))
                      if quotes else Paragraph("No quotes were noted in the interviews.", "muted"))
    if options.include_notes:
        notes = [q for q in facts.quotes if q.kind != "quote"]
        blocks.append(Heading("Interview notes"))
        blocks.append(Table(("Kind", "Note", "Rep"), tuple((q.kind.capitalize(), anon.text(q.text), anon.name(q.speaker))
                                                           for q in notes), widths=(1, 5, 1.6),
                            empty="No notes besides quotes."))
    if options.include_charts:
        blocks.extend(_charts(facts, anon))
    return blocks


# rendered charts by their inputs: exporting the same workshop in several formats renders each chart once,
# in this process (_PNG_CACHE) and in the next ones (chart_files: a cold CLI export, the next start)
_PNG_CACHE: dict[str, tuple[bytes, float]] = {}  # key → (PNG, height / width)
_PNG_CACHE_SIZE = 32


_DRAWING = threading.Lock()  # one chart drawn at a time: an export waits for the one drawing it ahead


def _png(name: str, inputs: Any, build) -> tuple[bytes, float]:
    from alignwork.documents import chart_files

    key = hashlib.sha1(json.dumps([name, inputs], sort_keys=True, default=str).encode("utf-8")).hexdigest()
    with _DRAWING:
        if key not in _PNG_CACHE:
            if len(_PNG_CACHE) >= _PNG_CACHE_SIZE:
                _PNG_CACHE.pop(next(iter(_PNG_CACHE)))
            drawn = chart_files.load(key)
            if drawn is None:
                from alignwork.charts import figure_png

                figure = build()
                width, height = figure.get_size_inches()
                drawn = (figure_png(figure, dpi=110), round(float(height / width), 6))
                chart_files.store(key, *drawn)
            _PNG_CACHE[key] = drawn
        return _PNG_CACHE[key]


def draw_charts(facts: WorkshopFacts, options: DocumentOptions = DocumentOptions()) -> int:
    """Draw the charts the agreement document of ``options`` shows, ahead of its export (the Export
    page does it while the user picks a format and a file): they are kept like any drawn chart.
    Returns how many charts that is (0 when the document shows none)."""
    if not options.shows_charts:
        return 0
    return sum(isinstance(block, Figure) for block in _charts(facts, Anonymiser(facts.roster, options.anonymise)))


def _charts(facts: WorkshopFacts, anon: Anonymiser) -> list[Block]:
    from alignwork.charts import synthesis as synthesis_charts
    from alignwork.charts.agreement import scoring_points_figure

    definition = anonymised(facts.definition.model_dump(mode="json"), anon)
    charts = [("scoring", definition, lambda: scoring_points_figure(facts.definition),
               "Points of every scored rule, by axis."),
              ("agreement", definition, lambda: synthesis_charts.agreement_figure(definition),
               f"Share of reps behind each of the {len(synthesis_charts.agreement_criteria(definition))} "
               "criteria, disqualifiers included (rejected ones left out).")]
    if facts.synthesis:
        data = anonymised(facts.synthesis, anon)
        # tables already list industries, persona and rejection reasons with their support; the
        # ranges are what a table cannot show (and each chart costs ~0.2 s of a ≤ 2 s export)
        charts.append(("ranges", data["company_size"], lambda: synthesis_charts.ranges_figure(data),
                       "Company size each rep wants; the shaded band is where most agree."))
    if facts.risk_rows:
        from alignwork.charts.premortem import risk_matrix_figure

        risks = [(r.id, r.title, r.likelihood, r.impact, r.klass, r.votes) for r in facts.risk_rows]
        charts.append(("risks", risks, lambda: risk_matrix_figure(facts.risk_rows),
                       "Premortem risks by likelihood and impact."))
    blocks: list[Block] = [PageBreak(), Heading("Charts")]
    for name, inputs, build, caption in charts:
        png, aspect = _png(name, inputs, build)
        blocks.append(Figure(png, caption, aspect=aspect))
    return blocks


def build_agreement(facts: WorkshopFacts, options: DocumentOptions = DocumentOptions()) -> Document:
    """The lead definition agreement: every section the options ask for, in order."""
    anon = Anonymiser(facts.roster, options.anonymise)
    definition, interviews = facts.definition, facts.drafted_from
    sla = ServiceLevel.model_validate(definition.sla)
    live = _live(definition.criteria)
    build = {
        "summary": lambda: _summary_blocks(facts, anon),
        "interviewed": lambda: _interviewed(facts),
        "ideal_company": lambda: [Heading("Ideal company"),
                                  _criteria_table([c for c in live if c.section == "ideal_company"], interviews, anon),
                                  Heading("Persona"),
                                  _criteria_table([c for c in live if c.section == "persona"], interviews, anon)],
        "mql_sql": lambda: _mql_sql(facts, live, anon),
        "scoring": lambda: _scoring(facts, anon),
        "disqualifiers": lambda: _disqualifiers(facts, live, anon),
        "sla": lambda: [KeyValues(sla_pairs(sla, [r.code for r in definition.reason_codes]))],
        "glossary": lambda: [Table(("Term", "Meaning"), tuple((e["term"], e["meaning"]) for e in definition.glossary),
                                   widths=(1.6, 6))],
        "risks": lambda: _risks(facts, anon),
        "review": lambda: [KeyValues(_review_pairs(sla)),
                           Paragraph("Between reviews the definition does not change; a change is a new version "
                                     "that both teams agree to again.", "muted")],
        "signoff": lambda: _signoff(facts),
        "changes": lambda: _changes(facts, anon),
        "appendix": lambda: _appendix(facts, options, anon),
    }
    sections = [Section(key, title, build[key](), new_page=key in ("summary", "appendix"))
                for key, title in AGREEMENT_SECTIONS if options.wants(key)]
    return Document(kind="agreement", title="Lead definition agreement",
                    subtitle=f"{facts.company or facts.workshop_name} — {facts.version_text}",
                    meta=_meta(facts), sections=sections, **_document_fields(facts, "Lead definition agreement"))


def build_summary(facts: WorkshopFacts, options: DocumentOptions = DocumentOptions(document="summary")) -> Document:
    """One page for a sales meeting: the essentials only."""
    anon = Anonymiser(facts.roster, options.anonymise)
    definition = facts.definition
    knockouts = [c for c in _live(definition.by_section("disqualifiers"))]
    blocks = _summary_blocks(facts, anon, one_page=True)
    codes = Table(("Code", "Use when"), tuple((r.code, r.label) for r in definition.reason_codes), widths=(1.6, 4))
    sections = [Section("essentials", "The definition", blocks),
                Section("rules", "The rules", [
                    Paragraph("Every rule as the CRM applies it, under the names of the rules exports "
                              "(which list every word and domain in full).", "muted"),
                    rules_table(definition, anon)]),
                Section("reason_codes", "Returning a lead", [
                    Paragraph("Sales returns a lead it rejects to Marketing with one of these codes. The "
                              f"{len([c for c in knockouts if c.knockout])} knock-outs under “Never a lead” never "
                              "reach Sales.", "muted"), codes])]
    meta = _meta(facts)
    return Document(kind="summary", title="What a good lead is",
                    subtitle=f"{facts.company or facts.workshop_name} — {facts.version_text}, "
                             f"{STATUS_WORDS.get(facts.status, facts.status).lower()}, {_date(_doc_date(facts))}",
                    meta=meta, sections=sections, title_page=False, **_document_fields(facts, "One-page summary"))


def build_document(facts: WorkshopFacts, options: DocumentOptions) -> Document:
    return build_summary(facts, options) if options.document == "summary" else build_agreement(facts, options)


def _interviewed(facts: WorkshopFacts) -> list[Block]:
    total = facts.interviews
    if not total:
        return [Paragraph("No interview is marked done yet; the definition is not backed by interviews.", "muted")]
    present = dict(facts.counts("profile"))
    profiles = [label for label in PROFILE_LABELS.values() if label in present]
    rows = []
    for team, count in facts.counts("team"):
        per = [sum(1 for i in facts.interviewees if (i.get("team") or "—") == team and i["profile"] == p)
               for p in profiles]
        rows.append((team, *map(str, per), str(count)))
    rows.append(("Total", *(str(present[p]) for p in profiles), str(total)))
    since = (f" The definition was drafted from {facts.drafted_from} of them; {facts.new_interviews} interview"
             f"{'s' if facts.new_interviews != 1 else ''} since are not in its support counts yet."
             if facts.new_interviews else "")
    blocks: list[Block] = [
        Paragraph(f"{total} rep{'s were' if total != 1 else ' was'} interviewed one by one from the same "
                  f"guide. Their private notes stay out of this document.{since}", "body"),
        Table(("Team", *profiles, "Interviews"), tuple(rows), numeric=frozenset(range(1, len(profiles) + 2)))]
    ran = facts.counts("facilitator")
    if len([name for name, _ in ran if name != "—"]) > 1:  # a team ran them: say who ran how many
        blocks.append(Paragraph("Interviews run by " + ", ".join(f"{name} ({count})" for name, count in ran)
                                + ".", "body"))
    return blocks


def _mql_sql(facts: WorkshopFacts, live: list[Criterion], anon: Anonymiser) -> list[Block]:
    definition = facts.definition
    mql = [f"{anon.text(c.label)} ({_points(c.points)} {c.axis})" if c.points else anon.text(c.label)
           for c in live if c.section == "mql"]
    sql = [f"{anon.text(c.label)} ({_points(c.points)} {c.axis})" if c.points else anon.text(c.label)
           for c in live if c.section == "sql"]
    return [Heading("Marketing qualified lead (MQL)"),
            Paragraph(f"A lead becomes an MQL when its score (fit + intent) reaches {definition.mql_threshold} points "
                      "and no knock-out applies. Marketing then hands it to Sales."),
            Bullets(tuple(mql)) if mql else Paragraph("No MQL-only signals; fit and intent points decide.", "muted"),
            Heading("Sales qualified lead (SQL)"),
            Paragraph(f"An MQL becomes an SQL at {definition.sql_threshold} points with at least "
                      f"{definition.sql_min_intent} intent points, and when Sales confirms:"),
            Bullets(tuple(sql)) if sql else Paragraph("No SQL criteria yet.", "muted")]


def _scoring(facts: WorkshopFacts, anon: Anonymiser) -> list[Block]:
    definition = facts.definition
    rows = tuple((rule_group(c), anon.text(c.label), describe_rule(c), "knock-out" if c.knockout else _points(c.points))
                 for c in rules_of(definition))
    cap = definition.intent_cap
    return [Paragraph("Score = fit points (who they are) + intent points (what they do; every signal a lead shows "
                      "counts" + (f", up to {cap} points" if cap is not None else "") + "). Knock-outs remove "
                      "a lead whatever its score. The rules CSV and JSON list every word and domain in full"
                      + (f", and the raw CRM values each category matched in {facts.crm_values.where()}."
                         if facts.crm_values.backtested and facts.crm_values.record else
                         "; a back-test adds the raw CRM values each category matched.")),
            Table(("Axis", "Rule", "Condition", "Points"), rows, widths=(0.9, 3, 3.4, 1.1), numeric=frozenset({3}),
                  empty="No scored rules yet."),
            KeyValues((("MQL threshold", f"{definition.mql_threshold} points"),
                       ("SQL threshold", f"{definition.sql_threshold} points"),
                       ("Minimum intent for SQL", f"{definition.sql_min_intent} points"),
                       *((("Most intent points", f"{cap} points"),) if cap is not None else ())))]


def rules_table(definition, anon: Anonymiser, *, limit: int = 2) -> Table:
    """Every rule of the exports, by name, with its condition and effect (the one-page summary's list)."""
    rows = tuple((anon.text(c.label), describe_rule(c, limit=limit), _rule_points(c)) for c in rules_of(definition))
    return Table(("Rule", "Condition", "Points"), rows, widths=(2.2, 4.6, 1), numeric=frozenset({2}),
                 empty="No scored rules yet.")


def _disqualifiers(facts: WorkshopFacts, live: list[Criterion], anon: Anonymiser) -> list[Block]:
    interviews = facts.drafted_from
    rows = tuple((anon.text(c.label), _rule_points(c, unit=" points"),
                  describe_rule(c), _support(c, interviews)) for c in live if c.section == "disqualifiers")
    codes = tuple((r.code, anon.text(r.label), anon.text(r.description)) for r in facts.definition.reason_codes)
    return [Table(("Disqualifier", "Effect", "Rule", "Support"), rows, widths=(2.6, 1.3, 3, 1.5),
                  empty="No disqualifiers."),
            Heading("Reason codes"),
            Paragraph("Sales returns a rejected lead with one of these codes, so Marketing learns what to fix."),
            Table(("Code", "Label", "Said as"), codes, widths=(2.1, 2.3, 3.6), empty="No reason codes yet.")]


PREMORTEM_WORDS = {
    "none": "No premortem session was run for this workshop: these risks come from the checklist (suggested "
            "by the risk library and the interviews, or added by hand), not from the teams' discussion.",
    "running": "The premortem session is still under way; owners and mitigations may still change.",
    "paused": "The premortem session is paused, not finished; owners and mitigations may still change.",
}


def _risks(facts: WorkshopFacts, anon: Anonymiser) -> list[Block]:
    rows = tuple((anon.text(r.title), str(r.score) if r.score else "—", KLASS_WORDS.get(r.klass, r.klass or "—"),
                  r.owner or "no owner yet", anon.text(r.mitigation) or "—", _date(r.due_date) or "—")
                 for r in facts.risks)
    status = PREMORTEM_WORDS.get(facts.premortem)
    if status and facts.risks and not any(r.owner for r in facts.risks):
        status += " None of them has an owner yet."
    intro = ([Paragraph(status, "strong")] if status else
             [Paragraph("From the premortem: the ways this rollout could fail that worry the teams most.")])
    return [*intro,
            Table(("Risk", "Score", "Class", "Owner", "Mitigation", "Due"), rows, widths=(3, 1, 1.3, 1.9, 2.6, 1.5),
                  numeric=frozenset({1}), empty="No premortem risks recorded yet.")]


def _changes(facts: WorkshopFacts, anon: Anonymiser) -> list[Block]:
    if facts.previous is None:
        return [Paragraph("This is the first version of the definition.", "muted")]
    lines = [anon.text(line) for line in compare_definitions(facts.previous, facts.definition).lines()]
    intro = Paragraph(f"Compared with version {facts.previous_number}.")
    return [intro, Bullets(tuple(lines)) if lines else Paragraph("No changes.", "muted")]
