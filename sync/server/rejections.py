"""Why a change of a push is ``rejected``: one of PROTOCOL.md's codes, a message, details."""

from __future__ import annotations

from typing import Any

from desktop.rules.findings import Finding


class Rejected(Exception):  # noqa: N818 - an outcome of one change, not a failure of the server
    """A change refused with one of PROTOCOL.md's codes."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    def as_error(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def invalid(message: str, details: dict[str, Any] | None = None) -> Rejected:
    return Rejected("invalid", message, details)


def forbidden(message: str) -> Rejected:
    return Rejected("forbidden", message)


def from_finding(finding: Finding, others: list[Finding] | None = None) -> Rejected:
    """A rule's error finding as a rejection; other errors found go in ``details.others``."""
    details: dict[str, Any] = {**finding.details, "field": finding.field}
    if others:
        details["others"] = [
            {"code": f.code, "field": f.field, "message": f.message} for f in others
        ]
    return Rejected(finding.code, finding.message, details)
