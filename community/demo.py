"""Demo data for `make run`: a few people of different cities and partners."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts import passwords
from community.extensions import db
from community.models import Organisation, Theme, User
from community.models.base import utcnow

DEMO_PASSWORD = "leerkring-demo-2026"  # noqa: S105 - documented demo password

# name, e-mail, organisation slug, job title, platform role, expertise theme slugs
DEMO_PEOPLE = [
    ("Annelies Beheer", "beheer@platform31.nl", "platform31", "Beheerder Leerkring", "admin", []),
    ("Sanne de Vries", "sanne.devries@venlo.nl", "venlo", "Beleidsadviseur economie", "member",
     ["aanloopstraten-en-leegstand", "vitale-binnensteden"]),
    ("Ahmed El Amrani", "a.elamrani@zaanstad.nl", "zaanstad", "Senior beleidsmedewerker wonen",
     "member", ["betaalbaar-wonen"]),
    ("Marieke Jansen", "m.jansen@emmen.nl", "emmen", "Regisseur wonen en zorg", "member",
     ["wonen-en-zorg-langer-thuis"]),
    ("Joost Bakker", "joost.bakker@dekern.example", "woonstichting-de-kern",
     "Strategisch adviseur", "member", ["betaalbaar-wonen", "energietransitie"]),
    ("Fatima Yilmaz", "f.yilmaz@stadenregio.example", "adviesbureau-stad-en-regio",
     "Adviseur sociaal domein", "member", ["transformatie-sociaal-domein", "armoede-en-schulden"]),
]  # fmt: skip


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo() -> int:
    """Create the demo accounts that do not exist yet; returns how many were added."""
    organisations = {org.slug: org for org in db.session.scalars(select(Organisation))}
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    known = set(db.session.scalars(select(User.email)))
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    added = 0
    for name, email, org_slug, job_title, role, expertise in DEMO_PEOPLE:
        if email in known:
            continue
        db.session.add(
            User(
                name=name,
                email=email,
                organisation=organisations.get(org_slug),
                job_title=job_title,
                platform_role=role,
                status="active",
                password_hash=password_hash,
                email_confirmed_at=utcnow(),
                approved_at=utcnow(),
                expertise=[themes[slug] for slug in expertise if slug in themes],
            )
        )
        added += 1
    db.session.flush()
    return added
