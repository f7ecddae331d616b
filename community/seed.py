"""Seed data: organisations (G32/G40 cities and partners) and themes, idempotent."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from importlib import resources

from sqlalchemy import select

from community.extensions import db
from community.models import Organisation, OrganisationDomain, Theme


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("community").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def seed_organisations() -> int:
    """Insert missing organisations and their domains; existing rows are kept as edited."""
    existing = {org.slug: org for org in db.session.scalars(select(Organisation))}
    taken = set(db.session.scalars(select(OrganisationDomain.domain)))
    added = 0
    for row in _rows("organisations.csv"):
        if row["slug"] in existing:
            continue
        organisation = Organisation(
            name=row["name"],
            slug=row["slug"],
            kind=row["kind"],
            province=row["province"] or None,
            member_since=date.fromisoformat(row["member_since"]) if row["member_since"] else None,
        )
        organisation.domains = [
            OrganisationDomain(domain=domain)
            for domain in row["domains"].split()
            if domain not in taken
        ]
        db.session.add(organisation)
        added += 1
    db.session.flush()
    return added


def seed_themes() -> int:
    existing = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    added = 0
    for row in _rows("themes.csv"):
        slug = slugify(row["theme_nl"])
        theme = existing.get(slug)
        if theme is None:
            theme = Theme(slug=slug)
            db.session.add(theme)
            added += 1
        theme.pillar = row["pillar"]
        theme.name_nl = row["theme_nl"]
        theme.name_en = row["theme_en"]
        theme.description_nl = row["description_nl"]
    db.session.flush()
    return added
