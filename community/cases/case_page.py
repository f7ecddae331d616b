"""The case page's contributions as plain rows, with what each one shows to this viewer.

One query for the contributions with their authors' names, organisations and roles and
their appreciations (how many, whether the viewer gave one), one for the attachments,
one for the revision count (only after an edit): the same three statements at any
length. No ORM objects per row: a page shows up to 250
contributions and the template reads each field once. Rights come from the policy,
decided once per page (`community.policy.case_page`); labels and dates are formatted
once per page and language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import and_, false, func, or_, select

from community import policy
from community.cases import queries
from community.extensions import db
from community.i18n import Labels, gettext, moment_formatter, translated
from community.labels import CONTRIBUTION_KIND_LABELS, ORGANISATION_KIND_LABELS
from community.models import (
    Appreciation,
    Attachment,
    Case,
    CaseRevision,
    Contribution,
    Membership,
    Organisation,
    User,
)
from community.policy.case_page import (
    CasePageRights,
    appreciates_row,
    edits_row,
    replies_row,
    sees_contribution_row,
    sees_hidden_row,
    values_row,
)

# The words every contribution shows, translated (and escaped) once per page and language.
ROW_WORDS: Labels = {
    "by": _l("door"),
    "former": _l("een oud-lid"),
    "expert": _l("Deskundige"),
    "author": _l("Inbrenger"),
    "valuable": _l("Waardevol"),
    "waiting": _l("wacht op goedkeuring"),
    "report": _l("Rapporteren"),
    "to_moderators": _l("aan de moderatoren"),
    "hidden": _l("Verborgen door een moderator."),
    "reason": _l("Reden:"),
    "edit": _l("Bewerken"),
    "unvalue": _l("Niet meer waardevol"),
    "value": _l("Markeer als waardevol"),
    "show_again": _l("Weer zichtbaar maken"),
    "hide": _l("Verbergen"),
    "hide_reason": _l("Reden"),
    "reply": _l("Reageer"),
    "appreciate": _l("Waardeer"),
    "appreciation": _l("waardering"),
    "appreciations": _l("waarderingen"),
}


@dataclass(slots=True)
class ContributionRow:
    """One contribution as the case page shows it (fields prepared, rights decided)."""

    id: int
    kind: str
    kind_label: str
    phase: str
    parent_id: int | None
    author_id: int | None
    author_name: str | None  # None: a former member (the account is gone)
    organisation_name: str | None
    organisation_kind: str | None
    organisation_label: str
    expert: bool  # the author is the community's expert, or it is expert advice
    by_case_author: bool
    valuable: bool
    pending_review: bool
    hidden: bool
    hidden_reason: str | None
    body_html: str  # rendered and sanitised when written (community.markdown)
    created_at: datetime
    created_iso: str
    created: str
    edited: str  # "bewerkt op ..." or ""
    listed: bool  # shown at all: held ones only to their author and the moderators
    readable: bool  # can_see_contribution (the outcome lists)
    content_shown: bool  # the text of a hidden one: only to its author and the moderators
    editable: bool
    valuable_control: bool
    reply_control: bool  # a "Reageer" link (one level of threading)
    appreciations: int  # how many members appreciated it (waardeer)
    appreciated: bool  # the viewer is one of them
    appreciate_control: bool  # the viewer may give (or withdraw) an appreciation
    attachments: list[Any] = field(default_factory=list)
    replies: list[ContributionRow] = field(default_factory=list)


@dataclass
class CasePage:
    """Everything the case page shows, loaded in a fixed number of queries."""

    rights: CasePageRights
    contributions: list[ContributionRow]
    words: dict[str, Markup] = field(default_factory=dict)  # ROW_WORDS, ready for the page
    by_phase: dict[str, list[ContributionRow]] = field(default_factory=dict)
    attachments: dict[tuple[str, int], list[Any]] = field(default_factory=dict)
    revisions: int = 0
    after: int | None = None  # this page starts after that contribution (None: the first)
    next_after: int | None = None  # the next page starts after this one (None: no more)

    @property
    def valuable(self) -> list[ContributionRow]:
        return [c for c in self.contributions if c.valuable]

    @property
    def reflections(self) -> list[ContributionRow]:
        return [c for c in self.contributions if c.kind == "reflection"]


def _rows(case: Case, after: int | None, viewer_id: int | None) -> list[Any]:
    # Per row through the unique (contribution, user) index: no query per contribution.
    appreciations = (
        select(func.count())
        .where(Appreciation.contribution_id == Contribution.id)
        .correlate(Contribution)
        .scalar_subquery()
    )
    appreciated = (
        select(Appreciation.id)
        .where(Appreciation.contribution_id == Contribution.id, Appreciation.user_id == viewer_id)
        .correlate(Contribution)
        .exists()
        if viewer_id is not None
        else false()
    )
    statement = (
        select(
            Contribution.id,
            Contribution.kind,
            Contribution.phase,
            Contribution.parent_id,
            Contribution.author_id,
            Contribution.body_html,
            Contribution.valuable,
            Contribution.created_at,
            Contribution.edited_at,
            Contribution.hidden_at,
            Contribution.hidden_reason,
            Contribution.pending_review,
            User.name.label("author_name"),
            Organisation.name.label("organisation_name"),
            Organisation.kind.label("organisation_kind"),
            Membership.role,
            appreciations.label("appreciations"),
            appreciated.label("appreciated"),
        )
        .outerjoin(User, User.id == Contribution.author_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .outerjoin(
            Membership,
            and_(
                Membership.user_id == Contribution.author_id,
                Membership.community_id == case.community_id,
                policy.active_memberships(),
            ),
        )
        .where(Contribution.case_id == case.id)
        .order_by(Contribution.created_at, Contribution.id)
        .limit(queries.CONTRIBUTIONS_PER_PAGE + 1)
    )
    if after is not None:  # keyset: the contributions after the given one, in the same order
        anchor = (
            select(Contribution.created_at)
            .where(Contribution.id == after, Contribution.case_id == case.id)
            .scalar_subquery()
        )
        statement = statement.where(
            or_(
                Contribution.created_at > anchor,
                and_(Contribution.created_at == anchor, Contribution.id > after),
            )
        )
    return list(db.session.execute(statement).all())


def case_page(case: Case, rights: CasePageRights, after: int | None = None) -> CasePage:
    """Up to a page of contributions, oldest first; `after`: the last one seen."""
    rows = _rows(case, after, rights.viewer_id)
    per_page = queries.CONTRIBUTIONS_PER_PAGE  # read when asked (tests set it lower)
    more = len(rows) > per_page
    rows = rows[:per_page]
    kinds = translated(CONTRIBUTION_KIND_LABELS)
    organisation_kinds = translated(ORGANISATION_KIND_LABELS)
    moment = moment_formatter()
    edited_on = gettext("bewerkt op %(moment)s", moment="\0")
    case_author_id = case.author_id
    contributions = []
    # Unpacked in the order `_rows` selects: faster than a look-up per field and row.
    for (
        contribution_id,
        kind,
        phase,
        parent_id,
        author_id,
        body_html,
        valuable,
        created_at,
        edited_at,
        hidden_at,
        hidden_reason,
        pending_review,
        author_name,
        organisation_name,
        organisation_kind,
        role,
        appreciation_count,
        appreciated,
    ) in rows:
        hidden = hidden_at is not None
        sees_hidden = sees_hidden_row(rights, author_id)
        contributions.append(
            ContributionRow(
                id=contribution_id,
                kind=kind,
                kind_label=kinds.get(kind, kind),
                phase=phase,
                parent_id=parent_id,
                author_id=author_id,
                author_name=author_name,
                organisation_name=organisation_name,
                organisation_kind=organisation_kind,
                organisation_label=(
                    organisation_kinds.get(organisation_kind, organisation_kind)
                    if organisation_kind
                    else ""
                ),
                expert=role == "expert" or kind == "expert_advice",
                by_case_author=author_id == case_author_id,
                valuable=valuable,
                pending_review=pending_review,
                hidden=hidden,
                hidden_reason=hidden_reason,
                body_html=body_html,
                created_at=created_at,
                created_iso=created_at.isoformat(),
                created=moment(created_at),
                edited=edited_on.replace("\0", moment(edited_at)) if edited_at else "",
                listed=not pending_review or sees_hidden,
                readable=sees_contribution_row(rights, author_id, hidden, pending_review),
                content_shown=not hidden or sees_hidden,
                editable=edits_row(rights, author_id, phase),
                valuable_control=values_row(rights, author_id),
                reply_control=replies_row(rights, parent_id, hidden, pending_review),
                appreciations=int(appreciation_count or 0),
                appreciated=bool(appreciated),
                appreciate_control=appreciates_row(rights, author_id, hidden, pending_review),
            )
        )
    page = CasePage(
        rights=rights,
        contributions=contributions,
        words={code: escape(text) for code, text in translated(ROW_WORDS).items()},
        after=after,
    )
    page.next_after = contributions[-1].id if more else None
    by_id = {c.id: c for c in contributions}
    for contribution in contributions:
        parent = by_id.get(contribution.parent_id) if contribution.parent_id else None
        # A reply whose contribution is on an earlier page is shown on its own.
        if parent is None:
            # Only what the viewer may see opens a phase: a heading over held
            # contributions alone would say that something waits there.
            if contribution.listed:
                page.by_phase.setdefault(contribution.phase, []).append(contribution)
        else:
            parent.replies.append(contribution)
    attachments = db.session.execute(
        select(
            Attachment.id,
            Attachment.owner_type,
            Attachment.owner_id,
            Attachment.original_filename,
            Attachment.size,
        )
        .where(
            or_(
                (Attachment.owner_type == "case") & (Attachment.owner_id == case.id),
                (Attachment.owner_type == "contribution")
                & Attachment.owner_id.in_(list(by_id) or [0]),
            )
        )
        .order_by(Attachment.id)
    )
    for attachment in attachments:
        if attachment.owner_type == "contribution":
            by_id[attachment.owner_id].attachments.append(attachment)
        else:
            page.attachments.setdefault(("case", attachment.owner_id), []).append(attachment)
    # A case never edited (version 1) has no earlier versions to count.
    page.revisions = (
        int(
            db.session.scalar(
                select(func.count())
                .select_from(CaseRevision)
                .where(CaseRevision.case_id == case.id)
            )
            or 0
        )
        if case.version > 1
        else 0
    )
    return page
