"""The Requests screen and the request form over the demo workspace: the list by status, live SLA
timers on an injected clock (red when breached, "queued" for offline submits), withdraw, and the
form's live checks, offline draft, refused submit (the server's words) and accepted submit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.domain.records import CHECKLIST_ITEMS
from desktop.queries import requests as queries
from desktop.rules.requests import check_submit
from desktop.services import requests as request_service
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import AmplificationRequest, CalendarEntry, OutboxOp
from ui.calendar.widgets import highlighted_ranges
from ui.requests.form import SUBMITTED_TEXT, RequestForm
from ui.requests.models import SLA_COLUMN, RequestsModel
from ui.requests.sla import QUEUED, countdown
from ui.requests.view import RequestsView

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def view(qtbot: QtBot, app_context: Any, clock: Clock) -> RequestsView:
    requests_view = RequestsView(app_context, clock=clock)
    qtbot.addWidget(requests_view)
    requests_view.timer.stop()  # the test ticks the clock itself
    requests_view.resize(1400, 900)
    requests_view.show()
    qtbot.waitExposed(requests_view)
    return requests_view


def request(store: Store, request_id: str) -> dict[str, Any]:
    with store.read() as session:
        found = records.get(session, "amplification_request", request_id)
    assert found is not None
    data: dict[str, Any] = found["data"]
    return data


def first_request(store: Store, status: str) -> str:
    with store.read() as session:
        found = session.scalar(
            select(AmplificationRequest.id)
            .where(AmplificationRequest.status == status)
            .order_by(AmplificationRequest.sla_due_at, AmplificationRequest.id)
        )
    assert found is not None, f"the demo workspace has a {status} request"
    return found


def boostable(store: Store) -> tuple[str, str]:
    """A DE organic post and creative that a complete request may boost (no rule refuses)."""
    with store.read() as session:
        entries = session.execute(
            select(CalendarEntry.id).where(
                CalendarEntry.market == "de",
                CalendarEntry.kind == "organic_post",
                CalendarEntry.status.in_(("planned", "approved", "published")),
                CalendarEntry.starts_at >= "2026-11-20",
            )
        ).all()
        for (entry_id,) in entries:
            for option in queries.creative_options(session, entry_id=entry_id, market="de"):
                context = queries.request_context(
                    session, entry_id=entry_id, asset_id=option.id, market="de"
                )
                data = {
                    "entry_id": entry_id,
                    "asset_id": option.id,
                    "market": "de",
                    "cta": "Jetzt entdecken",
                    "budget": {"amount": "1200.00", "currency": "EUR"},
                    "starts_at": "2026-11-22T13:00:00Z",
                    "ends_at": "2026-11-29T13:00:00Z",
                    "legal_note": context.market["legal_note"] if context.market else None,
                    "checklist": dict.fromkeys(CHECKLIST_ITEMS, True),
                }
                if not check_submit(
                    data, entry=context.entry, asset=context.asset, market=context.market
                ):
                    return entry_id, option.id
    raise AssertionError("the demo workspace has no DE post a request may boost")


# --- the list ---------------------------------------------------------------------------------


def test_the_list_groups_requests_by_status(
    qtbot: QtBot, view: RequestsView, demo_store: Store
) -> None:
    with demo_store.read() as session:
        counts = queries.group_counts(session, markets=["de", "fr"])
        ids = queries.request_ids(session, markets=["de", "fr"])
    assert view.model.rowCount() == len(ids) == sum(counts.values())
    assert view.group_buttons[None].text() == f"All ({len(ids)})"
    assert view.group_buttons["waiting"].text() == f"Waiting for a decision ({counts['waiting']})"
    statuses = [view.model.request(i).status for i in range(view.model.rowCount())]  # type: ignore[union-attr]
    groups = [queries.group_of(s) for s in statuses]
    order = list(queries.GROUPS)
    assert groups == sorted(groups, key=order.index)
    view.set_group("decided")
    assert view.model.rowCount() == counts["decided"]
    decided = view.model.request(0)
    assert decided is not None and decided.status in ("approved", "declined")
    text = view.model.index(0, 5).data()
    assert text.startswith("Approved" if decided.status == "approved" else "Declined")
    if decided.decision_note:
        assert decided.decision_note in text
        assert decided.decision_note in view.detail_body.text()
    view.set_group(None)
    qtbot.keyClicks(view.search_box, "zzz-nothing")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert view.empty_state.isVisible() and "show all requests" in view.empty_state.plain_text()
    view.empty_state.action.emit("all")
    assert view.model.rowCount() == len(ids) and view.search_box.text() == ""


def test_the_sla_counts_down_on_the_clock_and_turns_red(
    qtbot: QtBot, view: RequestsView, demo_store: Store, clock: Clock
) -> None:
    with demo_store.read() as session:
        waiting = session.execute(
            select(AmplificationRequest.id, AmplificationRequest.sla_due_at)
            .where(
                AmplificationRequest.status == "submitted",
                AmplificationRequest.sla_due_at > "2026-11-22T12:00:00Z",
            )
            .order_by(AmplificationRequest.sla_due_at)
        ).first()
    assert waiting is not None
    request_id, due = waiting
    view.show_record("amplification_request", request_id)
    row = view.model.row_of(request_id)
    index = view.model.index(row, SLA_COLUMN)
    left = datetime.fromisoformat(due) - NOW
    assert index.data() == f"{countdown(left)} left"
    assert view.sla_label.text() == f"SLA: {countdown(left)} left — the paid team decides"
    assert index.data(Qt.ItemDataRole.ForegroundRole) is None
    first = index.data()
    clock.now = NOW + timedelta(minutes=1, seconds=30)
    with qtbot.waitSignal(view.model.dataChanged):
        view.tick()
    assert index.data() != first
    assert index.data() == f"{countdown(left - timedelta(minutes=1, seconds=30))} left"
    clock.now = datetime.fromisoformat(due) - timedelta(minutes=10)
    view.tick()
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None  # amber: under 30 minutes
    assert view.sla_label.property("tone") == "soon"
    clock.now = datetime.fromisoformat(due) + timedelta(minutes=5)
    view.tick()
    assert index.data() == "breached 5 min 00 s ago"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert view.sla_label.property("tone") == "breached"
    assert "#b3261e" in view.sla_label.styleSheet()


def test_the_sla_uses_the_servers_clock(qtbot: QtBot, app_context: Any, clock: Clock) -> None:
    from desktop.store.models import SyncState

    with app_context.store.write() as session:
        state = session.get(SyncState, 1)
        state.clock_offset_seconds = 3600.0  # the server is an hour ahead of this laptop
    offset_view = RequestsView(app_context, clock=clock)
    qtbot.addWidget(offset_view)
    offset_view.timer.stop()
    row = offset_view.model.request(0)
    assert row is not None and row.sla_due_at
    model: RequestsModel = offset_view.model
    expected = datetime.fromisoformat(row.sla_due_at) - (NOW + timedelta(hours=1))
    text = model.index(0, SLA_COLUMN).data()
    if expected > timedelta(0):
        assert text.startswith(countdown(expected))
    else:
        assert text.startswith(f"breached {countdown(expected)} ago")


def test_an_offline_submit_is_queued_until_it_reaches_the_server(
    qtbot: QtBot, view: RequestsView, app_context: Any, demo_store: Store
) -> None:
    entry_id, asset_id = boostable(demo_store)
    request_id = str(uuid.uuid4())
    data = {
        "entry_id": entry_id,
        "asset_id": asset_id,
        "market": "de",
        "cta": "Jetzt entdecken",
        "budget": {"amount": "1200.00", "currency": "EUR"},
        "starts_at": "2026-11-22T13:00:00Z",
        "ends_at": "2026-11-29T13:00:00Z",
        "legal_note": "Anzeige",
        "checklist": dict.fromkeys(CHECKLIST_ITEMS, True),
    }
    request_service.draft_request(app_context.workspace, data=data, request_id=request_id)
    request_service.submit_request(app_context.workspace, request_id=request_id)
    app_context.signals.changed.emit(frozenset({"amplification_request"}))
    view.show_record("amplification_request", request_id)
    assert view.sla_text(request_id) == QUEUED
    assert view.selected_id() == request_id
    assert "next sync" in view.detail_body.text()
    assert view.model.index(view.model.row_of(request_id), 0).data() == "Submitted (queued)"


# The offscreen platform cannot size a message box's window; that warning is the platform's.
def test_withdraw_asks_first_then_withdraws(
    qtbot: QtBot, view: RequestsView, demo_store: Store
) -> None:
    request_id = first_request(demo_store, "submitted")
    view.show_record("amplification_request", request_id)
    assert view.withdraw_button.isEnabled()
    view.withdraw_selected()
    box = view.confirm_box
    assert box is not None and box.isVisible()
    keep = next(b for b in box.buttons() if b.text() == "Keep it")
    keep.click()
    assert request(demo_store, request_id)["status"] == "submitted"
    view.withdraw_selected()
    box = view.confirm_box
    assert box is not None
    with qtbot.waitSignal(view.refreshed, timeout=10_000):
        next(b for b in box.buttons() if b.text() == "Withdraw").click()
    assert request(demo_store, request_id)["status"] == "withdrawn"
    assert view.message_bar.text().startswith("Withdrawn.")
    assert view.model.index(view.model.row_of(request_id), SLA_COLUMN).data() == "withdrawn"
    assert not view.withdraw_button.isEnabled()


def test_submit_from_the_list_says_why_it_is_refused(
    qtbot: QtBot, view: RequestsView, demo_store: Store
) -> None:
    with demo_store.read() as session:
        drafts = queries.request_ids(session, markets=["de", "fr"], group="drafts")
        rows = queries.request_rows(session, drafts)
    refused = next(
        i for i in drafts if not all(rows[i].checklist.get(item) for item in CHECKLIST_ITEMS)
    )
    view.show_record("amplification_request", refused)
    view.submit_selected()
    qtbot.waitUntil(lambda: view.message_bar.tone == "error")
    assert view.message_bar.text().startswith("Submit request was not saved: ")
    assert request(demo_store, refused)["status"] == "draft"


def test_the_requests_model_passes_the_model_tester(qtmodeltester: Any, view: RequestsView) -> None:
    qtmodeltester.check(view.model)
    view.set_group("waiting")
    qtmodeltester.check(view.model)


# --- the form ---------------------------------------------------------------------------------


@pytest.fixture
def form(qtbot: QtBot, app_context: Any, demo_store: Store) -> RequestForm:
    entry_id, asset_id = boostable(demo_store)
    request_form = RequestForm(app_context, entry_id=entry_id, clock=lambda: NOW)
    qtbot.addWidget(request_form)
    request_form.asset_box.setCurrentIndex(request_form.asset_box.findData(asset_id))
    request_form.show()
    qtbot.waitExposed(request_form)
    return request_form


def messages(form: RequestForm) -> list[str]:
    return [f.message for f in form.findings]


def test_the_form_checks_while_typing(qtbot: QtBot, form: RequestForm) -> None:
    assert form.market() == "de"
    assert form.legal_edit.text() == "Anzeige"  # pre-filled with the market's legal note
    assert form.currency_label.text() == "EUR"
    assert (
        form.standard_radio.text() == "Standard — 3-hour SLA"
        and form.emergency_radio.text() == "Emergency — 1-hour SLA"
        and "within 3 hours, or 1 hour" in form.priority_hint.text()
    )
    assert "Enter a budget." in messages(form)
    with qtbot.waitSignal(form.checked):
        qtbot.keyClicks(form.amount_edit, "1200")
    assert "Enter a budget." not in messages(form)
    qtbot.keyClicks(form.cta_edit, "Jetzt gratis testen")
    assert any('"gratis"' in m for m in messages(form))
    start = form.cta_edit.toPlainText().index("gratis")
    assert (start, len("gratis")) in highlighted_ranges(form.cta_edit.document())
    assert "border: 1px solid #b3261e" in form.cta_edit.styleSheet()
    assert "gratis" in form.findings_label.text()
    form.legal_edit.clear()
    assert any(m.startswith('Add the legal note required in DE: "Anzeige"') for m in messages(form))
    form.amount_edit.setText("9000")
    assert form.escalation_label.isVisible()
    assert (
        "4500.00 EUR" in form.escalation_label.text()
        and "conductor" in form.escalation_label.text()
    )
    form.amount_edit.setText("900")
    assert not form.escalation_label.isVisible()
    form.ends_edit.setDateTime(form.starts_edit.dateTime().addSecs(-3600))
    assert "The spend window must end after it starts." in messages(form)


def test_save_draft_works_offline(qtbot: QtBot, form: RequestForm, demo_store: Store) -> None:
    qtbot.keyClicks(form.amount_edit, "800")
    qtbot.keyClicks(form.cta_edit, "Mehr erfahren")
    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    request_id = saved.args[0]
    data = request(demo_store, request_id)
    assert data["status"] == "draft" and data["cta"] == "Mehr erfahren"
    assert data["budget"] == {"amount": "800", "currency": "EUR"}
    with demo_store.read() as session:
        ops = session.scalars(select(OutboxOp).where(OutboxOp.record_id == request_id)).all()
    assert ops and all(op.state == "pending" for op in ops)  # waiting for a sync
    assert "Draft saved" in form.message_bar.text()
    # Saving again edits the same draft.
    form.amount_edit.setText("850.50")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        form.save_draft()
    assert request(demo_store, request_id)["budget"]["amount"] == "850.50"
    assert form.request_id == request_id


def test_submit_is_refused_in_the_servers_words_then_fixed_and_sent(
    qtbot: QtBot, form: RequestForm, demo_store: Store
) -> None:
    qtbot.keyClicks(form.amount_edit, "1200")
    qtbot.keyClicks(form.cta_edit, "Jetzt entdecken")
    for item in ("landing_page", "audience_overlap", "budget_cap"):
        form.checklist[item].setChecked(True)
    server_words = "Complete the pre-flight checklist; not done yet: tracking, dashboard."
    assert messages(form) == [server_words]
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.message_bar.tone == "error")
    assert form.message_bar.text().startswith(f"Submit request was not saved: {server_words}")
    assert "saved as a draft" in form.message_bar.text()
    request_id = form.request_id
    assert request_id is not None and request(demo_store, request_id)["status"] == "draft"
    form.checklist["tracking"].setChecked(True)
    form.checklist["dashboard"].setChecked(True)
    assert messages(form) == []
    with qtbot.waitSignal(form.saved, timeout=10_000) as saved:
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert saved.args == [request_id, SUBMITTED_TEXT]
    assert form.message_bar.text() == SUBMITTED_TEXT
    data = request(demo_store, request_id)
    assert data["status"] == "submitted" and data["sla_due_at"] is None
    assert not form.submit_button.isVisible() and not form.amount_edit.isEnabled()


def test_the_form_offers_the_posts_creatives(
    qtbot: QtBot, form: RequestForm, demo_store: Store
) -> None:
    choice = form.entry_choice()
    assert choice is not None
    with demo_store.read() as session:
        own = records.get(session, "calendar_entry", choice.id)["data"]["asset_ids"]  # type: ignore[index]
    offered = [form.asset_box.itemData(i) for i in range(1, form.asset_box.count())]
    assert offered[: len(own)] == own
    caption = form.caption_view.toPlainText()
    assert caption  # the post's caption is shown, terms highlighted if any
    with qtbot.waitSignal(form.checked, timeout=5_000):
        qtbot.keyClicks(form.entry_search, "poll")
    assert form.entry_choice() is not None
    assert "poll" in (form.entry_choice().title or "").lower()  # type: ignore[union-attr]


def test_a_submitted_request_opens_read_only(
    qtbot: QtBot, app_context: Any, demo_store: Store
) -> None:
    request_id = first_request(demo_store, "submitted")
    read_only = RequestForm(app_context, request_id=request_id, clock=lambda: NOW)
    qtbot.addWidget(read_only)
    assert not read_only.editable
    assert not read_only.save_button.isVisibleTo(read_only)
    assert not read_only.amount_edit.isEnabled() and read_only.cta_edit.isReadOnly()
    assert read_only.heading.text() == "Amplification request · Submitted"


def test_new_request_from_the_list(qtbot: QtBot, view: RequestsView) -> None:
    form = view.new_request()
    assert form in view.open_dialogs and form.request_id is None
    assert form.heading.text() == "New amplification request"
    assert isinstance(view.confirm_box, QMessageBox | type(None))
    form.reject()


def test_status_sla_and_decision_come_back_by_sync(
    qtbot: QtBot, view: RequestsView, app_context: Any, demo_store: Store, clock: Clock
) -> None:
    request_id = first_request(demo_store, "submitted")
    view.show_record("amplification_request", request_id)
    with demo_store.read() as session:
        pulled = records.get(session, "amplification_request", request_id)
    assert pulled is not None
    # What a pull brings: the paid team approved it, with a note.
    pulled["data"] = {
        **pulled["data"],
        "status": "approved",
        "decided_at": "2026-11-22T11:40:00Z",
        "decision_note": "Go, cap at 2,000",
    }
    pulled["version"] += 1
    with demo_store.write() as session:
        records.upsert(session, "amplification_request", [pulled])
    with qtbot.waitSignal(view.refreshed):
        app_context.signals.changed.emit(frozenset({"amplification_request"}))
    row = view.model.row_of(request_id)
    assert view.model.index(row, 0).data() == "Approved"
    assert view.model.index(row, SLA_COLUMN + 1).data() == "Approved: “Go, cap at 2,000”"
    assert view.model.index(row, SLA_COLUMN).data().startswith("decided in ")
    assert "Go, cap at 2,000" in view.detail_body.text()
    assert view.selected_id() == request_id and not view.withdraw_button.isEnabled()
