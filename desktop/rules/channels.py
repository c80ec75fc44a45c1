"""Channel character limits for captions.

Length is counted in Unicode code points after NFC normalization, except on X, whose own weighted
count (twitter-text v3, what X's composer enforces) is followed as closely as is practical:

- a link counts as 23 characters whatever its length: ``http://`` and ``https://`` links, ``www.``
  links and bare domains with a common top-level domain (``acme.com/deals``); trailing punctuation
  is not part of the link. Rare top-level domains are counted as typed.
- Code points in Latin, Greek, Cyrillic, Hebrew, Arabic, Indic and similar scripts (up to U+10FF)
  and common punctuation (U+2000 to U+200D, U+2010 to U+201F, U+2032 to U+2037) count 1; anything
  else (CJK, most symbols) counts 2.
- An emoji counts 2, including a whole sequence (skin tone, ``ZWJ`` family, flag, keycap). Emoji
  are recognised by code-point ranges, an approximation that never counts less than X does.

YouTube's limit is the description's (5,000).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from desktop.rules._text import field_label, plural
from desktop.rules.findings import Finding, Severity

CHANNEL_LIMITS: Final[dict[str, int]] = {
    "x": 280,
    "instagram": 2200,
    "tiktok": 2200,
    "linkedin": 3000,
    "facebook": 63206,
    "youtube": 5000,
}
CHANNEL_NAMES: Final[dict[str, str]] = {
    "x": "X",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "youtube": "YouTube",
}
# Display names and common spellings, compared after dropping everything but letters and digits.
_ALIASES: Final[dict[str, str]] = {
    "twitter": "x",
    "xtwitter": "x",
    "twitterx": "x",
    "xformerlytwitter": "x",
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "meta": "facebook",
    "yt": "youtube",
    "li": "linkedin",
}
X_URL_LENGTH: Final = 23

_TLDS = (
    "com|net|org|info|biz|io|co|me|tv|app|dev|shop|store|online|site|xyz|ly|gl|gg|ai|eu|"
    "de|at|ch|fr|it|es|nl|be|lu|uk|ie|pl|cz|sk|hu|ro|bg|gr|pt|se|no|dk|fi|is|ee|lv|lt|"
    "us|ca|mx|br|ar|cl|au|nz|jp|cn|hk|tw|kr|sg|in|ru|tr|ae|za"
)
_URL = re.compile(
    r"(?i)(?:https?://|(?<![\w@.-])www\.)[^\s<>\"]+"
    r"|(?<![\w@.:/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b"
    r"(?::[0-9]{1,5})?(?:/[^\s<>\"]*)?"
)
_TRAILING = ".,:;!?'\")]}"
_ONE = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2190, 0x21FF),
    (0x2300, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25A0, 0x27BF),
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1FAFF),
)
_REGIONAL = (0x1F1E6, 0x1F1FF)
_KEYCAP_BASES = frozenset("0123456789#*")


def canonical_channel(channel: str | None) -> str | None:
    """The channel's key in CHANNEL_LIMITS from a common spelling ("Twitter", "You Tube")."""
    if not channel:
        return None
    key = "".join(c for c in channel.casefold() if c.isalnum())
    key = _ALIASES.get(key, key)
    return key if key in CHANNEL_LIMITS else None


def channel_limit(channel: str | None) -> int | None:
    """The channel's caption limit, or None for a channel Section Desk does not know."""
    key = canonical_channel(channel)
    return None if key is None else CHANNEL_LIMITS[key]


def _within(point: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= point <= high for low, high in ranges)


def _emoji_end(text: str, i: int) -> int | None:
    """Where the emoji (sequence) starting at ``i`` ends, or None when none starts there."""
    size = len(text)
    point = ord(text[i])
    if _REGIONAL[0] <= point <= _REGIONAL[1]:
        nxt = i + 1
        if nxt < size and _REGIONAL[0] <= ord(text[nxt]) <= _REGIONAL[1]:
            return i + 2
        return i + 1
    if text[i] in _KEYCAP_BASES:
        j = i + 1
        if j < size and text[j] == "\ufe0f":
            j += 1
        return j + 1 if j < size and text[j] == "\u20e3" else None
    if not _within(point, _PICTOGRAPHIC):
        return None
    j = i + 1
    while j < size:
        nxt = ord(text[j])
        if (
            nxt in (0xFE0E, 0xFE0F, 0x20E3)
            or 0x1F3FB <= nxt <= 0x1F3FF
            or 0xE0020 <= nxt <= 0xE007F
        ):
            j += 1
        elif nxt == 0x200D and j + 1 < size and _within(ord(text[j + 1]), _PICTOGRAPHIC):
            j += 2
        else:
            break
    return j


def _x_weight(text: str) -> int:
    if text.isascii():  # every ASCII character weighs 1 and none starts an emoji
        return len(text)
    total = 0
    i = 0
    while i < len(text):
        end = _emoji_end(text, i)
        if end is not None:
            total += 2
            i = end
            continue
        total += 1 if _within(ord(text[i]), _ONE) else 2
        i += 1
    return total


def x_length(caption: str) -> int:
    """The caption's length as X counts it (see the module's notes)."""
    text = unicodedata.normalize("NFC", caption)
    total = 0
    pos = 0
    for match in _URL.finditer(text):
        start, end = match.span()
        if start < pos:
            continue
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        total += _x_weight(text[pos:start]) + X_URL_LENGTH
        pos = end
    return total + _x_weight(text[pos:])


def caption_length(channel: str | None, caption: str | None) -> int:
    """The caption's length as the channel counts it (code points after NFC; X weighted)."""
    if not caption:
        return 0
    if canonical_channel(channel) == "x":
        return x_length(caption)
    return len(unicodedata.normalize("NFC", caption))


def check_caption(
    channel: str | None,
    caption: str | None,
    *,
    field: str = "caption",
    severity: Severity = "error",
) -> list[Finding]:
    """``caption_too_long`` (at ``severity``) or ``unknown_channel`` (a warning).

    No channel chosen yet (None or blank) gives no finding: there is nothing to measure against.
    """
    if channel is None or not channel.strip():
        return []
    key = canonical_channel(channel)
    if key is None:
        return [
            Finding(
                "unknown_channel",
                "warning",
                "channel",
                f'Section Desk does not know the character limit of "{channel.strip()}"; '
                "check the length yourself.",
                {"channel": channel},
            )
        ]
    limit = CHANNEL_LIMITS[key]
    length = caption_length(key, caption)
    if length <= limit:
        return []
    over = length - limit
    name = CHANNEL_NAMES[key]
    how = " (X counts each link as 23)" if key == "x" else ""
    return [
        Finding(
            "caption_too_long",
            severity,
            field,
            f"The {field_label(field)} is {plural(length, 'character')} long{how}; {name} allows "
            f"{limit}. Cut {plural(over, 'character')}.",
            {"channel": key, "length": length, "limit": limit, "over": over},
        )
    ]
