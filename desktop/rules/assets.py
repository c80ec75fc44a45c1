"""What an asset's data should satisfy. Nothing here blocks a write (PROTOCOL.md rejects an asset
only for a missing blob); everything is a warning or a note for the asset bank."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.rules._text import obj, str_list
from desktop.rules.findings import Finding
from desktop.rules.naming import check_name
from desktop.rules.rights import rights_expiring


def check_asset(asset: dict[str, Any], *, now: datetime | None = None) -> list[Finding]:
    """Naming (``name_invalid``, ``name_market_mismatch``, ``name_brand_mismatch``), rights
    (``rights_missing``; ``rights_expired`` when ``now`` is given) and ``embargo_no_markets``.

    ``rights_missing`` is a warning for a ``ready`` or ``approved`` asset, a note otherwise.
    """
    market = asset.get("market") if isinstance(asset.get("market"), str) else None
    brand = asset.get("brand") if isinstance(asset.get("brand"), str) else None
    findings = check_name(asset.get("name"), market=market, brand=brand)
    rights = obj(asset.get("rights"))
    if not str_list(rights.get("usage")):
        findings.append(
            Finding(
                "rights_missing",
                "warning" if asset.get("status") in ("ready", "approved") else "info",
                "rights.usage",
                "No usage rights are recorded (organic or paid): this asset cannot be scheduled "
                "or boosted until they are.",
            )
        )
    if now is not None:
        expiry = rights_expiring(rights, now=now, days=0)
        if expiry is not None and expiry.code == "rights_expired":
            findings.append(expiry)
    embargo = obj(asset.get("embargo"))
    if embargo.get("until") is not None and not str_list(embargo.get("markets")):
        findings.append(
            Finding(
                "embargo_no_markets",
                "warning",
                "embargo.markets",
                "The embargo has an end time but no markets, so it holds nowhere; "
                "choose the markets it holds in, or all markets.",
            )
        )
    return findings
