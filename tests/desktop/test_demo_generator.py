"""The deterministic demo workspace generator (resources/demo).

Scenario checks (overlaps, stale adaptations, expiring rights, embargoes) are computed here
directly from the records, not with desktop/rules, so they test the data and not the rules.
"""

from __future__ import annotations

import io
import re
import struct
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from hashlib import sha256
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop.domain.records import validate_data
from desktop.domain.values import end_of_day_utc, parse_date, parse_time
from resources.demo import DEMO_LEAD, DemoRecord, DemoWorkspace, generate_workspace
from resources.demo.__main__ import main as demo_main
from resources.demo.captions import x_weight
from resources.demo.content import CHANNEL_LIMITS
from resources.demo.media import (
    MAX_MEDIA,
    MediaCache,
    MediaSpec,
    mjpeg_avi,
    render,
    text_pdf,
)
from resources.demo.rand import IdMaker

TODAY = date(2026, 11, 22)
TYPE_ORDER = [
    "market",
    "brand",
    "campaign",
    "asset",
    "calendar_entry",
    "amplification_request",
    "comment",
]
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
NAME_RE = re.compile(r"^([a-z0-9]+)_(global|[a-z]{2})_(\d{8})_([a-z0-9-]+)_([a-z0-9-]+)$")
STATUSES = {"draft", "submitted", "escalated", "approved", "declined", "withdrawn"}


class View:
    """The records of a workspace, indexed for the checks below."""

    def __init__(self, workspace: DemoWorkspace) -> None:
        self.workspace = workspace
        self.records = list(workspace.records())
        self.by_id = {r.id: r for r in self.records}
        self.by_type: dict[str, list[DemoRecord]] = {t: [] for t in TYPE_ORDER}
        for record in self.records:
            self.by_type[record.type].append(record)
        self.markets = {r.data["code"]: r.data for r in self.by_type["market"]}
        self.users = {u.id: u for u in workspace.users}
        self.clock = workspace.clock

    def of(self, record_type: str) -> list[dict[str, Any]]:
        return [r.data for r in self.by_type[record_type]]

    def data(self, record_id: str) -> dict[str, Any]:
        return self.by_id[record_id].data


@pytest.fixture(scope="module")
def workspace() -> DemoWorkspace:
    return generate_workspace(seed=7, today=TODAY)


@pytest.fixture(scope="module")
def view(workspace: DemoWorkspace) -> View:
    return View(workspace)


