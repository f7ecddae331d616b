"""Platform administration: account approval and suspension, organisations."""

from __future__ import annotations

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import audit, mail, policy
from community.exceptions import DomainError
from community.extensions import db
from community.models import Organisation, OrganisationDomain, User
from community.models.base import utcnow

DOMAIN_PATTERN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def approve_account(actor: User, account: User, ip: str | None) -> None:
    policy.require(policy.can_approve_account(actor, account))
    account.status = "active"
    account.approved_at = utcnow()
    audit.record("account.approved", actor=actor, target=account, ip=ip)
    with force_locale(account.locale):
        mail.enqueue(
            account.email,
            str(_l("Je account voor Leerkring is goedgekeurd")),
            "account_approved",
            user=account,
            link=mail.absolute_url("accounts.login"),
        )


def suspend_account(actor: User, account: User, ip: str | None, reason: str = "") -> None:
    policy.require(policy.can_suspend_account(actor, account))
    account.status = "suspended"
    account.rotate_session_token()  # ends the account's open sessions at once
    audit.record("account.suspended", actor=actor, target=account, ip=ip, reason=reason.strip())


def reactivate_account(actor: User, account: User, ip: str | None, reason: str) -> None:
    policy.require(policy.can_manage_accounts(actor) and account.status == "suspended")
    if not reason.strip():
        raise DomainError("reason", _("Geef een reden."))
    account.status = "active"
    audit.record("account.reactivated", actor=actor, target=account, ip=ip, reason=reason.strip())


def parse_domains(text: str) -> list[str]:
    domains = sorted(
        {part.strip().lower().lstrip("@") for part in re.split(r"[\s,;]+", text) if part.strip()}
    )
    bad = [domain for domain in domains if not DOMAIN_PATTERN.match(domain)]
    if bad:
        raise DomainError("domains", _("Dit is geen geldig domein: %(domain)s", domain=bad[0]))
    return domains


def save_organisation(
    actor: User,
    organisation: Organisation | None,
    *,
    name: str,
    slug: str,
    kind: str,
    domains_text: str,
    ip: str | None,
) -> Organisation:
    policy.require(policy.can_manage_organisations(actor))
    domains = parse_domains(domains_text)
    slug_owner = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if slug_owner is not None and slug_owner is not organisation:
        raise DomainError("slug", _("Deze korte naam is al in gebruik."))
    taken = db.session.scalars(
        select(OrganisationDomain).where(OrganisationDomain.domain.in_(domains))
    ).all()
    for row in taken:
        if organisation is None or row.organisation_id != organisation.id:
            raise DomainError(
                "domains",
                _("Het domein %(domain)s hoort al bij een andere organisatie.", domain=row.domain),
            )
    if organisation is None:
        organisation = Organisation(name=name, slug=slug, kind=kind)
        db.session.add(organisation)
    organisation.name, organisation.slug, organisation.kind = name.strip(), slug, kind
    current = {row.domain: row for row in organisation.domains}
    organisation.domains = [current.get(d) or OrganisationDomain(domain=d) for d in domains]
    db.session.flush()
    audit.record("organisation.saved", actor=actor, target=organisation, ip=ip, domains=domains)
    return organisation
