"""The raw CRM values each category condition matched in a back-test, as the rules exports tell
them: from the last back-test of the exported definition version (else the workshop's last one),
condition by condition, and in plain words when there are none (docs/export.md).

A category ("industry is Software/SaaS") is Alignwork's own word; a CRM holds the spellings the
reps typed ("SaaS", "Computer Software", "software"). ``BacktestRun.crm_values`` keeps them with
the condition they were counted for, so an edited condition never borrows another's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from alignwork.backtest.run import MATCHED_SOURCES
from alignwork.definition.criteria import Condition, Criterion
from alignwork.definition.vocabulary import FIELD_WORDS
from alignwork.words import counted

if TYPE_CHECKING:
    from sqlmodel import Session

    from alignwork.models import BacktestRun, DefinitionVersion

NO_BACKTEST = ("no back-test yet: back-test a lead file with this definition (the Back-test page, or "
               "'python -m alignwork backtest') and export again to list the values your CRM holds")


@dataclass(frozen=True)
class ConditionValues:
    """The raw values one condition matched (``(value, leads)``, most frequent first) and a sentence
    saying where they come from, or why there are none."""

    values: list[tuple[str, int]]
    note: str

    @property
    def names(self) -> list[str]:
        return [value for value, _leads in self.values]


@dataclass(frozen=True)
class CrmValues:
    """The raw CRM values of one back-test run (``record`` is ``BacktestRun.crm_values``), or of
    none (``run_id`` None). ``same_version``: the run scored the exported version itself."""

    record: dict[str, list[dict]] = field(default_factory=dict)
    run_id: int | None = None
    file_name: str = ""
    run_at: datetime | None = None
    version_number: int | None = None
    same_version: bool = True

    @classmethod
    def of_run(cls, run: BacktestRun, *, same_version: bool = True) -> CrmValues:
        return cls(record=dict(run.crm_values or {}), run_id=run.id, file_name=run.file_name, run_at=run.created_at,
                   version_number=run.version_number, same_version=same_version)

    @property
    def backtested(self) -> bool:
        return self.run_id is not None

    def where(self) -> str:
        """"leads.csv, back-test of 2026-12-03 10:14 UTC (version 2)"."""
        when = f"{self.run_at:%Y-%m-%d %H:%M} UTC" if self.run_at else "an unknown date"
        version = "the draft" if self.version_number is None else f"version {self.version_number}"
        scored = "" if self.same_version else f", which scored {version}, not this version"
        return f"{self.file_name or 'a lead file'}, back-test of {when} (run {self.run_id}{scored})"

    def source(self) -> dict[str, Any]:
        """Where every ``crm_values`` of an export comes from, for the JSON's ``crm_values_from``."""
        if not self.backtested:
            return {"run": None, "file": None, "back_tested_at": None, "definition_version": None,
                    "same_version": None, "note": NO_BACKTEST[0].upper() + NO_BACKTEST[1:] + "."}
        note = f"The raw values each category matched in {self.where()}"
        if not self.record:
            note += "; that run was recorded before raw values were kept: back-test again to list them"
        return {"run": self.run_id, "file": self.file_name,
                "back_tested_at": self.run_at.isoformat(timespec="seconds") if self.run_at else None,
                "definition_version": self.version_number, "same_version": self.same_version, "note": note + "."}

    def for_condition(self, rule: Criterion, condition: Condition) -> ConditionValues | None:
        """The raw values ``condition`` of ``rule`` matched; None for a condition that is no category
        (words, domains, numbers: the CRM compares the value itself)."""
        if condition.field not in MATCHED_SOURCES or not condition.active:
            return None
        if not self.backtested:
            return ConditionValues([], NO_BACKTEST)
        if not self.record:
            return ConditionValues([], f"none kept: {self.where()} was recorded before raw values were kept; "
                                       "back-test again to list them")
        wanted = condition.model_dump(mode="json")
        entry = next((item for item in self.record.get(rule.id) or []
                      if {key: item.get(key) for key in wanted} == wanted), None)
        words = FIELD_WORDS.get(condition.field, condition.field)
        if entry is None:
            return ConditionValues([], f"none: this condition changed since {self.where()}; back-test again "
                                       "to list its values")
        if entry.get("values") is None:
            return ConditionValues([], f"none: this rule has several {words} conditions, whose raw values "
                                       f"{self.where()} cannot tell apart")
        values = [(str(item["value"]), int(item["leads"])) for item in entry["values"]]
        if not values:
            return ConditionValues([], f"none: no lead matched it in {self.where()} (or the file has no "
                                       f"{words} column)")
        leads = sum(count for _value, count in values) + int(entry.get("more_leads") or 0)
        note = f"{counted(len(values) + int(entry.get('more_values') or 0), 'raw value')} on " \
               f"{counted(leads, 'lead')} in {self.where()}"
        if entry.get("more_values"):
            note += f"; the {len(values)} most frequent are listed, " \
                    f"{counted(int(entry['more_values']), 'more value')} on {counted(int(entry['more_leads']), 'lead')}"
        return ConditionValues(values, note)


def crm_values_for(*, session: Session, workshop_id: int, version: DefinitionVersion) -> CrmValues:
    """The raw values for an export of ``version``: its own last back-test, else the workshop's
    last back-test of another version (conditions that differ get none), else none."""
    from alignwork.backtest.history import list_runs
    from alignwork.models import DefinitionVersion

    runs = list_runs(session=session, workshop_id=workshop_id)
    own = next((run for run in runs if run.definition_version_id == version.id), None)
    if own is not None:
        return CrmValues.of_run(own)
    if not runs:
        return CrmValues()
    last = CrmValues.of_run(runs[0], same_version=False)
    # the draft a run scored may have been saved as a numbered version since: say its number now
    scored = session.get(DefinitionVersion, runs[0].definition_version_id) if runs[0].definition_version_id else None
    return replace(last, version_number=scored.number) if scored is not None else last
