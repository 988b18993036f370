"""Run by test_interview_crash.py in its own process: the real interview page on a real
SQLite file, driven by key presses, left running until the test kills it with SIGKILL.

    python tests/ui/interview_child.py DB_URL PARTICIPANT_ID [half-tag | offline GO_FILE]
(half-tag: stop on the job titles with a tag typed but not entered; offline: print "ready" once
the first answer is saved, wait for GO_FILE — the test has made the database unreachable
meanwhile — then type the rest)
Prints "saved" once everything typed is reported on disk by the autosave writer (offline:
"kept" once it is all in the database or in the journal on this computer)."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from alignwork.db import open_database  # noqa: E402
from alignwork_gui.context import AppContext  # noqa: E402
from alignwork_gui.pages.interviews.page import InterviewPage  # noqa: E402


def run_and_kill(argv: list[str], until: str, on_line=None) -> list[list[str]]:
    """For the tests: run this child with ``argv``, read its reports until one starts with ``until``
    (``on_line(words)`` sees each), then kill it with SIGKILL. Returns the reports."""
    import signal
    import subprocess

    child = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        lines = []
        for line in child.stdout:  # blocks until the child reports; it never exits by itself
            lines.append(line.split())
            if on_line is not None:
                on_line(lines[-1])
            if lines[-1][0] == until:
                break
        assert lines and lines[-1][0] == until, child.stderr.read()
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return lines


def main() -> None:
    url, participant_id = sys.argv[1], int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    database = open_database(url)
    context = AppContext(database)
    page = InterviewPage(context)
    with database.session() as session:
        from alignwork.models import Participant

        page.set_workshop(session.get(Participant, participant_id).workshop_id)
    page.resize(1024, 640)
    page.show()
    page.activateWindow()

    def keys(text="", key=None, modifiers=Qt.KeyboardModifier.NoModifier):
        target = QApplication.activePopupWidget() or QApplication.focusWidget()
        if text:
            QTest.keyClicks(target, text)
        if key is not None:
            QTest.keyClick(target, key, modifiers)
        app.processEvents()

    def drive() -> None:
        if not page.isActiveWindow():  # keys need an active window with a focus widget
            page.activateWindow()
            QTimer.singleShot(20, drive)
            return
        page.start_for_participant(participant_id)
        keys(key=Qt.Key.Key_Return)  # begin
        keys("Leads that are already looking")
        if sys.argv[3:4] == ["offline"]:
            wait_for_go.start()
            return
        type_the_rest()

    def go_when_told() -> None:
        if not page.writer.pending and not announced:
            announced.append(True)
            print("ready", flush=True)
        if announced and Path(sys.argv[4]).exists():
            wait_for_go.stop()
            type_the_rest()

    def type_the_rest() -> None:
        keys(key=Qt.Key.Key_Down, modifiers=Qt.KeyboardModifier.ControlModifier)
        keys(key=Qt.Key.Key_Down, modifiers=Qt.KeyboardModifier.ControlModifier)
        keys("CFO", Qt.Key.Key_Return)
        if sys.argv[3:] == ["half-tag"]:
            keys("Head of RevOps")  # no Enter: the kill comes while it is still in the line
            print("typed", page.runner.current_key, flush=True)
            poll.start()
            return
        keys("Controller", Qt.Key.Key_Return)
        keys(key=Qt.Key.Key_Down, modifiers=Qt.KeyboardModifier.ControlModifier)
        keys(key=Qt.Key.Key_Down, modifiers=Qt.KeyboardModifier.ControlModifier)
        keys("200-2000")
        keys(key=Qt.Key.Key_Q, modifiers=Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        keys("Anything under 200 is a waste of a call", Qt.Key.Key_Return)
        print("typed", page.runner.current_key, flush=True)
        poll.start()

    def report_when_saved() -> None:
        if sys.argv[3:4] == ["offline"]:
            if page.writer.kept and page.writer.pending:
                print("kept", page.runner.current_key, flush=True)
                poll.stop()
        elif not page.writer.pending:
            print("saved", page.runner.current_key, flush=True)
            poll.stop()

    announced: list[bool] = []
    wait_for_go = QTimer()
    wait_for_go.setInterval(50)
    wait_for_go.timeout.connect(go_when_told)
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(report_when_saved)
    QTimer.singleShot(0, drive)
    app.exec()


if __name__ == "__main__":
    main()