def _times(data: Any) -> Iterable[str]:
    """Every value under a key that holds a time."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_at") or key == "until":
                if value is not None:
                    yield value
            else:
                yield from _times(value)


def _words(text: str, term: str) -> bool:
    """Whole word, case-insensitive (PROTOCOL.md); a Japanese term, which has no word breaks,
    anywhere in the text."""
    if any("\u3040" <= ch <= "\u9fff" for ch in term):
        return term in text
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return parse_time(a["starts_at"]) < parse_time(b["ends_at"]) and parse_time(
        b["starts_at"]
    ) < parse_time(a["ends_at"])


# --- API ---------------------------------------------------------------------------------------


def test_users_roles_and_demo_lead(workspace: DemoWorkspace) -> None:
    roles = Counter(u.role for u in workspace.users)
    assert roles["conductor"] == 1
    assert roles["paid_operator"] == 1
    assert roles["compliance"] == 1
    assert roles["section_lead"] >= 3
    lead = workspace.user(DEMO_LEAD)
    assert lead.role == "section_lead"
    assert len(lead.markets) == 2
    covered = {m for u in workspace.users if u.role == "section_lead" for m in u.markets}
    assert covered == {"us", "uk", "de", "fr", "jp", "br"}
    for user in workspace.users:
        assert UUID_RE.match(user.id)
        assert len(user.password) >= 10
        assert user.display_name
    assert len({u.id for u in workspace.users}) == len(workspace.users)
    assert len({u.username for u in workspace.users}) == len(workspace.users)


def test_counts_match_records_and_request(view: View) -> None:
    counts = view.workspace.counts
    assert counts == {t: len(view.by_type[t]) for t in TYPE_ORDER}
    assert counts["market"] == 6
    assert counts["brand"] == 2
    assert counts["campaign"] == 8
    assert counts["asset"] == 200
    assert counts["calendar_entry"] == 300
    assert 12 <= counts["amplification_request"] <= 40
    assert 3 <= counts["comment"] <= 20


def test_records_come_in_dependency_order(view: View) -> None:
    kinds = [r.type for r in view.records]
    assert kinds == sorted(kinds, key=TYPE_ORDER.index)
    position = {r.id: i for i, r in enumerate(view.records)}
    for record in view.records:
        for key in ("master_id", "parent_id", "campaign_id", "entry_id", "asset_id", "target_id"):
            ref = record.data.get(key)
            if ref is not None:
                assert position[ref] < position[record.id], (record.type, key)
        for ref in record.data.get("asset_ids", []):
            assert position[ref] < position[record.id]


def test_records_is_a_generator_that_can_be_restarted(workspace: DemoWorkspace) -> None:
    first = workspace.records()
    assert iter(first) is first
    assert next(first) == next(workspace.records())


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_and_today_give_identical_records_and_blobs() -> None:
    one = generate_workspace(seed=11, assets=60, entries=80, today=TODAY)
    two = generate_workspace(seed=11, assets=60, entries=80, today=TODAY)
    assert list(one.records()) == list(two.records())
    assert one.users == two.users
    assert one.blob_shas() == two.blob_shas()
    for sha in one.blob_shas():
        assert one.blob(sha) == two.blob(sha)


def test_rendering_is_deterministic_byte_for_byte() -> None:
    specs = [
        MediaSpec("image", 0, "portrait", 0),
        MediaSpec("image", 5, "story", 6),
        MediaSpec("video", 3, "vertical"),
        MediaSpec("document", 4, "brief"),
    ]
    for spec in specs:
        assert render(spec) == render(spec)


def test_a_different_seed_gives_a_different_workspace() -> None:
    one = generate_workspace(seed=1, assets=60, entries=80, today=TODAY)
    two = generate_workspace(seed=2, assets=60, entries=80, today=TODAY)
    first, second = list(one.records()), list(two.records())
    assert {u.id for u in one.users}.isdisjoint({u.id for u in two.users})
    assert {r.id for r in first}.isdisjoint({r.id for r in second})
    assets_one = [r.data["name"] for r in first if r.type == "asset"]
    assets_two = [r.data["name"] for r in second if r.type == "asset"]
    assert assets_one != assets_two
    captions_one = [r.data["caption"] for r in first if r.type == "calendar_entry"]
    captions_two = [r.data["caption"] for r in second if r.type == "calendar_entry"]
    assert captions_one != captions_two


def test_today_moves_the_calendar() -> None:
    later = TODAY + timedelta(days=10)
    one = generate_workspace(seed=3, assets=20, entries=30, today=TODAY)
    two = generate_workspace(seed=3, assets=20, entries=30, today=later)
    starts_one = [r.data["starts_at"] for r in one.records() if r.type == "calendar_entry"]
    starts_two = [r.data["starts_at"] for r in two.records() if r.type == "calendar_entry"]
    shifted = [parse_time(b) - parse_time(a) for a, b in zip(starts_one, starts_two, strict=True)]
    assert Counter(shifted).most_common(1)[0][0] == timedelta(days=10)


def test_today_defaults_to_the_utc_date() -> None:
    workspace = generate_workspace(assets=5, entries=5)
    assert workspace.today == datetime.now(UTC).date()
    assert workspace.clock == datetime.combine(workspace.today, datetime.min.time(), UTC) + (
        timedelta(hours=12)
    )


def test_fast_ids_are_uuid5() -> None:
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.invalid/x")
    make = IdMaker(namespace)
    for name in ("asset/0", "calendar_entry/49999", "user/lena.fischer", "ü/ß"):
        assert make(name) == str(uuid.uuid5(namespace, name))


# --- validity ----------------------------------------------------------------------------------


def test_every_record_validates_and_is_canonical(view: View) -> None:
    for record in view.records:
        assert validate_data(record.type, record.data, create=True) == record.data, record


def test_ids_versions_and_times_are_canonical(view: View) -> None:
    assert len(view.by_id) == len(view.records)
    for record in view.records:
        assert UUID_RE.match(record.id)
        assert record.version >= 1
        assert record.updated_by in view.users
        assert record.updated_at is not None
        assert TIME_RE.match(record.updated_at)
        assert parse_time(record.updated_at) <= view.clock
        for text in _times(record.data):
            assert TIME_RE.match(text), (record.type, text)


def test_markets_are_complete_and_plausible(view: View) -> None:
    markets = view.markets
    assert set(markets) == {"us", "uk", "de", "fr", "jp", "br"}
    currencies = {code: m["currency"] for code, m in markets.items()}
    assert currencies == {
        "us": "USD",
        "uk": "GBP",
        "de": "EUR",
        "fr": "EUR",
        "jp": "JPY",
        "br": "BRL",
    }
    assert "kostenlos" in markets["de"]["forbidden_terms"]
    assert "gratuit" in markets["fr"]["forbidden_terms"]
    assert "無料" in markets["jp"]["forbidden_terms"]
    assert markets["de"]["legal_note"] == "Anzeige"
    assert markets["fr"]["legal_note"] == "Publicité"
    assert markets["us"]["legal_note"] == "#ad"
    assert markets["br"]["legal_note"] == "#publi"
    assert sum(1 for m in markets.values() if not m["legal_note"]) == 1
    for market in markets.values():
        assert market["timezone"].count("/") == 1
        assert Decimal(market["boost_threshold"]) > 0
        assert market["languages"]


def test_campaigns_surround_today(view: View) -> None:
    brands = {b["code"] for b in view.of("brand")}
    assert brands == {"acme", "nova"}
    campaigns = view.of("campaign")
    assert {c["brand"] for c in campaigns} == brands
    statuses = Counter(c["status"] for c in campaigns)
    assert statuses["active"] >= 3
    for c in campaigns:
        starts, ends = parse_date(c["starts_on"]), parse_date(c["ends_on"])
        assert starts < ends
        assert abs((starts - TODAY).days) <= 90
        assert c["top_messages"]


# --- references --------------------------------------------------------------------------------


def test_references_point_at_existing_records_of_the_right_type(view: View) -> None:
    def kind(record_id: str) -> str:
        return view.by_id[record_id].type

    for asset in view.of("asset"):
        assert kind(asset["campaign_id"]) == "campaign"
        campaign = view.data(asset["campaign_id"])
        assert asset["brand"] == campaign["brand"]
        if asset["master_id"] is not None:
            master = view.data(asset["master_id"])
            assert kind(asset["master_id"]) == "asset"
            assert master["market"] is None
            assert asset["market"] is not None
            assert master["campaign_id"] == asset["campaign_id"]
            assert asset["adapted_from_version"] >= 1
        else:
            assert asset["adapted_from_version"] is None
    for entry in view.of("calendar_entry"):
        assert kind(entry["campaign_id"]) == "campaign"
        for asset_id in entry["asset_ids"]:
            assert kind(asset_id) == "asset"
        if entry["parent_id"] is not None:
            parent = view.data(entry["parent_id"])
            assert kind(entry["parent_id"]) == "calendar_entry"
            assert parent["market"] is None
            assert entry["market"] is not None
            assert parent["kind"] == entry["kind"]
            assert entry["adapted_from_version"] >= 1
        for owner in entry["owners"].values():
            assert owner is None or owner in view.users
    for request in view.of("amplification_request"):
        entry = view.data(request["entry_id"])
        assert kind(request["entry_id"]) == "calendar_entry"
        assert kind(request["asset_id"]) == "asset"
        assert request["asset_id"] in entry["asset_ids"]
        assert request["market"] == entry["market"]
    for comment in view.of("comment"):
        assert kind(comment["target_id"]) == comment["target_type"]


def test_adaptations_are_not_ahead_of_their_masters(view: View) -> None:
    versions = {r.id: r.version for r in view.records}
    for record in view.by_type["asset"] + view.by_type["calendar_entry"]:
        ref = record.data.get("master_id") or record.data.get("parent_id")
        if ref is not None:
            assert record.data["adapted_from_version"] <= versions[ref]


def test_section_leads_can_read_what_they_comment_on(view: View) -> None:
    for record in view.by_type["comment"]:
        author = view.users[record.updated_by or ""]
        if author.role == "section_lead":
            target = view.data(record.data["target_id"])
            assert target.get("market") in (None, *author.markets)


# --- files -------------------------------------------------------------------------------------


def _avi_info(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, frame count and frames of an MJPEG AVI, read from its chunks."""
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"AVI "
    assert struct.unpack_from("<I", data, 4)[0] == len(data) - 8
    width = height = count = 0
    frames: list[bytes] = []
    pos = 12
    while pos < len(data):
        fourcc, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8 : pos + 8 + size]
        if fourcc == b"LIST":
            inner = 4
            while inner < len(body):
                sub, sub_size = (
                    body[inner : inner + 4],
                    struct.unpack_from("<I", body, inner + 4)[0],
                )
                payload = body[inner + 8 : inner + 8 + sub_size]
                if sub == b"avih":
                    fields = struct.unpack_from("<10I", payload)
                    count, width, height = fields[4], fields[8], fields[9]
                elif sub == b"00dc":
                    frames.append(payload)
                elif sub == b"LIST":
                    inner += 12  # descend into strl
                    continue
                inner += 8 + sub_size + (sub_size % 2)
        elif fourcc == b"idx1":
            assert len(body) == 16 * count
        pos += 8 + size + (size % 2)
    return width, height, count, frames


