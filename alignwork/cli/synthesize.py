"""``python -m alignwork synthesize WORKSHOP|BUNDLE.json [--json]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from alignwork.cli import CliError, open_db, print_json
from alignwork.words import counted

CONSENSUS_MARK = {"strong": "●", "contested": "◐", "weak": "○", "outlier": "·"}
GROUP_TITLES = {"titles": "Titles (by function)", "industries": "Industries", "regions": "Regions",
                "buying_signals": "Buying signals", "rejection_triggers": "Rejection triggers",
                "punt_signals": "When reps give up", "helpful_content": "Helpful content"}


def register(subparsers) -> None:
    parser = subparsers.add_parser("synthesize", help="synthesize a workshop's interviews into a draft definition",
                                   description="Group the answers of done interviews, find agreement and "
                                               "conflicts, and draft the lead definition.")
    parser.add_argument("source", metavar="WORKSHOP|BUNDLE.json", help="workshop id or exact name, or a bundle file")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON (docs/synthesis.md)")
    parser.set_defaults(handler=run)


def _load(source: str, args):
    from alignwork.workshops.bundle import BundleError, load_bundle_file
    from alignwork.synthesis.engine import SynthesisInputError, synthesize_bundle, synthesize_workshop

    if source.lower().endswith(".json") or (Path(source).is_file() and not source.isdigit()):
        try:
            return synthesize_bundle(load_bundle_file(source))
        except (BundleError, SynthesisInputError) as error:
            raise CliError(str(error)) from None
    from alignwork import store

    database = open_db(args)
    try:
        with database.session() as session:
            workshop = store.find_workshop(session=session, ident=source)
            return synthesize_workshop(session=session, workshop_id=workshop.id)
    finally:
        database.dispose()


def run(args: argparse.Namespace) -> int:
    result = _load(args.source, args)
    data = with_rule_words(result.to_dict())
    if args.json:
        print_json(data)
    else:
        print(render_text(data))
    return 0


def with_rule_words(data: dict) -> dict:
    """Each drafted criterion's conditions also in words ("rule"), as the documents say them."""
    from alignwork.definition.compare import describe_rule
    from alignwork.definition.criteria import Criterion

    for criterion in (data.get("definition") or {}).get("criteria", []):
        criterion["rule"] = describe_rule(Criterion.model_validate(criterion), limit=None)
    return data


def _percent(share) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def render_text(data: dict) -> str:
    """A human-readable summary of the JSON result."""
    lines = [f"Interviews used: {data['interviews']}" + (f" ({data['pending']} not done yet, left out)"
                                                        if data["pending"] else "")]
    if data["teams"]:
        lines.append("Teams: " + ", ".join(f"{team} {n}" for team, n in data["teams"].items()))
    custom = {key: key.removeprefix("custom_").replace("_", " ").capitalize()
              for key in data["groups"] if key not in GROUP_TITLES}
    for key, title in {**GROUP_TITLES, **custom}.items():
        groups = data["groups"].get(key) or []
        if not groups:
            continue
        lines += ["", title]
        for group in groups[:8]:
            lines.append(f"  {CONSENSUS_MARK[group['consensus']]} {group['label']:<38} {group['support']:>3} "
                         f"({_percent(group['share'])}, {group['consensus']})")
        if len(groups) > 8:
            lines.append(f"  … and {len(groups) - 8} more")
    size = data["company_size"]["core"]
    lines += ["", "Numbers"]
    if size:
        lines.append(f"  Company size most reps share: {size['min_employees'] or 0:,}–"
                     f"{'' if size['max_employees'] is None else format(size['max_employees'], ',')} employees")
    ready = data["readiness"]
    lines.append(f"  Readiness: need {_percent(ready['need'])}, budget {_percent(ready['budget'])}, "
                 f"authority {_percent(ready['authority'])}, median timeline "
                 f"{'–' if ready['timeline_months_median'] is None else format(ready['timeline_months_median'], 'g')} months")
    votes = data["volume_vs_quality"]
    lines.append(f"  Fewer but better: {votes['fewer_better']}, more volume: {votes['more_volume']}, "
                 f"unsure: {votes['unsure']}")
    rating = data["lead_quality_rating"]
    if rating["n"]:
        lines.append(f"  Lead quality today: {rating['mean']} / 5 (± {rating['stdev']}, n={rating['n']})")
    junk = data["junk_share_percent"]
    if junk["n"]:
        lines.append(f"  Junk share: {junk['mean']}% on average (median {junk['median']}%)")
    if data["conflicts"]:
        lines += ["", "Conflicts"] + [f"  ! {c['summary']}" for c in data["conflicts"]]
    notes = [s for s in data["surprises"] if s["kind"] == "note"]
    if notes:
        lines += ["", "Surprises"] + [f"  * {s['participant']}: {s['text']}" for s in notes]
    definition = data["definition"]
    lines += ["", "Draft definition", f"  {definition['summary']}"]
    for criterion in definition["criteria"]:
        points = "knock-out" if criterion["knockout"] else (f"{criterion['points']:+d} {criterion['axis']}"
                                                             if criterion["conditions"] else "descriptive")
        lines.append(f"  [{criterion['section']}] {criterion['label']} — {points}, "
                     f"{counted(criterion['support'], 'rep')}, {criterion['consensus'] or '–'}")
        if criterion.get("rule"):
            lines.append(f"      rule: {criterion['rule']}")
    if definition["reason_codes"]:
        lines.append("  Reason codes: " + ", ".join(code["code"] for code in definition["reason_codes"]))
    return "\n".join(lines)
