"""Captions for demo calendar entries, per channel and language, from the copy in ``content``."""

from __future__ import annotations

from typing import Literal

from resources.demo.content import (
    BRAND_BY_CODE,
    CAPTION_CTAS,
    CHANNEL_LIMITS,
    FORBIDDEN_SENTENCES,
    HOOKS,
    CampaignInfo,
)
from resources.demo.rand import DemoRandom

CopyMode = Literal["ok", "near", "over", "forbidden"]


def x_weight(text: str) -> int:
    """A conservative X (Twitter) length: characters beyond U+10FF (CJK, emoji) count twice."""
    if text.isascii():
        return len(text)
    return sum(2 if ord(ch) > 0x10FF else 1 for ch in text)


def caption_length(channel: str | None, text: str) -> int:
    return x_weight(text) if channel == "x" else len(text)


def make_caption(
    rng: DemoRandom,
    *,
    language: str,
    campaign: CampaignInfo,
    channel: str | None,
    kind: str,
    mode: CopyMode,
) -> str | None:
    """The caption of one entry; ``near``/``over`` apply to X, where limits bite."""
    if kind == "moment":
        return None
    brand = BRAND_BY_CODE[campaign.brand]
    hook = rng.choice(HOOKS[language])
    message = campaign.messages[language]
    body = rng.choice(brand.bodies[language])
    cta = rng.choice(CAPTION_CTAS[language])
    tags = f"{campaign.hashtag} {brand.hashtag}"
    if mode == "forbidden":
        message = f"{message} {FORBIDDEN_SENTENCES[language]}"
    if kind == "paid_burst":
        text = f"{message} {cta}"
    elif channel == "x":
        text = f"{hook} {message} {tags}"
        if x_weight(text) > CHANNEL_LIMITS["x"]:
            text = f"{message} {campaign.hashtag}"
    elif channel == "linkedin":
        others = " ".join(brand.bodies[language])
        text = f"{message} {others}\n\n{tags}"
    elif channel == "youtube":
        text = f"{message}\n\n{body}\n\n{cta}\n{tags}"
    else:
        text = f"{hook}\n\n{message} {body}\n\n{cta}\n\n{tags}"
    if channel == "x" and mode in ("near", "over"):
        limit = CHANNEL_LIMITS["x"]
        target = limit - rng.randint(0, 8) if mode == "near" else limit + rng.randint(25, 70)
        text = _fit(rng, text, language, campaign, target)
    return text


def _fit(rng: DemoRandom, text: str, language: str, campaign: CampaignInfo, target: int) -> str:
    """Lengthen ``text`` with more of the campaign's copy, then cut it to about ``target``."""
    brand = BRAND_BY_CODE[campaign.brand]
    extra = [*brand.bodies[language], *HOOKS[language], *CAPTION_CTAS[language]]
    rng.shuffle(extra)
    joiner = "" if language == "ja" else " "
    while x_weight(text) < target + 40:
        text = text + joiner + joiner.join(extra)
    cut, weight = 0, 0
    for cut, ch in enumerate(text):  # noqa: B007 - cut is used after the loop
        weight += 2 if ord(ch) > 0x10FF else 1
        if weight > target:
            break
    text = text[:cut]
    if joiner and " " in text:
        text = text[: text.rindex(" ")]
    return text.rstrip(" ,;:")
