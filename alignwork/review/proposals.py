"""Accepting a finding's proposal: the change goes into a working draft, never into the
reviewed version (agreed versions are locked; ``alignwork.definition.versions``).

If the working draft holds no edits of its own it is first started afresh from the
reviewed version (``agreement.start_draft_from``); otherwise the change joins the edits
already there. New rules get ids starting with ``manual.`` so a re-synthesis keeps them,
and every changed rule says in its rationale which review asked for it.
"""

from __future__ import annotations

from sqlmodel import Session

from alignwork.backtest.history import raised_sql_threshold
from alignwork.definition import agreement, versions
from alignwork.definition.compare import describe_rule
from alignwork.definition.criteria import Criterion, Definition
from alignwork.models import DefinitionVersion, ReviewPeriod, utcnow
from alignwork.store import StoreError, commit_stamped


class ProposalError(StoreError):
    """A proposal that cannot be applied, in plain words."""


def apply_change(definition: Definition, proposal: dict, *, why: str) -> Definition:
    """A copy of ``definition`` with the proposal's change made (see findings for the kinds)."""
    changed = definition.model_copy(deep=True)
    kind = proposal.get("change")
    if kind in ("add_knockout", "add_points"):
        knockout = kind == "add_knockout"
        number = sum(1 for c in changed.criteria if c.id.startswith("manual.review.")) + 1
        rule = Criterion(id=f"manual.review.{number}", section="disqualifiers", label="",
                         attribute=proposal["attribute"], operator="equals", value=proposal["value"],
                         points=0 if knockout else int(proposal["points"]), knockout=knockout,
                         decision="accepted", rationale=why)
        rule.label = describe_rule(rule).capitalize()
        changed.criteria.append(rule)
    elif kind in ("set_points", "drop_criterion"):
        criterion = changed.criterion(proposal.get("criterion_id", ""))
        if criterion is None:
            raise ProposalError("the rule this proposal changes is no longer in the definition")
        if kind == "set_points":
            criterion.points = int(proposal["points"])
            criterion.decision = "edited"
        else:
            criterion.decision = "rejected"
        criterion.rationale = f"{criterion.rationale}\n{why}".strip()
    elif kind == "set_mql_threshold":
        changed.mql_threshold = int(proposal["mql_threshold"])
        changed.sql_threshold = raised_sql_threshold(changed.mql_threshold, changed.sql_threshold)
        changed.edited = sorted(set(changed.edited) | {"mql_threshold"})
    else:
        raise ProposalError(f"unknown change {kind!r}")
    return changed


def accept_proposal(*, session: Session, period_id: int, finding_id: str) -> DefinitionVersion:
    """Apply one finding's proposal to the working draft; returns the draft. Refused when
    the finding is unknown or already accepted."""
    period = session.get(ReviewPeriod, period_id)
    if period is None:
        raise ProposalError(f"no review period with id {period_id}")
    findings = [dict(item) for item in period.findings]
    finding = next((item for item in findings if item["id"] == finding_id), None)
    if finding is None:
        raise ProposalError(f"the {period.period} review has no finding {finding_id!r}")
    if finding.get("accepted"):
        raise ProposalError("this proposal was already accepted; see the working draft")
    workshop_id = period.workshop_id
    if period.version_number is not None and not agreement.draft_has_edits(session=session, workshop_id=workshop_id):
        agreement.start_draft_from(session=session, workshop_id=workshop_id, number=period.version_number)
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    why = f"From the {period.period} review: {finding['title']}."
    definition = apply_change(versions.load_definition(draft), finding["proposal"], why=why)
    draft = versions.update_draft(session=session, workshop_id=workshop_id, definition=definition)
    finding["accepted"] = {"at": utcnow().isoformat(timespec="minutes"), "draft_id": draft.id}
    period.findings = findings
    commit_stamped(session, period)
    return draft
