from __future__ import annotations

import json
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop.rules.terms import TermHit, check_terms, find_terms


def spans(text: str, terms: list[str]) -> list[str]:
    return [text[h.start : h.end] for h in find_terms(text, terms)]


@pytest.mark.parametrize(
    ("text", "terms", "found"),
    [
        ("Jetzt GRATIS!", ["gratis"], ["GRATIS"]),
        ("Gratis-Versand ab heute", ["gratis"], ["Gratis"]),
        ("Totale gratisfaction", ["gratis"], []),
        ("ungratis", ["gratis"], []),
        ("#gratis today", ["gratis"], ["gratis"]),
        ("#gratis_deals today", ["gratis"], []),
        ("(gratis)", ["Gratis"], ["gratis"]),
        ("gratis gratis", ["gratis"], ["gratis", "gratis"]),
        ("FREE\n   shipping now", ["free shipping"], ["FREE\n   shipping"]),
        ("free\u00a0shipping", ["free shipping"], ["free\u00a0shipping"]),
        ("freeshipping", ["free shipping"], []),
        ("free  shippingday", ["free shipping"], []),
        ("STRASSE frei", ["straße"], ["STRASSE"]),
        ("Straße frei", ["STRASSE"], ["Straße"]),
        ("café au lait", ["café"], ["café"]),
        ("cafe\u0301 au lait", ["café"], ["cafe\u0301"]),  # decomposed accent
        ("café au lait", ["cafe"], []),  # accents are significant
        ("cafe\u0301 au lait", ["cafe"], []),
        ("ＧＲＡＴＩＳ now", ["gratis"], ["ＧＲＡＴＩＳ"]),  # full width
        ("gra\u00adtis now", ["gratis"], ["gra\u00adtis"]),  # soft hyphen
        ("今なら無料です", ["無料"], ["無料"]),  # CJK: substring
        ("無料無料", ["無料"], ["無料", "無料"]),
        ("今なら有料です", ["無料"], []),
        ("ส่งฟรีวันนี้", ["ฟรี"], ["ฟรี"]),  # Thai: substring
        ("무료로 배송", ["무료"], ["무료"]),  # Korean particle attached
        ("묵료", ["무"], []),  # never inside a Hangul syllable
        ("Jetzt 100% sicher", ["100%"], ["100%"]),
        ("Jetzt 1100% sicher", ["100%"], []),
        ("Sale! #ad", ["#ad"], ["#ad"]),
        ("Sale! #adidas", ["#ad"], []),
        ("Free無料", ["free無料"], ["Free無料"]),
        ("xFree無料", ["free無料"], []),
        ("free shipping", ["free", "free shipping"], ["free", "free shipping"]),
        ("", ["gratis"], []),
        ("gratis", [], []),
        ("gratis", ["", "   "], []),
        ("Gratis", ["gratis", "GRATIS"], ["Gratis"]),  # the same term once
        ("ΔΩΡΕΑΝ τώρα", ["δωρεάν"], []),  # accent significant in Greek too
        ("ΔΩΡΕΆΝ τώρα", ["δωρεάν"], ["ΔΩΡΕΆΝ"]),
        ("БЕСПЛАТНО!", ["бесплатно"], ["БЕСПЛАТНО"]),
    ],
)
def test_find_terms(text: str, terms: list[str], found: list[str]) -> None:
    assert spans(text, terms) == found


def test_find_terms_offsets_index_the_original_text() -> None:
    text = "Straße: GRATIS, ﬁnal"
    hits = find_terms(text, ["gratis", "final", "strasse"])
    assert hits == [
        TermHit("strasse", 0, 6),
        TermHit("gratis", 8, 14),
        TermHit("final", 16, 20),
    ]


def test_find_terms_accepts_none() -> None:
    assert find_terms(None, ["gratis"]) == []
    assert find_terms("gratis", None) == []