def test_asset_files_match_their_metadata(view: View) -> None:
    workspace = view.workspace
    assets = view.of("asset")
    assert set(workspace.blob_shas()) == {a["sha256"] for a in assets}
    assert len(workspace.blob_shas()) == len(set(workspace.blob_shas()))
    checked: set[str] = set()
    kinds = Counter(a["kind"] for a in assets)
    assert kinds["image"] > 0.8 * len(assets)
    for asset in assets:
        if asset["sha256"] in checked:
            continue
        checked.add(asset["sha256"])
        data = workspace.blob(asset["sha256"])
        assert sha256(data).hexdigest() == asset["sha256"]
        assert len(data) == asset["size"]
        if asset["kind"] == "image":
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                assert image.size == (asset["width"], asset["height"])
                assert Image.MIME[image.format or ""] == asset["mime"]
                assert 800 <= max(image.size) <= 1600
        elif asset["kind"] == "video":
            assert asset["mime"] == "video/x-msvideo"
            width, height, count, frames = _avi_info(data)
            assert (width, height) == (asset["width"], asset["height"])
            assert count == len(frames) > 1
            with Image.open(io.BytesIO(frames[0])) as frame:
                assert frame.size == (width, height)
        else:
            assert asset["mime"] == "application/pdf"
            assert data.startswith(b"%PDF-1.4")
            assert data.rstrip().endswith(b"%%EOF")
            assert asset["width"] is None
            assert asset["height"] is None


