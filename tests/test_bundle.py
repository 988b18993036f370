"""Workshop bundles: validation messages, all-or-nothing import, exact round trips."""

from __future__ import annotations

import copy
import json

import pytest
from sqlmodel import func, select

from alignwork import store
from alignwork.workshops import bundle
from alignwork.workshops.bundle import BundleError, export_bundle, import_bundle, load_bundle_file, validate_bundle
from alignwork.interviews.guide import DEFAULT_GUIDE, DEFAULT_KEYS, Question
from alignwork.models import Answer, Interview, Note, Participant, Workshop

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL

HOSTILE = ["<script>alert('x')</script>", "=HYPERLINK(\"http://evil.example\",\"click\")",
           "'; DROP TABLE workshop; --", "Ünïcødé — 日本語 — emoji 🚀", "tab\tand\nnewline", "x" * 20_000]


@pytest.fixture(scope="module")
def demo() -> dict:
    return load_bundle_file(bundle.demo_bundle_path())


def table_counts(session) -> tuple[int, ...]:
    return tuple(session.exec(select(func.count()).select_from(model)).one()
                 for model in (Workshop, Participant, Interview, Answer, Note))


# ---------------------------------------------------------------- the demo

def test_demo_is_realistic(demo):
    bundle_ = validate_bundle(demo)
    assert len(bundle_.participants) >= 10
    assert {p["profile"] for p in bundle_.participants} == {"rock_star", "engaged", "other"}
    assert len({p["team"] for p in bundle_.participants}) >= 4
    done = [i for i in bundle_.interviews if i.status == "done"]
    assert len(done) >= 10
    for interview in done:  # every default question is answered in every completed interview
        assert set(interview.answers) == DEFAULT_KEYS
        assert interview.notes
    choices = {i.answers["volume_vs_quality"] for i in done}
    assert {"fewer_better", "more_volume"} <= choices  # genuine disagreement to synthesise


def test_demo_round_trips_exactly(session, demo):
    result = bundle.import_demo(session=session)
    assert (result.participants, result.interviews) == (12, 12)
    assert result.answers == sum(len(i["answers"]) for i in demo["interviews"])
    assert result.notes == sum(len(i["notes"]) for i in demo["interviews"])
    assert export_bundle(session=session, workshop_id=result.workshop_id) == demo

    second = bundle.import_demo(session=session)
    assert second.name == demo["workshop"]["name"] + " (2)"
    exported = export_bundle(session=session, workshop_id=second.workshop_id)
    assert exported["workshop"].pop("name") == second.name
    expected = copy.deepcopy(demo)
    expected["workshop"].pop("name")
    assert exported == expected


# ---------------------------------------------------------------- round trip of everything

