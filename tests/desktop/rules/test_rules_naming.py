from __future__ import annotations

import string
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.naming import (
    EXAMPLE_NAME,
    NameParts,
    build_name,
    check_name,
    format_name,
    guess_from_filename,
    parse_name,
    slug,
)


def codes(findings: list[Any]) -> list[str]:
    return [f.code for f in findings]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        (
            "acme_de_20261124_black-friday_v1",
            NameParts("acme", "de", date(2026, 11, 24), "black-friday", "v1"),
        ),
        (
            "acme_global_20260101_launch_master",
            NameParts("acme", "global", date(2026, 1, 1), "launch", "master"),
        ),
        (
            "b2b_uk_20240229_q1-2024_story-9x16",
            NameParts("b2b", "uk", date(2024, 2, 29), "q1-2024", "story-9x16"),
        ),
    ],
)
def test_parse_name_valid(name: str, parts: NameParts) -> None:
    assert parse_name(name) == parts
    assert format_name(parts) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "acme_de_20261124_black-friday",  # four parts
        "acme_de_20261124_black_friday_v1",  # six parts
        "Acme_de_20261124_bf_v1",  # upper case
        "acme_de_20261124_bf_v1.jpg",  # extension
        "acme_d_20261124_bf_v1",  # market too short
        "acme_de1_20261124_bf_v1",  # market with a digit
        "ac-me_de_20261124_bf_v1",  # hyphen in brand
        "acme_de_20261324_bf_v1",  # month 13
        "acme_de_20230229_bf_v1",  # not a leap year
        "acme_de_2026-11-24_bf_v1",  # date with hyphens
        "acme_de_20261124_-bf_v1",  # leading hyphen
        "acme_de_20261124_bf--x_v1",  # double hyphen
        "acme_de_20261124_bf_v1-",  # trailing hyphen
        "acme_de_20261124_bf_v 1",  # space
        "acme_dé_20261124_bf_v1",  # accent
    ],
)
def test_parse_name_invalid(name: str) -> None:
    assert parse_name(name) is None
    findings = check_name(name)
    assert codes(findings) == ["name_invalid"]
    assert findings[0].severity == "warning"
    assert findings[0].field == "name"


@pytest.mark.parametrize(
    ("name", "part", "words"),
    [
        ("", "name", "empty"),
        ("acme_de_bf_v1", "name", "4 parts"),
        ("acme_de_20261124_bf_v1.png", "name", "extension"),
        ("ACME_DE_20261124_BF_V1", "name", "lower case"),
        ("acme co_de_20261124_bf_v1", "name", "spaces"),
        ("ac-me_de_20261124_bf_v1", "brand", '"ac-me"'),
        ("acme_germany1_20261124_bf_v1", "market", "market code"),
        ("acme_de_20261340_bf_v1", "day", "not a real date"),
        ("acme_de_20261124_b--f_v1", "campaign", "campaign part"),
        ("acme_de_20261124_bf_v1-", "variant", "variant part"),
    ],
)
def test_name_invalid_says_what_part_is_wrong(name: str, part: str, words: str) -> None:
    (finding,) = check_name(name)
    assert finding.code == "name_invalid"
    assert finding.details["part"] == part
    assert words in finding.message
    assert EXAMPLE_NAME in finding.message or "suggestion" in finding.details


def test_name_invalid_upper_case_suggests_lower() -> None:
    (finding,) = check_name("Acme_DE_20261124_BF_v1")
    assert finding.details["suggestion"] == "acme_de_20261124_bf_v1"
    assert "acme_de_20261124_bf_v1" in finding.message


def test_name_none_is_invalid() -> None:
    assert codes(check_name(None)) == ["name_invalid"]


def test_valid_name_without_context_has_no_findings() -> None:
    assert check_name("acme_de_20261124_bf_v1") == []