def test_unknown_blob_is_a_key_error(workspace: DemoWorkspace) -> None:
    with pytest.raises(KeyError):
        workspace.blob("0" * 64)


def test_media_cache_evicts_bytes_but_keeps_metadata() -> None:
    cache = MediaCache(max_bytes=1)
    first, second = MediaSpec("document", 0, "brief"), MediaSpec("document", 1, "brief")
    data = cache.data(first)
    info = cache.info(first)
    cache.data(second)  # over budget: the first file's bytes go, its metadata stays
    assert cache.info(first) == info
    again = cache.data(first)  # rendered again, byte for byte
    assert again == data
    assert sha256(again).hexdigest() == info.sha256
    cache.prefetch([MediaSpec("image", 2, "square", 3), MediaSpec("video", 2, "landscape")])
    assert cache.info(MediaSpec("video", 2, "landscape")).mime == "video/x-msvideo"


def test_avi_writer_round_trips() -> None:
    frames = []
    for shade in (0, 128, 255):
        out = io.BytesIO()
        Image.new("RGB", (32, 18), (shade, shade, shade)).save(out, format="JPEG")
        frames.append(out.getvalue())
    data = mjpeg_avi(frames, width=32, height=18, fps=4)
    assert _avi_info(data) == (32, 18, 3, frames)


