"""Keeping the search index in step: one `search_documents` row per searchable object.

Services call `index_*` in the same transaction as the change; the backend keeps its
full-text index on top in sync (SQLite FTS5 triggers, a generated PostgreSQL tsvector,
see community.search_ddl). Drafts, hidden and held content are never indexed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, literal, select, update

from community.extensions import db
from community.models import Approach, Attachment, Case, Contribution, Meeting, SearchDocument
from community.models.base import utcnow
from community.search.plain_text import plain_text

NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _names(owner_type: str, owner_id: int) -> str:
    names = db.session.scalars(
        select(Attachment.original_filename).where(
            Attachment.owner_type == owner_type, Attachment.owner_id == owner_id
        )
    )
    # The names as given, and their words (so 'plan-zaanstad.pdf' is found by 'zaanstad').
    return " ".join(name + " " + NON_WORD.sub(" ", name) for name in names)


def _put(kind: str, object_id: int, **values: Any) -> None:
    db.session.flush()
    # An object made in this transaction has no timestamp before its insert: it is now.
    values["created_at"] = values.get("created_at") or utcnow()
    document = db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.object_id == object_id
        )
    )
    if document is None:
        document = SearchDocument(kind=kind, object_id=object_id)
        db.session.add(document)
    for name, value in values.items():
        setattr(document, name, value)
    document.tags = tags_for(
        values["community_id"],
        kind,
        values.get("theme_id"),
        values.get("scope") == "library",
        values.get("created_at"),
    )
    document.updated_at = utcnow()


def month_tag(moment: datetime) -> str:
    """The filter token of a calendar month (UTC), e.g. m202612: the period filter."""
    return f"m{moment.year:04d}{moment.month:02d}"


def _month_tag_of(column: Any) -> Any:
    """month_tag in SQL, for a row's own timestamp (an update of many rows at once)."""
    if db.engine.dialect.name == "postgresql":
        return literal("m") + func.to_char(func.timezone("UTC", column), "YYYYMM")
    return literal("m") + func.strftime("%Y%m", column)


def tags_for(
    community_id: int,
    kind: str,
    theme_id: int | None,
    library: bool,
    created: datetime | None = None,
) -> str:
    """The access and filter tokens of a document in the full-text index."""
    tags = [f"c{community_id}", f"k{kind}"]
    if theme_id:
        tags.append(f"t{theme_id}")
    if library:
        tags.append("library")
    if created is not None:
        tags.append(month_tag(created))
    return " ".join(tags)


def remove(kind: str, object_id: int) -> None:
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.object_id == object_id
        )
    )


def index_case(case: Case, *, with_contributions: bool = False) -> None:
    if case.phase == "draft" or case.hidden_at is not None:
        # Drafts are the author's alone; a hidden case is found by nobody, nor its replies.
        db.session.execute(
            delete(SearchDocument).where(
                SearchDocument.case_id == case.id,
                SearchDocument.kind.in_(("case", "contribution")),
            )
        )
        return
    if with_contributions:  # back from hidden: its contributions come back too
        for contribution in db.session.scalars(
            select(Contribution).where(Contribution.case_id == case.id)
        ):
            index_contribution(contribution)
    body = "\n".join(
        [
            *(plain_text(part) for part in (case.context, case.question, case.tried)),
            plain_text(case.stakeholders),
            plain_text(case.follow_up),
            _names("case", case.id),
        ]
    )
    _put(
        "case",
        case.id,
        community_id=case.community_id,
        theme_id=case.theme_id,
        case_id=case.id,
        title=case.title,
        body=body,
        scope="community",
        created_at=case.published_at or case.created_at,
    )
    # The contributions carry the case's title and theme: an edit reaches them too.
    db.session.execute(
        update(SearchDocument)
        .where(SearchDocument.kind == "contribution", SearchDocument.case_id == case.id)
        .values(
            title=case.title,
            theme_id=case.theme_id,
            community_id=case.community_id,
            tags=literal(tags_for(case.community_id, "contribution", case.theme_id, False))
            + func.coalesce(literal(" ") + _month_tag_of(SearchDocument.created_at), ""),
        )
        .execution_options(synchronize_session=False)
    )


def index_contribution(contribution: Contribution) -> None:
    case = contribution.case
    if (
        contribution.hidden_at is not None
        or contribution.pending_review
        or case.hidden_at is not None
        or case.phase == "draft"
    ):
        remove("contribution", contribution.id)
        return
    body = plain_text(contribution.body) + "\n" + _names("contribution", contribution.id)
    _put(
        "contribution",
        contribution.id,
        community_id=case.community_id,
        theme_id=case.theme_id,
        case_id=case.id,
        title=case.title,
        body=body,
        scope="community",
        created_at=contribution.created_at,
    )


def index_approach(approach: Approach) -> None:
    library = approach.scope == "library" and approach.library_approved_at is not None
    texts = (
        approach.summary,
        approach.problem,
        approach.steps,
        approach.results,
        approach.success_factors,
        approach.pitfalls,
    )
    body = "\n".join([*(plain_text(text) for text in texts), _names("approach", approach.id)])
    _put(
        "approach",
        approach.id,
        community_id=approach.community_id,
        theme_id=approach.theme_id,
        case_id=approach.case_id,
        title=approach.title,
        body=body,
        scope="library" if library else "community",
        created_at=approach.created_at,
    )


def index_meeting(meeting: Meeting) -> None:
    body = "\n".join([meeting.location, plain_text(meeting.agenda), plain_text(meeting.report)])
    _put(
        "meeting",
        meeting.id,
        community_id=meeting.community_id,
        theme_id=None,
        case_id=None,
        title=meeting.title,
        body=body,
        scope="community",
        created_at=meeting.created_at,
    )


def reindex_all() -> int:
    """Rebuild every search entry (after a bulk load such as the demo data)."""
    db.session.execute(delete(SearchDocument))
    count = 0
    for case in db.session.scalars(select(Case)):
        index_case(case)
        count += 1
    for contribution in db.session.scalars(select(Contribution)):
        index_contribution(contribution)
        count += 1
    for approach in db.session.scalars(select(Approach)):
        index_approach(approach)
        count += 1
    for meeting in db.session.scalars(select(Meeting)):
        index_meeting(meeting)
        count += 1
    db.session.flush()
    return count
