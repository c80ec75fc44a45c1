"""The reports (pandas, no Qt): numbers checked against hand-made data, then the demo workspace
end to end with CSV and XLSX exports."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from desktop.reports import (
    REPORTS,
    adaptation,
    amplify,
    build_all,
    build_report,
    overlap,
    requests,
    rights,
)
from desktop.reports.export import write_csv, write_xlsx
from desktop.reports.frames import Frames, to_times
from desktop.rules.overlap import duplicate_spend_hours, find_overlaps
from desktop.store import records
from desktop.store.db import DB_FILENAME, Store
from resources.demo import DEMO_LEAD, generate_workspace

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ME = "00000000-0000-0000-0000-00000000000a"
OPERATOR = "4f5c3724-0000-0000-0000-000000000000"


def frames(
    entries: list[dict[str, Any]] = (),  # type: ignore[assignment]
    reqs: list[dict[str, Any]] = (),  # type: ignore[assignment]
    assets: list[dict[str, Any]] = (),  # type: ignore[assignment]
    history: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> Frames:
    entry_columns = [
        "id", "version", "title", "kind", "market", "channel", "status", "starts_at", "ends_at",
        "parent_id", "adapted_from_version", "campaign_id", "caption", "asset_ids",
    ]  # fmt: skip
    e = pd.DataFrame(list(entries), columns=entry_columns)
    for name in ("starts_at", "ends_at"):
        e[name] = to_times(e[name])
    request_columns = [
        "id", "entry_id", "asset_id", "market", "status", "priority", "submitted_at",
        "sla_due_at", "decided_at", "decided_by", "budget",
    ]  # fmt: skip
    r = pd.DataFrame(list(reqs), columns=request_columns)
    for name in ("submitted_at", "sla_due_at", "decided_at"):
        r[name] = to_times(r[name])
    asset_columns = [
        "id", "name", "market", "status", "expires_on", "holder", "usage", "territories",
        "embargo_until", "embargo_markets",
    ]  # fmt: skip
    a = pd.DataFrame(list(assets), columns=asset_columns)
    a["embargo_until"] = to_times(a["embargo_until"])
    return Frames(e, r, a, pd.DataFrame(columns=["code", "name", "timezone"]), history or {})


def post(ident: str, market: str | None, starts: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident, "version": 1, "title": f"Post {ident}", "kind": "organic_post",
        "market": market, "channel": "instagram", "status": "published", "starts_at": starts,
        "ends_at": starts, "parent_id": None, "adapted_from_version": None, **extra,
    }  # fmt: skip


def request(ident: str, entry: str, market: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident, "entry_id": entry, "asset_id": "a", "market": market, "status": status,
        "priority": "standard", "submitted_at": None, "sla_due_at": None, "decided_at": None,
        "decided_by": None, **extra,
    }  # fmt: skip


def test_time_to_amplify_median_and_90th_percentile() -> None:
    data = frames(
        entries=[
            post("p1", "de", "2026-11-16T10:00:00Z"),
            post("p2", "de", "2026-11-17T10:00:00Z"),
            post("p3", "fr", "2026-11-23T10:00:00Z"),
            post("p4", None, "2026-11-18T10:00:00Z"),
            post("b1", "de", "2026-11-18T10:00:00Z", kind="paid_burst"),
        ],
        reqs=[
            request("r1", "p1", "de", "approved", decided_at="2026-11-16T12:00:00Z"),
            request("r2", "p2", "de", "approved", decided_at="2026-11-17T20:00:00Z"),
            request("r2b", "p2", "de", "approved", decided_at="2026-11-18T20:00:00Z"),
            request("r3", "p3", "fr", "approved", decided_at="2026-11-23T09:00:00Z"),
            request("r4", "p4", "de", "approved", decided_at="2026-11-18T14:00:00Z"),
            request("r5", "p4", "fr", "declined", decided_at="2026-11-18T11:00:00Z"),
            request("r6", "b1", "de", "approved", decided_at="2026-11-18T11:00:00Z"),
        ],
    )
    report = amplify.build(data, now=NOW)
    boosts = report.tables[2].frame
    assert sorted(boosts["Hours"]) == [0.0, 2.0, 4.0, 10.0]  # r3 approved before going live: 0
    by_market = report.tables[0].frame.set_index("Market")
    assert by_market.loc["DE", "Boosts"] == 3  # p1, p2 (first approval), the global p4 in DE
    assert by_market.loc["DE", "Median hours"] == 4.0
    assert by_market.loc["DE", "90th percentile hours"] == pytest.approx(8.8)
    by_week = report.tables[1].frame.set_index("Week")
    assert list(by_week.index) == ["2026-W47", "2026-W48"]
    assert by_week.loc["2026-W48", "Median hours"] == 0.0
    assert report.charts[0].data.shape == (2, 2)


def test_requests_by_status_and_sla_breaches() -> None:
    data = frames(
        reqs=[
            request("a", "e", "de", "draft"),
            request(
                "b", "e", "de", "approved", submitted_at="2026-11-20T08:00:00Z",
                sla_due_at="2026-11-20T11:00:00Z", decided_at="2026-11-20T10:00:00Z",
                decided_by=ME,
            ),
            request(
                "c", "e", "de", "declined", submitted_at="2026-11-20T08:00:00Z",
                sla_due_at="2026-11-20T11:00:00Z", decided_at="2026-11-20T12:30:00Z",
                decided_by=OPERATOR,
            ),
            request(
                "d", "e", "fr", "submitted", submitted_at="2026-11-22T08:00:00Z",
                sla_due_at="2026-11-22T11:00:00Z",
            ),
            request(
                "f", "e", "fr", "escalated", submitted_at="2026-11-22T10:00:00Z",
                sla_due_at="2026-11-22T13:00:00Z",
            ),
        ]
    )  # fmt: skip
    report = requests.build(data, now=NOW, me=ME)
    by_status = report.tables[0].frame.set_index("Status")
    assert by_status.loc["Draft", "DE"] == 1
    assert by_status.loc["Submitted", "FR"] == 1
    assert by_status["Total"].sum() == 5
    sla = report.tables[1].frame.set_index("Market")
    assert sla.loc["DE", "Submitted"] == 2 and sla.loc["DE", "Breached"] == 1
    assert sla.loc["FR", "Breached"] == 1  # d is waiting past its SLA; f is not due yet
    approvers = report.tables[2].frame.set_index("Approver")
    assert approvers.loc["user 4f5c3724", "Total"] == 1
    assert approvers.loc["(not decided)", "Total"] == 1
    detail = report.tables[3].frame.set_index("Request ID")
    assert detail.loc["c", "Hours over"] == 1.5
    assert detail.loc["d", "Hours over"] == 1.0
    assert report.notes == ("2 SLA breaches among 4 submitted.",)


def test_rights_expiring_within_30_days_and_embargoes_within_7() -> None:
    def asset(ident: str, expires: date | None, until: str | None) -> dict[str, Any]:
        return {
            "id": ident, "name": ident, "market": "de", "status": "ready", "expires_on": expires,
            "holder": "Acme", "usage": "organic", "territories": "de", "embargo_until": until,
            "embargo_markets": "de",
        }  # fmt: skip

    data = frames(
        assets=[
            asset("today", date(2026, 11, 22), None),
            asset("day30", date(2026, 12, 22), None),
            asset("day31", date(2026, 12, 23), None),
            asset("expired", date(2026, 11, 21), None),
            asset("soon", None, "2026-11-29T12:00:00Z"),
            asset("later", None, "2026-11-29T12:00:01Z"),
            asset("lifted", None, "2026-11-22T11:59:59Z"),
        ]
    )
    report = rights.build(data, now=NOW)
    expiring = report.tables[0].frame
    assert list(expiring["Asset"]) == ["today", "day30"]
    assert list(expiring["Days left"]) == [0, 30]
    lifting = report.tables[1].frame
    assert list(lifting["Asset"]) == ["soon"]
    assert lifting["Hours left"].tolist() == [168.0]
    assert report.charts[0].data.to_numpy().sum() == 2
    assert report.charts[1].data.to_numpy().sum() == 1


def test_overlap_heatmap_sums_the_rules_duplicate_spend() -> None:
    bursts = [
        post("g", None, "2026-11-16T00:00:00Z", kind="paid_burst", ends_at="2026-11-20T00:00:00Z"),
        post("l1", "de", "2026-11-18T00:00:00Z", kind="paid_burst", ends_at="2026-11-24T00:00:00Z"),
        post("l2", "de", "2026-11-23T00:00:00Z", kind="paid_burst", ends_at="2026-11-25T00:00:00Z"),
        post("f1", "fr", "2026-11-19T00:00:00Z", kind="paid_burst", ends_at="2026-11-19T06:00:00Z"),
    ]
    report = overlap.build(frames(entries=bursts), now=NOW)
    heat = report.charts[0].data
    assert heat.loc["DE", "2026-W47"] == 48.0  # g with l1, 18-20 Nov
    assert heat.loc["DE", "2026-W48"] == 24.0  # l1 with l2, 23-24 Nov
    assert heat.loc["FR", "2026-W47"] == 6.0  # g with f1
    plain = [dict(b, starts_at=b["starts_at"], ends_at=b["ends_at"]) for b in bursts]
    expected = duplicate_spend_hours(find_overlaps(plain))
    assert heat.to_numpy().sum() == pytest.approx(sum(expected.values()))
    worst = report.tables[1].frame
    assert worst["Entry ID"].tolist() == ["l1", "g", "l2", "f1"]  # most duplicate hours first
    assert worst["Duplicate hours"].tolist() == [72.0, 54.0, 24.0, 6.0]


def test_adaptation_coverage_and_stale() -> None:
    data = frames(
        entries=[
            post("g1", None, "2026-11-20T10:00:00Z", version=3, caption="new"),
            post("g2", None, "2026-11-21T10:00:00Z"),
            post("g3", None, "2026-11-21T10:00:00Z", status="cancelled"),
            post("d1", "de", "2026-11-20T10:00:00Z", parent_id="g1", adapted_from_version=2),
            post("d2", "de", "2026-11-21T10:00:00Z", parent_id="g2", adapted_from_version=1),
            post("f1", "fr", "2026-11-20T10:00:00Z", parent_id="g1", adapted_from_version=3),
        ],
        history={("g1", 2): {**post("g1", None, "2026-11-20T10:00:00Z"), "caption": "old"}},
    )
    report = adaptation.build(data, now=NOW)
    coverage = report.tables[0].frame.set_index("Market")
    assert coverage.loc["DE", "Adapted"] == 2 and coverage.loc["DE", "Coverage %"] == 100
    assert coverage.loc["FR", "Adapted"] == 1 and coverage.loc["FR", "Coverage %"] == 50
    assert coverage.loc["DE", "Stale"] == 1 and coverage.loc["FR", "Stale"] == 0
    stale = report.tables[1].frame
    assert stale["What changed"].tolist() == ["caption"]


def test_empty_store_gives_empty_reports(tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        reports = build_all(store, now=NOW)
    finally:
        store.close()
    assert set(reports) == set(REPORTS)
    for report in reports.values():
        assert all(chart.empty for chart in report.charts), report.name
        write_csv(report, tmp_path / f"{report.name}.csv")
        write_xlsx(report, tmp_path / f"{report.name}.xlsx")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = generate_workspace(today=date(2026, 11, 22))
    lead = workspace.user(DEMO_LEAD)
    folder = tmp_path_factory.mktemp("reports-demo")
    store = Store(folder)

    def envelopes() -> Any:
        for record in workspace.records():
            market = record.data.get("market")
            if record.type in ("calendar_entry", "asset", "amplification_request") and (
                market is not None and market not in lead.markets
            ):
                continue
            yield {
                "type": record.type, "id": record.id, "version": record.version, "seq": 1,
                "updated_at": record.updated_at, "updated_by": record.updated_by,
                "deleted": False, "data": record.data,
            }  # fmt: skip

    records.bulk_load(store.write, envelopes())
    store.close()
    return folder / DB_FILENAME


def test_demo_reports_and_their_exports(demo_store: Path, tmp_path: Path) -> None:
    shutil.copy(demo_store, tmp_path / DB_FILENAME)
    store = Store(tmp_path)
    try:
        for name in REPORTS:
            report = build_report(name, store, now=NOW)
            assert report.charts and report.tables
            assert any(not chart.empty for chart in report.charts), name
            csv_path = write_csv(report, tmp_path / f"{name}.csv")
            assert pd.read_csv(csv_path, encoding="utf-8-sig").shape[0] == len(report.main.frame)
            workbook = openpyxl.load_workbook(write_xlsx(report, tmp_path / f"{name}.xlsx"))
            assert workbook.sheetnames[0] == "About"
            assert len(workbook.sheetnames) == 1 + len(report.tables) + len(report.charts)
            charts = sum(len(ws._charts) for ws in workbook.worksheets)
            heatmaps = sum(c.kind == "heatmap" for c in report.charts)
            assert charts == len(report.charts) - heatmaps
        with pytest.raises(KeyError, match='no report named "nope"'):
            build_report("nope", store)
    finally:
        store.close()