def test_pdf_writer_has_a_correct_cross_reference_table() -> None:
    data = text_pdf([(12, "Grüße (draft)"), (10, "back\\slash")], title="T")
    startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[startxref:].startswith(b"xref")
    offsets = [int(line[:10]) for line in data[startxref:].split(b"\n")[3:9]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)


# --- content -------------------------------------------------------------------------------


def test_asset_names_follow_the_convention(view: View) -> None:
    names = [a["name"] for a in view.of("asset")]
    assert len(set(names)) == len(names)
    slugs: dict[str, set[str]] = {}
    for asset in view.of("asset"):
        match = NAME_RE.match(asset["name"])
        assert match, asset["name"]
        brand, market, stamp, campaign, _variant = match.groups()
        assert brand == asset["brand"]
        assert market == (asset["market"] or "global")
        datetime.strptime(stamp, "%Y%m%d")  # a real date
        slugs.setdefault(asset["campaign_id"], set()).add(campaign)
        assert asset["title"]
        assert asset["tags"]
        assert len(asset["tags"]) == len(set(asset["tags"]))
        if asset["kind"] != "document":
            assert asset["alt_text"]
        expected = (
            "en" if asset["market"] is None else view.markets[asset["market"]]["languages"][0]
        )
        assert asset["language"] == expected or asset["kind"] == "document"
    assert all(len(s) == 1 for s in slugs.values())


def test_entries_span_six_weeks_either_side_of_today(view: View) -> None:
    clock = view.clock
    entries = view.of("calendar_entry")
    starts = [parse_time(e["starts_at"]) for e in entries]
    assert min(starts) < clock - timedelta(days=35)
    assert max(starts) > clock + timedelta(days=35)
    for entry, start in zip(entries, starts, strict=True):
        assert abs(start - clock) <= timedelta(days=42 + 6)
        assert parse_time(entry["ends_at"]) >= start
        if entry["kind"] != "moment":
            assert entry["utm_campaign"]
            assert entry["channel"] in CHANNEL_LIMITS
    kinds = Counter(e["kind"] for e in entries)
    assert set(kinds) == {"organic_post", "paid_burst", "moment", "launch"}
    statuses = Counter(e["status"] for e in entries)
    assert set(statuses) == {"draft", "planned", "approved", "published", "cancelled"}
    assert {e["channel"] for e in entries} >= set(CHANNEL_LIMITS)
    globals_ = [e for e in entries if e["market"] is None]
    adaptations = [e for e in entries if e["parent_id"] is not None]
    assert 0.2 * len(entries) < len(globals_) < 0.45 * len(entries)
    assert len(adaptations) > 0.3 * len(entries)


def test_entry_status_fits_its_time(view: View) -> None:
    for entry in view.of("calendar_entry"):
        start = parse_time(entry["starts_at"])
        if entry["status"] == "published":
            assert start <= view.clock
        if entry["status"] in ("draft", "planned", "approved"):
            assert start > view.clock


def test_captions_fit_their_channel_except_some_drafts(view: View) -> None:
    over, near = 0, 0
    for entry in view.of("calendar_entry"):
        caption, channel = entry["caption"], entry["channel"]
        if caption is None:
            assert entry["kind"] == "moment"
            continue
        length = x_weight(caption) if channel == "x" else len(caption)
        limit = CHANNEL_LIMITS[channel]
        if length > limit:
            assert entry["status"] == "draft", entry
            over += 1
        elif length >= limit - 30:
            near += 1
    assert over >= 1
    assert near >= 1


def test_forbidden_terms_only_in_drafts(view: View) -> None:
    flagged = 0
    for entry in view.of("calendar_entry"):
        if entry["market"] is None or entry["caption"] is None:
            continue
        terms = view.markets[entry["market"]]["forbidden_terms"]
        if any(_words(entry["caption"], term) for term in terms):
            assert entry["status"] == "draft", entry
            flagged += 1
    assert flagged >= 1


