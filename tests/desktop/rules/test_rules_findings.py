from __future__ import annotations

import dataclasses

import pytest

from desktop.rules import Finding, errors, first_error, has_errors
from desktop.rules.findings import with_severity

ERR = Finding("invalid", "error", "budget.amount", "Enter a budget.")
WARN = Finding("drift", "warning", "starts_at", "This starts later.", {"days": 3.0})
INFO = Finding("embargo_lifting", "info", None, "Lifts soon.")


def test_errors_keeps_only_errors_in_order() -> None:
    second = Finding("embargoed", "error", "embargo.until", "Embargoed.")
    assert errors([WARN, ERR, INFO, second]) == [ERR, second]
    assert errors([WARN, INFO]) == []


@pytest.mark.parametrize(
    ("findings", "expected"),
    [([], False), ([WARN, INFO], False), ([WARN, ERR], True), ([ERR], True)],
)
def test_has_errors(findings: list[Finding], expected: bool) -> None:
    assert has_errors(findings) is expected
    assert has_errors(iter(findings)) is expected


def test_first_error_is_the_rejection() -> None:
    assert first_error([WARN, ERR, INFO]) == ERR
    assert first_error([WARN, INFO]) is None


def test_finding_is_frozen_and_hashable_despite_details() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        WARN.code = "other"  # type: ignore[misc]
    assert len({WARN, dataclasses.replace(WARN)}) == 1
    assert dataclasses.replace(WARN, details={"days": 4.0}) != WARN
    assert Finding("a", "info", None, "m").details == {}


def test_with_severity_changes_only_the_severity() -> None:
    warned = with_severity([ERR, INFO], "warning")
    assert [f.severity for f in warned] == ["warning", "warning"]
    assert [(f.code, f.field, f.message) for f in warned] == [
        (ERR.code, ERR.field, ERR.message),
        (INFO.code, INFO.field, INFO.message),
    ]
