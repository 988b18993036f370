"""Dot voting in a premortem session: each person has a fixed number of dots and may put
at most a set number on one item; totals are kept on ``Risk.votes``."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from alignwork.models import PremortemMember, PremortemSession, Risk, RiskVote
from alignwork.premortem.checklist import PremortemError, get_risk
from alignwork.premortem.session import active_session, check_vote_rules
from alignwork.store import commit_stamped


def set_vote_rules(*, session: Session, workshop_id: int, dots_per_member: int,
                   max_dots_per_risk: int) -> PremortemSession:
    row = active_session(session, workshop_id)
    check_vote_rules(dots_per_member, max_dots_per_risk)
    row.dots_per_member, row.max_dots_per_risk = dots_per_member, max_dots_per_risk
    return commit_stamped(session, row)


def dots_used(*, session: Session, member_id: int) -> int:
    return session.exec(select(func.coalesce(func.sum(RiskVote.dots), 0))
                        .where(RiskVote.member_id == member_id)).one()


def member_votes(*, session: Session, member_id: int) -> dict[int, int]:
    """risk id → dots this person placed on it."""
    return {v.risk_id: v.dots for v in session.exec(select(RiskVote).where(RiskVote.member_id == member_id))}


def cast_vote(*, session: Session, workshop_id: int, member_id: int, risk_id: int) -> Risk:
    """Place one of a person's dots on an item, within the session's limits."""
    row = active_session(session, workshop_id)
    member = session.get(PremortemMember, member_id)
    if member is None or member.session_id != row.id:
        raise PremortemError("that person is not part of this session")
    risk = get_risk(session=session, risk_id=risk_id)
    if risk.workshop_id != workshop_id or risk.merged_into_id:
        raise PremortemError("that item is not on this checklist")
    if dots_used(session=session, member_id=member_id) >= row.dots_per_member:
        raise PremortemError(f"{member.name} has used all {row.dots_per_member} dots; take one back first")
    vote = session.exec(select(RiskVote).where(RiskVote.risk_id == risk_id,
                                               RiskVote.member_id == member_id)).first()
    if vote is not None and vote.dots >= row.max_dots_per_risk:
        limit = "one dot" if row.max_dots_per_risk == 1 else f"{row.max_dots_per_risk} dots"
        raise PremortemError(f"{member.name} can put at most {limit} on one item")
    if vote is None:
        vote = RiskVote(risk_id=risk_id, member_id=member_id, dots=0)
    vote.dots += 1
    risk.votes += 1
    session.add(vote)
    session.add(risk)
    session.commit()
    return risk


def remove_vote(*, session: Session, member_id: int, risk_id: int) -> Risk:
    """Take back one of a person's dots from an item."""
    vote = session.exec(select(RiskVote).where(RiskVote.risk_id == risk_id,
                                               RiskVote.member_id == member_id)).first()
    if vote is None:
        raise PremortemError("there is no dot of theirs on that item")
    risk = get_risk(session=session, risk_id=risk_id)
    vote.dots -= 1
    risk.votes = max(0, risk.votes - 1)
    if vote.dots <= 0:
        session.delete(vote)
    else:
        session.add(vote)
    session.add(risk)
    session.commit()
    return risk