def test_entries_only_use_assets_they_may_use(view: View) -> None:
    """Non-draft entries respect rights and embargoes (drafts may not, to show the checks)."""
    for entry in view.of("calendar_entry"):
        if entry["status"] == "draft":
            continue
        start, end = parse_time(entry["starts_at"]), parse_time(entry["ends_at"])
        usage = "paid" if entry["kind"] == "paid_burst" else "organic"
        for asset_id in entry["asset_ids"]:
            asset = view.data(asset_id)
            rights, embargo = asset["rights"], asset["embargo"]
            assert usage in rights["usage"]
            if entry["market"] is not None:
                territories = rights["territories"]
                assert "*" in territories or entry["market"] in territories
            if rights["expires_on"] is not None:
                assert end <= end_of_day_utc(parse_date(rights["expires_on"]))
            if embargo["until"] is not None and parse_time(embargo["until"]) > start:
                assert entry["market"] is not None
                assert "*" not in embargo["markets"]
                assert entry["market"] not in embargo["markets"]


# --- requests ----------------------------------------------------------------------------------


def test_every_request_status_is_present(view: View) -> None:
    statuses = Counter(r["status"] for r in view.of("amplification_request"))
    assert set(statuses) == STATUSES


def test_server_set_fields_are_consistent(view: View) -> None:
    roles = {u.id: u.role for u in view.workspace.users}
    for request in view.of("amplification_request"):
        status = request["status"]
        market = view.markets[request["market"]]
        assert request["budget"]["currency"] == market["currency"]
        amount = Decimal(request["budget"]["amount"])
        assert amount > 0
        threshold = Decimal(market["boost_threshold"])
        if market["currency"] == "JPY":
            assert amount == amount.to_integral_value()
        assert parse_time(request["ends_at"]) > parse_time(request["starts_at"])
        submitted = request["submitted_at"]
        if status == "draft":
            assert submitted is None
        if submitted is None:
            assert request["sla_due_at"] is None
        else:
            hours = 1 if request["priority"] == "emergency" else 3
            assert parse_time(request["sla_due_at"]) - parse_time(submitted) == timedelta(
                hours=hours
            )
            assert parse_time(submitted) <= view.clock
        if status in ("approved", "declined"):
            assert parse_time(request["decided_at"]) > parse_time(submitted)
            assert parse_time(request["decided_at"]) <= view.clock
            role = roles[request["decided_by"]]
            assert role in ("paid_operator", "conductor")
            if amount > threshold:
                assert role == "conductor"  # it escalated, which only a conductor decides
        else:
            assert request["decided_at"] is None
            assert request["decided_by"] is None
            assert request["decision_note"] is None
        if status == "declined":
            assert request["decision_note"]
        if status == "escalated":
            assert amount > threshold
        if status == "submitted":
            assert amount <= threshold
        if status in ("submitted", "escalated", "approved", "declined"):
            assert submitted is not None


def test_some_slas_are_breached_and_some_are_running(view: View) -> None:
    open_requests = [
        r for r in view.of("amplification_request") if r["status"] in ("submitted", "escalated")
    ]
    breached = [r for r in open_requests if parse_time(r["sla_due_at"]) < view.clock]
    running = [r for r in open_requests if parse_time(r["sla_due_at"]) >= view.clock]
    assert breached
    assert running
    late_decisions = [
        r
        for r in view.of("amplification_request")
        if r["decided_at"] and parse_time(r["decided_at"]) > parse_time(r["sla_due_at"])
    ]
    on_time = [
        r
        for r in view.of("amplification_request")
        if r["decided_at"] and parse_time(r["decided_at"]) <= parse_time(r["sla_due_at"])
    ]
    assert late_decisions or on_time
    assert on_time


