"""The asset naming convention ``brand_market_YYYYMMDD_campaign_variant``.

The convention, precisely (decided here, where PROTOCOL.md only names it):

- five parts separated by ``_``, all lower case, no file extension (the name is the asset's, the
  extension belongs to the file);
- ``brand``: the brand code, ``[a-z0-9]{1,32}`` (the same rule as ``brand.code``);
- ``market``: a market code ``[a-z]{2,8}`` (the same rule as ``market.code``), or ``global`` for
  masters (so ``global`` cannot be a market code);
- ``YYYYMMDD``: a real calendar date;
- ``campaign`` and ``variant``: ``[a-z0-9]`` runs joined by single hyphens
  (``black-friday``, ``v1``, ``story-9x16``), no leading, trailing or double hyphen.

Naming findings are warnings by default: PROTOCOL.md has no rejection for a badly named asset.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from desktop.rules._text import market_label
from desktop.rules.findings import Finding, Severity

GLOBAL_MARKET: Final = "global"
EXAMPLE_NAME: Final = "acme_de_20261124_black-friday_v1"
PATTERN_TEXT: Final = "brand_market_YYYYMMDD_campaign_variant"

_BRAND = re.compile(r"[a-z0-9]{1,32}")
_MARKET = re.compile(r"[a-z]{2,8}")
_DAY = re.compile(r"[0-9]{8}")
_SLUG_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
# Latin letters that Unicode does not decompose into a base letter plus an accent.
_LATIN_EXTRA = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET: Final = _Unset.UNSET


@dataclass(frozen=True)
class NameParts:
    brand: str
    market: str  # a market code, or "global" for masters
    day: date
    campaign: str
    variant: str


def slug(text: str) -> str:
    """Free text as a name part: lower case, accents stripped, anything else to single hyphens.

    ``"Black Friday!"`` -> ``black-friday``; ``"Größe Ø"`` -> ``grosse-o``. Scripts with no Latin
    reading (``無料``) give the empty string: there is no transliteration here.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LATIN_EXTRA))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_ALNUM.sub("-", ascii_only).strip("-")


def _code(text: str) -> str:
    # Brand and market parts hold no hyphen: "Acme Co" -> "acmeco".
    return slug(text).replace("-", "")


def _day_text(day: date) -> str:
    # Not strftime: "%Y" does not pad years before 1000 on every platform.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _parse_day(text: str) -> date | None:
    if not _DAY.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _problem(name: str) -> tuple[str, str] | None:
    """What is wrong with ``name`` as (part, message); None when it follows the convention."""
    if not name:
        return "name", "The name is empty."
    if name != name.strip() or any(c.isspace() for c in name):
        return "name", "The name has spaces; use hyphens inside a part, underscores between parts."
    if _EXTENSION.search(name) and name.count("_") == 4:
        return "name", "Leave the file extension out of the name."
    if name != name.lower():
        return "name", "The name must be all lower case."
    parts = name.split("_")
    if len(parts) != 5:
        return (
            "name",
            f"The name has {len(parts)} parts separated by underscores; it needs 5.",
        )
    brand, market, day, campaign, variant = parts
    if not _BRAND.fullmatch(brand):
        return "brand", f'The brand part "{brand}" may only hold letters and digits (1 to 32).'
    if not _MARKET.fullmatch(market):
        return (
            "market",
            f'The market part "{market}" must be a market code such as de, or global for masters.',
        )
    if _parse_day(day) is None:
        return "day", f'The date part "{day}" is not a real date written YYYYMMDD (20261124).'
    for part, text in (("campaign", campaign), ("variant", variant)):
        if not _SLUG_PART.fullmatch(text):
            return (
                part,
                f'The {part} part "{text}" may only hold letters, digits and single hyphens.',
            )
    return None


def parse_name(name: str) -> NameParts | None:
    """The parts of a name that follows the convention exactly, else None."""
    if not isinstance(name, str) or _problem(name) is not None:
        return None
    brand, market, day, campaign, variant = name.split("_")
    parsed_day = _parse_day(day)
    assert parsed_day is not None  # _problem checked it
    return NameParts(brand, market, parsed_day, campaign, variant)


def format_name(parts: NameParts) -> str:
    """The name for parts that are already valid (the inverse of ``parse_name``)."""
    return "_".join(
        (parts.brand, parts.market, _day_text(parts.day), parts.campaign, parts.variant)
    )


def build_name(*, brand: str, market: str | None, day: date, campaign: str, variant: str) -> str:
    """A conventional name from free text: each part slugged (brand and market without hyphens).

    ``market`` None or ``global`` gives ``global``. Raises ValueError, with a plain message, when a
    part has nothing usable left (``brand="***"``) or the market is not a market code.
    """
    market_part = GLOBAL_MARKET if market is None else _code(market)
    parts = {
        "brand": _code(brand),
        "market": market_part,
        "campaign": slug(campaign),
        "variant": slug(variant),
    }
    for part, value in parts.items():
        if not value:
            raise ValueError(f"The {part} has no letters or digits to use in the name.")
    name = "_".join(
        (parts["brand"], market_part, _day_text(day), parts["campaign"], parts["variant"])
    )
    problem = _problem(name)
    if problem is not None:
        raise ValueError(problem[1])
    return name