def rich_bundle() -> dict:
    guide = [{"key": q.key, "section": q.section, "prompt": q.prompt, "hint": q.hint, "kind": q.kind,
              "options": list(q.options), "hidden": q.key == "annual_revenue"} for q in DEFAULT_GUIDE]
    guide[0]["prompt"] = "Reworded: what's in it for you?"
    guide.insert(3, {"key": "custom_crm", "section": "The ideal lead", "prompt": "Which CRM do they use?",
                     "hint": "", "kind": "choice", "options": ["Salesforce", "HubSpot", "Other"], "hidden": False})
    guide.append({"key": "custom_deal_size", "section": "Close", "prompt": "Typical deal size?", "hint": "k$",
                  "kind": "number", "options": [], "hidden": False, "minimum": 0, "maximum": 10_000})
    guide.append({"key": "custom_team_size", "section": "Close", "prompt": "Team size?", "hint": "",
                  "kind": "range", "options": [], "hidden": True, "unit": "employees"})
    return {
        "format": "alignwork-bundle", "version": 1,
        "workshop": {"name": HOSTILE[0], "goal": HOSTILE[5], "company": HOSTILE[1],
                     "facilitator": HOSTILE[3], "target_minutes": 35},
        "participants": [{"ref": "a", "name": HOSTILE[2], "role": HOSTILE[4], "team": "Ent", "region": "",
                          "profile": "rock_star", "notes": HOSTILE[5]},
                         {"ref": "b-2", "name": "Zoë", "role": "", "team": "", "region": "Nordics",
                          "profile": "other", "notes": ""}],
        "guide": guide,
        "interviews": [
            {"participant": "b-2", "held_on": "2026-02-28", "duration_minutes": 20.5, "status": "done",
             "answers": {"wiifm": HOSTILE[1], "annual_revenue": "$10M-$50M",
                         "company_size": {"min_employees": 200, "max_employees": None},
                         "readiness": {"need": True, "budget": False, "authority": True, "timeline_months": None},
                         "titles": HOSTILE[:4], "lead_quality_rating": 1, "junk_share_percent": 12.5,
                         "volume_vs_quality": "unsure", "custom_crm": "HubSpot", "custom_deal_size": 0,
                         "custom_team_size": "5-10"},
             "notes": [{"kind": "quote", "question": "wiifm", "text": HOSTILE[2]},
                       {"kind": "idea", "question": None, "text": HOSTILE[5]},
                       {"kind": "pain", "question": "custom_crm", "text": "manual CSV uploads"}]},
            {"participant": "a", "held_on": None, "duration_minutes": 0.02, "status": "in_progress",
             "answers": {"surprises": "still talking"}, "notes": []},
            {"participant": "b-2", "held_on": None, "duration_minutes": None, "status": "planned",
             "answers": {}, "notes": []},
        ],
    }


def test_everything_round_trips_verbatim(session):
    original = rich_bundle()
    first = import_bundle(session=session, data=original)
    exported = export_bundle(session=session, workshop_id=first.workshop_id)
    assert exported["interviews"][1]["duration_minutes"] == 0.02  # 1 second, 2 decimals
    assert exported["interviews"][0]["duration_minutes"] == 20.5
    assert exported["workshop"] == original["workshop"]
    assert exported["participants"] == original["participants"]
    assert exported["guide"] == original["guide"]
    # hidden questions keep their answers
    assert exported["interviews"][0]["answers"]["annual_revenue"] == "$10M-$50M"
    assert exported["interviews"][0]["answers"]["custom_team_size"] == "5-10"
    assert exported["interviews"][0]["notes"] == original["interviews"][0]["notes"]

    second = import_bundle(session=session, data=exported, name="Copy")
    again = export_bundle(session=session, workshop_id=second.workshop_id)
    assert again.pop("workshop")["name"] == "Copy"
    exported.pop("workshop")
    assert again == exported

    stored = session.exec(select(Interview).where(Interview.workshop_id == first.workshop_id)
                          .order_by(Interview.id)).first()
    assert stored.duration_seconds == 1230
    assert session.get(Workshop, first.workshop_id).name == HOSTILE[0]


def test_export_leaves_out_the_guide_when_it_was_never_edited(session, demo):
    result = import_bundle(session=session, data=demo)
    assert "guide" not in export_bundle(session=session, workshop_id=result.workshop_id)
    assert store.workshop_guide(session=session, workshop_id=result.workshop_id) == list(DEFAULT_GUIDE)


def test_written_file_reads_back(tmp_path, session, demo):
    result = import_bundle(session=session, data=demo)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = bundle.write_bundle_file(export_bundle(session=session, workshop_id=result.workshop_id),
                                      folder / "out.json")
    assert json.loads(target.read_text(encoding="utf-8")) == demo
    assert "Sørensen" in target.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert [p.name for p in folder.iterdir()] == ["out.json"]  # no temp file left behind


# ---------------------------------------------------------------- refusals

def broken(change) -> dict:
    data = rich_bundle()
    change(data)
    return data


def answers(data, index=0):
    return data["interviews"][index]["answers"]