def test_submitted_requests_pass_the_submit_checks(view: View) -> None:
    """What the server checks on submit holds for every request that got past it."""
    for request in view.of("amplification_request"):
        if request["submitted_at"] is None:
            continue
        market = view.markets[request["market"]]
        entry = view.data(request["entry_id"])
        asset = view.data(request["asset_id"])
        rights, embargo = asset["rights"], asset["embargo"]
        start, end = parse_time(request["starts_at"]), parse_time(request["ends_at"])
        assert entry["status"] == "published"
        assert parse_time(entry["starts_at"]) <= parse_time(request["submitted_at"])
        assert "paid" in rights["usage"]
        assert "*" in rights["territories"] or request["market"] in rights["territories"]
        if rights["expires_on"] is not None:
            assert end <= end_of_day_utc(parse_date(rights["expires_on"]))
        if embargo["until"] is not None and parse_time(embargo["until"]) > start:
            assert "*" not in embargo["markets"]
            assert request["market"] not in embargo["markets"]
        for term in market["forbidden_terms"]:
            assert not _words(request["cta"], term)
            assert not _words(entry["caption"], term)
        if market["legal_note"]:
            assert market["legal_note"].lower() in (request["legal_note"] or "").lower()
        assert all(request["checklist"].values())
        assert asset["status"] == "approved"


def test_drafts_show_what_the_checks_catch(view: View) -> None:
    drafts = [r for r in view.of("amplification_request") if r["status"] == "draft"]
    flagged = [
        r
        for r in drafts
        if any(_words(r["cta"], t) for t in view.markets[r["market"]]["forbidden_terms"])
    ]
    assert flagged
    assert any(not all(r["checklist"].values()) for r in drafts)


# --- scenarios for the ops board ---------------------------------------------------------------


def test_overlapping_paid_bursts_in_the_same_market(view: View) -> None:
    bursts = [
        (r.id, r.data)
        for r in view.by_type["calendar_entry"]
        if r.data["kind"] == "paid_burst" and r.data["status"] != "cancelled"
    ]
    duplicates = 0
    for i, (id_a, a) in enumerate(bursts):
        for id_b, b in bursts[i + 1 :]:
            related = a["parent_id"] == id_b or b["parent_id"] == id_a
            same_market = a["market"] == b["market"] and a["market"] is not None
            if same_market and not related and _overlaps(a, b):
                duplicates += 1
    assert duplicates >= 1


def test_rights_expiring_expired_and_embargoes_lifting(view: View) -> None:
    assets = view.of("asset")
    soon, expired, lifting = [], [], []
    for asset in assets:
        expires = asset["rights"]["expires_on"]
        if expires is not None:
            days = (parse_date(expires) - TODAY).days
            if 0 <= days <= 14:
                soon.append(asset)
            elif days < 0:
                expired.append(asset)
        until = asset["embargo"]["until"]
        if until is not None:
            wait = parse_time(until) - view.clock
            if timedelta(0) < wait <= timedelta(hours=36):
                lifting.append(asset)
    assert soon
    assert expired
    assert lifting
    assert any(a["embargo"]["markets"] == ["*"] for a in lifting)
    assert any("*" not in a["embargo"]["markets"] for a in lifting)
    lead = view.workspace.user(DEMO_LEAD)
    assert any(a["market"] in lead.markets for a in soon)
    assert any(a["market"] in lead.markets or "*" in a["embargo"]["markets"] for a in lifting)


def test_stale_and_drifting_adaptations(view: View) -> None:
    versions = {r.id: r.version for r in view.records}
    stale_entries = [
        e
        for e in view.of("calendar_entry")
        if e["parent_id"] and e["adapted_from_version"] < versions[e["parent_id"]]
    ]
    current_entries = [
        e
        for e in view.of("calendar_entry")
        if e["parent_id"] and e["adapted_from_version"] == versions[e["parent_id"]]
    ]
    stale_assets = [
        a
        for a in view.of("asset")
        if a["master_id"] and a["adapted_from_version"] < versions[a["master_id"]]
    ]
    assert stale_entries
    assert current_entries
    assert stale_assets
    drifting = [
        e
        for e in view.of("calendar_entry")
        if e["parent_id"]
        and abs(parse_time(e["starts_at"]) - parse_time(view.data(e["parent_id"])["starts_at"]))
        >= timedelta(days=2)
    ]
    assert drifting
    lead = view.workspace.user(DEMO_LEAD)
    assert any(e["market"] in lead.markets for e in stale_entries)
    assert any(e["market"] in lead.markets for e in drifting)


