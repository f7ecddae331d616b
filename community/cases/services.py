"""Cases: bringing one in, editing with a history, moving through the cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select, update
from werkzeug.datastructures import FileStorage

from community import audit, markdown, policy, search, storage
from community.create_once import create_once
from community.exceptions import DomainError
from community.extensions import db
from community.models import (
    Attachment,
    Case,
    CaseRevision,
    Community,
    Contribution,
    Theme,
    User,
)
from community.models.base import utcnow
from community.notifications.services import notify_members

TEXT_FIELDS = ("context", "question", "tried", "stakeholders")


@dataclass(frozen=True)
class CaseData:
    """What the case form may set; nothing else reaches the model."""

    title: str
    theme_id: int | None
    context: str
    question: str
    tried: str
    stakeholders: str


class EditConflict(DomainError):
    """Someone else saved the case since this editor loaded it."""


def _apply(case: Case, data: CaseData) -> None:
    case.title = " ".join(data.title.split())  # no line breaks or tabs in a title
    theme = db.session.get(Theme, data.theme_id) if data.theme_id else None
    if data.theme_id and theme is None:
        raise DomainError("theme", _("Kies een thema uit de lijst."))
    case.theme = theme
    for name in TEXT_FIELDS:
        text = getattr(data, name).strip()
        setattr(case, name, text)
        setattr(case, f"{name}_html", markdown.render(text))


def attach(owner: Any, upload: FileStorage | None, user: User) -> Attachment | None:
    """Store an uploaded file for `owner`; a failed transaction removes the file again."""
    if upload is None or not upload.filename:
        return None
    try:
        stored = storage.store(upload)
    except storage.UploadError as error:
        raise DomainError("attachment", error.message) from None
    attachment = Attachment(
        owner_type=_owner_type(owner),
        owner_id=owner.id,
        original_filename=stored.original_filename,
        stored_name=stored.stored_name,
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    return attachment


OWNER_TYPES = {"cases": "case", "contributions": "contribution", "approaches": "approach"}


def _owner_type(owner: Any) -> str:
    return OWNER_TYPES[owner.__tablename__]


def create_case(
    user: User,
    community: Community,
    data: CaseData,
    *,
    publish: bool,
    upload: FileStorage | None,
    ip: str | None,
    idempotency_key: str | None = None,
) -> Case:
    """Bring in a case; the same idempotency key twice gives the first case back."""
    policy.require(policy.can_create_case(user, community))

    def find(key: str) -> Case | None:
        return db.session.scalar(
            select(Case).where(Case.author_id == user.id, Case.idempotency_key == key)
        )

    def build() -> Case:
        case = Case(
            community=community,
            author=user,
            organisation_id=user.organisation_id,
            idempotency_key=idempotency_key or None,
        )
        _apply(case, data)
        return case

    case, created = create_once(idempotency_key, find, build)
    if not created:
        return case
    attach(case, upload, user)
    audit.record("case.created", actor=user, target=case, community_id=community.id, ip=ip)
    if publish:
        move_phase(user, case, "questions", ip)
    search.index_case(case)
    return case


def update_case(
    user: User,
    case: Case,
    data: CaseData,
    *,
    expected_version: int,
    upload: FileStorage | None,
    ip: str | None,
) -> None:
    """Save an edit, keeping the old text as a revision; refuse when someone saved meanwhile."""
    policy.require(policy.can_edit_case(user, case))
    keep_revision = case.phase != "draft"  # a draft's earlier text is nobody else's business
    previous = CaseRevision(
        case_id=case.id,
        version=case.version,
        editor_id=user.id,
        title=case.title,
        context=case.context,
        question=case.question,
        tried=case.tried,
        stakeholders=case.stakeholders,
    )
    claimed = db.session.execute(
        update(Case)
        .where(Case.id == case.id, Case.version == expected_version, Case.phase != "closed")
        .values(version=Case.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        raise EditConflict(
            None,
            _(
                "Iemand anders heeft deze casus opgeslagen terwijl jij aan het bewerken was. "
                "Je eigen tekst staat hieronder nog; vergelijk hem met de huidige versie en "
                "sla opnieuw op."
            ),
        )
    db.session.refresh(case)
    if keep_revision:
        db.session.add(previous)
    _apply(case, data)
    attach(case, upload, user)
    search.index_case(case)
    audit.record("case.edited", actor=user, target=case, community_id=case.community_id, ip=ip)


def participants(case: Case) -> ColumnElement[bool]:
    """The author and everyone who contributed (for `notify_members`, which keeps only
    those still active members)."""
    contributor_ids = select(Contribution.author_id).where(Contribution.case_id == case.id)
    return (User.id == case.author_id) | User.id.in_(contributor_ids)


def case_data(case: Case) -> dict[str, Any]:
    """What a notification about the case may carry: id and title."""
    return {"case_id": case.id, "case_title": case.title}


def move_phase(user: User, case: Case, target: str, ip: str | None) -> None:
    policy.require(policy.can_move_case(user, case, target))
    current = case.phase
    now = utcnow()
    values: dict[str, object] = {"phase": target, "last_activity_at": now}
    if target == "closed":
        values["closed_at"] = now
    if current == "draft":
        values["published_at"] = now
    moved = db.session.execute(
        update(Case)
        .where(Case.id == case.id, Case.phase == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(moved, "rowcount", 0):
        raise DomainError(None, _("De fase van deze casus is intussen al gewijzigd."))
    db.session.refresh(case)
    search.index_case(case)
    audit.record(
        "case.phase",
        actor=user,
        target=case,
        community_id=case.community_id,
        ip=ip,
        old=current,
        new=target,
    )
    if current == "draft":
        notify_members(
            "case_published",
            community=case.community,
            exclude=user.id,
            actor=user,
            target=case,
            **case_data(case),
        )
        return
    notify_members(
        "phase_changed",
        community=case.community,
        who=participants(case),
        exclude=user.id,
        actor=user,
        target=case,
        phase=target,
        **case_data(case),
    )


def set_valuable(user: User, contribution: Contribution, valuable: bool, ip: str | None) -> None:
    policy.require(policy.can_mark_valuable(user, contribution))
    contribution.valuable = valuable
    audit.record(
        "contribution.valuable",
        actor=user,
        target=contribution,
        community_id=contribution.case.community_id,
        ip=ip,
        valuable=contribution.valuable,
    )