BAD_BUNDLES = [
    (lambda d: d.update(format="something-else"), "format: expected \"alignwork-bundle\""),
    (lambda d: d.update(version=2), "version: this app reads bundle version 1, not 2 written by a newer"),
    (lambda d: d.update(version="1"), "version: expected a whole number"),
    (lambda d: d.update(extra=1), "extra: unknown field"),
    (lambda d: d.pop("workshop"), "workshop: required"),
    (lambda d: d["workshop"].update(name="  "), "workshop.name: must not be empty"),
    (lambda d: d["workshop"].update(target_minutes=0), "workshop.target_minutes: expected a whole number"),
    (lambda d: d["workshop"].update(colour="red"), "workshop.colour: unknown field"),
    (lambda d: d["participants"][1].pop("name"), "participants[1].name: required"),
    (lambda d: d["participants"][1].update(ref="a"), "participants[1].ref: 'a' is used by another participant"),
    (lambda d: d["participants"][0].update(profile="Rock Star"), "participants[0].profile: expected one of"),
    (lambda d: d["interviews"][2].update(participant="zz"), "interviews[2].participant: no participant with ref 'zz'"),
    (lambda d: d["interviews"][0].update(held_on="03/11/2026"), "interviews[0].held_on: expected a date as YYYY-MM-DD"),
    (lambda d: d["interviews"][0].update(held_on="2026-02-30"), "interviews[0].held_on: expected a date"),
    (lambda d: d["interviews"][0].update(status="finished"), "interviews[0].status: expected one of planned"),
    (lambda d: d["interviews"][0].update(duration_minutes=-1), "interviews[0].duration_minutes: expected"),
    (lambda d: answers(d)["readiness"].update(budget="yes"), "interviews[0].answers.readiness.budget: expected true/false"),
    (lambda d: answers(d).update(titles=["ok", 3]), "interviews[0].answers.titles[1]: expected text"),
    (lambda d: answers(d).update(lead_quality_rating=7), "interviews[0].answers.lead_quality_rating: expected a whole number from 1 to 5"),
    (lambda d: answers(d).update(junk_share_percent=140), "interviews[0].answers.junk_share_percent: expected a number ≤ 100"),
    (lambda d: answers(d).update(volume_vs_quality="both"), "interviews[0].answers.volume_vs_quality: expected one of"),
    (lambda d: answers(d).update(company_size={"min_employees": 9, "max_employees": 2}), "interviews[0].answers.company_size.max_employees: must not be below"),
    (lambda d: answers(d).update(custom_crm="Pipedrive"), "interviews[0].answers.custom_crm: expected one of Salesforce"),
    (lambda d: answers(d).update(custom_unknown="x"), "interviews[0].answers.custom_unknown: no question with this key in the bundle's guide"),
    (lambda d: d["interviews"][0]["notes"][1].update(kind="rant"), "interviews[0].notes[1].kind: expected one of quote"),
    (lambda d: d["interviews"][0]["notes"][1].update(question="nope"), "interviews[0].notes[1].question: expected a question key"),
    (lambda d: d["interviews"][0]["notes"][1].update(text=""), "interviews[0].notes[1].text: must not be empty"),
    (lambda d: d["guide"].pop(0), "guide: built-in questions cannot be removed, only hidden: wiifm"),
    (lambda d: d["guide"][0].update(kind="tags"), "guide: wiifm: the kind of a built-in question cannot change"),
    (lambda d: d["guide"][3].update(options=[]), "guide: custom_crm: a choice question needs options"),
    (lambda d: d["guide"][3].update(key="Custom CRM"), "guide[3].key: expected lower-case letters"),
    (lambda d: d["guide"].append(dict(d["guide"][3])), "guide: two questions share the key 'custom_crm'"),
]