@pytest.mark.parametrize(
    ("name", "market", "expected"),
    [
        ("acme_de_20261124_bf_v1", "de", []),
        ("acme_de_20261124_bf_v1", "at", ["name_market_mismatch"]),
        ("acme_global_20261124_bf_v1", None, []),
        ("acme_de_20261124_bf_v1", None, ["name_market_mismatch"]),  # null market = global
        ("acme_global_20261124_bf_v1", "de", ["name_market_mismatch"]),
    ],
)
def test_name_market_mismatch(name: str, market: str | None, expected: list[str]) -> None:
    findings = check_name(name, market=market)
    assert codes(findings) == expected
    if findings:
        expected_market = market or "global"
        assert findings[0].details["market"] == expected_market
        assert findings[0].details["suggestion"] == name.replace(
            f"_{parse_name(name).market}_",  # type: ignore[union-attr]
            f"_{expected_market}_",
        )
        assert findings[0].details["suggestion"] in findings[0].message


@pytest.mark.parametrize(
    ("brand", "expected"),
    [
        ("acme", []),
        ("ACME", []),
        ("Ac-me", []),
        (None, []),
        ("", []),
        ("globex", ["name_brand_mismatch"]),
    ],
)
def test_name_brand_mismatch(brand: str | None, expected: list[str]) -> None:
    findings = check_name("acme_de_20261124_bf_v1", brand=brand)
    assert codes(findings) == expected
    if findings:
        assert findings[0].details["suggestion"] == "globex_de_20261124_bf_v1"


def test_check_name_severity_can_be_raised() -> None:
    assert check_name("nope", severity="error")[0].severity == "error"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Black Friday!", "black-friday"),
        ("  Größe Ø  ", "grosse-o"),
        ("Crème brûlée", "creme-brulee"),
        ("Łódź & Kraków", "lodz-krakow"),
        ("Æsir__Straße", "aesir-strasse"),
        ("v1.2", "v1-2"),
        ("無料", ""),
        ("---", ""),
        ("ＡＢＣ１", "abc1"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_build_name_slugs_free_text() -> None:
    assert (
        build_name(
            brand="Acme Co",
            market="DE",
            day=date(2026, 11, 24),
            campaign="Black Friday!",
            variant="V1",
        )
        == "acmeco_de_20261124_black-friday_v1"
    )
    assert (
        build_name(brand="acme", market=None, day=date(2026, 1, 2), campaign="Launch", variant="a")
        == "acme_global_20260102_launch_a"
    )


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"brand": "***"}, "brand"),
        ({"campaign": "無料"}, "campaign"),
        ({"variant": ""}, "variant"),
        ({"market": "d"}, "market"),
        ({"market": "deutschland"}, "market"),
    ],
)
def test_build_name_refuses_unusable_parts(kwargs: dict[str, Any], words: str) -> None:
    base: dict[str, Any] = {
        "brand": "acme",
        "market": "de",
        "day": date(2026, 11, 24),
        "campaign": "bf",
        "variant": "v1",
    }
    with pytest.raises(ValueError, match=words):
        build_name(**{**base, **kwargs})


texts = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " -_.!éÖßøÅ"), max_size=20
)
markets = st.one_of(st.none(), st.from_regex(r"[a-z]{2,8}", fullmatch=True))
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(brand=texts, market=markets, day=days, campaign=texts, variant=texts)
def test_build_then_parse_round_trips(
    brand: str, market: str | None, day: date, campaign: str, variant: str
) -> None:
    try:
        name = build_name(brand=brand, market=market, day=day, campaign=campaign, variant=variant)
    except ValueError:
        assert not slug(brand) or not slug(campaign) or not slug(variant)
        return
    parts = parse_name(name)
    assert parts == NameParts(
        slug(brand).replace("-", ""), market or "global", day, slug(campaign), slug(variant)
    )
    assert check_name(name) == []
    assert format_name(parts) == name


