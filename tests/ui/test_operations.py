"""The background-operation helper: results, failures, progress and cancel, off the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from desktop.progress import Progress
from desktop.services.changes import ChangeSet, EditRefused, RecordChange
from ui.operations import AppSignals, Op, Ops, Pool, user_message


@pytest.fixture
def ops(qtbot: QtBot) -> Ops:
    made = Ops(AppSignals())
    yield made
    made.wait_all()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, ops: Ops) -> None:
    gui = threading.current_thread()
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        seen["value"], seen["callback"] = value, threading.current_thread()

    Op(ops, work).success(done).run()
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42 and seen["callback"] is gui and seen["worker"] is not gui


def test_a_changeset_is_announced_on_the_changed_signal(qtbot: QtBot, ops: Ops) -> None:
    changes = ChangeSet("Tag", (RecordChange("asset", "x", "updated", {}, {"tags": ["a"]}),))
    with qtbot.waitSignal(ops.signals.changed) as blocker:
        Op(ops, lambda p: changes).run()
    assert blocker.args == [frozenset({"asset"})]


def test_failures_reach_the_failure_callback_in_plain_words(qtbot: QtBot, ops: Ops) -> None:
    errors: list[BaseException] = []

    def refuse(progress: Progress) -> None:
        raise EditRefused("Move entry was not saved: embargoed in DE")

    Op(ops, refuse).failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors))
    assert user_message(errors[0]) == "Move entry was not saved: embargoed in DE"
    assert "nothing was half-saved" in user_message(ZeroDivisionError("x"))


def test_progress_reports_and_cancel(qtbot: QtBot, ops: Ops) -> None:
    reports = []
    cancelled: list[BaseException] = []

    def long_job(progress: Progress) -> None:
        for i in range(1000):
            progress.report("Working", i, 1000, force=True)
            progress.check()
            time.sleep(0.002)

    stopped: list[bool] = []
    op = (
        Op(ops, long_job, pool=Pool.NET)
        .on_progress(reports.append)
        .failure(cancelled.append)
        .on_cancel(lambda: stopped.append(True))
    )
    op.run()
    qtbot.waitUntil(lambda: len(reports) > 3)
    with qtbot.waitSignal(ops.signals.status) as blocker:
        op.progress.cancel()
    assert blocker.args == ["Cancelled."]
    assert reports[0].phase == "Working" and not cancelled and stopped == [True]


def test_database_writes_run_one_at_a_time(qtbot: QtBot, ops: Ops) -> None:
    active: list[int] = []
    overlap: list[bool] = []
    finished: list[int] = []

    def write(progress: Progress) -> None:
        active.append(1)
        overlap.append(len(active) > 1)
        time.sleep(0.01)
        active.pop()

    for _ in range(5):
        Op(ops, write).success(lambda _r: finished.append(1)).run()
    qtbot.waitUntil(lambda: len(finished) == 5)
    assert not any(overlap)


def test_callbacks_for_a_deleted_owner_are_skipped(qtbot: QtBot, ops: Ops) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    release = threading.Event()
    called: list[str] = []

    def slow(progress: Progress) -> str:
        release.wait(5)
        return "result"

    finished = threading.Event()
    op = Op(ops, slow, owner=owner).success(called.append)
    op._relay.finished.connect(lambda _r: finished.set())
    op.run()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    release.set()
    qtbot.waitUntil(finished.is_set)
    assert called == []
