"""Language choice and Dutch-style date formatting."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import current_app, g, has_app_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    to_user_timezone,
)
from flask_login import current_user

from community.models.base import AMSTERDAM


def select_locale() -> str:
    """The user's setting, else the visitor's choice, else Accept-Language, else Dutch."""
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def translations() -> Any:
    """The catalogue for the current locale, looked up once per request and locale.

    Flask-Babel resolves the locale and the domain on every call, which made a page
    with a few thousand strings spend most of its time there. `force_locale` (mail in
    the recipient's language) sets a new locale object on `g`, so the cache follows it.
    """
    if not has_app_context():
        return NullTranslations()
    ctx = g.__dict__.get("_flask_babel")  # Flask-Babel's per-request state
    locale = getattr(ctx, "babel_locale", None)
    cached = g.__dict__.get("_leerkring_translations")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    found = get_translations()
    g._leerkring_translations = (
        getattr(g.__dict__.get("_flask_babel"), "babel_locale", None),
        found,
    )
    return found


def gettext(string: str, **variables: Any) -> str:
    """`flask_babel.gettext` through the per-request cache, for code called per row."""
    translated = str(translations().ugettext(string))
    return translated % variables if variables else translated


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "nl"


@cache
def _month_names(language: str) -> dict[int, str]:
    return dict(Locale.parse(language).months["format"]["wide"])


def format_moment(value: datetime | None) -> str:
    """'1 mei 2026, 9.30 uur' in Dutch, '1 May 2026, 9:30' in English (Amsterdam time).

    Written out instead of Babel's pattern formatter: pages show one per contribution.
    """
    if value is None:
        return ""
    local = value.astimezone(AMSTERDAM)
    language = current_language()
    month = _month_names(language)[local.month]
    if language == "nl":
        return f"{local.day} {month} {local.year}, {local.hour}.{local.minute:02d} uur"
    return f"{local.day} {month} {local.year}, {local.hour}:{local.minute:02d}"


def format_day(value: date | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, "d MMMM y")
    return format_datetime(value, "d MMMM y")


def format_day_plain(value: date) -> str:
    """A calendar date in the current language, e.g. '12 maart 2026'."""
    return format_date(value, "d MMMM y")


def format_size(size: int) -> str:
    """A file size for people: '12 kB', '3,4 MB' (in the current language)."""
    if size < 1000 * 1000:
        return f"{format_decimal(max(size / 1000, 0.1), '#,##0.#')} kB"
    return f"{format_decimal(size / 1000 / 1000, '#,##0.#')} MB"


def format_span(start: datetime, end: datetime) -> str:
    """'12 maart 2026, 9.30–12.00 uur' (one day) or both moments in full."""
    same_day = to_user_timezone(start).date() == to_user_timezone(end).date()
    if current_language() == "nl":
        if same_day:
            return (
                format_datetime(start, "d MMMM y, H.mm") + "–" + format_datetime(end, "H.mm 'uur'")
            )
        return format_moment(start) + " – " + format_moment(end)
    if same_day:
        return format_datetime(start, "d MMMM y, H:mm") + "–" + format_datetime(end, "H:mm")
    return format_moment(start) + " – " + format_moment(end)
