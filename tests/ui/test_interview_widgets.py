"""The small inputs on their own: the clock's colours and pause, range feedback, BANT, scale keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from alignwork.interviews.guide import default_question


def test_timer_turns_amber_then_red_and_pauses(qtbot):
    from alignwork_gui.widgets.interview_timer import AMBER, RED, InterviewTimer

    timer = InterviewTimer()
    qtbot.addWidget(timer)
    timer.start(15 * 60, target_minutes=20, running=False)
    assert (timer.state, timer.label.text()) == ("ok", "15:00 / 20:00  (paused)")
    timer.start(16 * 60, target_minutes=20, running=False)
    assert timer.state == "warning" and AMBER in timer.label.styleSheet()
    timer.start(20 * 60 + 1, target_minutes=20, running=False)
    assert timer.state == "over" and RED in timer.label.styleSheet()
    ticks = []
    timer.ticked.connect(ticks.append)
    timer.resume()
    assert timer.running and timer.pause_button.text() == "Pause"
    timer.pause()
    assert not timer.running and ticks[-1] == timer.elapsed() >= 20 * 60 + 1


def test_range_bant_and_scale_inputs(qtbot):
    from alignwork_gui.widgets.bant_input import BantInput
    from alignwork_gui.widgets.range_input import RangeInput
    from alignwork_gui.widgets.simple_inputs import ScaleInput

    size = RangeInput("Company size", "employees")
    qtbot.addWidget(size)
    values = []
    size.changed.connect(values.append)
    qtbot.keyClicks(size.edit, "mid-market")
    assert size.feedback.text() == "Understood as 100–999 employees" and values[-1] == "mid-market"
    size.set_value({"min_employees": 200, "max_employees": 2000})
    assert size.edit.text() == "200–2,000 employees" and size.feedback.text() == "Understood as 200–2,000 employees"

    bant = BantInput("Readiness")
    qtbot.addWidget(bant)
    assert bant.value() is None
    bant.set_value({"need": True, "budget": False, "authority": False, "timeline_months": None})
    assert bant.boxes["need"].isChecked() and bant.months.text() == "no timeline"
    bant.months.setValue(3)
    assert bant.value() == {"need": True, "budget": False, "authority": False, "timeline_months": 3}

    scale = ScaleInput(default_question("lead_quality_rating"))
    qtbot.addWidget(scale)
    picked = []
    scale.changed.connect(picked.append)
    for key in (Qt.Key.Key_4, Qt.Key.Key_9, Qt.Key.Key_Left, Qt.Key.Key_Delete):
        qtbot.keyClick(scale, key)
    assert picked == [4, 3, None]  # 9 is not on the scale


def test_number_and_range_store_nothing_wrong(qtbot):
    from alignwork_gui.widgets.range_input import RangeInput
    from alignwork_gui.widgets.simple_inputs import NumberInput

    number = NumberInput(default_question("junk_share_percent"))
    qtbot.addWidget(number)
    number.set_value(40)
    emitted = []
    number.changed.connect(emitted.append)
    number.edit.selectAll()
    qtbot.keyClicks(number.edit, "140")  # "1" and "14" fit on the way; "140" does not
    assert emitted == [1, 14, 40] and number.value() == 40  # back to what it was before this edit
    assert number.problem.text() == "Not saved: expected a number ≤ 100, got 140; the answer stays 40."
    number.edit.selectAll()
    qtbot.keyClicks(number.edit, "2,5 %")
    assert number.value() == 2.5 and number.problem.text() == ""
    qtbot.keyClick(number.edit, Qt.Key.Key_Return)  # the edit ends: 2.5 is now what a later slip returns to
    qtbot.keyClicks(number.edit, "x")
    assert number.value() == 2.5 and number.problem.text().startswith("Not saved: that is not a number")

    size = RangeInput("Company size", "employees")
    qtbot.addWidget(size)
    size.set_value("5k+")
    changes = []
    size.changed.connect(changes.append)
    size.edit.selectAll()
    qtbot.keyClicks(size.edit, "lots")
    assert changes == [] and size.value() == "5k+"
    assert size.feedback.text() == ("Can't read “lots” as a number of employees — not saved; the answer stays "
                                    "“5k+”. Try “200-2000”, “5k+”, “mid-market”.")
    plain = RangeInput("Seats", "")
    qtbot.addWidget(plain)
    qtbot.keyClicks(plain.edit, "10-50")
    assert plain.feedback.text() == "Understood as 10–50" and plain.value() == "10-50"


def test_a_custom_scale_from_zero_takes_every_digit(qtbot):
    from alignwork.interviews.guide import Question
    from alignwork_gui.widgets.simple_inputs import ScaleInput

    scale = ScaleInput(Question("custom_fit", "Close", "Fit?", "", "scale", minimum=0, maximum=9))
    qtbot.addWidget(scale)
    picked = []
    scale.changed.connect(picked.append)
    for key in (Qt.Key.Key_0, Qt.Key.Key_9, Qt.Key.Key_Delete):
        qtbot.keyClick(scale, key)
    assert picked == [0, 9, None] and len(scale.group.buttons()) == 10
    assert scale.toolTip() == "Press 0–9 to rate; Delete clears"


@pytest.mark.parametrize("typed", ["-5", "0"])
def test_range_input_refuses_a_negative_or_empty_company(qtbot, typed):
    from alignwork_gui.widgets.range_input import RangeInput

    size = RangeInput("Company size", "employees")
    qtbot.addWidget(size)
    size.set_value("200-2000")
    size.edit.selectAll()
    qtbot.keyClicks(size.edit, typed)
    assert size.value() == "200-2000"
    assert size.feedback.text().startswith(f"Can't read “{typed}” as a number of employees — not saved")