@pytest.mark.parametrize("change,message", BAD_BUNDLES, ids=[m.split(":")[0] for _, m in BAD_BUNDLES])
def test_bad_bundle_is_refused_with_its_place_and_changes_nothing(session, change, message):
    import_bundle(session=session, data=rich_bundle(), name="already there")
    before = table_counts(session)
    with pytest.raises(BundleError) as caught:
        import_bundle(session=session, data=broken(change))
    assert str(caught.value).startswith(message), str(caught.value)
    assert table_counts(session) == before


def test_answers_need_the_default_guide_when_there_is_none(demo):
    data = copy.deepcopy(demo)
    data["interviews"][3]["answers"]["readiness"]["budget"] = "maybe"
    with pytest.raises(BundleError, match=r"^interviews\[3\]\.answers\.readiness\.budget: expected true/false$"):
        validate_bundle(data)
    data = copy.deepcopy(demo)
    data["interviews"][0]["answers"]["custom_crm"] = "HubSpot"
    with pytest.raises(BundleError, match=r"custom_crm: no question with this key in the default guide"):
        validate_bundle(data)


def test_name_clash_is_refused_unless_renaming(session, demo):
    import_bundle(session=session, data=demo)
    before = table_counts(session)
    with pytest.raises(BundleError, match="already exists; use --name"):
        import_bundle(session=session, data=demo)
    assert table_counts(session) == before
    assert import_bundle(session=session, data=demo, rename_if_taken=True).name.endswith(" (2)")
    assert import_bundle(session=session, data=demo, rename_if_taken=True).name.endswith(" (3)")


def test_failure_while_writing_rolls_everything_back(session, monkeypatch):
    from alignwork.models import Interview
    from alignwork.workshops import bundle as bundle_module

    real = bundle_module._bulk_insert

    def explode(session, model, rows):  # the reps are written, then the interviews fail
        if model is Interview:
            raise RuntimeError("disk on fire")
        return real(session, model, rows)

    monkeypatch.setattr(bundle_module, "_bulk_insert", explode)
    with pytest.raises(RuntimeError):
        import_bundle(session=session, data=rich_bundle())
    assert table_counts(session) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"{\"format\": ", "is not valid JSON (line 1, column 12"),
    (b"[1, 2]", "does not hold a JSON object"),
    (b"\xff\xfe\x00garbage", "is not a text file in UTF-8"),
    (b"{\"a\": 1, \"a\": 2}", "the key 'a' appears twice"),
    (b"{\"a\": NaN}", "NaN is not a valid JSON number"),
])
def test_unreadable_files_get_plain_messages(tmp_path, content, message):
    path = tmp_path / "bundle.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BundleError, match=message.replace("(", r"\(")):
        load_bundle_file(path)


def test_bom_is_accepted(tmp_path, demo):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(demo).encode())
    assert load_bundle_file(path) == demo


def test_a_custom_question_with_answers_cannot_leave_the_guide(session):
    """Otherwise its answers would be exported under a key the bundle's guide lacks."""
    result = import_bundle(session=session, data=rich_bundle())
    guide = store.workshop_guide(session=session, workshop_id=result.workshop_id)
    without = [q for q in guide if q.key != "custom_crm"]
    with pytest.raises(store.StoreError, match="custom_crm already has answers or notes; hide the question"):
        store.save_guide(session=session, workshop_id=result.workshop_id, questions=without)
    fresh = guide + [Question(key="custom_unused", section="Close", prompt="Never asked?", hint="", kind="text")]
    store.save_guide(session=session, workshop_id=result.workshop_id, questions=fresh)
    store.save_guide(session=session, workshop_id=result.workshop_id, questions=guide)  # no answers: may go
    store.save_guide(session=session, workshop_id=result.workshop_id,
                     questions=[q.with_changes(hidden=True) if q.key == "custom_crm" else q for q in guide])
    exported = export_bundle(session=session, workshop_id=result.workshop_id)
    assert next(e for e in exported["guide"] if e["key"] == "custom_crm")["hidden"] is True
    assert import_bundle(session=session, data=exported, name="still importable").answers == result.answers
