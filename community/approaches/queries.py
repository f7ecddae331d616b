"""Read-only queries for the library, approach pages and the adoption overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Row, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, lazyload, load_only
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import (
    Adoption,
    Approach,
    ApproachSource,
    ApproachVersion,
    Attachment,
    Case,
    Contribution,
    Organisation,
    Theme,
    User,
)
from community.pagination import paginate_by_id


def visible(user: Any) -> ColumnElement[bool]:
    """Library approaches, plus those of the user's communities (`policy.readable_approaches`)."""
    return policy.readable_approaches(user)


def adoption_counts(approach_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per approach id, the number of organisations in each adoption status (absent: none)."""
    if not approach_ids:
        return {}
    rows = db.session.execute(_ADOPTION_COUNTS, {"approach_ids": approach_ids}).all()
    counts: dict[int, dict[str, int]] = {}
    for approach_id, status, count in rows:
        counts.setdefault(approach_id, {})[status] = count
    return counts


# Built once (the ids are a parameter): building the statement cost as much as running it.
_ADOPTION_COUNTS = (
    select(Adoption.approach_id, Adoption.status, func.count())
    .where(Adoption.approach_id.in_(bindparam("approach_ids", expanding=True)))
    .group_by(Adoption.approach_id, Adoption.status)
)


def library(
    user: Any,
    *,
    theme: str | None,
    kind: str | None,
    city: str | None,
    q: str | None,
    sort: str,
) -> Select[Any]:
    query = select(Approach).where(visible(user))
    if theme:
        query = query.join(Theme, Theme.id == Approach.theme_id).where(Theme.slug == theme)
    if kind or city:
        query = query.join(Organisation, Organisation.id == Approach.organisation_id)
        if kind:
            query = query.where(Organisation.kind == kind)
        if city:
            query = query.where(Organisation.slug == city)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Approach.title).like(pattern), func.lower(Approach.summary).like(pattern)
            )
        )
    if sort == "adopted":
        counts = (
            select(Adoption.approach_id, func.count().label("n"))
            .where(Adoption.status != "stopped")
            .group_by(Adoption.approach_id)
            .subquery()
        )
        query = query.outerjoin(counts, counts.c.approach_id == Approach.id).order_by(
            func.coalesce(counts.c.n, 0).desc(), Approach.updated_at.desc(), Approach.id.desc()
        )
    else:
        query = query.order_by(Approach.updated_at.desc(), Approach.id.desc())
    return query


# The approach page, in the approach's own query: what it shows of the source case and
# the name of who changed it last (instead of two lazy loads of whole rows).
APPROACH_PAGE = (
    joinedload(Approach.case)
    .load_only(Case.title, Case.community_id, Case.hidden_at, Case.follow_up, Case.follow_up_html)
    .lazyload("*"),
    joinedload(Approach.updated_by).load_only(User.name).lazyload("*"),
)


@dataclass
class ApproachPage:
    adoptions: list[Adoption]
    sources: list[Contribution] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    versions: int = 0


def approach_page(approach: Approach, *, with_sources: bool) -> ApproachPage:
    adoptions = list(
        db.session.scalars(
            select(Adoption)
            .where(Adoption.approach_id == approach.id)
            .order_by(Adoption.updated_at.desc())
        )
    )
    page = ApproachPage(adoptions=adoptions)
    if with_sources:
        page.sources = list(
            db.session.scalars(
                select(Contribution)
                .join(ApproachSource, ApproachSource.contribution_id == Contribution.id)
                .where(ApproachSource.approach_id == approach.id)
                .order_by(Contribution.created_at)
                # What the list of sources shows: a link, the kind and the author's name.
                .options(
                    load_only(Contribution.case_id, Contribution.kind),
                    joinedload(Contribution.author).load_only(User.name).lazyload("*"),
                )
            )
        )
    page.attachments = list(
        db.session.scalars(
            select(Attachment).where(
                Attachment.owner_type == "approach", Attachment.owner_id == approach.id
            )
        )
    )
    # Every edit keeps a version and raises `version`: version 1 has no earlier ones.
    page.versions = (
        int(
            db.session.scalar(
                select(func.count())
                .select_from(ApproachVersion)
                .where(ApproachVersion.approach_id == approach.id)
            )
            or 0
        )
        if approach.version > 1
        else 0
    )
    return page


@dataclass
class Overview:
    """Who adopted what, among the approaches the user may see."""

    approaches: list[Approach]
    adoptions: dict[int, list[Adoption]]
    by_organisation: dict[Organisation, list[tuple[Approach, Adoption]]]


# The adoption overview shows this many approaches per page, by title.
OVERVIEW_PER_PAGE = 25


def overview(user: Any) -> tuple[Overview, Pagination]:
    """One page of adopted approaches (by title) with their adoptions; `?page=` pages on."""
    per_page = OVERVIEW_PER_PAGE
    page = paginate_by_id(
        select(Approach)
        .where(visible(user), Approach.id.in_(select(Adoption.approach_id)))
        .order_by(Approach.title, Approach.id),
        per_page,
    )
    approaches: list[Approach] = list(page.items)
    by_id = {a.id: a for a in approaches}
    adoptions: dict[int, list[Adoption]] = {a.id: [] for a in approaches}
    by_organisation: dict[Organisation, list[tuple[Approach, Adoption]]] = {}
    if by_id:
        rows = db.session.scalars(
            select(Adoption)
            .where(Adoption.approach_id.in_(list(by_id)))
            .order_by(Adoption.updated_at.desc())
        )
        for adoption in rows:
            adoptions[adoption.approach_id].append(adoption)
            by_organisation.setdefault(adoption.organisation, []).append(
                (by_id[adoption.approach_id], adoption)
            )
    ordered = dict(sorted(by_organisation.items(), key=lambda item: item[0].name.lower()))
    return Overview(approaches=approaches, adoptions=adoptions, by_organisation=ordered), page


def organisations_with_approaches(user: Any) -> list[Row[tuple[str, str]]]:
    """Slug and name of the organisations of the approaches the user may see (nothing
    learnt from closed ones): the library's filter shows no more."""
    return list(
        db.session.execute(
            select(Organisation.slug, Organisation.name)
            .where(Organisation.id.in_(select(Approach.organisation_id).where(visible(user))))
            .order_by(Organisation.name)
        )
    )


# What a card in the library shows: not the texts, the author or the community; the
# theme's name comes from the page's list of themes.
LIBRARY_CARD = (
    load_only(
        Approach.title,
        Approach.summary,
        Approach.scope,
        Approach.organisation_id,
        Approach.theme_id,
    ),
    lazyload(Approach.community),
    lazyload(Approach.author),
    lazyload(Approach.theme),
    joinedload(Approach.organisation).load_only(Organisation.name),
)


def versions(approach: Approach) -> list[ApproachVersion]:
    return list(
        db.session.scalars(
            select(ApproachVersion)
            .where(ApproachVersion.approach_id == approach.id)
            .order_by(ApproachVersion.version.desc())
        )
    )