def check_name(
    name: str | None,
    *,
    market: str | Literal[_Unset.UNSET] | None = UNSET,
    brand: str | None = None,
    severity: Severity = "warning",
) -> list[Finding]:
    """Asset name findings: ``name_invalid``, ``name_market_mismatch``, ``name_brand_mismatch``.

    ``market`` is the record's market: pass ``None`` for a global record (its name must say
    ``global``); leave it out to check only the form. ``brand`` (the record's brand, compared as a
    code: ``"Acme"`` matches ``acme``) is compared when given.
    """
    text = name if isinstance(name, str) else ""
    problem = _problem(text)
    if problem is not None:
        part, message = problem
        details: dict[str, Any] = {"part": part, "example": EXAMPLE_NAME}
        if part == "name" and text and text != text.lower() and parse_name(text.lower()):
            details["suggestion"] = text.lower()
            message += f" Use {text.lower()}."
        else:
            message += f" Name it {PATTERN_TEXT}, for example {EXAMPLE_NAME}."
        return [Finding("name_invalid", severity, "name", message, details)]
    parts = parse_name(text)
    assert parts is not None
    findings: list[Finding] = []
    if market is not UNSET:
        expected = GLOBAL_MARKET if market is None else market
        if parts.market != expected:
            fixed = format_name(
                NameParts(parts.brand, expected, parts.day, parts.campaign, parts.variant)
            )
            where = "a global master" if market is None else f"an asset of {market_label(market)}"
            findings.append(
                Finding(
                    "name_market_mismatch",
                    severity,
                    "name",
                    f'The name says "{parts.market}" but this is {where}. Rename it {fixed}.',
                    {"name_market": parts.market, "market": expected, "suggestion": fixed},
                )
            )
    if brand:
        code = _code(brand)
        if code and parts.brand != code:
            fixed = format_name(
                NameParts(code, parts.market, parts.day, parts.campaign, parts.variant)
            )
            findings.append(
                Finding(
                    "name_brand_mismatch",
                    severity,
                    "name",
                    f'The name says brand "{parts.brand}" but the asset is {brand}. '
                    f"Rename it {fixed}.",
                    {"name_brand": parts.brand, "brand": code, "suggestion": fixed},
                )
            )
    return findings


_DATE_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{4})-?([0-9]{2})-?([0-9]{2})(?![0-9])")
_TOKEN_SPLIT = re.compile(r"[\s_.]+")


def _stem(filename: str) -> str:
    base = re.split(r"[/\\]", filename)[-1]
    return _EXTENSION.sub("", base) if "." in base.lstrip(".") else base


def guess_from_filename(
    filename: str,
    *,
    brands: tuple[str, ...] | list[str] = (),
    markets: tuple[str, ...] | list[str] = (),
) -> dict[str, Any]:
    """Metadata guessed from a dropped file's name, for the import form to prefill.

    Returns ``brand``, ``market`` (None for ``global``: a global master), ``day`` (a date),
    ``campaign``, ``variant`` (each None when unknown), ``name`` (the conventional name when all
    parts are known) and ``follows_convention`` (the file name, without its extension, already is
    a valid name). A name that has the five parts but not the form (``ACME_DE_20261124_Black
    Friday_V1.jpg``) is slugged part by part. Otherwise, best effort: a ``YYYYMMDD`` or
    ``YYYY-MM-DD`` date anywhere, words equal to a known brand or market code (``brands``,
    ``markets``), and the rest slugged as the campaign.
    """
    stem = _stem(filename)
    result: dict[str, Any] = {
        "brand": None,
        "market": None,
        "day": None,
        "campaign": None,
        "variant": None,
        "name": None,
        "follows_convention": False,
    }
    exact = parse_name(stem)
    if exact is not None:
        return _from_parts(result, exact, follows=True)
    pieces = stem.split("_")
    if len(pieces) == 5:
        day = _parse_day(pieces[2].replace("-", ""))
        if day is not None:
            market = _code(pieces[1])
            try:
                name = build_name(
                    brand=pieces[0],
                    market=None if market == GLOBAL_MARKET else market,
                    day=day,
                    campaign=pieces[3],
                    variant=pieces[4],
                )
            except ValueError:
                name = None
            lenient = parse_name(name) if name else None
            if lenient is not None:
                return _from_parts(result, lenient, follows=False)
    rest = stem
    found = _DATE_IN_TEXT.search(stem)
    if found:
        try:
            result["day"] = date(int(found[1]), int(found[2]), int(found[3]))
            rest = stem[: found.start()] + " " + stem[found.end() :]
        except ValueError:
            pass
    brand_codes = {_code(b) for b in brands}
    market_codes = {_code(m) for m in markets}
    leftover: list[str] = []
    for token in _TOKEN_SPLIT.split(rest):
        code = _code(token)
        if code and result["brand"] is None and code in brand_codes:
            result["brand"] = code
        elif code and result["market"] is None and code in market_codes:
            result["market"] = code
        elif token:
            leftover.append(token)
    result["campaign"] = slug(" ".join(leftover)) or None
    return result


def _from_parts(result: dict[str, Any], parts: NameParts, *, follows: bool) -> dict[str, Any]:
    result.update(
        brand=parts.brand,
        market=None if parts.market == GLOBAL_MARKET else parts.market,
        day=parts.day,
        campaign=parts.campaign,
        variant=parts.variant,
        name=format_name(parts),
        follows_convention=follows,
    )
    return result
