from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.channels import (
    CHANNEL_LIMITS,
    canonical_channel,
    caption_length,
    channel_limit,
    check_caption,
    x_length,
)


def test_limits_are_the_documented_ones() -> None:
    assert CHANNEL_LIMITS == {
        "x": 280,
        "instagram": 2200,
        "tiktok": 2200,
        "linkedin": 3000,
        "facebook": 63206,
        "youtube": 5000,
    }


@pytest.mark.parametrize(
    ("channel", "limit"),
    [
        ("x", 280),
        ("X", 280),
        ("Twitter", 280),
        ("X (Twitter)", 280),
        ("YouTube", 5000),
        ("you tube", 5000),
        ("Instagram", 2200),
        ("TikTok", 2200),
        ("Tik-Tok", 2200),
        ("LinkedIn", 3000),
        ("Facebook", 63206),
        ("FB", 63206),
        ("Snapchat", None),
        ("", None),
        (None, None),
    ],
)
def test_channel_limit(channel: str | None, limit: int | None) -> None:
    assert channel_limit(channel) == limit
    assert (canonical_channel(channel) is None) == (limit is None)


@pytest.mark.parametrize(
    ("caption", "length"),
    [
        ("hello", 5),
        ("", 0),
        ("https://example.com/a/very/long/path?with=query&and=more", 23),
        ("see https://example.com/deals.", 4 + 23 + 1),  # trailing dot is not the link's
        ("www.acme.de and acme.com/deals", 23 + 5 + 23),
        ("mail hello@acme.com", 19),  # an address is not a link
        ("無料", 4),  # CJK counts 2
        ("café", 4),
        ("cafe\u0301", 4),  # NFC first
        ("👍", 2),
        ("👍🏽", 2),  # skin tone
        ("👨\u200d👩\u200d👧", 2),  # ZWJ family
        ("🇩🇪", 2),  # flag
        ("1\ufe0f\u20e3", 2),  # keycap
        ("“quoted” — ok", 13),  # general punctuation counts 1
        ("ok…", 4),  # ... but the ellipsis is outside X's weight-1 ranges
    ],
)
def test_x_weighted_length(caption: str, length: int) -> None:
    assert x_length(caption) == length
    assert caption_length("Twitter", caption) == length


def test_other_channels_count_code_points_after_nfc() -> None:
    assert caption_length("instagram", "cafe\u0301 👨\u200d👩\u200d👧") == 4 + 1 + 5
    assert caption_length("instagram", "https://example.com/long/path") == 29
    assert caption_length("unknown", "abc") == 3
    assert caption_length("x", None) == 0


@pytest.mark.parametrize(
    ("channel", "caption", "codes"),
    [
        ("x", "a" * 280, []),
        ("x", "a" * 281, ["caption_too_long"]),
        ("X", "無" * 140, []),
        ("X", "無" * 141, ["caption_too_long"]),
        ("x", "a" * 256 + " https://example.com/" + "p" * 100, []),  # 256 + 1 + 23
        ("x", "a" * 257 + " https://example.com/" + "p" * 100, ["caption_too_long"]),
        ("instagram", "a" * 2200, []),
        ("Instagram", "a" * 2201, ["caption_too_long"]),
        ("youtube", "a" * 5001, ["caption_too_long"]),
        ("Snapchat", "a", ["unknown_channel"]),
        ("Snapchat", "a" * 100_000, ["unknown_channel"]),
        (None, "a" * 100_000, []),
        ("  ", "a", []),
        ("x", None, []),
    ],
)
def test_check_caption_codes(channel: str | None, caption: str | None, codes: list[str]) -> None:
    assert [f.code for f in check_caption(channel, caption)] == codes


def test_x_link_example_is_exactly_at_the_limit() -> None:
    caption = "a" * 256 + " https://example.com/" + "p" * 100
    assert x_length(caption) == 280
    assert check_caption("x", caption) == []
    assert [f.code for f in check_caption("x", "a" + caption)] == ["caption_too_long"]


def test_caption_too_long_says_by_how_much() -> None:
    (finding,) = check_caption("Instagram", "a" * 2232)
    assert finding.severity == "error"
    assert finding.field == "caption"
    assert finding.message == (
        "The caption is 2232 characters long; Instagram allows 2200. Cut 32 characters."
    )
    assert finding.details == {"channel": "instagram", "length": 2232, "limit": 2200, "over": 32}
    (one,) = check_caption("x", "a" * 281, field="hook", severity="warning")
    assert one.severity == "warning" and one.field == "hook"
    assert "Cut 1 character." in one.message
    assert "link" in one.message


def test_unknown_channel_is_a_warning() -> None:
    (finding,) = check_caption("Snapchat", "hi", severity="error")
    assert finding.severity == "warning"
    assert "Snapchat" in finding.message


@given(st.text(max_size=300))
def test_x_length_is_at_most_twice_the_code_points_plus_links(caption: str) -> None:
    text = unicodedata.normalize("NFC", caption)
    links = text.count(".") + text.count("://")
    assert 0 <= x_length(caption) <= 2 * len(text) + 23 * links


@given(st.text(max_size=150), st.text(max_size=150))
def test_x_length_adds_up_across_a_space(first: str, second: str) -> None:
    assert x_length(first + " " + second) == x_length(first) + 1 + x_length(second)


@given(st.text(alphabet="abc xyz", max_size=400))
def test_plain_latin_counts_one_per_character(caption: str) -> None:
    assert x_length(caption) == len(caption)
    assert bool(check_caption("x", caption)) == (len(caption) > 280)


def test_every_ascii_character_weighs_one_on_x() -> None:
    from desktop.rules.channels import x_length

    text = "".join(chr(i) for i in range(32, 127))
    assert x_length(text) == len(text)
    assert x_length(text + "é") == len(text) + 1 and x_length("漢") == 2
