"""Approaches: written from a case or from scratch, versioned, shared to the library, adopted."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from community import audit, markdown, policy, search
from community.cases.services import attach
from community.communities.memberships import moderators_of
from community.create_once import create_once
from community.exceptions import DomainError
from community.extensions import db
from community.models import (
    Adoption,
    Approach,
    ApproachSource,
    ApproachVersion,
    Case,
    Community,
    Contribution,
    Theme,
    User,
)
from community.models.base import utcnow
from community.notifications.services import notify, notify_members


@dataclass(frozen=True)
class ApproachData:
    """What the approach form may set; nothing else reaches the model."""

    title: str
    summary: str
    problem: str
    steps: str
    results: str
    success_factors: str
    pitfalls: str
    theme_id: int | None
    contact: str


TEXTS = ("summary", "problem", "steps", "results", "success_factors", "pitfalls")


def prefill_from_case(case: Case) -> dict[str, Any]:
    """Title, theme, problem (context and question) and steps (the reflection) of a case."""
    reflections = db.session.scalars(
        select(Contribution.body)
        .where(
            Contribution.case_id == case.id,
            Contribution.kind == "reflection",
            Contribution.hidden_at.is_(None),
            Contribution.pending_review.is_(False),
        )
        .order_by(Contribution.created_at)
    ).all()
    return {
        "title": case.title,
        "theme": case.theme_id or 0,
        "problem": f"{case.context}\n\n{case.question}".strip(),
        "steps": "\n\n".join(reflections),
    }


def valuable_contributions(case: Case) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution)
            .where(
                Contribution.case_id == case.id,
                Contribution.valuable.is_(True),
                Contribution.hidden_at.is_(None),
                Contribution.pending_review.is_(False),
            )
            .order_by(Contribution.created_at)
        )
    )


def _apply(approach: Approach, data: ApproachData, user: User) -> None:
    approach.title = " ".join(data.title.split())
    theme = db.session.get(Theme, data.theme_id) if data.theme_id else None
    if data.theme_id and theme is None:
        raise DomainError("theme", _("Kies een thema uit de lijst."))
    approach.theme = theme
    for name in TEXTS:
        text = getattr(data, name).strip()
        setattr(approach, name, text)
        setattr(approach, f"{name}_html", markdown.render(text))
    approach.contact = data.contact.strip()
    approach.updated_at = utcnow()
    approach.updated_by_id = user.id


def create_approach(
    user: User,
    community: Community,
    data: ApproachData,
    *,
    case: Case | None,
    source_ids: list[int],
    upload: FileStorage | None,
    idempotency_key: str | None,
    ip: str | None,
) -> Approach:
    policy.require(policy.can_create_approach(user, community))
    if case is not None:
        policy.require(
            case.community_id == community.id and policy.can_base_approach_on(user, case)
        )

    def find(key: str) -> Approach | None:
        return db.session.scalar(
            select(Approach).where(Approach.author_id == user.id, Approach.idempotency_key == key)
        )

    def build() -> Approach:
        allowed = {c.id for c in valuable_contributions(case)} if case is not None else set()
        if any(source not in allowed for source in source_ids):
            raise DomainError(
                "sources", _("Kies alleen bijdragen die bij deze casus waardevol zijn.")
            )
        approach = Approach(
            community=community,
            case_id=case.id if case else None,
            author_id=user.id,
            organisation_id=user.organisation_id,
            idempotency_key=idempotency_key or None,
        )
        _apply(approach, data, user)
        return approach

    approach, created = create_once(idempotency_key, find, build)
    if not created:
        return approach
    for source in source_ids:
        db.session.add(ApproachSource(approach_id=approach.id, contribution_id=source))
    attach(approach, upload, user)
    search.index_approach(approach)
    audit.record("approach.created", actor=user, target=approach, community_id=community.id, ip=ip)
    return approach


def update_approach(
    user: User, approach: Approach, data: ApproachData, *, expected_version: int, ip: str | None
) -> None:
    """An edit makes a new version; the previous text is kept."""
    policy.require(policy.can_edit_approach(user, approach))
    previous = ApproachVersion(
        approach_id=approach.id,
        version=approach.version,
        editor_id=approach.updated_by_id,
        title=approach.title,
        **{name: getattr(approach, name) for name in TEXTS},
    )
    claimed = db.session.execute(
        update(Approach)
        .where(Approach.id == approach.id, Approach.version == expected_version)
        .values(version=Approach.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        raise DomainError(
            None,
            _(
                "Iemand anders heeft deze aanpak opgeslagen terwijl jij aan het bewerken was. "
                "Je eigen tekst staat hieronder nog; sla opnieuw op."
            ),
        )
    db.session.refresh(approach)
    db.session.add(previous)
    _apply(approach, data, user)
    if policy.is_in_library(approach):
        # A changed text is reviewed again before everyone can read it.
        approach.scope = "community"
        approach.library_approved_at = None
        approach.library_approved_by_id = None
        approach.library_requested_at = utcnow()
        _ask_moderators(user, approach)
    search.index_approach(approach)
    audit.record(
        "approach.edited",
        actor=user,
        target=approach,
        community_id=approach.community_id,
        ip=ip,
        version=approach.version,
    )


def _approach_data(approach: Approach) -> dict[str, Any]:
    return {"approach_id": approach.id, "approach_title": approach.title}


def _claim(approach: Approach, *conditions: Any, **values: Any) -> bool:
    """Change the approach only if it is still in the expected state (double clicks, races)."""
    result = db.session.execute(
        update(Approach)
        .where(Approach.id == approach.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(approach)
    return bool(getattr(result, "rowcount", 0))


def _record(action: str, user: User, approach: Approach, ip: str | None) -> None:
    """Audit a change of the approach's state, and bring its search entry up to date."""
    search.index_approach(approach)
    audit.record(action, actor=user, target=approach, community_id=approach.community_id, ip=ip)


