"""Small helpers between forms, domain errors and the client's address."""

from __future__ import annotations

from flask import flash, request
from flask_wtf import FlaskForm

from community.exceptions import DomainError
from community.extensions import db


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to its field, or at the top of the page.

    Whatever the service had already written in this request is rolled back first.
    """
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flash_success(message: str) -> None:
    flash(message, "success")


def client_ip() -> str | None:
    return request.remote_addr
