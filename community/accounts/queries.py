"""Read-only lookups for the accounts forms and pages."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.i18n import current_language
from community.labels import kind_label
from community.models import Organisation, Theme


def organisation_choices() -> list[tuple[int, str]]:
    """Cities first, then partner organisations with their kind, each alphabetical."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name)
    ).all()
    cities = [(row.id, row.name) for row in rows if row.kind == "gemeente"]
    cities.sort(key=lambda choice: sort_name(choice[1]))
    partners = [(row.id, f"{row.name} ({kind_label(row.kind)})") for row in rows if row.kind != "gemeente"]
    return cities + partners


def theme_choices() -> list[tuple[int, str]]:
    themes = db.session.scalars(select(Theme).order_by(Theme.pillar, Theme.name_nl)).all()
    language = current_language()
    return [(theme.id, theme.name(language)) for theme in themes]


def sort_name(name: str) -> str:
    """'s-Hertogenbosch sorts under H, as Dutch lists do."""
    return name.removeprefix("'s-").removeprefix("’s-").lower()
