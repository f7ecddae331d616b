"""Language choice and Dutch-style date formatting."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import current_app, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    to_user_timezone,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

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


Labels = Mapping[str, LazyString]  # a module's labels for stored codes (community.labels)


@dataclass
class _Catalogue:
    """The translations for one locale object, and the label dictionaries translated so far."""

    locale: Locale
    translations: Translations | NullTranslations
    labels: dict[int, tuple[Labels, dict[str, str]]] = field(default_factory=dict)


# Per thread of execution (contextvars), so concurrent requests never share an entry.
_current: ContextVar[_Catalogue | None] = ContextVar("leerkring_catalogue", default=None)


def _catalogue() -> _Catalogue | None:
    """The cache entry for the current locale, made anew whenever `get_locale()` changes.

    Flask-Babel resolves the locale and the domain on every `gettext` call, which made
    a page with a few thousand strings spend a tenth of its time there. Its public
    `get_locale()` returns the same `Locale` object for the whole request and a new one
    inside `force_locale` (mail in the recipient's language) or after `refresh()`, so
    that object is the key: a different object means a new look-up, never a stale one.
    The entry holds the object, so its identity cannot be reused while it is cached.
    """
    locale = get_locale()
    if locale is None:  # outside a request: no language chosen
        return None
    cached = _current.get()
    if cached is not None and cached.locale is locale:
        return cached
    fresh = _Catalogue(locale, get_translations())
    _current.set(fresh)
    return fresh


def translations() -> Translations | NullTranslations:
    """The catalogue of the current locale (Flask-Babel's own), looked up once per locale."""
    cached = _catalogue()
    return cached.translations if cached is not None else NullTranslations()


def gettext(string: str, **variables: Any) -> str:
    """`flask_babel.gettext` through the per-locale cache, for code called per row."""
    translated = str(translations().ugettext(string))
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """`flask_babel.ngettext` through the per-locale cache, for code called per row."""
    variables.setdefault("num", num)
    return str(translations().ungettext(singular, plural, num)) % variables


def translated(labels: Labels) -> Mapping[str, str]:
    """A module's dictionary of lazy labels in the current language, translated once.

    For labels shown once per row: the whole dictionary (a handful of strings) is
    translated the first time it is asked for in a request and language.
    """
    cached = _catalogue()
    if cached is None:
        return {code: str(label) for code, label in labels.items()}
    entry = cached.labels.get(id(labels))
    if entry is None or entry[0] is not labels:  # the dictionary itself is kept with it
        entry = cached.labels[id(labels)] = (
            labels,
            {code: str(label) for code, label in labels.items()},
        )
    return entry[1]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "nl"


# What members write (cases, contributions, community texts, approaches, agendas) is Dutch.
CONTENT_LANGUAGE = "nl"
_CONTENT_LANG = Markup(' lang="nl"')  # a constant: no outside text goes into it


def content_lang() -> Markup:
    """` lang="nl"` for an element that holds user content, when the interface speaks
    another language: screen readers then pronounce it as Dutch and the browser
    hyphenates it as Dutch. Nothing in Dutch mode, where <html lang> already says so."""
    if current_language() == CONTENT_LANGUAGE:
        return Markup("")
    return _CONTENT_LANG


@cache
def _month_names(language: str) -> dict[int, str]:
    return dict(Locale.parse(language).months["format"]["wide"])


def format_moment(value: datetime | None, language: str | None = None) -> str:
    """'1 mei 2026, 9.30 uur' in Dutch, '1 May 2026, 9:30' in English (Amsterdam time).

    Written out instead of Babel's pattern formatter: pages show one per contribution.
    `language` is the current one unless given (by code formatting many at once).
    """
    return moment_formatter(language)(value)


def moment_formatter(language: str | None = None) -> Callable[[datetime | None], str]:
    """`format_moment` with the language (the current one unless given) looked up once."""
    language = language or current_language()
    months = _month_names(language)
    dutch = language == "nl"

    def moment(value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(AMSTERDAM)
        month = months[local.month]
        if dutch:
            return f"{local.day} {month} {local.year}, {local.hour}.{local.minute:02d} uur"
        return f"{local.day} {month} {local.year}, {local.hour}:{local.minute:02d}"

    return moment


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