name_parts = st.builds(
    NameParts,
    brand=st.from_regex(r"[a-z0-9]{1,32}", fullmatch=True),
    market=st.from_regex(r"[a-z]{2,8}", fullmatch=True),
    day=days,
    campaign=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True),
    variant=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True),
)


@given(name_parts)
def test_parse_inverts_format(parts: NameParts) -> None:
    name = format_name(parts)
    assert parse_name(name) == parts
    assert (
        build_name(
            brand=parts.brand,
            market=parts.market,
            day=parts.day,
            campaign=parts.campaign,
            variant=parts.variant,
        )
        == name
    )


@given(st.text(max_size=60))
def test_parse_name_never_raises_and_agrees_with_check(name: str) -> None:
    parts = parse_name(name)
    assert (parts is None) == ("name_invalid" in codes(check_name(name)))


@given(st.text(max_size=40))
def test_slug_is_clean_and_idempotent(text: str) -> None:
    result = slug(text)
    assert result == slug(result)
    assert all(c in string.ascii_lowercase + string.digits + "-" for c in result)
    assert not result.startswith("-") and not result.endswith("-") and "--" not in result


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (
            "/home/lea/Downloads/acme_de_20261124_black-friday_v1.jpg",
            {
                "brand": "acme",
                "market": "de",
                "day": date(2026, 11, 24),
                "campaign": "black-friday",
                "variant": "v1",
                "name": "acme_de_20261124_black-friday_v1",
                "follows_convention": True,
            },
        ),
        (
            r"C:\Users\lea\acme_global_20260101_launch_master.MP4",
            {
                "brand": "acme",
                "market": None,
                "day": date(2026, 1, 1),
                "campaign": "launch",
                "variant": "master",
                "name": "acme_global_20260101_launch_master",
                "follows_convention": True,
            },
        ),
        (
            "ACME_DE_2026-11-24_Black Friday_V1.PNG",
            {
                "brand": "acme",
                "market": "de",
                "day": date(2026, 11, 24),
                "campaign": "black-friday",
                "variant": "v1",
                "name": "acme_de_20261124_black-friday_v1",
                "follows_convention": False,
            },
        ),
        (
            "IMG_4031.JPG",
            {
                "brand": None,
                "market": None,
                "day": None,
                "campaign": "img-4031",
                "variant": None,
                "name": None,
                "follows_convention": False,
            },
        ),
        (
            "Sommerfest Plakat 2026-07-01 final.pdf",
            {
                "brand": None,
                "market": None,
                "day": date(2026, 7, 1),
                "campaign": "sommerfest-plakat-final",
                "variant": None,
                "name": None,
                "follows_convention": False,
            },
        ),
        (
            "20261399_x.png",  # not a real date: kept in the campaign
            {
                "brand": None,
                "market": None,
                "day": None,
                "campaign": "20261399-x",
                "variant": None,
                "name": None,
                "follows_convention": False,
            },
        ),
    ],
)
def test_guess_from_filename(filename: str, expected: dict[str, Any]) -> None:
    assert guess_from_filename(filename) == expected


def test_guess_from_filename_uses_known_codes() -> None:
    guess = guess_from_filename("DE_Acme_20261124_hero banner.jpg", brands=["acme"], markets=["de"])
    assert guess["brand"] == "acme"
    assert guess["market"] == "de"
    assert guess["day"] == date(2026, 11, 24)
    assert guess["campaign"] == "hero-banner"
    assert guess["follows_convention"] is False
    unknown = guess_from_filename("DE_Acme_20261124_hero banner.jpg")
    assert unknown["brand"] is None and unknown["market"] is None
    assert unknown["campaign"] == "de-acme-hero-banner"


def test_guess_from_filename_of_nothing_usable() -> None:
    assert guess_from_filename("無料.png")["campaign"] is None


@given(st.text(max_size=60))
def test_guess_from_filename_never_raises(filename: str) -> None:
    guess = guess_from_filename(filename)
    if guess["name"] is not None:
        assert parse_name(guess["name"]) is not None