def _ask_moderators(user: User, approach: Approach) -> None:
    notify_members(
        "approach_share_requested",
        community=approach.community,
        role="moderator",
        exclude=user.id,
        actor=user,
        target=approach,
        **_approach_data(approach),
    )


def request_library(user: User, approach: Approach, ip: str | None) -> None:
    policy.require(policy.can_request_library(user, approach))
    if _claim(approach, Approach.library_requested_at.is_(None), library_requested_at=utcnow()):
        _record("approach.library_requested", user, approach, ip)
        _ask_moderators(user, approach)


def approve_library(user: User, approach: Approach, ip: str | None) -> None:
    policy.require(policy.can_approve_library(user, approach))
    approved = _claim(
        approach,
        Approach.scope == "community",
        Approach.library_requested_at.is_not(None),
        scope="library",
        library_approved_at=utcnow(),
        library_approved_by_id=user.id,
    )
    if not approved:
        return
    _record("approach.library_approved", user, approach, ip)
    author = db.session.get(User, approach.author_id) if approach.author_id else None
    if author is not None and author.id != user.id and policy.is_member(author, approach.community):
        notify(
            author,
            "approach_shared",
            community=approach.community,
            actor=user,
            target=approach,
            **_approach_data(approach),
        )


def decline_library(user: User, approach: Approach, ip: str | None) -> None:
    """A moderator turns a request down; the author may ask again later."""
    policy.require(policy.can_approve_library(user, approach))
    if _claim(approach, Approach.scope == "community", library_requested_at=None):
        _record("approach.library_declined", user, approach, ip)


def withdraw_from_library(user: User, approach: Approach, ip: str | None) -> None:
    policy.require(policy.can_withdraw_from_library(user, approach))
    approach.scope = "community"
    approach.library_approved_at = None
    approach.library_requested_at = None
    approach.library_approved_by_id = None
    _record("approach.library_withdrawn", user, approach, ip)


def record_adoption(
    user: User, approach: Approach, *, status: str, note: str, contact: str, ip: str | None
) -> Adoption:
    """One adoption per organisation and approach: a new report updates it."""
    policy.require(policy.can_adopt(user, approach))
    organisation_id = user.organisation_id
    values = {
        "status": status,
        "note": note.strip(),
        "contact": contact.strip(),
        "updated_by_id": user.id,
        "updated_at": utcnow(),
    }
    adoption = db.session.scalar(
        select(Adoption).where(
            Adoption.approach_id == approach.id, Adoption.organisation_id == organisation_id
        )
    )
    changed = adoption is None or adoption.status != status
    if adoption is None:
        try:
            with db.session.begin_nested():
                adoption = Adoption(
                    approach_id=approach.id, organisation_id=organisation_id, **values
                )
                db.session.add(adoption)
        except IntegrityError:  # someone of the same organisation was just before us
            adoption = db.session.scalar(
                select(Adoption).where(
                    Adoption.approach_id == approach.id,
                    Adoption.organisation_id == organisation_id,
                )
            )
            assert adoption is not None
    for name, value in values.items():
        setattr(adoption, name, value)
    db.session.flush()
    audit.record(
        "approach.adopted",
        actor=user,
        target=approach,
        community_id=approach.community_id,
        ip=ip,
        status=status,
    )
    if not changed:
        return adoption
    people = {m.id: m for m in moderators_of(approach.community)}
    if approach.author_id:
        author = db.session.get(User, approach.author_id)
        if author is not None and policy.is_member(author, approach.community):
            people[author.id] = author
    for person in people.values():
        if person.id != user.id:
            notify(
                person,
                "approach_adopted",
                community=approach.community,
                actor=user,
                target=approach,
                status=status,
                organisation_name=user.organisation.name if user.organisation else "",
                **_approach_data(approach),
            )
    return adoption


def data_fields() -> list[str]:
    return [f.name for f in fields(ApproachData)]
