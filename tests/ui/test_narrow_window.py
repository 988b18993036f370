"""At 1024×640, inside the real main window, the synthesis groups and the premortem checklist
show their key columns whole: no group column scrolled off, Status never cut."""

from __future__ import annotations

from shell_helpers import open_window

from alignwork.workshops.bundle import import_demo
from alignwork.premortem.checklist import FIELDS


def test_groups_and_checklist_fit_a_small_screen(qtbot, database, session):
    workshop_id = import_demo(session=session).workshop_id
    window = open_window(qtbot, database)
    window.resize(1024, 640)
    window.open_workshop(workshop_id, select=True)

    synthesis = window.show_step("synthesis")
    qtbot.waitUntil(lambda: synthesis.data is not None and not synthesis.status.busy, timeout=15000)
    from alignwork_gui.widgets.synthesis.group_tree import GroupTree

    tree = next(t for t in synthesis.findChildren(GroupTree) if t.isVisible())
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0)
    header = tree.header()
    assert header.length() <= tree.viewport().width()  # nothing to scroll sideways to
    assert not tree.horizontalScrollBar().isVisible()
    by_team = tree.topLevelItem(0)
    assert "Enterprise 3" in by_team.toolTip(4)  # the elided counts are whole in the tooltip

    premortem = window.show_step("premortem")
    premortem.tabs.setCurrentWidget(premortem.checklist)
    table = premortem.checklist.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    status = FIELDS.index("status")
    header = table.horizontalHeader()
    right_edge = header.sectionViewportPosition(status) + header.sectionSize(status)
    assert 0 <= header.sectionViewportPosition(status) and right_edge <= table.viewport().width()
    assert table.columnWidth(FIELDS.index("title")) >= 180
    assert table.isColumnHidden(FIELDS.index("evidence"))  # shown whole in the details pane
