"""Domain errors that services raise and views map back onto forms."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the change; `field` names the form field (or None)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
