"""The one rule for the e-mail address an account may get.

Registration, invitations and `flask create-admin` all check an address here, so an
address one of them accepts is one the others accept too. Logging in and asking for a
password reset check nothing beyond the length: whatever address an account has, its
owner can type it.
"""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MAX_LENGTH = 254


class InvalidAddress(ValueError):
    """Not an address an account can have; `reason` says why (in English)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise(address: str) -> str:
    """The stored form of an address: trimmed and in lower case."""
    return address.strip().lower()


def check(address: str) -> str:
    """Return the normalised address, or raise `InvalidAddress`.

    The syntax of RFC 5322 (no display name, no IP literal), without a DNS look-up.
    Names reserved for testing (`.test`, RFC 2606) are allowed, so a test or staging
    installation can use them; other special-use names (`.local`, `localhost`) are not.
    """
    value = normalise(address)
    if len(value) > MAX_LENGTH:
        raise InvalidAddress(f"an address has at most {MAX_LENGTH} characters")
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise InvalidAddress(str(error)) from None
    return value


class AccountAddress:
    """WTForms validator: the field holds an address an account may get."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("Vul een geldig e-mailadres in, zoals naam@gemeente.nl.")

    def __call__(self, form: Any, field: Any) -> None:
        try:
            check(field.data or "")
        except InvalidAddress:
            raise ValidationError(self.message) from None
