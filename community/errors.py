"""Error pages in the layout, without internals."""

from __future__ import annotations

import logging
import secrets
from types import TracebackType
from typing import Any

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from community import transaction
from community.exceptions import RefusedInput

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Ongeldig verzoek"), _l("Je verzoek kon niet worden verwerkt. Probeer het opnieuw.")),
    403: (_l("Geen toegang"), _l("Je hebt geen rechten voor deze pagina of actie.")),
    404: (
        _l("Pagina niet gevonden"),
        _l("Deze pagina bestaat niet of je hebt er geen toegang toe."),
    ),
    405: (
        _l("Methode niet toegestaan"),
        _l("Deze actie kan niet op deze manier worden uitgevoerd."),
    ),
    413: (
        _l("Te groot"),
        _l("Wat je verstuurde is te groot. Maak het kleiner en probeer het opnieuw."),
    ),
    429: (
        _l("Te veel pogingen"),
        _l("Je hebt dit te vaak geprobeerd. Wacht even en probeer het dan opnieuw."),
    ),
    503: (
        _l("Even niet beschikbaar"),
        _l(
            "De bescherming tegen te veel pogingen is even niet bereikbaar, dus dit kan nu "
            "niet. Er is niets opgeslagen. Probeer het over een paar minuten opnieuw."
        ),
    ),
    500: (
        _l("Er ging iets mis"),
        _l(
            "Er ging aan onze kant iets mis. Je wijziging is niet opgeslagen. "
            "Probeer het later opnieuw."
        ),
    ),
}


def new_reference() -> str:
    """A short id for one failure: on the error page and in its log line."""
    return secrets.token_hex(4)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None] | None


def log_failure(code: int, exc_info: ExcInfo | BaseException) -> str:
    """Log a server error with a new reference id, and return the id for the page."""
    reference = new_reference()
    g.error_reference = reference
    log.error(
        "error %s (reference %s) on %s %s",
        code,
        reference,
        request.method,
        request.path,
        exc_info=exc_info,
    )
    return reference


class ReferencedErrorsFlask(Flask):
    """Flask, with the log line of an unhandled exception carrying the page's reference."""

    def log_exception(self, exc_info: ExcInfo) -> None:
        log_failure(500, exc_info)


def render_error(code: int, reference: str | None = None, message: Any = None) -> tuple[str, int]:
    title, default = MESSAGES.get(code) or MESSAGES[400 if code < 500 else 500]
    message = message or default
    # Minimal chrome: no forms, tokens or URLs, so a 404 for a closed community is
    # byte for byte the page of a community that does not exist.
    page = render_template(
        "errors/error.html",
        code=code,
        title=title,
        message=message,
        reference=reference,
        minimal_chrome=True,
    )
    return page, code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int] | HTTPException:
        code = exc.code or 500
        if code < 400:
            return exc
        transaction.fail()  # the error page shows what is stored, nothing is committed
        if code < 500:
            message = exc.message if isinstance(exc, RefusedInput) else None
            return render_error(code, message=message)
        # An unhandled exception was logged already (log_exception); an abort(5xx) not yet.
        reference = g.pop("error_reference", None) or log_failure(
            code, exc if isinstance(exc, InternalServerError) else None
        )
        return render_error(code, reference)
