"""Small helpers between forms, domain errors and the client's address."""

from __future__ import annotations

from flask import flash, request
from flask_wtf import FlaskForm

from community.exceptions import DomainError


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to its field, or at the top of the page."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flash_success(message: str) -> None:
    flash(message, "success")


def client_ip() -> str | None:
    return request.remote_addr
