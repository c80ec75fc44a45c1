"""Importing calendar entries and asset metadata: the per-row report, all rows or none as one
undoable edit, round trips, remembered mappings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.services.changes import EditRefused, RecordEdit
from desktop.services.workspace import Workspace
from desktop.spreadsheets.columns import guess_mapping
from desktop.spreadsheets.export import export_records
from desktop.spreadsheets.importing import plan_import, report_lines
from desktop.spreadsheets.mappings import initial_options, remember, remembered
from desktop.spreadsheets.plan import ImportOptions, ImportPlan, ImportRefused, commit
from desktop.spreadsheets.sources import inspect
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import OutboxOp
from tests.desktop.conftest import (
    DE_ASSET,
    DE_ENTRY,
    GLOBAL_ENTRY,
    LEAD,
    MASTER_ASSET,
    NOW,
    US_ASSET,
)
from tests.desktop.spreadsheet_files import write_csv, write_xlsx

HEADER = ["Titel", "Markt", "Kampagne", "Datum", "Uhrzeit", "Kanal", "Status", "Text", "Assets"]


def plan_file(store: Store, path: Path, kind: str = "calendar", **options: Any) -> ImportPlan:
    source = inspect(path)
    guessed = ImportOptions(mapping=guess_mapping(kind, source.header), **options)
    return plan_import(store, LEAD, kind, source, guessed, now=NOW)


def outbox_count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxOp)) or 0)


def entry(store: Store, entry_id: str) -> dict[str, Any]:
    with store.read() as session:
        found = records.get(session, "calendar_entry", entry_id)
    assert found is not None
    return found


def by_row(plan: ImportPlan) -> dict[int, Any]:
    return {r.row: r for r in plan.rows}


def test_market_calendar_from_a_german_excel_csv(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["Winterstart", "DE", "Winter Trails", "25.11.2026", "09:00", "Instagram", "geplant",
         "Finde deinen Weg.", "acme_de_20261120_winter-trails_hero"],
        ["Lancement", "fr", "Winter Trails", "26.11.2026", "10h30", "TikTok", "brouillon",
         "Café offert ce week-end", ""],
        ["Zweiter Post", "de", "", "27.11.2026", "18:00", "x", "", "Jetzt GRATIS testen", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "markt.csv", rows, encoding="cp1252", delimiter=";")
    plan = plan_file(store, path)
    assert plan.counts == {"create": 3}
    assert plan.can_import
    report = by_row(plan)
    assert report[2].label == "Winterstart (DE, 2026-11-25 09:00 Europe/Berlin)"
    forbidden = report[4].warnings
    assert [p.column for p in forbidden] == ["Text"]
    assert 'contains "gratis"' in forbidden[0].message
    created = plan.edits[0].fields
    assert created["starts_at"] == "2026-11-25T08:00:00Z"  # 09:00 in Berlin
    assert created["status"] == "planned"
    assert created["channel"] == "instagram"
    assert created["asset_ids"] == [DE_ASSET]
    assert plan.edits[1].fields["starts_at"] == "2026-11-26T09:30:00Z"  # 10h30 in Paris
    assert plan.edits[2].fields["status"] == "draft"

    before = outbox_count(store)
    changes = commit(ws, plan)
    assert len(changes.changes) == 3
    assert outbox_count(store) == before + 3  # queued for sync
    assert ws.undo_stack.undo_label == "Import 3 entries from markt.csv"
    ws.undo()  # one step takes the whole import back
    with store.read() as session:
        ids = [c.id for c in changes.changes]
        assert all(r["deleted"] for r in records.load(session, "calendar_entry", ids).values())

    again = plan_file(store, path)
    assert again.counts == {"create": 3}  # the undone entries are gone, so they are new again


def test_every_refusal_is_shown_per_row_and_nothing_is_imported(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["Gut", "de", "Winter Trails", "25.11.2026", "09:00", "instagram", "draft", "ok", ""],
        ["US post", "us", "Winter Trails", "26.11.2026", "10:00", "x", "draft", "hi", ""],
        ["Spanien", "es", "Nope", "2026-13-01", "", "x", "draft", "hi", ""],
        ["Gut", "de", "Winter Trails", "25.11.2026", "09:00", "instagram", "draft", "again", ""],
        ["Frühling", "de", "", "29.03.2026", "02:30", "x", "draft", "gap", ""],
        ["Art", "de", "", "1.12.2026", "", "x", "verworfen", "", "no_such_asset"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "bad.csv", rows)
    plan = plan_file(store, path)
    report = by_row(plan)
    assert report[2].action == "create"
    assert report[3].action == "refused"
    assert report[3].errors[0].message == (
        "You can only change records of your own markets; this one belongs to the US market."
    )
    spain = [p.text() for p in report[4].errors]
    assert any('"es" is not a market in your workspace' in t for t in spain)
    assert any('"Nope" is not a campaign' in t for t in spain)
    assert any('"2026-13-01" is not a real date' in t for t in spain)
    assert "Row 2 has the same market, channel, start and title" in report[5].errors[0].message
    assert "does not exist in Europe/Berlin" in report[6].errors[0].message
    art = [p.text() for p in report[7].errors]
    assert any('"verworfen" is not a status' in t for t in art)
    assert any('"no_such_asset" is not an asset' in t for t in art)
    assert plan.refused == 5
    assert not plan.can_import
    text = "\n".join(report_lines(plan))
    assert "Row 3: REFUSED - US post" in text
    assert "Nothing can be imported: 5 rows are refused." in text
    before = outbox_count(store)
    with pytest.raises(ImportRefused, match="Nothing can be imported"):
        commit(ws, plan)
    assert outbox_count(store) == before


def test_embargo_and_rights_clashes_of_linked_assets(store: Store, tmp_path: Path) -> None:
    ws = Workspace(store, actor=LEAD, clock=lambda: NOW)
    ws.apply(
        [
            RecordEdit(
                "asset",
                DE_ASSET,
                fields={
                    "embargo": {"until": "2026-11-30T08:00:00Z", "markets": ["de"]},
                    "rights": {"usage": ["organic"], "territories": ["de"]},
                },
            )
        ],
        label="setup",
    )
    hero = "acme_de_20261120_winter-trails_hero"
    rows = [
        ["Title", "Market", "Start", "Kind", "Status", "Assets"],
        ["Teaser", "de", "2026-11-28 10:00", "organic", "planned", hero],
        ["Burst", "de", "2026-12-02 10:00", "paid", "planned", hero],
        ["Draft", "de", "2026-11-28 10:00", "organic", "draft", hero],
    ]
    plan = plan_file(store, write_xlsx(tmp_path / "clash.xlsx", rows))
    report = by_row(plan)
    assert "is embargoed in DE until" in report[2].errors[0].message
    assert "do not allow paid use" in report[3].errors[0].message
    assert report[4].action == "create"  # a draft is not scheduled: nothing to clash with


def test_round_trip_and_edited_export_updates_by_id(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"calendar.{fmt}"
        export_records(store, "calendar", None, None, path, fmt)
        plan = plan_file(store, path)
        assert plan.counts == {"unchanged": 2}
        assert not plan.edits
    path = tmp_path / "edited.csv"
    export_records(store, "calendar", None, None, path, "csv")
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace("Finde deinen Weg diesen Winter.", "Finde deinen Weg im Schnee.")
    text = text.replace("Find your trail this winter.", "Find it.")
    path.write_text(text, encoding="utf-8-sig")
    plan = plan_file(store, path)
    report = {r.record_id: r for r in plan.rows}
    update = report[DE_ENTRY]
    assert update.action == "update"
    assert [(c.field, c.before, c.after) for c in update.changes] == [
        ("caption", "Finde deinen Weg diesen Winter.", "Finde deinen Weg im Schnee.")
    ]
    assert report[GLOBAL_ENTRY].action == "refused"  # the centre's entry: not the lead's
    assert "belongs to global records" in report[GLOBAL_ENTRY].errors[0].message
    text = text.replace("Find it.", "Find your trail this winter.")
    path.write_text(text, encoding="utf-8-sig")
    plan = plan_file(store, path)
    assert plan.counts == {"update": 1, "unchanged": 1}
    commit(ws, plan)
    assert entry(store, DE_ENTRY)["data"]["caption"] == "Finde deinen Weg im Schnee."
    with store.read() as session:
        op = session.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc())).first()
    assert op is not None and op.fields == {"caption": "Finde deinen Weg im Schnee."}
    assert op.base_values == {"caption": "Finde deinen Weg diesen Winter."}


def test_same_sheet_twice_without_ids_adds_nothing_the_second_time(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    rows = [["Title", "Market", "Start", "Channel"], ["Post", "fr", "2026-12-01 09:00", "IG"]]
    path = write_csv(tmp_path / "fr.csv", rows)
    commit(ws, plan_file(store, path))
    again = plan_file(store, path)
    assert again.counts == {"unchanged": 1}
    assert "Matched the entry already here" in again.rows[0].problems[0].message


def test_a_commit_refused_after_the_store_changed_marks_the_rows(
    store: Store, tmp_path: Path
) -> None:
    rows = [["Title", "Market", "Start"], ["Post", "de", "2026-12-01 09:00"]]
    plan = plan_file(store, write_csv(tmp_path / "late.csv", rows))
    # Meanwhile the lead lost the DE market (a sync changed their markets).
    ws = Workspace(store, actor=type(LEAD)(LEAD.user_id, LEAD.role, ("fr",)), clock=lambda: NOW)
    before = outbox_count(store)
    with pytest.raises(EditRefused):
        commit(ws, plan)
    assert plan.rows[0].action == "refused"
    assert outbox_count(store) == before


def test_xlsx_wrong_types_and_formulas_refuse_their_rows(store: Store, tmp_path: Path) -> None:
    from datetime import datetime

    rows = [
        ["Title", "Market", "Start", "Kind"],
        ["Date cell", "de", datetime(2026, 12, 1, 9, 0), "moment"],
        ["Number", "de", 46000, "moment"],
        ["Formula", "de", "=TODAY()", "moment"],
        ["Kind", "de", "2026-12-01 09:00", 7],
    ]
    plan = plan_file(store, write_xlsx(tmp_path / "types.xlsx", rows))
    report = by_row(plan)
    assert report[2].action == "create"
    assert plan.edits[0].fields["starts_at"] == "2026-12-01T08:00:00Z"
    assert '"46000" is not a date' in report[3].errors[0].message
    assert "Cell C4 holds a formula (=TODAY())" in report[4].errors[0].message
    assert '"7" is not a kind of entry' in report[5].errors[0].message
    assert plan.refused == 3


def test_mapping_problems_and_remembered_mappings(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Was", "Wann", "Wo"], ["a", "2026-12-01", "de"]])
    source = inspect(path)
    options, known = initial_options(store, "calendar", source.header)
    assert not known
    assert options.mapping == (None, None, None)
    with pytest.raises(ImportRefused, match="start"):
        plan_import(store, LEAD, "calendar", source, options, now=NOW)
    chosen = ImportOptions(mapping=("title", "starts_at", "market"), day_first=False, zone="UTC")
    remember(store, "calendar", source.header, chosen)
    assert remembered(store, "calendar", source.header) == chosen
    options, known = initial_options(store, "calendar", source.header)
    assert known and options == chosen
    assert remembered(store, "assets", source.header) is None  # per kind
    assert remembered(store, "calendar", ["Was", "Wann"]) is None  # per layout
    twice = ImportOptions(mapping=("title", "title", "market"))
    with pytest.raises(ImportRefused, match="fill the same field"):
        plan_import(store, LEAD, "calendar", source, twice, now=NOW)
    plan = plan_import(store, LEAD, "calendar", source, chosen, now=NOW)
    assert plan.edits[0].fields["starts_at"] == "2026-12-01T00:00:00Z"  # zone UTC, date alone


# --- assets ------------------------------------------------------------------------------------


def test_asset_metadata_by_name_and_by_shared_file(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        ["Name", "SHA-256", "Tags", "Usage", "Territories", "Rights expire on", "Talent release",
         "Embargo until", "Embargo markets"],
        ["acme_de_20261120_winter-trails_hero", "", "winter, snow", "organic", "de, at",
         "31.03.2027", "ja", "", ""],
        ["", "ab" * 32, "", "organic, paid", "*", "", "", "2026-12-01 09:00", "de"],
        ["acme_us_20261120_winter-trails_hero", "", "x", "", "", "", "", "", ""],
        ["nope", "", "x", "", "", "", "", "", ""],
        ["acme_de_20261120_winter-trails_hero", "", "y", "for free", "de", "soon", "maybe", "", ""],
    ]  # fmt: skip
    plan = plan_file(store, write_csv(tmp_path / "meta.csv", rows), "assets")
    report = {(r.row, r.record_id): r for r in plan.rows}
    first = report[(2, DE_ASSET)]
    assert first.action == "update"
    changed = {c.field: c.after for c in first.changes}
    assert changed["tags"] == ["winter", "snow"]
    assert changed["rights"]["usage"] == ["organic"]
    assert changed["rights"]["territories"] == ["de", "at"]
    assert changed["rights"]["expires_on"] == "2027-03-31"
    assert changed["rights"]["holder"] == "Acme"  # keys not in the file are kept
    shared = report[(3, DE_ASSET)]  # by file: only the asset the lead may change
    assert "2 other assets with this file" in shared.problems[0].message
    assert "Row 2 changes the same asset" in shared.errors[0].message
    us = report[(4, US_ASSET)]
    assert "belongs to the US market" in us.errors[0].message
    assert report[(5, None)].errors[0].message == 'No asset named "nope" is in your workspace.'
    bad = [p.message for p in report[(6, DE_ASSET)].errors]
    assert any('"for free" is not a usage' in m for m in bad)
    assert any("Row 2 changes the same asset" in m for m in bad)
    assert not plan.can_import
    assert MASTER_ASSET not in {r.record_id for r in plan.rows}

    plan = plan_file(store, write_csv(tmp_path / "sha.csv", [rows[0], rows[2]]), "assets")
    (shared,) = plan.rows
    assert shared.action == "update"
    # An empty cell clears the field: the tags go, as in calendar imports.
    assert {c.field: c.after for c in shared.changes}["tags"] == []
    clash = [p.message for p in shared.warnings if "scheduled entry" in p.message]
    assert clash == [
        'The scheduled entry "Winter Trails Start" (DE, 2026-11-25) uses this asset: '
        '"acme_de_20261120_winter-trails_hero" is embargoed in DE until Tue 1 Dec 09:00 '
        "(Europe/Berlin)."
    ]
    plan = plan_file(store, write_csv(tmp_path / "one.csv", rows[:2]), "assets")
    assert plan.can_import
    commit(ws, plan)
    with store.read() as session:
        asset = records.get(session, "asset", DE_ASSET)
    assert asset is not None and asset["data"]["tags"] == ["winter", "snow"]
    assert asset["data"]["rights"]["talent_release"] is True


def test_asset_round_trip(store: Store, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"assets.{fmt}"
        export_records(store, "assets", None, None, path, fmt)
        plan = plan_file(store, path, "assets")
        assert plan.counts == {"unchanged": 3}
