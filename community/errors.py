"""Error pages in the layout, without internals."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from community import transaction

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
    500: (
        _l("Er ging iets mis"),
        _l(
            "Er ging aan onze kant iets mis. Je wijziging is niet opgeslagen. "
            "Probeer het later opnieuw."
        ),
    ),
}


def render_error(code: int) -> tuple[str, int]:
    title, message = MESSAGES.get(code) or MESSAGES[400 if code < 500 else 500]
    # Minimal chrome: no forms, tokens or URLs, so a 404 for a closed community is
    # byte for byte the page of a community that does not exist.
    page = render_template(
        "errors/error.html", code=code, title=title, message=message, minimal_chrome=True
    )
    return page, code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int] | HTTPException:
        code = exc.code or 500
        if code < 400:
            return exc
        transaction.fail()  # the error page shows what is stored, nothing is committed
        if isinstance(exc, InternalServerError) and exc.original_exception is not None:
            log.error("unhandled error", exc_info=exc.original_exception)
        return render_error(code)