def test_the_demo_lead_has_a_busy_next_48_hours(view: View) -> None:
    lead = view.workspace.user(DEMO_LEAD)
    horizon = view.clock + timedelta(hours=48)
    due = [
        e
        for e in view.of("calendar_entry")
        if e["market"] in lead.markets
        and e["kind"] == "organic_post"
        and view.clock < parse_time(e["starts_at"]) <= horizon
    ]
    live = [
        e
        for e in view.of("calendar_entry")
        if e["market"] in lead.markets
        and e["status"] == "published"
        and view.clock - timedelta(hours=24) <= parse_time(e["starts_at"]) <= view.clock
    ]
    waiting = [
        r
        for r in view.of("amplification_request")
        if r["market"] in lead.markets and r["status"] in ("submitted", "escalated")
    ]
    assert len(due) >= 2
    assert live
    assert waiting


# --- sizes -------------------------------------------------------------------------------------


def _check_consistent(workspace: DemoWorkspace) -> list[DemoRecord]:
    records = list(workspace.records())
    ids = {r.id for r in records}
    assert len(ids) == len(records)
    assert Counter(r.type for r in records) == {k: v for k, v in workspace.counts.items() if v}
    for record in records:
        validate_data(record.type, record.data, create=True)
        for key in ("master_id", "parent_id", "campaign_id", "entry_id", "asset_id", "target_id"):
            ref = record.data.get(key)
            assert ref is None or ref in ids
        assert all(ref in ids for ref in record.data.get("asset_ids", []))
    return records


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    assets=st.integers(min_value=0, max_value=40),
    entries=st.integers(min_value=0, max_value=60),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_any_small_workspace_is_valid_and_consistent(
    seed: int, assets: int, entries: int, offset: int
) -> None:
    workspace = generate_workspace(
        seed=seed, assets=assets, entries=entries, today=TODAY + timedelta(days=offset)
    )
    assert workspace.counts["asset"] == assets
    assert workspace.counts["calendar_entry"] == entries
    _check_consistent(workspace)


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        generate_workspace(assets=-1)


def test_large_workspace_shares_a_small_pool_of_files() -> None:
    workspace = generate_workspace(seed=7, assets=100_000, entries=50_000, today=TODAY)
    assert workspace.counts["asset"] == 100_000
    assert workspace.counts["calendar_entry"] == 50_000
    assert workspace.counts["amplification_request"] >= 1_000
    shas = workspace.blob_shas()
    assert len(shas) <= MAX_MEDIA
    seen: Counter[str] = Counter()
    names: set[str] = set()
    statuses: Counter[str] = Counter()
    for number, record in enumerate(workspace.records()):
        seen[record.type] += 1
        if record.type == "asset":
            names.add(record.data["name"])
        if record.type == "amplification_request":
            statuses[record.data["status"]] += 1
        if number % 211 == 0 or record.type in ("market", "campaign", "comment"):
            validate_data(record.type, record.data, create=True)
    assert dict(seen) == workspace.counts
    assert len(names) == 100_000
    assert set(statuses) == STATUSES


def test_cli_reports_counts_and_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    code = demo_main(
        ["--assets", "30", "--entries", "40", "--seed", "5", "--today", "2026-11-22", "--validate"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"asset\s+30\b", out)
    assert re.search(r"calendar_entry\s+40\b", out)
    assert re.search(r"total\s+\d+\.\d+ s", out)
    assert "every record valid" in out


def test_envelopes_are_what_a_lead_of_some_markets_pulls() -> None:
    workspace = generate_workspace(assets=40, entries=60, today=date(2026, 11, 22))
    every = list(workspace.envelopes())
    de_only = list(workspace.envelopes(markets=("de",)))
    assert len(every) == sum(workspace.counts.values())
    assert [e["seq"] for e in every] == list(range(1, len(every) + 1))
    seen = {e["data"].get("market") for e in de_only if e["type"] in ("asset", "calendar_entry")}
    assert seen <= {None, "de"} and "de" in seen
    assert {e["type"] for e in de_only} >= {"market", "brand", "campaign"}
    assert all(e["version"] >= 1 and not e["deleted"] for e in de_only)
