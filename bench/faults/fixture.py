"""The fault suite's own people and community, written into the cluster's database.

A closed community "Storingsproef <run>" with a moderator (two-step verification, as staff
must), members who read and post, an outsider who must never see anything, and candidates
who ask to join. Written through the app's models and its search indexing, in the
cluster's environment (`deploy/cluster.sh env`).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field

import pyotp

PASSWORD = "storingsproef-" + "wachtwoord"  # loopback test accounts only


@dataclass
class Fixture:
    run: str
    slug: str
    password: str
    moderator: str
    moderator_totp: str
    members: list[str]
    outsider: str
    candidates: list[str]
    cases: list[int] = field(default_factory=list)

    def dump(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle, indent=1)

    @classmethod
    def load(cls, path: str) -> Fixture:
        with open(path, encoding="utf-8") as handle:
            return cls(**json.load(handle))


def create(members: int, candidates: int, cases: int) -> Fixture:
    from community import create_app
    from community.accounts.passwords import hash_password
    from community.extensions import db
    from community.models import Case, Community, Membership, Organisation, User
    from community.models.base import utcnow
    from community.search.indexing import index_case

    run = secrets.token_hex(3)
    app = create_app()
    with app.app_context():
        organisation = Organisation(
            name=f"Storingsproef {run}", slug=f"proef-{run}", kind="gemeente"
        )
        db.session.add(organisation)
        password_hash = hash_password(PASSWORD)
        totp = pyotp.random_base32()

        def person(role: str, n: int, **extra: object) -> User:
            user = User(
                name=f"Proef {role} {n}",
                email=f"{role}{n}.{run}@proef.example",
                organisation=organisation,
                job_title="Beleidsadviseur",
                platform_role="member",
                status="active",
                locale="nl",
                password_hash=password_hash,
                email_confirmed_at=utcnow(),
                **extra,
            )
            db.session.add(user)
            return user

        moderator = person("moderator", 1, totp_secret=totp)
        people = [person("lid", n) for n in range(members)]
        outsider = person("buiten", 1)
        joiners = [person("kandidaat", n) for n in range(candidates)]
        community = Community(
            name=f"Storingsproef {run}",
            slug=f"storingsproef-{run}",
            summary="De leergemeenschap van de storingsproef",
            visibility="closed",
            method="open",
            created_by_id=None,
        )
        db.session.add(community)
        db.session.add(
            Membership(user=moderator, community=community, role="moderator", status="active")
        )
        for user in people:
            db.session.add(
                Membership(user=user, community=community, role="member", status="active")
            )
        made = []
        for n in range(cases):
            case = Case(
                community=community,
                author=people[n % len(people)],
                organisation=organisation,
                title=f"Proefcasus {n} {run}",
                context="Wat speelt er in de stad.",
                context_html="<p>Wat speelt er in de stad.</p>",
                question="Hoe pakken jullie dit aan?",
                question_html="<p>Hoe pakken jullie dit aan?</p>",
                phase="advice",
                published_at=utcnow(),
            )
            db.session.add(case)
            made.append(case)
        db.session.flush()
        for case in made:
            index_case(case)
        db.session.commit()
        return Fixture(
            run=run,
            slug=community.slug,
            password=PASSWORD,
            moderator=moderator.email,
            moderator_totp=totp,
            members=[user.email for user in people],
            outsider=outsider.email,
            candidates=[user.email for user in joiners],
            cases=[case.id for case in made],
        )
