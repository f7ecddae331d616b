"""Read-only lookups for the accounts forms and pages."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from community.extensions import db
from community.i18n import current_language
from community.labels import kind_label
from community.models import Organisation, Theme


def organisation_choices() -> list[SelectChoice]:
    """Cities first, then partner organisations with their kind, each alphabetical."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name)
    ).all()
    cities = sorted(
        (row for row in rows if row.kind == "gemeente"), key=lambda r: sort_name(r.name)
    )
    partners = [row for row in rows if row.kind != "gemeente"]
    return [SelectChoice(row.id, row.name, optgroup=_("Gemeenten")) for row in cities] + [
        SelectChoice(row.id, f"{row.name} ({kind_label(row.kind)})", optgroup=_("Partners"))
        for row in partners
    ]


def theme_choices() -> list[SelectChoice]:
    themes = db.session.scalars(select(Theme).order_by(Theme.pillar, Theme.name_nl)).all()
    language = current_language()
    return [SelectChoice(theme.id, theme.name(language)) for theme in themes]


def sort_name(name: str) -> str:
    """'s-Hertogenbosch sorts under H, as Dutch lists do."""
    return name.removeprefix("'s-").removeprefix("’s-").lower()