def test_check_terms_one_finding_per_term() -> None:
    findings = check_terms(
        "Gratis! Jetzt gratis und free shipping", ["free shipping", "gratis"], field="caption"
    )
    assert [f.code for f in findings] == ["forbidden_term", "forbidden_term"]
    first, second = findings
    assert first.details == {"term": "gratis", "matches": [[0, 6], [14, 20]]}
    assert second.details["term"] == "free shipping"
    assert first.severity == "error" and first.field == "caption"
    assert '"gratis" (2 times)' in first.message
    assert "The caption contains" in first.message
    json.dumps([f.details for f in findings])


def test_check_terms_message_and_severity_options() -> None:
    (finding,) = check_terms("Gratis!", ["gratis"], field="cta", severity="warning", market="de")
    assert finding.severity == "warning"
    assert finding.message.startswith('The call to action contains "gratis"')
    assert "not allowed in DE" in finding.message
    (other,) = check_terms("Gratis!", ["gratis"], field="entry.caption", subject="The post")
    assert other.message.startswith('The post contains "gratis"')


def test_check_terms_near_miss() -> None:
    assert check_terms("gratisfaction guaranteed", ["gratis"], field="caption") == []


words = st.text(alphabet=string.ascii_letters + "äöüßéÉ", min_size=1, max_size=8)
separators = st.text(alphabet=" \n\t.,!?-()#", min_size=1, max_size=3)


@given(st.text(max_size=80), st.lists(words, min_size=1, max_size=4))
def test_never_matches_inside_a_longer_word(text: str, terms: list[str]) -> None:
    for hit in find_terms(text, terms):
        assert 0 <= hit.start < hit.end <= len(text)
        before = text[hit.start - 1] if hit.start else " "
        after = text[hit.end] if hit.end < len(text) else " "
        assert not (before.isalnum() or before == "_"), (text, hit)
        assert not (after.isalnum() or after == "_"), (text, hit)


@given(
    st.lists(words, min_size=1, max_size=6),
    st.lists(separators, min_size=7, max_size=7),
    st.integers(min_value=0, max_value=5),
)
def test_finds_a_term_standing_as_a_word(word_list: list[str], seps: list[str], pick: int) -> None:
    term = word_list[pick % len(word_list)]
    text = seps[0] + "".join(w + s for w, s in zip(word_list, seps[1:], strict=False))
    hits = find_terms(text.upper(), [term])
    expected = sum(1 for w in word_list if w.casefold() == term.casefold())
    assume(all("ß" not in w for w in word_list))  # upper() of ß changes the length
    assert len(hits) >= expected >= 1


@given(st.text(max_size=60), st.lists(st.text(max_size=6), max_size=4))
def test_never_raises_and_hits_are_sorted(text: str, terms: list[str]) -> None:
    hits = find_terms(text, terms)
    assert hits == sorted(hits, key=lambda h: (h.start, h.end, h.term))
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_fast_path_folds_like_the_general_one(text: str) -> None:
    from desktop.rules.terms import _fold, _fold_char

    general = "".join(_fold_char(c) for c in text)
    folded, origin, begins = _fold(text)
    assert folded == general and origin == list(range(len(text))) and len(begins) == len(text) + 1


@given(st.text(max_size=60))
def test_folding_by_runs_equals_folding_each_character(text: str) -> None:
    from desktop.rules.terms import _IGNORED, _fold, _fold_char

    folded, origin, begins = _fold(text)
    expected_origin: list[int] = []
    expected_begins = bytearray()
    for index, char in enumerate(text):
        piece = _fold_char(char)
        expected_origin += [index] * len(piece)
        expected_begins += b"\x01" + b"\x00" * (len(piece) - 1) if piece else b""
    assert folded == "".join(_fold_char(c) for c in text)
    assert origin == expected_origin and begins == expected_begins + b"\x01"
    assert all(c not in _IGNORED for c in folded)
