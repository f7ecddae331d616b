"""The base of every form, and small helpers between forms, domain errors and the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from community import transaction
from community.exceptions import DomainError, RefusedInput

NUL_IN_FIELD = _l(
    "Dit veld bevat een ongeldig teken (een nul-byte). Haal het weg en probeer opnieuw."
)
NUL_IN_REQUEST = _l(
    "Wat je verstuurde bevat een ongeldig teken (een nul-byte). Haal het weg en probeer opnieuw."
)


def _has_nul(value: object) -> bool:
    if isinstance(value, FileStorage):
        return "\x00" in (value.filename or "")
    return isinstance(value, str) and "\x00" in value


class Form(FlaskForm):
    """The base of every form: a NUL byte in any field is refused next to that field.

    No field may hold one (PostgreSQL cannot store it in text), so a form with one is
    invalid before any other validator (some look things up in the database) sees it.
    """

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        refused = [field for field in self if any(map(_has_nul, field.raw_data or ()))]
        for field in refused:
            field.errors = [NUL_IN_FIELD]
        if refused:
            return False
        return super().validate(extra_validators)


def posted(name: str, default: str = "") -> str:
    """A text value of the posted form, for the few views without a form class."""
    value = request.form.get(name, default)
    if "\x00" in value:
        raise RefusedInput(NUL_IN_REQUEST)
    return value


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to its field, or at the top of the page.

    The request has failed: `transaction` rolls back what the service had already
    written and commits nothing of it.
    """
    transaction.fail()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flash_refusal(error: DomainError) -> None:
    """A service refused the change and the view redirects: say why, commit nothing."""
    transaction.fail()
    flash(error.message, "error")


def flash_success(message: str) -> None:
    flash(message, "success")


def client_ip() -> str | None:
    return request.remote_addr
