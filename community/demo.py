"""Demo data for `make run`: people of cities and partners, and their communities.

The demo cases and their contributions are in `community.demo_cases`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from community import markdown
from community.accounts import passwords
from community.extensions import db
from community.models import Community, Membership, Organisation, Theme, User
from community.models.base import utcnow
from community.seed import slugify

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
    ("Peter Visser", "p.visser@roosendaal.nl", "roosendaal", "Accountmanager ondernemers", "member",
     ["regeldruk-en-ondernemersruimte"]),
    ("Linda Mulder", "l.mulder@zorggroepmidden.example", "zorggroep-midden",
     "Manager wonen met zorg", "member", ["wonen-en-zorg-langer-thuis"]),
    ("Karim Boukhari", "k.boukhari@minbzk.nl", "ministerie-bzk", "Senior beleidsadviseur",
     "member", ["betaalbaar-wonen", "woningmarkt-en-transformatie"]),
    ("Esther de Boer", "e.deboer@platform31.nl", "platform31", "Programmaleider leerkringen",
     "member", ["vitale-binnensteden", "aanloopstraten-en-leegstand"]),
    # Authors of the demo cases (community.demo_cases).
    ("Hans Kooijman", "h.kooijman@dordrecht.nl", "dordrecht", "Accountmanager binnenstad",
     "member", ["vitale-binnensteden"]),
    ("Lotte Verbeek", "l.verbeek@eindhoven.nl", "eindhoven", "Adviseur data en binnenstad",
     "member", ["slimme-stad-en-regio", "vitale-binnensteden"]),
    ("Thijs van Dam", "t.vandam@deventer.nl", "deventer", "Wijkregisseur", "member",
     ["maatschappelijk-initiatief"]),
    ("Eva Hoekstra", "e.hoekstra@leeuwarden.nl", "leeuwarden",
     "Beleidsadviseur beschermd wonen en opvang", "member", ["transformatie-sociaal-domein"]),
    ("Naima Ouali", "n.ouali@lelystad.nl", "lelystad", "Teamleider schuldhulpverlening", "member",
     ["armoede-en-schulden"]),
    ("Rob Nijhuis", "r.nijhuis@hengelo.nl", "hengelo", "Programmamanager warmtetransitie",
     "member", ["energietransitie"]),
    ("Ingrid van Leeuwen", "i.vanleeuwen@amersfoort.nl", "amersfoort",
     "Projectleider woningbouwversnelling", "member", ["woningmarkt-en-transformatie"]),
    ("Bart Hendriks", "b.hendriks@ede.nl", "ede", "Regisseur inburgering en werk", "member",
     ["sluitende-keten-leren-werken"]),
]  # fmt: skip

# name, theme slug, visibility, description, members: (e-mail, role, status[, motivation])
DEMO_COMMUNITIES: list[tuple[str, str, str, str, list[tuple[str, ...]]]] = [
    ("Vitale binnensteden", "vitale-binnensteden", "closed",
     "Steden die hun binnenstad en aanloopstraten levendig willen houden nu winkelen alleen niet "
     "meer genoeg is. We brengen casussen in over leegstand, eigenaren en nieuwe functies.",
     [("e.deboer@platform31.nl", "moderator", "active"),
      ("sanne.devries@venlo.nl", "member", "active"),
      ("p.visser@roosendaal.nl", "member", "active"),
      ("f.yilmaz@stadenregio.example", "expert", "active"),
      ("h.kooijman@dordrecht.nl", "member", "active"),
      ("l.verbeek@eindhoven.nl", "member", "active"),
      ("a.elamrani@zaanstad.nl", "member", "requested",
       "In Zaanstad spelen dezelfde vragen rond de Gedempte Gracht.")]),
    ("Wonen en zorg / Langer thuis", "wonen-en-zorg-langer-thuis", "closed",
     "Gemeenten, corporaties en zorgaanbieders over zelfstandig wonen van ouderen en kwetsbare "
     "inwoners in een zorgzame wijk.",
     [("m.jansen@emmen.nl", "moderator", "active"),
      ("l.mulder@zorggroepmidden.example", "expert", "active"),
      ("joost.bakker@dekern.example", "member", "active"),
      ("t.vandam@deventer.nl", "member", "active"),
      ("e.hoekstra@leeuwarden.nl", "member", "active"),
      ("sanne.devries@venlo.nl", "member", "requested",
       "Venlo werkt aan een woonzorgvisie en zoekt voorbeelden.")]),
    ("Betaalbaar wonen", "betaalbaar-wonen", "closed",
     "Woonlasten van huurders, prestatieafspraken en de middenhuur: wat werkt in de praktijk?",
     [("a.elamrani@zaanstad.nl", "moderator", "active"),
      ("joost.bakker@dekern.example", "expert", "active"),
      ("k.boukhari@minbzk.nl", "member", "active"),
      ("f.yilmaz@stadenregio.example", "expert", "active"),
      ("n.ouali@lelystad.nl", "member", "active"),
      ("r.nijhuis@hengelo.nl", "member", "active")]),
    ("Verkenning woondeals (vertrouwelijk)", "woningmarkt-en-transformatie", "secret",
     "Een besloten verkenning op uitnodiging van het ministerie, met een klein aantal steden.",
     [("k.boukhari@minbzk.nl", "moderator", "active"),
      ("a.elamrani@zaanstad.nl", "member", "active"),
      ("m.jansen@emmen.nl", "member", "active"),
      ("i.vanleeuwen@amersfoort.nl", "member", "active"),
      ("b.hendriks@ede.nl", "member", "active")]),
]  # fmt: skip


def load_demo_communities() -> int:
    """Create the demo communities that do not exist yet, and their missing memberships.

    Returns how many communities were added; a member already in a community (in any
    status) is left as is.
    """
    users = {user.email: user for user in db.session.scalars(select(User))}
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    communities = {community.name: community for community in db.session.scalars(select(Community))}
    memberships = {
        (user_id, community_id)
        for user_id, community_id in db.session.execute(
            select(Membership.user_id, Membership.community_id)
        )
    }
    added = 0
    for name, theme_slug, visibility, description, members in DEMO_COMMUNITIES:
        community = communities.get(name)
        if community is None:
            community = Community(
                name=name,
                slug=slugify(name.split(" (")[0]),
                description=description,
                description_html=markdown.render(description),
                summary=description[:200],
                theme=themes.get(theme_slug),
                visibility=visibility,
                method="incident",
            )
            db.session.add(community)
            db.session.flush()
            added += 1
        for email, role, status, *motivation in members:
            user = users.get(email)
            if user is None or (user.id, community.id) in memberships:
                continue
            db.session.add(
                Membership(
                    user_id=user.id,
                    community_id=community.id,
                    role=role,
                    status=status,
                    motivation=motivation[0] if motivation else "",
                    # Members since before the demo cases, so the home page shows their
                    # recent activity as new; open requests were made a few days ago.
                    created_at=utcnow() - timedelta(days=120 if status == "active" else 3),
                    decided_at=utcnow() - timedelta(days=120) if status == "active" else None,
                )
            )
    db.session.flush()
    return added


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
