"""Small helpers between forms, domain errors and the client's address."""

from __future__ import annotations

from flask import flash, request
from flask_wtf import FlaskForm

from community import transaction
from community.exceptions import DomainError


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
