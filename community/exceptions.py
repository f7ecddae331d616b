"""Domain errors that services raise and views map back onto forms."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import BadRequest


class DomainError(Exception):
    """A rule of the domain refused the change; `field` names the form field (or None)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class RefusedInput(BadRequest):
    """Posted text that no field can hold (a NUL byte), outside a form to show it in.

    Answered with a 400 page that says what was wrong, not a generic one.
    """

    def __init__(self, message: Any) -> None:
        super().__init__()
        self.message = message
