"""The deterministic demo workspace: users, a compact plan, and records made from it on demand.

``generate_workspace`` builds a *plan* first: one small slotted object per asset, entry, request
and comment, holding only what other records depend on (campaign, market, dates, rights,
embargo, references, statuses). Reference consistency is decided there, in one place: an entry
only names assets whose rights and embargo allow it (drafts excepted, so the checks have
something to flag), a submitted request only boosts what its market may boost, and so on.
``DemoWorkspace.records()`` then turns the plan into full records, drawing the cosmetic text
(titles, captions, tags, alt text) from its own seeded generator, so every call yields the
same records, one at a time (it keeps only the ids made so far, for references).

Times are anchored on the *demo clock*, ``today`` at 12:00 UTC: morning in the Americas,
afternoon in Europe, evening in Japan. "Now" in the data (SLA timers, embargoes lifting,
posts due) is that clock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from desktop.domain.values import end_of_day_utc, format_time
from resources.demo.captions import CopyMode, make_caption
from resources.demo.content import (
    APPROVE_NOTES,
    AUDIENCES,
    BRAND_BY_CODE,
    BRANDS,
    CAMPAIGNS,
    COMMENTS,
    CROP_WORDS,
    DECLINE_NOTES,
    DEMO_LEAD,
    FORBIDDEN_CTAS,
    GENERIC_TAGS,
    GLOBAL_LANGUAGE,
    HOLDERS,
    IMAGE_PURPOSES,
    LAUNCH_ANGLES,
    LAUNCH_CHANNELS,
    LOCAL_HOLDERS,
    MARKET_BY_CODE,
    MARKET_CODES,
    MARKETS,
    MOMENTS,
    ORGANIC_ANGLES,
    ORGANIC_CHANNELS,
    PAID_ANGLES,
    PAID_CHANNELS,
    PEOPLE,
    REQUEST_CTAS,
    RIGHTS_NOTES,
)
from resources.demo.media import (
    CROPS,
    DOCUMENT_TYPES,
    IMAGE_TAKES,
    MEDIA_CACHE,
    MediaKind,
    MediaSpec,
)
from resources.demo.rand import DemoRandom, IdMaker

__all__ = [
    "DEMO_LEAD",
    "DemoRecord",
    "DemoUser",
    "DemoWorkspace",
    "generate_workspace",
]

WINDOW_DAYS: Final = 42  # the calendar spans six weeks either side of today
CHECKLIST: Final = ("landing_page", "audience_overlap", "budget_cap", "tracking", "dashboard")
LEAD_MARKETS: Final = next(p.markets for p in PEOPLE if p.username == DEMO_LEAD)
_CONDUCTOR: Final = next(p.username for p in PEOPLE if p.role == "conductor")
_PAID_OPERATOR: Final = next(p.username for p in PEOPLE if p.role == "paid_operator")
_COMPLIANCE: Final = next(p.username for p in PEOPLE if p.role == "compliance")
_CROP_NAMES: Final = tuple(CROPS)
_CAMPAIGN_INDEXES: Final = tuple(range(len(CAMPAIGNS)))
_CAMPAIGN_WEIGHTS: Final = tuple(c.weight for c in CAMPAIGNS)
_CROP_WEIGHTS: Final = (30, 30, 25, 15)
_MARKET_WEIGHTS: Final = (22, 15, 18, 15, 14, 16)
_TERRITORY_SETS: Final = (("us", "uk"), ("de", "fr"), ("us", "uk", "de", "fr"), ("jp",), ("br",))
_LOCAL_SLOTS: Final = ((8, 30), (12, 0), (12, 30), (17, 0), (18, 0), (19, 30), (20, 0))
_REQUEST_MIX: Final = (
    ("approved", 32),
    ("declined", 10),
    ("submitted", 14),
    ("escalated", 8),
    ("draft", 22),
    ("withdrawn", 14),
)
# Every status at least once, in this order, before the mix takes over.
_REQUEST_FIRST: Final = ("submitted", "escalated", "approved", "declined", "draft", "withdrawn")
_SUBMITTED: Final = frozenset({"submitted", "escalated", "approved", "declined"})


@dataclass(frozen=True)
class DemoUser:
    id: str
    username: str
    password: str
    display_name: str
    role: str
    markets: tuple[str, ...]


@dataclass(frozen=True)
class DemoRecord:
    type: str
    id: str
    data: dict[str, Any]
    version: int = 1
    updated_by: str | None = None
    updated_at: str | None = None


# --- the plan: what records depend on, one small object per record ---------------------------


@dataclass(slots=True)
class _Asset:
    campaign: int
    market: str | None
    master: int | None
    adapted_from: int | None
    version: int
    media: MediaSpec
    purpose: str
    name: str
    day: date
    status: str
    holder: str
    licence: str
    usage: tuple[str, ...]
    territories: tuple[str, ...]
    expires_on: date | None
    talent: bool | None
    embargo_until: datetime | None
    embargo_markets: tuple[str, ...]


@dataclass(slots=True)
class _Entry:
    campaign: int
    kind: str
    market: str | None
    channel: str | None
    starts: datetime
    ends: datetime
    status: str
    angle: str
    version: int = 1
    assets: tuple[int, ...] = ()
    parent: int | None = None
    adapted_from: int | None = None
    mode: CopyMode = "ok"


@dataclass(slots=True)
class _Request:
    entry: int
    asset: int
    market: str
    status: str
    priority: str
    amount: Decimal
    starts: datetime
    ends: datetime
    created: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    checklist: tuple[bool, ...]
    legal_note: str | None
    cta_forbidden: bool


@dataclass(slots=True)
class _Comment:
    target_type: str
    target: int
    author: str
    body: str
    at: datetime


# Many records share a time (slots on the quarter hour, decision times): format each once.
_time_text: Final = lru_cache(maxsize=16_384)(format_time)


def _weighted(rng: DemoRandom, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.weighted([p[0] for p in pairs], tuple(p[1] for p in pairs))


def _round_money(amount: Decimal, step: Decimal) -> Decimal:
    return max(step, (amount / step).quantize(Decimal(1), ROUND_HALF_UP) * step)


def _money_text(amount: Decimal, decimals: int) -> str:
    return f"{amount:.{decimals}f}"


class _Planner:
    """Builds the plan; all randomness of the structure comes from one seeded generator."""

    def __init__(self, *, seed: int, today: date, assets: int, entries: int) -> None:
        self.rng = DemoRandom(f"sectiondesk-demo/{seed}/plan")
        self.today = today
        self.t0 = datetime.combine(today, time(), UTC)
        self.clock = self.t0 + timedelta(hours=12)
        self.first_day = today - timedelta(days=WINDOW_DAYS)
        self.last_day = today + timedelta(days=WINDOW_DAYS)
        self.starts = [today + timedelta(days=c.starts) for c in CAMPAIGNS]
        self.ends = [today + timedelta(days=c.ends) for c in CAMPAIGNS]
        self.assets: list[_Asset] = []
        self.entries: list[_Entry] = []
        self.requests: list[_Request] = []
        self.comments: list[_Comment] = []
        self.specs: dict[MediaSpec, None] = {}  # ordered set, in first-use order
        self._attachable: list[list[int]] = [[] for _ in CAMPAIGNS]  # masters entries may use
        self._variants: dict[int, dict[str, int]] = {}
        self._local: dict[tuple[int, str], list[int]] = defaultdict(list)
        self._takes: dict[tuple[int, str], int] = {}
        self._spec_of: dict[tuple[MediaKind, int, str, int], MediaSpec] = {}
        self._docs: dict[int, int] = {}
        self._names: dict[str, int] = {}
        self._forced_variant: dict[str, list[str]] = {
            LEAD_MARKETS[0]: ["expiring", "embargo_lifting"],
            LEAD_MARKETS[-1]: ["embargo_lifting", "expiring"],
        }
        self._made: set[str] = set()
        # Days with paid spend per market (None: central bursts, which run in every market), so
        # most bursts keep clear of each other and a chosen few overlap: duplicate spend.
        self._busy_base = self.first_day - timedelta(days=WINDOW_DAYS)
        self._busy: dict[str | None, bytearray] = defaultdict(lambda: bytearray(6 * WINDOW_DAYS))
        self._paid: dict[str | None, list[_Entry]] = defaultdict(list)
        self._plan_assets(assets)
        self._plan_entries(entries)
        self._plan_requests()
        self._plan_comments()
        del self._names

    # -- helpers ---------------------------------------------------------------------------

    def _campaign(self) -> int:
        return self.rng.weighted(_CAMPAIGN_INDEXES, _CAMPAIGN_WEIGHTS)

    def _market(self) -> str:
        return self.rng.weighted(MARKET_CODES, _MARKET_WEIGHTS)

    def _days(self, lo: date, hi: date) -> date:
        hi = max(hi, lo)
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def _lifting_soon(self) -> datetime:
        # Lifts tomorrow between 02:00 and 22:00 UTC: within 48 hours of any moment today.
        return self.t0 + timedelta(days=1, hours=2, minutes=15 * self.rng.randint(0, 80))

    def _usable(
        self, asset: _Asset, market: str | None, start: datetime, end: datetime, usage: str
    ) -> bool:
        if usage not in asset.usage:
            return False
        if "*" not in asset.territories and market not in asset.territories:
            return False  # a global post (market None) is seen everywhere: it needs "*"
        if asset.expires_on is not None and end > end_of_day_utc(asset.expires_on):
            return False
        if (
            asset.embargo_until is not None
            and asset.embargo_until > start
            and (market is None or "*" in asset.embargo_markets or market in asset.embargo_markets)
        ):
            return False
        return not (asset.status in ("retired", "draft") and start > self.clock)

    # -- assets ----------------------------------------------------------------------------

    def _media(self, kind: MediaKind, campaign: int, style: str | None) -> MediaSpec:
        if kind == "image":
            style = style or self.rng.weighted(_CROP_NAMES, _CROP_WEIGHTS)
            take = self._takes.get((campaign, style), 0)
            self._takes[campaign, style] = take + 1
            take %= IMAGE_TAKES
        elif kind == "video":
            style, take = style or self.rng.choice(("vertical", "landscape")), 0
        else:
            n = self._docs.get(campaign, 0)
            self._docs[campaign] = n + 1
            style, take = DOCUMENT_TYPES[n % len(DOCUMENT_TYPES)], 0
        key: tuple[MediaKind, int, str, int] = (kind, campaign, style, take)
        spec = self._spec_of.get(key)
        if spec is None:  # one instance per file: 100,000 assets share a few hundred
            spec = self._spec_of[key] = MediaSpec(kind, campaign, style, take)
            self.specs[spec] = None
        return spec

    def _name(
        self, campaign: int, market: str | None, day: date, media: MediaSpec, purpose: str
    ) -> str:
        c = CAMPAIGNS[campaign]
        variant = media.style if media.kind == "document" else f"{purpose}-{media.style}"
        stamp = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        base = f"{c.brand}_{market or 'global'}_{stamp}_{c.slug}_{variant}"
        seen = self._names.get(base, 0)
        self._names[base] = seen + 1
        return base if seen == 0 else f"{base}-v{seen + 1}"

    def _asset_day(self, campaign: int) -> date:
        return self._days(
            self.starts[campaign] - timedelta(days=21),
            min(self.ends[campaign] - timedelta(days=5), self.today),
        )

    def _asset_status(self, campaign: int, expired: bool) -> str:
        rng = self.rng
        if self.ends[campaign] < self.today or expired:
            return "retired" if rng.random() < 0.45 else "approved"
        return rng.weighted(("approved", "ready", "draft"), (62, 20, 18))

    def _profile(self, forced: str | None) -> str:
        if forced is not None:
            return forced
        r = self.rng.random()
        if r < 0.05:
            return "expiring"
        if r < 0.09:
            return "expired"
        return "normal"

    def _apply_profile(self, profile: str, expires: date | None) -> date | None:
        if profile == "expiring":
            return self.today + timedelta(days=self.rng.randint(1, 13))
        if profile == "expired":
            return self.today - timedelta(days=self.rng.randint(1, 60))
        return expires

    def _plan_assets(self, count: int) -> None:
        local_count = count // 10
        grouped = count - local_count
        group = 0
        rng = self.rng
        while len(self.assets) < grouped:
            master = self._add_master(group)
            kind = self.assets[master].media.kind
            if kind == "document":
                k = 0
            elif kind == "video":
                k = rng.choice((0, 1, 2))
            else:
                k = rng.choice((0, 1, 2, 2, 3, 3, 4, 6))
            territories = self.assets[master].territories
            pool = [m for m in MARKET_CODES if "*" in territories or m in territories]
            if rng.random() < 0.1:
                pool = list(MARKET_CODES)
            markets = rng.few(pool, min(k, len(pool)))
            if group == 0:  # the demo lead's markets adapt the first master: one stale, one current
                markets = [*LEAD_MARKETS, *(m for m in markets if m not in LEAD_MARKETS)]
            for position, market in enumerate(markets[: grouped - len(self.assets)]):
                stale = group == 0 and position == 0
                self._add_variant(master, market, stale=stale)
            group += 1
        while len(self.assets) < count:
            self._add_local_original()

    def _add_master(self, group: int) -> int:
        rng = self.rng
        campaign = self._campaign()
        c = CAMPAIGNS[campaign]
        r = rng.random()
        kind: MediaKind = "image"
        if group >= 3 and r >= 0.91:
            kind = "video" if r < 0.97 else "document"
        day = self._asset_day(campaign)
        media = self._media(kind, campaign, None)
        purpose = (
            rng.choice(IMAGE_PURPOSES)
            if kind == "image"
            else ("bumper-6s" if kind == "video" else "doc")
        )
        holder_index = rng.weighted((0, 1, 2, 3), (30, 30, 25, 15))
        holder, licence, people = HOLDERS[c.brand][holder_index]
        usage: tuple[str, ...] = ("organic", "paid")
        talent: bool | None = True if people else None
        if people and rng.random() < 0.08:
            talent = False  # release pending: organic only until it arrives
            usage = ("organic",)
        elif holder_index == 3 and rng.random() < 0.5:
            usage = ("organic",)
        expires: date | None = (
            None,
            day + timedelta(730),
            day + timedelta(365),
            day + timedelta(182),
        )[holder_index]
        territories: tuple[str, ...] = ("*",)
        if holder_index == 2 and rng.random() < 0.4:
            territories = rng.choice(_TERRITORY_SETS)
        forced = {1: "expiring", 2: "embargo_lifting"}.get(group)
        profile = self._profile(forced if forced != "embargo_lifting" else None)
        expires = self._apply_profile(profile, expires)
        if kind == "document":
            usage, talent, expires = ("organic",), None, None
        embargo_until: datetime | None = None
        embargo_markets: tuple[str, ...] = ()
        r = rng.random()
        if forced == "embargo_lifting":
            embargo_until, embargo_markets = self._lifting_soon(), ("*",)
        elif self.starts[campaign] > self.today and r < 0.7:
            embargo_until = datetime.combine(self.starts[campaign], time(7), UTC)
            embargo_markets = ("*",)
        elif r < 0.03:
            embargo_until = self._lifting_soon()
            embargo_markets = ("*",) if rng.random() < 0.6 else tuple(rng.few(MARKET_CODES, 2))
        elif r < 0.08:
            lifted = datetime.combine(day, time(7), UTC) + timedelta(days=rng.randint(1, 10))
            if lifted < self.clock:
                embargo_until, embargo_markets = lifted, ("*",)
        status = self._asset_status(campaign, profile == "expired")
        index = len(self.assets)
        self.assets.append(
            _Asset(
                campaign=campaign,
                market=None,
                master=None,
                adapted_from=None,
                version=2 if group == 0 else rng.weighted((1, 2, 3), (60, 28, 12)),
                media=media,
                purpose=purpose,
                name=self._name(campaign, None, day, media, purpose),
                day=day,
                status=status,
                holder=holder,
                licence=licence,
                usage=usage,
                territories=territories,
                expires_on=expires,
                talent=talent,
                embargo_until=embargo_until,
                embargo_markets=embargo_markets,
            )
        )
        if kind != "document":
            self._attachable[campaign].append(index)
        return index

    def _add_variant(self, master_index: int, market: str, *, stale: bool) -> int:
        rng = self.rng
        master = self.assets[master_index]
        campaign = master.campaign
        day = min(master.day + timedelta(days=rng.randint(0, 6)), self.today)
        style = master.media.style
        if master.media.kind == "image" and rng.random() < 0.2:
            style = rng.weighted(_CROP_NAMES, _CROP_WEIGHTS)  # a local crop
        media = self._media(master.media.kind, campaign, style)
        if stale:
            adapted_from = 1
        elif rng.random() < 0.7:
            adapted_from = master.version
        else:
            adapted_from = rng.randint(1, master.version)
        if rng.random() < 0.12:  # a local shoot for this market
            holder, licence = LOCAL_HOLDERS[market]
            usage: tuple[str, ...] = ("organic", "paid") if rng.random() < 0.7 else ("organic",)
            territories: tuple[str, ...] = (market,)
            expires: date | None = day + timedelta(days=365)
            talent: bool | None = True
        else:
            holder, licence, usage = master.holder, master.licence, master.usage
            territories = (market,) if rng.random() < 0.6 else master.territories
            expires, talent = master.expires_on, master.talent
        queue = self._forced_variant.get(market)
        forced = queue.pop(0) if queue else None
        profile = self._profile(forced)
        if profile != "embargo_lifting":
            expires = self._apply_profile(profile, expires)
        embargo_until: datetime | None = None
        embargo_markets: tuple[str, ...] = ()
        if master.embargo_until is not None and master.embargo_until > self.clock:
            embargo_until = master.embargo_until
            embargo_markets = ("*",) if "*" in master.embargo_markets else (market,)
        elif profile == "embargo_lifting" or rng.random() < 0.03:
            embargo_until, embargo_markets = self._lifting_soon(), (market,)
        if master.status == "retired":
            status = "retired"
        else:
            status = self._asset_status(campaign, profile == "expired")
        index = len(self.assets)
        self.assets.append(
            _Asset(
                campaign=campaign,
                market=market,
                master=master_index,
                adapted_from=adapted_from,
                version=1 if rng.random() < 0.8 else 2,
                media=media,
                purpose=master.purpose,
                name=self._name(campaign, market, day, media, master.purpose),
                day=day,
                status=status,
                holder=holder,
                licence=licence,
                usage=usage,
                territories=territories,
                expires_on=expires,
                talent=talent,
                embargo_until=embargo_until,
                embargo_markets=embargo_markets,
            )
        )
        self._variants.setdefault(master_index, {})[market] = index
        self._local[campaign, market].append(index)
        return index

    def _add_local_original(self) -> int:
        rng = self.rng
        campaign = self._campaign()
        market = self._market()
        kind: MediaKind = "image" if rng.random() < 0.95 else "video"
        day = self._asset_day(campaign)
        media = self._media(kind, campaign, None)
        purpose = rng.choice(IMAGE_PURPOSES) if kind == "image" else "bumper-6s"
        holder, licence = LOCAL_HOLDERS[market]
        profile = self._profile(None)
        expires = self._apply_profile(profile, day + timedelta(days=365))
        embargo_until: datetime | None = None
        embargo_markets: tuple[str, ...] = ()
        if rng.random() < 0.03:
            embargo_until, embargo_markets = self._lifting_soon(), (market,)
        index = len(self.assets)
        self.assets.append(
            _Asset(
                campaign=campaign,
                market=market,
                master=None,
                adapted_from=None,
                version=rng.weighted((1, 2), (80, 20)),
                media=media,
                purpose=purpose,
                name=self._name(campaign, market, day, media, purpose),
                day=day,
                status=self._asset_status(campaign, profile == "expired"),
                holder=holder,
                licence=licence,
                usage=("organic", "paid") if rng.random() < 0.75 else ("organic",),
                territories=(market,),
                expires_on=expires,
                talent=rng.random() < 0.6,
                embargo_until=embargo_until,
                embargo_markets=embargo_markets,
            )
        )
        self._local[campaign, market].append(index)
        return index

    # -- entries ---------------------------------------------------------------------------

    def _status(self, start: datetime, end: datetime) -> str:
        rng = self.rng
        if start <= self.clock:
            return "published" if rng.random() < 0.9 else "cancelled"
        if start < self.t0 + timedelta(hours=48):
            return "approved" if rng.random() < 0.7 else "planned"
        return rng.weighted(("draft", "planned", "approved", "cancelled"), (25, 40, 30, 5))

    def _local_time(self, day: date, market: str) -> datetime:
        hour, minute = self.rng.choice(_LOCAL_SLOTS)
        zone = ZoneInfo(MARKET_BY_CODE[market].timezone)
        return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)

    def _pick_assets(
        self,
        candidates: list[int],
        want: int,
        entry: _Entry,
        usage: str,
    ) -> tuple[int, ...]:
        if not candidates or want == 0:
            return ()
        rng = self.rng
        check = entry.status != "draft"  # drafts may name what they may not use: the app says why
        if entry.channel in ("youtube", "tiktok") and rng.random() < 0.7:
            sample = [rng.choice(candidates) for _ in range(12)]
            videos = [a for a in sample if self.assets[a].media.kind == "video"]
            if videos:
                candidates = videos
        chosen: list[int] = []
        for _ in range(want * 4):
            asset = rng.choice(candidates)
            if asset in chosen:
                continue
            if check and not self._usable(
                self.assets[asset], entry.market, entry.starts, entry.ends, usage
            ):
                continue
            chosen.append(asset)
            if len(chosen) == want:
                break
        return tuple(chosen)

    def _entry_usage(self, kind: str) -> str:
        return "paid" if kind == "paid_burst" else "organic"

    def _want(self, kind: str, channel: str | None) -> int:
        if kind == "moment":
            return self.rng.choice((0, 0, 1))
        if kind == "organic_post" and channel in ("instagram", "linkedin", "facebook"):
            return self.rng.choice((1, 1, 1, 2, 3))
        return self.rng.choice((1, 1, 2))

    def _new_global(self, number: int) -> _Entry:
        rng = self.rng
        # The first master post runs a few days ahead, so its adaptations are live work.
        campaign = self._active_campaign(days_left=7) if number == 0 else self._campaign()
        c = CAMPAIGNS[campaign]
        lo = max(self.starts[campaign], self.first_day)
        hi = min(self.ends[campaign], self.last_day)
        if number == 0:
            kind = "organic_post"
        elif c.launch and "launch" + c.slug not in self._made and lo == self.starts[campaign]:
            self._made.add("launch" + c.slug)
            kind = "launch"
        else:
            kind = rng.weighted(("organic_post", "paid_burst", "moment", "launch"), (80, 6, 10, 4))
            if kind == "launch" and not c.launch:
                kind = "organic_post"
        day = self._days(lo, hi)
        if number == 0:
            day = self.today + timedelta(days=rng.randint(3, 6))
        if kind == "launch":
            day = self.starts[campaign] if lo == self.starts[campaign] else day
            start = datetime.combine(day, time(13), UTC)
            end = start
            channel: str | None = _weighted(rng, LAUNCH_CHANNELS)
            angle = rng.choice(LAUNCH_ANGLES)
        elif kind == "paid_burst":
            for _ in range(8):  # central bursts mostly follow each other
                start = datetime.combine(day, time(6), UTC)
                end = start + timedelta(days=rng.randint(4, 14))
                if self._quiet(None, start, end):
                    break
                day = self._days(lo, hi)
            channel = _weighted(rng, PAID_CHANNELS)
            angle = rng.choice(PAID_ANGLES)
        elif kind == "moment":
            start = datetime.combine(day, time(), UTC)
            end = start + timedelta(days=1)
            channel = None
            angle = rng.choice(MOMENTS)
        else:
            start = datetime.combine(day, time(rng.randint(8, 16), 15 * rng.randint(0, 3)), UTC)
            end = start
            channel = _weighted(rng, ORGANIC_CHANNELS)
            angle = rng.choice(ORGANIC_ANGLES)
        entry = _Entry(
            campaign=campaign,
            kind=kind,
            market=None,
            channel=channel,
            starts=start,
            ends=end,
            status=self._status(start, end),
            angle=angle,
            version=2 if number == 0 else rng.weighted((1, 2, 3), (60, 30, 10)),
        )
        if number == 0:
            entry.status = "approved"
        entry.assets = self._pick_assets(
            self._attachable[campaign], self._want(kind, channel), entry, self._entry_usage(kind)
        )
        return entry

    def _new_adaptation(
        self, parent_index: int, parent: _Entry, market: str, special: str
    ) -> _Entry:
        rng = self.rng
        drift = 0
        if special == "drift" or (special == "" and rng.random() < 0.12):
            drift = rng.choice((-5, -4, -3, -2, 2, 3, 4, 5)) if special == "" else 3
        shift = timedelta(days=drift)
        if parent.kind in ("organic_post", "launch"):
            zone = ZoneInfo(MARKET_BY_CODE[market].timezone)
            local_day = parent.starts.astimezone(zone).date()
            start = self._local_time(local_day, market) + shift
            end = start
        else:
            start, end = parent.starts + shift, parent.ends + shift
        if special == "stale":
            adapted_from = 1
        elif parent.version == 1 or rng.random() < 0.72:
            adapted_from = parent.version
        else:
            adapted_from = rng.randint(1, parent.version - 1)
        status = "cancelled" if parent.status == "cancelled" else self._status(start, end)
        if special and start > self.clock:
            status = "planned"
        entry = _Entry(
            campaign=parent.campaign,
            kind=parent.kind,
            market=market,
            channel=parent.channel,
            starts=start,
            ends=end,
            status=status,
            angle=parent.angle,
            version=rng.weighted((1, 2), (75, 25)),
            parent=parent_index,
            adapted_from=adapted_from,
        )
        usage = self._entry_usage(entry.kind)
        chosen: list[int] = []
        for master in parent.assets:
            local = self._variants.get(master, {}).get(market, master)
            if entry.status == "draft" or self._usable(
                self.assets[local], market, start, end, usage
            ):
                chosen.append(local)
        if not chosen and parent.assets:
            chosen = list(self._pick_assets(self._local[parent.campaign, market], 1, entry, usage))
        entry.assets = tuple(chosen)
        return entry

    def _copy_mode(self, entry: _Entry) -> CopyMode:
        rng = self.rng
        if entry.kind == "moment":
            return "ok"
        if entry.status == "draft":
            if entry.market is not None and ("forbidden" not in self._made or rng.random() < 0.06):
                self._made.add("forbidden")
                return "forbidden"
            if entry.channel == "x":
                if "over" not in self._made or rng.random() < 0.25:
                    self._made.add("over")
                    return "over"
                if rng.random() < 0.2:
                    return "near"
        elif (
            entry.channel == "x"
            and entry.kind != "paid_burst"
            and ("near" not in self._made or rng.random() < 0.1)
        ):
            self._made.add("near")
            return "near"
        return "ok"

    def _plan_entries(self, count: int) -> None:
        rng = self.rng
        local_count = round(count * 0.25) if count >= 8 else count // 4
        central = count - local_count
        globals_: list[_Entry] = []
        adaptations: list[_Entry] = []
        while len(globals_) + len(adaptations) < central:
            number = len(globals_)
            parent = self._new_global(number)
            globals_.append(parent)
            self._book(parent)
            room = central - len(globals_) - len(adaptations)
            if number == 0:
                markets = [*LEAD_MARKETS, "us"]
                specials = ["stale", "drift", ""]
            else:
                k = (
                    rng.choice((0, 0, 1, 2))
                    if parent.kind == "moment"
                    else rng.choice((0, 1, 1, 2, 2, 3, 4))
                )
                markets = rng.few(MARKET_CODES, k)
                specials = [""] * k
            for market, special in list(zip(markets, specials, strict=True))[:room]:
                adaptation = self._new_adaptation(number, parent, market, special)
                adaptations.append(adaptation)
                self._book(adaptation)
        self.entries = globals_ + adaptations
        self._plan_local_entries(local_count)
        for entry in self.entries:
            entry.mode = self._copy_mode(entry)
        self._ensure_copy_scenarios()

    def _ensure_copy_scenarios(self) -> None:
        """Make sure the checks have something to show at any size with a few entries: a draft
        X post over the limit, a local draft with a forbidden term, an X post near the limit."""
        later = self.t0 + timedelta(days=3)
        spare = [
            e
            for e in self.entries
            if e.kind == "organic_post"
            and e.starts > later
            and e.mode == "ok"
            and e.market is not None  # a local post of its own: no adaptations hang on it
            and e.parent is None
        ]
        for scenario in ("over", "forbidden", "near"):
            if scenario in self._made:
                continue
            for entry in spare:
                if entry.mode == "ok":
                    entry.mode = scenario
                    if scenario != "forbidden":
                        entry.channel = "x"
                    if scenario != "near":
                        entry.status = "draft"
                    self._made.add(scenario)
                    break

    def _plan_local_entries(self, count: int) -> None:
        rng = self.rng
        paid = self._paid
        specials: list[tuple[str, timedelta, str]] = []
        for market in LEAD_MARKETS:  # the demo lead's next 48 hours: one live post, two due
            specials += [
                (market, -timedelta(hours=rng.randint(3, 20)), "published"),
                (market, timedelta(hours=rng.randint(3, 22)), "approved"),
                (market, timedelta(hours=rng.randint(26, 34)), "planned"),
            ]
        made_overlap = False
        for number in range(count):
            if number < len(specials):
                market, offset, status = specials[number]
                campaign = self._active_campaign()
                start = self.clock + offset
                kind = "organic_post"
                end = start
            else:
                market, status = self._market(), ""
                campaign = self._campaign()
                kind = "paid_burst" if rng.random() < 0.22 else "organic_post"
                lo = max(self.starts[campaign], self.first_day)
                hi = min(self.ends[campaign], self.last_day)
                if kind == "paid_burst":
                    others = paid[market] or paid[None]
                    if others and (not made_overlap or rng.random() < 0.3):
                        other = rng.choice(others)
                        # Start inside the other burst, and inside the calendar's six weeks.
                        span = (other.ends - other.starts).days - 1
                        span = max(0, min(span, (self.last_day - other.starts.date()).days))
                        start = other.starts + timedelta(days=rng.randint(0, span), hours=2)
                        end = start + timedelta(days=rng.randint(4, 10))
                        made_overlap = True
                    else:
                        for _ in range(8):  # look for a quiet week; a crowded calendar has none
                            start = datetime.combine(self._days(lo, hi), time(7), UTC)
                            end = start + timedelta(days=rng.randint(4, 10))
                            if self._quiet(market, start, end):
                                break
                else:
                    start = self._local_time(self._days(lo, hi), market)
                    end = start
            channels = PAID_CHANNELS if kind == "paid_burst" else ORGANIC_CHANNELS
            entry = _Entry(
                campaign=campaign,
                kind=kind,
                market=market,
                channel=_weighted(rng, channels),
                starts=start,
                ends=end,
                status=status or self._status(start, end),
                angle=rng.choice(PAID_ANGLES if kind == "paid_burst" else ORGANIC_ANGLES),
                version=rng.weighted((1, 2), (80, 20)),
            )
            usage = self._entry_usage(kind)
            entry.assets = self._pick_assets(
                self._local[campaign, market] or self._attachable[campaign],
                self._want(kind, entry.channel),
                entry,
                usage,
            )
            self._book(entry)
            self.entries.append(entry)

    def _spend_days(self, start: datetime, end: datetime) -> range:
        first = max(0, (start.date() - self._busy_base).days)
        last = min(6 * WINDOW_DAYS - 1, (end.date() - self._busy_base).days)
        return range(first, last + 1)

    def _book(self, entry: _Entry) -> None:
        if entry.kind != "paid_burst" or entry.status == "cancelled":
            return
        self._paid[entry.market].append(entry)
        busy = self._busy[entry.market]
        for day in self._spend_days(entry.starts, entry.ends):
            busy[day] = 1

    def _quiet(self, market: str | None, start: datetime, end: datetime) -> bool:
        """No paid spend in ``market`` (or centrally) on any day of ``start..end``."""
        spent, central = self._busy[market], self._busy[None]
        return not any(spent[d] or central[d] for d in self._spend_days(start, end))

    def _active_campaign(self, days_left: int = 0) -> int:
        last = self.today + timedelta(days=days_left)
        active = [
            i
            for i in range(len(CAMPAIGNS))
            if self.starts[i] <= self.today and last <= self.ends[i]
        ]
        return self.rng.choice(active)

    # -- requests --------------------------------------------------------------------------

    def _budget(self, market: str, above: bool) -> Decimal:
        info = MARKET_BY_CODE[market]
        threshold = Decimal(info.boost_threshold)
        step = Decimal(10_000) if info.decimals == 0 else Decimal(50)
        factor = self.rng.uniform(1.15, 2.4) if above else self.rng.uniform(0.05, 0.9)
        amount = _round_money(threshold * Decimal(str(round(factor, 3))), step)
        if above and amount <= threshold:
            amount = threshold + step
        if not above and amount > threshold:
            amount = threshold
        return amount

    def _window(
        self, entry: _Entry, assets: tuple[int, ...], after: datetime, check: bool
    ) -> tuple[int, datetime, datetime] | None:
        rng = self.rng
        start = (after + timedelta(hours=1)).replace(minute=0, second=0) + timedelta(
            hours=rng.randint(1, 18)
        )
        end = start + timedelta(days=rng.randint(3, 10))
        for asset_index in assets:
            asset = self.assets[asset_index]
            if not check:
                return asset_index, start, end
            until = end
            if asset.expires_on is not None:
                until = min(end, end_of_day_utc(asset.expires_on) - timedelta(hours=1))
            if until - start < timedelta(days=1):
                continue
            if asset.status == "approved" and self._usable(
                asset, entry.market, start, until, "paid"
            ):
                return asset_index, start, until
        return None

    def _plan_requests(self) -> None:
        rng = self.rng
        if not self.entries or not self.assets:
            return
        target = max(6, round(len(self.entries) * 0.08))
        boostable = [
            i
            for i, e in enumerate(self.entries)
            if e.kind == "organic_post"
            and e.market is not None
            and e.assets
            and e.status in ("published", "approved")
            and e.mode == "ok"
            and e.starts >= self.clock - timedelta(days=35)
        ]
        rng.shuffle(boostable)
        # The demo lead's markets first, so the first of each status shows on their board.
        boostable.sort(key=lambda i: self.entries[i].market not in LEAD_MARKETS)
        queue = deque(boostable)
        open_count = 0
        for number in range(target):
            if number < len(_REQUEST_FIRST):
                status = _REQUEST_FIRST[number]
            else:
                status = _weighted(rng, _REQUEST_MIX)
                if number == len(_REQUEST_FIRST):
                    # Past the first six, stop favouring the lead's markets.
                    rest = list(queue)
                    rng.shuffle(rest)
                    queue = deque(rest)
            was_submitted = status in _SUBMITTED or (status == "withdrawn" and rng.random() < 0.5)
            emergency = rng.random() < 0.15
            sla = timedelta(hours=1 if emergency else 3)
            if status in ("submitted", "escalated"):
                breached = open_count % 2 == 1
                open_count += 1
                if breached:
                    ago = sla + timedelta(minutes=rng.randint(20, 20 * 60))
                else:
                    ago = timedelta(minutes=rng.randint(5, int(sla.total_seconds() // 60) - 10))
                submitted: datetime | None = self.clock - ago
            else:
                submitted = None  # decided or withdrawn ones get a time from their entry
            plan = self._request_for(
                status=status,
                was_submitted=was_submitted,
                submitted=submitted,
                sla=sla,
                queue=queue,
            )
            if plan is None:
                continue
            plan.priority = "emergency" if emergency else "standard"
            self.requests.append(plan)

    def _request_for(
        self,
        *,
        status: str,
        was_submitted: bool,
        submitted: datetime | None,
        sla: timedelta,
        queue: deque[int],
    ) -> _Request | None:
        """A request on the first suitable entry of ``queue``, which it takes out of it.

        Unsuitable entries go to the back (they may suit another status); the scan is bounded,
        so planning stays linear at any size.
        """
        rng = self.rng
        for _ in range(min(len(queue), 400)):
            entry_index = queue.popleft()
            queue.append(entry_index)
            entry = self.entries[entry_index]
            assert entry.market is not None
            earliest = entry.starts + timedelta(minutes=30)
            when = submitted
            if was_submitted and entry.status != "published":
                continue
            if when is None and was_submitted:
                latest = self.clock - timedelta(hours=6)
                if earliest > latest:
                    continue
                span = min((latest - earliest).total_seconds(), 48 * 3600)
                when = earliest + timedelta(seconds=rng.randint(0, int(span)))
            if when is not None and when < earliest:
                continue
            window = self._window(entry, entry.assets, when or self.clock, was_submitted)
            if window is None:
                continue
            asset_index, start, end = window
            queue.pop()
            return self._make_request(
                entry_index=entry_index,
                asset_index=asset_index,
                status=status,
                submitted=when,
                sla=sla,
                start=start,
                end=end,
            )
        return None

    def _make_request(
        self,
        *,
        entry_index: int,
        asset_index: int,
        status: str,
        submitted: datetime | None,
        sla: timedelta,
        start: datetime,
        end: datetime,
    ) -> _Request:
        rng = self.rng
        entry = self.entries[entry_index]
        market = entry.market
        assert market is not None
        info = MARKET_BY_CODE[market]
        above = {
            "escalated": True,
            "submitted": False,
            "approved": rng.random() < 0.2,
            "declined": rng.random() < 0.25,
        }.get(status, rng.random() < 0.15)
        amount = self._budget(market, above)
        decided_at: datetime | None = None
        decided_by: str | None = None
        note: str | None = None
        if status in ("approved", "declined"):
            assert submitted is not None
            decided_at = submitted + sla * rng.uniform(0.1, 1.6)
            decided_at = min(decided_at, self.clock - timedelta(minutes=30)).replace(microsecond=0)
            conductor = above or rng.random() < 0.15
            decided_by = _CONDUCTOR if conductor else _PAID_OPERATOR
            if status == "declined":
                note = rng.choice(DECLINE_NOTES)
            elif rng.random() < 0.35:
                note = rng.choice(APPROVE_NOTES)
        draft_like = submitted is None
        checklist = tuple(rng.random() < 0.6 for _ in CHECKLIST) if draft_like else (True,) * 5
        legal: str | None = None
        if info.legal_note and (not draft_like or rng.random() < 0.7):
            brand = BRAND_BY_CODE[CAMPAIGNS[entry.campaign].brand]
            legal = info.legal_note if rng.random() < 0.5 else f"{info.legal_note} | {brand.name}"
        cta_forbidden = False
        if status == "draft" and ("cta" not in self._made or rng.random() < 0.1):
            self._made.add("cta")
            cta_forbidden = True
        base = submitted or self.clock
        created = base - timedelta(minutes=rng.randint(10, 36 * 60))
        if entry.starts <= base:
            created = max(created, entry.starts)
        return _Request(
            entry=entry_index,
            asset=asset_index,
            market=market,
            status=status,
            priority="standard",
            amount=amount,
            starts=start,
            ends=end,
            created=created.replace(microsecond=0),
            submitted_at=submitted.replace(microsecond=0) if submitted else None,
            decided_at=decided_at,
            decided_by=decided_by,
            decision_note=note,
            checklist=checklist,
            legal_note=legal,
            cta_forbidden=cta_forbidden,
        )

    # -- comments --------------------------------------------------------------------------

    def _plan_comments(self) -> None:
        if not self.entries:
            return
        rng = self.rng
        target = max(4, len(self.entries) // 40)
        leads = {m: p.username for p in PEOPLE if p.role == "section_lead" for m in p.markets}
        pools: dict[str, list[tuple[str, int, str]]] = {
            "stale": [],
            "drift": [],
            "declined": [],
            "rights": [],
            "general": [],
        }
        for i, e in enumerate(self.entries):
            if e.parent is not None and e.market is not None:
                parent = self.entries[e.parent]
                if e.adapted_from is not None and e.adapted_from < parent.version:
                    pools["stale"].append(("calendar_entry", i, _CONDUCTOR))
                elif abs((e.starts - parent.starts).days) >= 2:
                    pools["drift"].append(("calendar_entry", i, _CONDUCTOR))
            elif e.status in ("approved", "published") and len(pools["general"]) < target:
                author = _CONDUCTOR if e.market is None else leads[e.market]
                pools["general"].append(("calendar_entry", i, author))
        after: dict[tuple[str, int], datetime] = {}
        for i, r in enumerate(self.requests):
            if r.status == "declined" and r.decided_at is not None:
                pools["declined"].append(("amplification_request", i, leads[r.market]))
                after["amplification_request", i] = r.decided_at
        soon = self.today + timedelta(days=14)
        for i, a in enumerate(self.assets):
            if a.expires_on is not None and self.today <= a.expires_on <= soon:
                pools["rights"].append(("asset", i, _COMPLIANCE))
        for pool in pools.values():
            rng.shuffle(pool)
        order = ("stale", "drift", "declined", "rights", "general")
        while len(self.comments) < target and any(pools.values()):
            for kind in order:
                if pools[kind] and len(self.comments) < target:
                    target_type, target_index, author = pools[kind].pop()
                    at = self.clock - timedelta(minutes=rng.randint(15, 5 * 24 * 60))
                    decided = after.get((target_type, target_index))
                    if decided is not None:
                        at = min(decided + timedelta(minutes=rng.randint(10, 600)), self.clock)
                    self.comments.append(
                        _Comment(
                            target_type=target_type,
                            target=target_index,
                            author=author,
                            body=rng.choice(COMMENTS[kind]),
                            at=at,
                        )
                    )


# --- the workspace ------------------------------------------------------------------------


@dataclass(eq=False)
class DemoWorkspace:
    """A generated demo workspace. ``records()`` may be iterated any number of times."""

    seed: int
    today: date
    users: list[DemoUser]
    counts: dict[str, int]
    clock: datetime  # the demo's "now": today at 12:00 UTC
    _plan: _Planner = field(repr=False)
    _namespace: uuid.UUID = field(repr=False)
    _ids: IdMaker = field(init=False, repr=False)
    _by_sha: dict[str, MediaSpec] | None = field(default=None, repr=False)

    # -- ids -------------------------------------------------------------------------------

    def record_id(self, record_type: str, key: str | int) -> str:
        """The id of a record: uuid5 of the seed's namespace and ``type/key``."""
        return self._ids(f"{record_type}/{key}")

    def __post_init__(self) -> None:
        self._ids = IdMaker(self._namespace)

    def user(self, username: str) -> DemoUser:
        for user in self.users:
            if user.username == username:
                return user
        raise KeyError(f"no demo user {username!r}")

    # -- blobs -----------------------------------------------------------------------------

    def blob_shas(self) -> list[str]:
        """Every distinct sha256 the assets name, in first-use order (renders what is missing)."""
        return list(self._sha_index())

    def blob(self, sha256: str) -> bytes:
        """The bytes of one of ``blob_shas()``; KeyError for any other hash."""
        spec = self._sha_index().get(sha256)
        if spec is None:
            raise KeyError(f"no demo file has sha256 {sha256}")
        return MEDIA_CACHE.data(spec)

    def _sha_index(self) -> dict[str, MediaSpec]:
        if self._by_sha is None:
            MEDIA_CACHE.prefetch(self._plan.specs)
            self._by_sha = {MEDIA_CACHE.info(spec).sha256: spec for spec in self._plan.specs}
        return self._by_sha

    # -- records ---------------------------------------------------------------------------

    def envelopes(self, *, markets: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """The records as a pull brings them to a reader of ``markets`` (None: every market),
        as protocol envelopes with increasing ``seq``: for filling a local store without a
        server (tests, benchmarks)."""
        readable = None if markets is None else set(markets)
        for seq, record in enumerate(self.records(), start=1):
            market = record.data.get("market")
            scoped = record.type not in ("market", "brand", "campaign", "comment")
            if readable is not None and scoped and market is not None and market not in readable:
                continue
            yield {
                "type": record.type,
                "id": record.id,
                "version": record.version,
                "seq": seq,
                "updated_at": record.updated_at or format_time(self.clock),
                "updated_by": record.updated_by,
                "deleted": False,
                "data": record.data,
            }

    def records(self) -> Iterator[DemoRecord]:
        """Every record in dependency order: markets, brands, campaigns, assets, entries,
        requests, comments. A generator: it holds the plan, the ids made so far (references
        name earlier records) and one record at a time."""
        rng = DemoRandom(f"sectiondesk-demo/{self.seed}/records")
        MEDIA_CACHE.prefetch(self._plan.specs)
        ids: dict[str, list[str]] = {"asset": [], "calendar_entry": [], "amplification_request": []}
        yield from self._global_records()
        yield from self._asset_records(rng, ids["asset"])
        yield from self._entry_records(rng, ids)
        yield from self._request_records(rng, ids)
        yield from self._comment_records(ids)

    def _uid(self, username: str) -> str:
        return self.user(username).id

    def _global_records(self) -> Iterator[DemoRecord]:
        conductor = self._uid(_CONDUCTOR)
        setup = self.clock - timedelta(days=120)
        for i, m in enumerate(MARKETS):
            yield DemoRecord(
                type="market",
                id=self.record_id("market", m.code),
                data={
                    "code": m.code,
                    "name": m.name,
                    "region": m.region,
                    "languages": [m.language],
                    "timezone": m.timezone,
                    "currency": m.currency,
                    "forbidden_terms": list(m.forbidden_terms),
                    "legal_note": m.legal_note,
                    "boost_threshold": m.boost_threshold,
                },
                updated_by=conductor,
                updated_at=_time_text(setup + timedelta(minutes=i)),
            )
        for i, b in enumerate(BRANDS):
            yield DemoRecord(
                type="brand",
                id=self.record_id("brand", b.code),
                data={"code": b.code, "name": b.name},
                updated_by=conductor,
                updated_at=_time_text(setup + timedelta(hours=1, minutes=i)),
            )
        plan = self._plan
        for i, c in enumerate(CAMPAIGNS):
            start, end = plan.starts[i], plan.ends[i]
            status = (
                "planned" if start > self.today else "completed" if end < self.today else "active"
            )
            yield DemoRecord(
                type="campaign",
                id=self.record_id("campaign", c.slug),
                data={
                    "name": c.name,
                    "brand": c.brand,
                    "objective": c.objective,
                    "primary_kpi": c.primary_kpi,
                    "starts_on": start.isoformat(),
                    "ends_on": end.isoformat(),
                    "top_messages": list(c.top_messages),
                    "status": status,
                },
                version=2 if status != "planned" else 1,
                updated_by=conductor,
                updated_at=_time_text(
                    min(datetime.combine(start, time(9), UTC) - timedelta(days=30), self.clock)
                ),
            )

    def _lead_of(self, market: str | None) -> str:
        if market is None:
            return _CONDUCTOR
        return next(p.username for p in PEOPLE if p.role == "section_lead" and market in p.markets)

    def _asset_records(self, rng: DemoRandom, asset_ids: list[str]) -> Iterator[DemoRecord]:
        plan = self._plan
        campaign_ids = [self.record_id("campaign", c.slug) for c in CAMPAIGNS]
        user_ids = {p.username: self._uid(p.username) for p in PEOPLE}
        leads: dict[str | None, str] = {m: user_ids[self._lead_of(m)] for m in MARKET_CODES}
        leads[None] = user_ids[_CONDUCTOR]
        for index, a in enumerate(plan.assets):
            record_id = self.record_id("asset", index)
            asset_ids.append(record_id)
            c = CAMPAIGNS[a.campaign]
            brand = BRAND_BY_CODE[c.brand]
            info = MEDIA_CACHE.info(a.media)
            copy = MARKET_BY_CODE[a.market].copy if a.market else "en"
            language = MARKET_BY_CODE[a.market].language if a.market else GLOBAL_LANGUAGE
            if a.media.kind == "document":
                language = GLOBAL_LANGUAGE
            where = a.market.upper() if a.market else "global"
            if a.media.kind == "image":
                title = f"{c.name} {a.purpose}, {a.media.style} ({where})"
                alt = f"{c.scenes[copy]}, {CROP_WORDS[copy][a.media.style]}"
            elif a.media.kind == "video":
                title = f"{c.name} 6s bumper, {a.media.style} ({where})"
                alt = f"{c.scenes[copy]} (video)"
            else:
                title = f"{c.name} {a.media.style.replace('-', ' ')} (PDF)"
                alt = None
            tags = list(
                dict.fromkeys(
                    [
                        *rng.run(c.tags, 2),
                        *rng.run(brand.tags, rng.randint(1, 3)),
                        *rng.run(GENERIC_TAGS, rng.randint(0, 2)),
                        a.media.kind if a.media.kind != "image" else a.media.style,
                        *(("localized",) if a.master is not None else ()),
                    ]
                )
            )
            created = datetime.combine(a.day, time(rng.randint(8, 17), rng.randint(0, 59)), UTC)
            updated = min(
                created + timedelta(days=3 * (a.version - 1), minutes=a.version),
                self.clock - timedelta(minutes=1),
            )
            yield DemoRecord(
                type="asset",
                id=record_id,
                data={
                    "name": a.name,
                    "title": title,
                    "kind": a.media.kind,
                    "sha256": info.sha256,
                    "size": info.size,
                    "mime": info.mime,
                    "width": info.width,
                    "height": info.height,
                    "brand": c.brand,
                    "campaign_id": campaign_ids[a.campaign],
                    "market": a.market,
                    "language": language,
                    "master_id": None if a.master is None else asset_ids[a.master],
                    "adapted_from_version": a.adapted_from,
                    "tags": tags,
                    "alt_text": alt,
                    "status": a.status,
                    "rights": {
                        "holder": a.holder,
                        "license": a.licence,
                        "usage": list(a.usage),
                        "territories": list(a.territories),
                        "expires_on": a.expires_on.isoformat() if a.expires_on else None,
                        "talent_release": a.talent,
                        "notes": rng.choice(RIGHTS_NOTES) if rng.random() < 0.2 else None,
                    },
                    "embargo": {
                        "until": _time_text(a.embargo_until) if a.embargo_until else None,
                        "markets": list(a.embargo_markets),
                    },
                },
                version=a.version,
                updated_by=leads[a.market],
                updated_at=_time_text(updated),
            )

    def _entry_records(self, rng: DemoRandom, ids: dict[str, list[str]]) -> Iterator[DemoRecord]:
        asset_ids, entry_ids = ids["asset"], ids["calendar_entry"]
        plan = self._plan
        campaign_ids = [self.record_id("campaign", c.slug) for c in CAMPAIGNS]
        conductor = self._uid(_CONDUCTOR)
        operator = self._uid(_PAID_OPERATOR)
        leads = {m: self._uid(self._lead_of(m)) for m in MARKET_CODES}
        for index, e in enumerate(plan.entries):
            record_id = self.record_id("calendar_entry", index)
            entry_ids.append(record_id)
            c = CAMPAIGNS[e.campaign]
            copy = MARKET_BY_CODE[e.market].copy if e.market else "en"
            owner = leads[e.market] if e.market else conductor
            title = f"{e.angle}: {c.name}" if e.kind == "moment" else f"{c.name}: {e.angle}"
            if e.market:
                title = f"{title} ({e.market.upper()})"
            paid = operator if e.kind == "paid_burst" or rng.random() < 0.25 else None
            edited = min(self.clock - timedelta(hours=1), e.starts - timedelta(days=1))
            updated = edited - timedelta(minutes=rng.randint(0, 14 * 24 * 60))
            if e.status == "published":
                updated = min(e.starts + timedelta(minutes=rng.randint(1, 30)), self.clock)
            yield DemoRecord(
                type="calendar_entry",
                id=record_id,
                data={
                    "campaign_id": campaign_ids[e.campaign],
                    "kind": e.kind,
                    "market": e.market,
                    "channel": e.channel,
                    "title": title,
                    "caption": make_caption(
                        rng,
                        language=copy,
                        campaign=c,
                        channel=e.channel,
                        kind=e.kind,
                        mode=e.mode,
                    ),
                    "starts_at": _time_text(e.starts),
                    "ends_at": _time_text(e.ends),
                    "status": e.status,
                    "asset_ids": [asset_ids[a] for a in e.assets],
                    "parent_id": (None if e.parent is None else entry_ids[e.parent]),
                    "adapted_from_version": e.adapted_from,
                    "owners": {"market": owner, "creative": owner, "paid": paid},
                    "utm_campaign": (
                        None
                        if e.kind == "moment"
                        else f"{c.brand}_{c.slug.replace('-', '_')}_{e.market or 'global'}"
                    ),
                },
                version=e.version,
                updated_by=owner,
                updated_at=_time_text(updated),
            )

    def _request_records(self, rng: DemoRandom, ids: dict[str, list[str]]) -> Iterator[DemoRecord]:
        plan = self._plan
        for index, r in enumerate(plan.requests):
            record_id = self.record_id("amplification_request", index)
            ids["amplification_request"].append(record_id)
            entry = plan.entries[r.entry]
            c = CAMPAIGNS[entry.campaign]
            info = MARKET_BY_CODE[r.market]
            lead = self._uid(self._lead_of(r.market))
            sla = timedelta(hours=1 if r.priority == "emergency" else 3)
            cta = (
                FORBIDDEN_CTAS[info.copy]
                if r.cta_forbidden
                else rng.choice(REQUEST_CTAS[info.copy])
            )
            touched = max(t for t in (r.created, r.submitted_at, r.decided_at) if t is not None)
            if r.status == "withdrawn":
                touched = min(touched + timedelta(minutes=rng.randint(5, 240)), self.clock)
            yield DemoRecord(
                type="amplification_request",
                id=record_id,
                data={
                    "entry_id": ids["calendar_entry"][r.entry],
                    "asset_id": ids["asset"][r.asset],
                    "market": r.market,
                    "cta": cta,
                    "audience": f"{r.market.upper()}: {rng.choice(AUDIENCES[c.brand])}",
                    "budget": {
                        "amount": _money_text(r.amount, info.decimals),
                        "currency": info.currency,
                    },
                    "starts_at": _time_text(r.starts),
                    "ends_at": _time_text(r.ends),
                    "primary_kpi": c.primary_kpi,
                    "priority": r.priority,
                    "legal_note": r.legal_note,
                    "checklist": dict(zip(CHECKLIST, r.checklist, strict=True)),
                    "status": r.status,
                    "submitted_at": _time_text(r.submitted_at) if r.submitted_at else None,
                    "sla_due_at": _time_text(r.submitted_at + sla) if r.submitted_at else None,
                    "decided_at": _time_text(r.decided_at) if r.decided_at else None,
                    "decided_by": self._uid(r.decided_by) if r.decided_by else None,
                    "decision_note": r.decision_note,
                },
                version={"draft": 1, "submitted": 2, "escalated": 2}.get(r.status, 3),
                updated_by=self._uid(r.decided_by) if r.decided_by else lead,
                updated_at=_time_text(touched),
            )

    def _comment_records(self, ids: dict[str, list[str]]) -> Iterator[DemoRecord]:
        for index, cm in enumerate(self._plan.comments):
            yield DemoRecord(
                type="comment",
                id=self.record_id("comment", index),
                data={
                    "target_type": cm.target_type,
                    "target_id": ids[cm.target_type][cm.target],
                    "body": cm.body,
                },
                updated_by=self._uid(cm.author),
                updated_at=_time_text(cm.at),
            )


def _namespace(seed: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://sectiondesk.invalid/demo/{seed}")


def generate_workspace(
    *, seed: int = 7, assets: int = 200, entries: int = 300, today: date | None = None
) -> DemoWorkspace:
    """Plan a demo workspace of about ``assets`` assets and ``entries`` calendar entries.

    Deterministic for a given ``seed`` and ``today`` (default: today's date in UTC). Planning
    is cheap (about a second for 100,000 assets); records and files are made when asked for.
    """
    if assets < 0 or entries < 0:
        raise ValueError("assets and entries must be zero or more")
    if today is None:
        today = datetime.now(UTC).date()
    namespace = _namespace(seed)
    users = [
        DemoUser(
            id=str(uuid.uuid5(namespace, f"user/{p.username}")),
            username=p.username,
            password=p.password,
            display_name=p.display_name,
            role=p.role,
            markets=p.markets,
        )
        for p in PEOPLE
    ]
    plan = _Planner(seed=seed, today=today, assets=assets, entries=entries)
    counts = {
        "market": len(MARKETS),
        "brand": len(BRANDS),
        "campaign": len(CAMPAIGNS),
        "asset": len(plan.assets),
        "calendar_entry": len(plan.entries),
        "amplification_request": len(plan.requests),
        "comment": len(plan.comments),
    }
    return DemoWorkspace(
        seed=seed,
        today=today,
        users=users,
        counts=counts,
        clock=plan.clock,
        _plan=plan,
        _namespace=namespace,
    )
