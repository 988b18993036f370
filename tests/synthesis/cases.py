"""Interview sets written for the tests, with the messy wording reps actually use."""

from alignwork.synthesis.engine import InterviewData, NoteData


def rep(name, team, profile="other", status="done", notes=(), **answers):
    return InterviewData(participant=name, team=team, profile=profile, status=status,
                         answers={k: v for k, v in answers.items() if v is not None}, notes=list(notes))


def bant(need=True, budget=False, authority=True, months=6):
    return {"need": need, "budget": budget, "authority": authority, "timeline_months": months}


def nine_reps():
    """Mid-market and enterprise agree on mid-size companies; the SMB team wants tiny ones and volume."""
    return [
        rep("Anna", "Mid-Market", "rock_star",
            titles=["VP Marketing", "Head of Demand Gen"], industries=["SaaS", "fintech"],
            company_size="200-2000 employees", annual_revenue="$20M-$200M", regions=["DACH", "UK"],
            readiness=bant(), buying_signals=["asked for pricing", "requested a demo"],
            rejection_triggers=["students", "gmail address"], punt_signals=["no reply after 3 calls"],
            lead_quality_rating=2, junk_share_percent=40, volume_vs_quality="fewer_better",
            helpful_content=["case studies"],
            notes=[NoteData("quote", "If they looked at pricing twice, I call within the hour.", "buying_signals"),
                   NoteData("surprise", "Half her pipeline comes from partner intros.", None)]),
        rep("Ben", "Mid-Market", "engaged",
            titles=["vp mktg", "CMO"], industries=["Software", "Banking"],
            company_size="mid-market", annual_revenue="10-50m", regions=["Germany", "Austria"],
            readiness=bant(budget=True, months=3), buying_signals=["pricing page 2x", "demo request"],
            rejection_triggers=["student email", "competitor"], punt_signals=["ghosted"],
            lead_quality_rating=3, junk_share_percent=30, volume_vs_quality="fewer_better",
            helpful_content=["customer stories", "ROI calculator"]),
        rep("Carla", "Mid-Market", "rock_star",
            titles=["Vice President, Marketing"], industries=["B2B SaaS", "Fin services"],
            company_size="250 to 1,500 people", regions=["DACH"],
            readiness=bant(months=6), buying_signals=["Requested a demo", "came back to the site twice"],
            rejection_triggers=["Competitors", "personal e-mail"], punt_signals=["no response"],
            lead_quality_rating=2, junk_share_percent=50, volume_vs_quality="fewer_better",
            helpful_content=["case study"]),
        rep("Dev", "Enterprise", "rock_star",
            titles=["CIO", "Head of IT"], industries=["Banking", "Insurance"],
            company_size="1k-5k", annual_revenue="$100M-$1B", regions=["UK", "Ireland"],
            readiness=bant(budget=True, months=9), buying_signals=["asked for a quote", "multiple people from same company"],
            rejection_triggers=["competitor", "students"], punt_signals=["no budget this year"],
            lead_quality_rating=2, junk_share_percent=60, volume_vs_quality="fewer_better",
            helpful_content=["security docs"],
            notes=[NoteData("quote", "Banks buy when the CIO's team asks for a quote.", "industries")]),
        rep("Eve", "Enterprise", "engaged",
            titles=["SVP Marketing", "CIO"], industries=["financial services"],
            company_size="1000+", annual_revenue="over 100 million", regions=["EMEA"],
            readiness=bant(budget=True, months=12), buying_signals=["demo", "pricing"],
            rejection_triggers=["Students!", "gmail"], punt_signals=["went with a competitor"],
            lead_quality_rating=3, junk_share_percent=35, volume_vs_quality="fewer_better",
            helpful_content=["case studies", "battle cards"]),
        rep("Finn", "Enterprise", "other",
            titles=["Chief Marketing Officer"], industries=["Insurance"],
            company_size="2000-10000", regions=["UK & Ireland"],
            readiness=bant(budget=True, months=6), buying_signals=["attended a webinar"],
            rejection_triggers=["competitor"], lead_quality_rating=3, junk_share_percent=20,
            volume_vs_quality="unsure", helpful_content=["battle cards"]),
        rep("Gus", "SMB", "engaged",
            titles=["Owner", "Founder"], industries=["Retail"],
            company_size="under 50", regions=["North America"],
            readiness=bant(authority=False, months=1), buying_signals=["free trial"],
            rejection_triggers=["only downloaded a whitepaper"], punt_signals=["no reply"],
            lead_quality_rating=4, junk_share_percent=10, volume_vs_quality="more_volume",
            helpful_content=["one-pager"]),
        rep("Hana", "SMB", "other",
            titles=["owner", "office manager"], industries=["retail", "restaurants"],
            company_size="1-20 people", regions=["USA"],
            readiness=bant(authority=False, months=1), buying_signals=["started trial", "webinar attendee"],
            rejection_triggers=["gmail"], punt_signals=["no budget"],
            lead_quality_rating=4, junk_share_percent=15, volume_vs_quality="more_volume",
            helpful_content=["one pager"],
            notes=[NoteData("surprise", "SMB buyers never take a demo; they want the trial.", "buying_signals")]),
        rep("Ivo", "SMB", "other", status="in_progress",
            titles=["Barista"], industries=["Coffee"], company_size="5", volume_vs_quality="more_volume"),
    ]


def store_workshop(session, interviews, name="Q4 alignment"):
    """Write an interview set into the database through the store; returns the workshop id."""
    from alignwork import store

    workshop = store.create_workshop(session=session, name=name)
    for interview in interviews:
        participant = store.add_participant(session=session, workshop_id=workshop.id, name=interview.participant,
                                            team=interview.team, profile=interview.profile)
        row = store.create_interview(session=session, participant_id=participant.id, status=interview.status)
        for key, value in interview.answers.items():
            store.save_answer(session=session, interview_id=row.id, key=key, value=value, commit=False)
        for note in interview.notes:
            store.add_note(session=session, interview_id=row.id, kind=note.kind, text=note.text,
                           question=note.question, commit=False)
        session.commit()
    return workshop.id
