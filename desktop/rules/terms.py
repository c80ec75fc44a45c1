"""Forbidden terms: whole-word, case-insensitive, Unicode-aware matching, with offsets to highlight.

How a term matches (decided here, where PROTOCOL.md says "whole word, case-insensitive"):

- Compatibility caseless matching (Unicode's NFKD + casefold): ``GRATIS`` and full-width
  ``ＧＲＡＴＩＳ`` match ``gratis``; ``STRASSE`` matches ``straße``; composed and decomposed accents
  are the same. Accents are significant: ``cafe`` does not match ``café``.
- Whole word: where the term begins (ends) with a letter, digit, mark or ``_``, the text must not
  have one of those just before (after) the match. So ``GRATIS!`` and ``Gratis-Versand`` match
  ``gratis``; ``gratisfaction`` and ``#gratis_deals`` do not. A term edge that is punctuation
  (``100%``, ``#ad``) needs no boundary on that side.
- Whitespace inside a term matches any run of whitespace (``free shipping`` matches
  ``FREE\\n  shipping``).
- Scripts written without spaces between words (Chinese, Japanese, Korean, Thai, Lao, Khmer,
  Myanmar, Tibetan) have no word boundaries to test: a term edge in such a script matches as a
  substring (``無料`` matches in ``今なら無料です``). An edge never falls inside a character
  (a Korean syllable, a letter with its accents).
- Soft hyphens and zero-width joiners inside a word are ignored (``gra\\u00adtis`` matches).

Offsets (``start``, ``end``) index the original text, ``text[start:end]`` is what to highlight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from desktop.rules._text import field_label, market_label
from desktop.rules.findings import Finding, Severity

# Invisible characters that only affect rendering or hyphenation: dropped before matching.
_IGNORED = frozenset("\u00ad\u200c\u200d\u2060\ufeff")
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")

# Scripts written without spaces between words (ranges of code points).
_CONTINUOUS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # ideographic iteration and number marks
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility Jamo, Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFFDC),  # half-width Katakana and Hangul
    (0x20000, 0x323AF),  # CJK extensions B to H
)


@dataclass(frozen=True)
class TermHit:
    term: str  # the term as the market lists it
    start: int
    end: int


def _continuous(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _CONTINUOUS)


def _is_word(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LNM"


@lru_cache(maxsize=8192)
@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _IGNORED:
        return ""
    # Unicode compatibility caseless match: NFKD(casefold(NFKD(casefold(NFD(X))))).
    once = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", char).casefold())
    return unicodedata.normalize("NFKD", once.casefold())


def _fold(text: str) -> tuple[str, list[int], bytearray]:
    """The folded text, each folded character's index in ``text``, and where characters begin."""
    if text.isascii():  # folding ASCII is lower-casing, one character for one (the common case)
        return text.lower(), list(range(len(text))), bytearray(b"\x01" * (len(text) + 1))
    pieces: list[str] = []
    origin: list[int] = []
    begins = bytearray()
    for run in _RUNS.finditer(text):
        start, chunk = run.start(), run.group()
        if chunk.isascii():  # ASCII runs in bulk; only the other characters one by one
            pieces.append(chunk.lower())
            origin.extend(range(start, start + len(chunk)))
            begins.extend(b"\x01" * len(chunk))
            continue
        for offset, char in enumerate(chunk):
            folded = _fold_char(char)
            if folded:
                pieces.append(folded)
                origin.extend([start + offset] * len(folded))
                begins.append(1)
                begins.extend(b"\x00" * (len(folded) - 1))
    begins.append(1)  # the end of the text is a character boundary
    return "".join(pieces), origin, begins


@lru_cache(maxsize=1024)
def _compile(term: str) -> tuple[re.Pattern[str], bool, bool] | None:
    """The pattern for one term, and whether its start and its end need a word boundary."""
    words = "".join(_fold_char(c) for c in term).split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    first, last = words[0][0], words[-1][-1]
    return (
        pattern,
        _is_word(first) and not _continuous(first),
        _is_word(last) and not _continuous(last),
    )


def find_terms(text: str | None, terms: Iterable[str] | None) -> list[TermHit]:
    """Every whole-word occurrence of each term in ``text``, ordered by position.

    Blank and repeated terms (the same after folding) count once; occurrences of one term do not
    overlap; occurrences of different terms may (``free`` inside ``free shipping``).
    """
    if not text or not terms:
        return []
    folded, origin, begins = _fold(text)
    size = len(folded)
    hits: list[TermHit] = []
    seen: set[str] = set()
    for term in terms:
        if not isinstance(term, str):
            continue
        compiled = _compile(term)
        if compiled is None:
            continue
        pattern, left, right = compiled
        if pattern.pattern in seen:
            continue
        seen.add(pattern.pattern)
        pos = 0
        while (match := pattern.search(folded, pos)) is not None:
            start, end = match.span()
            if (
                begins[start]
                and begins[end]
                and not (left and start > 0 and _is_word(folded[start - 1]))
                and not (right and end < size and _is_word(folded[end]))
            ):
                hits.append(TermHit(term, origin[start], origin[end - 1] + 1))
                pos = end
            else:
                pos = start + 1
    hits.sort(key=lambda hit: (hit.start, hit.end, hit.term))
    return hits


def check_terms(
    text: str | None,
    terms: Iterable[str] | None,
    *,
    field: str,
    severity: Severity = "error",
    market: str | None = None,
    subject: str | None = None,
) -> list[Finding]:
    """One ``forbidden_term`` finding per term found in ``text``, in order of first occurrence.

    ``details``: ``term`` and ``matches`` (``[start, end]`` pairs into ``text``). ``market`` names
    the market in the message; ``subject`` replaces the field's name in it ("The post's caption").
    """
    by_term: dict[str, list[list[int]]] = {}
    for hit in find_terms(text, terms):
        by_term.setdefault(hit.term, []).append([hit.start, hit.end])
    where = f"in {market_label(market)}" if market else "in this market"
    what = subject or f"The {field_label(field)}"
    findings = []
    for term, matches in sorted(by_term.items(), key=lambda item: item[1][0]):
        times = f" ({len(matches)} times)" if len(matches) > 1 else ""
        findings.append(
            Finding(
                "forbidden_term",
                severity,
                field,
                f'{what} contains "{term}"{times}, a term not allowed {where}. '
                "Reword it before it goes out.",
                {"term": term, "matches": matches},
            )
        )
    return findings
