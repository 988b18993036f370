"""Answer settings of custom questions: options, bounds, unit — never invalidating a given answer."""

from __future__ import annotations

import pytest

from alignwork import store
from alignwork.interviews import guide_edit
from alignwork.interviews import guide_settings
from alignwork.interviews.guide_settings import given_answers


@pytest.fixture
def setup(session):
    ws = store.create_workshop(session=session, name="Settings")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    ben = store.add_participant(session=session, workshop_id=ws.id, name="Ben Okafor")
    questions = store.workshop_guide(session=session, workshop_id=ws.id)
    questions, channel = guide_edit.add_question(questions, section="Close", prompt="Channel?", kind="choice",
                                                 options=["email", "phone", "LinkedIn"])
    questions, seats = guide_edit.add_question(questions, section="Close", prompt="Seats?", kind="number")
    questions, fit = guide_edit.add_question(questions, section="Close", prompt="Fit?", kind="scale")
    questions, budget = guide_edit.add_question(questions, section="Close", prompt="Budget?", kind="range",
                                                unit="employees")
    store.save_guide(session=session, workshop_id=ws.id, questions=questions)
    interviews = [store.create_interview(session=session, participant_id=p.id) for p in (ana, ben)]
    for record, values in zip(interviews, ({channel: "phone", seats: 40, fit: 4, budget: "10-50"},
                                           {channel: "phone", seats: 7})):
        for key, value in values.items():
            store.save_answer(session=session, interview_id=record.id, key=key, value=value)
    return ws, interviews, channel, seats, fit, budget


def edit(session, ws, key, operation):
    answers = given_answers(session=session, workshop_id=ws.id, key=key)
    return guide_edit.edit_guide(session=session, workshop_id=ws.id,
                                 operation=lambda qs: operation(qs, key, answers=answers))


def question(session, ws, key):
    return {q.key: q for q in store.workshop_guide(session=session, workshop_id=ws.id)}[key]


def test_choice_options_add_remove_rename(session, setup):
    ws, interviews, channel, *_ = setup
    edit(session, ws, channel, lambda qs, key, answers: guide_settings.set_options(
        qs, key, ["email", "phone", "LinkedIn", " events ", "EMAIL"], answers=answers))
    assert question(session, ws, channel).options == ("email", "phone", "LinkedIn", "events")
    edit(session, ws, channel, lambda qs, key, answers: guide_settings.set_options(
        qs, key, ["phone", "events"], answers=answers))
    assert question(session, ws, channel).options == ("phone", "events")
    with pytest.raises(store.StoreError, match="“phone” is the answer in the interviews of Ana Lopez and Ben Okafor"):
        edit(session, ws, channel, lambda qs, key, answers: guide_settings.set_options(
            qs, key, ["events", "webinar"], answers=answers))
    with pytest.raises(store.StoreError, match="at least two"):
        edit(session, ws, channel, lambda qs, key, answers: guide_settings.set_options(
            qs, key, ["phone"], answers=answers))
    guide_settings.rename_option(session=session, workshop_id=ws.id, key=channel, old="phone", new="Phone call")
    assert question(session, ws, channel).options == ("Phone call", "events")
    assert [store.answers_for(session=session, interview_id=i.id)[channel] for i in interviews] == ["Phone call"] * 2
    with pytest.raises(store.StoreError, match="already an option"):
        guide_settings.rename_option(session=session, workshop_id=ws.id, key=channel, old="events", new="phone CALL")
    with pytest.raises(store.StoreError, match="fixed"):
        edit(session, ws, "volume_vs_quality", lambda qs, key, answers: guide_settings.set_options(
            qs, key, ["a", "b"], answers=answers))


def test_bounds_and_unit_refuse_to_invalidate_answers(session, setup):
    ws, interviews, _channel, seats, fit, budget = setup
    edit(session, ws, seats, lambda qs, key, answers: guide_settings.set_bounds(qs, key, 1, 500, answers=answers))
    assert (question(session, ws, seats).minimum, question(session, ws, seats).maximum) == (1, 500)
    with pytest.raises(store.StoreError, match="Ana Lopez's interview answered 40, outside 0–10"):
        edit(session, ws, seats, lambda qs, key, answers: guide_settings.set_bounds(qs, key, 0, 10, answers=answers))
    edit(session, ws, seats, lambda qs, key, answers: guide_settings.set_bounds(qs, key, None, None,
                                                                                   answers=answers))
    assert question(session, ws, seats).maximum is None
    edit(session, ws, fit, lambda qs, key, answers: guide_settings.set_bounds(qs, key, 0, 9, answers=answers))
    with pytest.raises(store.StoreError, match="answered 4, outside 1–3"):
        edit(session, ws, fit, lambda qs, key, answers: guide_settings.set_bounds(qs, key, 1, 3, answers=answers))
    with pytest.raises(store.StoreError, match="at most 9"):
        edit(session, ws, fit, lambda qs, key, answers: guide_settings.set_bounds(qs, key, 1, 10, answers=answers))
    with pytest.raises(store.StoreError, match="fixed"):
        edit(session, ws, "junk_share_percent", lambda qs, key, answers: guide_settings.set_bounds(
            qs, key, 0, 50, answers=answers))

    edit(session, ws, budget, lambda qs, key, answers: guide_settings.set_unit(qs, key, "usd", answers=answers))
    assert question(session, ws, budget).unit == "usd"
    store.save_answer(session=session, interview_id=interviews[1].id, key=budget,
                      value={"min_usd": 10, "max_usd": 20}, question=question(session, ws, budget))
    with pytest.raises(store.StoreError, match="Ben Okafor's interview holds this range in US dollars"):
        edit(session, ws, budget, lambda qs, key, answers: guide_settings.set_unit(qs, key, "", answers=answers))
    assert store.answers_for(session=session, interview_id=interviews[0].id)[seats] == 40
