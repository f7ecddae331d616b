"""Contributions to a case: posted per the phase rules, once per submit, editable in-phase."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, func, select, update
from werkzeug.datastructures import FileStorage

from community import audit, markdown, policy, search
from community.cases.mentions import Mentions, find_mentions
from community.cases.services import attach, case_data, participants
from community.create_once import create_once
from community.exceptions import DomainError
from community.extensions import db
from community.models import Case, Contribution, ContributionRevision, ExpertRequest, User
from community.models.base import utcnow
from community.notifications.services import notify_members


def _existing(user: User, case: Case, key: str) -> Contribution | None:
    return db.session.scalar(
        select(Contribution).where(
            Contribution.case_id == case.id,
            Contribution.author_id == user.id,
            Contribution.idempotency_key == key,
        )
    )


FIRST_REVIEWED = 2


def needs_review(user: User, case: Case) -> bool:
    """In a community that reviews new members: their first contributions wait for a moderator."""
    community = case.community
    if not community.review_new_members or policy.community_role(user, community) in {
        "moderator",
        "expert",
    }:
        return False
    approved = db.session.scalar(
        select(func.count())
        .select_from(Contribution)
        .join(Case, Case.id == Contribution.case_id)
        .where(
            Contribution.author_id == user.id,
            Case.community_id == community.id,
            Contribution.pending_review.is_(False),
        )
    )
    return int(approved or 0) < FIRST_REVIEWED


def approve(moderator: User, contribution: Contribution, ip: str | None) -> None:
    case = contribution.case
    policy.require(
        policy.can_moderate_content(moderator, case.community) and contribution.pending_review
    )
    contribution.pending_review = False
    search.index_contribution(contribution)
    audit.record(
        "contribution.approved",
        actor=moderator,
        target=contribution,
        community_id=case.community_id,
        ip=ip,
    )
    author = contribution.author
    if author is not None:
        mentioned = find_mentions(case.community, contribution.body)
        _notify(author, case, contribution, mentioned)


def _parent(case: Case, parent_id: int | None) -> Contribution | None:
    if parent_id is None:
        return None
    parent = db.session.get(Contribution, parent_id)
    if parent is None or parent.case_id != case.id or parent.parent_id is not None:
        raise DomainError("parent_id", _("Je kunt alleen reageren op een bijdrage bij deze casus."))
    return parent


@dataclass
class Posted:
    """A posted contribution, and the names it mentions of people outside the community."""

    contribution: Contribution
    outsiders: list[str] = field(default_factory=list)


def add_contribution(
    user: User,
    case: Case,
    *,
    kind: str,
    body: str,
    parent_id: int | None,
    idempotency_key: str | None,
    upload: FileStorage | None,
    ip: str | None,
) -> Posted:
    """Post a contribution; the same idempotency key twice gives the first one back.

    Members it mentions (`@Voornaam Achternaam`) are linked and notified once it is
    visible to others; mentioned people outside the community are named in the result."""
    policy.require(policy.can_contribute(user, case, kind))
    mentioned = Mentions()

    def build() -> Contribution:
        nonlocal mentioned
        parent = _parent(case, parent_id)
        # The phase must still be the one the rules were checked against.
        still = db.session.execute(
            update(Case)
            .where(Case.id == case.id, Case.phase == case.phase)
            .values(last_activity_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not getattr(still, "rowcount", 0):
            raise DomainError(
                None, _("De fase van deze casus is net gewijzigd. Bekijk de casus opnieuw.")
            )
        mentioned = find_mentions(case.community, body)
        return Contribution(
            pending_review=needs_review(user, case),
            case_id=case.id,
            author_id=user.id,
            parent_id=parent.id if parent else None,
            kind=kind,
            phase=case.phase,
            body=body.strip(),
            body_html=markdown.render(body.strip(), mentioned.links),
            idempotency_key=idempotency_key or None,
        )

    contribution, created = create_once(
        idempotency_key, lambda key: _existing(user, case, key), build
    )
    if not created:
        return Posted(contribution)
    posted = Posted(contribution, mentioned.outsiders)
    attach(contribution, upload, user)
    search.index_contribution(contribution)
    if contribution.pending_review:  # others hear about it once a moderator approved it
        audit.record(
            "contribution.held",
            actor=user,
            target=contribution,
            community_id=case.community_id,
            ip=ip,
        )
        return posted
    audit.record(
        "contribution.created",
        actor=user,
        target=contribution,
        community_id=case.community_id,
        ip=ip,
        kind=kind,
    )
    if kind == "expert_advice":
        db.session.execute(
            update(ExpertRequest)
            .where(
                ExpertRequest.case_id == case.id,
                ExpertRequest.expert_id == user.id,
                ExpertRequest.answered_at.is_(None),
            )
            .values(answered_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    _notify(user, case, contribution, mentioned)
    return posted


def _notify(user: User, case: Case, contribution: Contribution, mentioned: Mentions) -> None:
    """The mentioned members hear that they were named; the other participants that
    someone reacted. A constant number of statements however many they are."""
    mentioned_ids = sorted(mentioned.member_ids - {user.id})
    if mentioned_ids:
        notify_members(
            "mention",
            community=case.community,
            who=User.id.in_(mentioned_ids),
            exclude=user.id,
            actor=user,
            target=case,
            contribution_id=contribution.id,
            **case_data(case),
        )
    # The author of the case hears that the advice they asked for was given.
    kind = contribution.kind
    author_kind = (
        {case.author_id: "expert_advice_given"}
        if kind == "expert_advice" and case.author_id is not None
        else None
    )
    who = participants(case)
    if mentioned_ids:
        who = and_(who, User.id.not_in(mentioned_ids))
    notify_members(
        "contribution_added",
        community=case.community,
        who=who,
        exclude=user.id,
        kind_for=author_kind,
        actor=user,
        target=case,
        # What was posted and where: the text says what happened, the link goes to it.
        contribution_id=contribution.id,
        contribution_kind=kind,
        **case_data(case),
    )


def edit_contribution(user: User, contribution: Contribution, body: str, ip: str | None) -> None:
    policy.require(policy.can_edit_contribution(user, contribution))
    if body.strip() == contribution.body:
        return
    db.session.add(ContributionRevision(contribution_id=contribution.id, body=contribution.body))
    contribution.body = body.strip()
    mentioned = find_mentions(contribution.case.community, contribution.body)
    contribution.body_html = markdown.render(contribution.body, mentioned.links)
    contribution.edited_at = utcnow()
    search.index_contribution(contribution)
    audit.record(
        "contribution.edited",
        actor=user,
        target=contribution,
        community_id=contribution.case.community_id,
        ip=ip,
    )
