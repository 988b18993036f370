"""Default rules for the knock-outs synthesis drafts, keyed by reason code.

Where a CRM field can tell, a knock-out gets conditions an admin can paste into a CRM:
students and interns by title words and academic e-mail domains; job seekers and
recruiters by title words; personal e-mail by free-mail domains; competitors,
vendors/agencies and existing customers by a list of company names and domains the
facilitator types (inactive until filled). Knock-outs no field can tell get a step for
Sales instead. Word and domain lists come from ``resources/normalize``
(``knockouts.json``, ``email_domains.json``).
"""

from __future__ import annotations

import json
import re
from functools import cache

from alignwork.definition.criteria import Condition
from alignwork.paths import resource

# knock-outs decided from a list of companies the facilitator types or pastes
COMPANY_LIST_CODES = ("COMPETITOR", "SELLER", "EXISTING_CUSTOMER")
COMPANY_LIST_WHAT = {"COMPETITOR": "competitors", "SELLER": "vendors, agencies and resellers that pitch to you",
                     "EXISTING_CUSTOMER": "existing customers"}
# knock-outs no field of one lead can tell: what Sales does instead
SALES_STEPS = {
    "DUPLICATE": "Before working a lead, Sales searches the CRM for the person and company; a lead already owned or "
                 "in an open opportunity goes back with code DUPLICATE.",
    "NO_BUDGET": "Sales asks about budget on the first call and returns the lead with code NO_BUDGET.",
}
_DEFAULT_STEP = "No CRM field tells this: Sales checks it on the first contact and returns the lead with code {code}."


@cache
def _lists() -> dict:
    knockouts = json.loads(resource("normalize", "knockouts.json").read_text(encoding="utf-8"))
    domains = json.loads(resource("normalize", "email_domains.json").read_text(encoding="utf-8"))
    return {**knockouts, **domains}


def word_list(name: str) -> list[str]:
    return list(_lists()[name])


def free_mail_domains() -> list[str]:
    data = _lists()
    return list(dict.fromkeys([*data["free_mail_domains"], *data["extra_free_mail_domains"]]))


def academic_domains() -> list[str]:
    """Academic suffixes ("edu", "ac.uk") and known university domains, as domain-list entries."""
    data = _lists()
    return list(dict.fromkeys([s.lstrip(".") for s in data["student_suffixes"]] + list(data["student_domains"])))


def academic_domain_words() -> list[str]:
    """Labels that mark a university mail server ("uni-mannheim.de", "student.uva.nl"); "edu" and "ac"
    are left to the suffix list (as words they would also hit "ac-motors.com")."""
    return [label for label in _lists()["student_labels"] if label not in ("edu", "ac")]


def company_legal_suffixes() -> frozenset[str]:
    return frozenset(_lists()["company_legal_suffixes"])


def default_rule(code: str | None) -> dict | None:
    """The default rule for a knock-out's reason code: ``{"conditions", "match", ...}`` to put on the
    criterion, or None when the code has no default here (the drafted rule, if any, stays)."""
    if code == "STUDENT":
        return {"match": "any", "conditions": [
            Condition(field="title", operator="contains_any", value=word_list("student_title_words")),
            Condition(field="email", operator="in_domain_list", value=academic_domains()),
            Condition(field="email_domain", operator="contains_any", value=academic_domain_words())]}
    if code == "JOB_SEEKER":
        return {"match": "any", "conditions": [
            Condition(field="title", operator="contains_any",
                      value=word_list("job_seeker_title_words") + word_list("recruiter_title_words"))]}
    if code == "PERSONAL_EMAIL":
        return {"match": "any", "conditions": [
            Condition(field="email", operator="in_domain_list", value=free_mail_domains())]}
    if code in COMPANY_LIST_CODES:
        extra = [Condition(field="lifecycle_stage", operator="is_any_of", value=["customer"])] \
            if code == "EXISTING_CUSTOMER" else []
        return {"match": "any", "company_list": True, "conditions": [*extra, *company_list_conditions([])]}
    if code in SALES_STEPS:
        return {"match": "all", "conditions": [], "manual_step": SALES_STEPS[code]}
    return None


def sales_step(code: str | None) -> str:
    """What Sales does for a knock-out that no rule can apply."""
    return SALES_STEPS.get(code or "", _DEFAULT_STEP.format(code=code or "OTHER"))


def apply_default(criterion, code: str | None):
    """``criterion`` (a drafted knock-out) with the default rule of ``code`` where there is one;
    a knock-out left without conditions gets its step for Sales. Returns a new Criterion."""
    rule = default_rule(code)
    update: dict = {"reason_code": code} if code else {}
    if rule is not None:
        update.update(rule)
    result = criterion.model_copy(update=update)
    if criterion.knockout and not result.conditions and not result.manual_step:
        result = result.model_copy(update={"manual_step": sales_step(code)})
    return result


# ------------------------------------------------------------------ the company list

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", re.IGNORECASE)
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$")


def as_domain(text: str) -> str | None:
    """"https://www.Acme.com/about", "@acme.com", "sales@acme.com", "acme.com" → "acme.com"; else None."""
    text = text.strip().casefold()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = _URL.sub("", text).split("/", 1)[0].split("?", 1)[0].strip(". ")
    return text if _DOMAIN.match(text) else None


def split_entries(text: str) -> list[str]:
    """What the facilitator typed or pasted: one entry per line, comma or semicolon."""
    return [item.strip() for item in re.split(r"[\n;,\t]+", text) if item.strip()]


def company_list_conditions(entries: list[str]) -> list[Condition]:
    """Company names and domains → "company name is any of …" or "e-mail / website in domain list …"."""
    names, domains = [], []
    for entry in entries:
        domain = as_domain(entry) if " " not in entry.strip() else None
        (domains if domain else names).append(domain or " ".join(entry.split()))
    return [Condition(field="company", operator="is_any_of", value=names),
            Condition(field="email", operator="in_domain_list", value=domains),
            Condition(field="website", operator="in_domain_list", value=domains)]


def company_list_entries(criterion) -> list[str]:
    """The names and domains of a company-list knock-out, as typed back into its box."""
    names = next((c.value for c in criterion.conditions if c.field == "company"), []) or []
    domains = next((c.value for c in criterion.conditions if c.field in ("email", "website")
                    and c.operator == "in_domain_list"), []) or []
    return [*names, *domains]


def with_company_list(criterion, entries: list[str]):
    """The criterion with its company list replaced (other conditions, e.g. lifecycle stage, kept)."""
    kept = [c for c in criterion.conditions if c.field not in ("company", "email", "website")]
    return criterion.model_copy(update={"conditions": [*kept, *company_list_conditions(entries)], "match": "any"})


def waiting_for_list(criterion) -> bool:
    """A company-list knock-out whose list is still empty: inactive until the facilitator fills it."""
    return criterion.company_list and not company_list_entries(criterion)
