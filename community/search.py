"""Full-text search over cases, contributions, approaches and meetings, always policy-scoped.

Indexing: services call `index_*` in the same transaction as the change, which
writes one `search_documents` row per object; the backend keeps its full-text
index in sync (SQLite FTS5 triggers, a generated PostgreSQL tsvector).
Querying: the permission filter is part of the SQL (active memberships, plus
library approaches), never applied afterwards, so counts and pages are right.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    and_,
    cast,
    delete,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import Select

from community.extensions import db
from community.models import Approach, Attachment, Case, Contribution, Meeting, SearchDocument
from community.models.base import utcnow

MAX_QUERY = 200
MAX_TERMS = 8
SNIPPET = 220
WORD = re.compile(r"\w+", re.UNICODE)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


# Indexing ------------------------------------------------------------------------


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
        values["community_id"], kind, values.get("theme_id"), values.get("scope") == "library"
    )
    document.updated_at = utcnow()


def tags_for(community_id: int, kind: str, theme_id: int | None, library: bool) -> str:
    """The access and filter tokens of a document in the full-text index."""
    tags = [f"c{community_id}", f"k{kind}"]
    if theme_id:
        tags.append(f"t{theme_id}")
    if library:
        tags.append("library")
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
            case.context,
            case.question,
            case.tried,
            case.stakeholders,
            case.follow_up,
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
    )
    # The contributions carry the case's title and theme: an edit reaches them too.
    db.session.execute(
        update(SearchDocument)
        .where(SearchDocument.kind == "contribution", SearchDocument.case_id == case.id)
        .values(
            title=case.title,
            theme_id=case.theme_id,
            community_id=case.community_id,
            tags=tags_for(case.community_id, "contribution", case.theme_id, False),
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
    body = contribution.body + "\n" + _names("contribution", contribution.id)
    _put(
        "contribution",
        contribution.id,
        community_id=case.community_id,
        theme_id=case.theme_id,
        case_id=case.id,
        title=case.title,
        body=body,
        scope="community",
    )


def index_approach(approach: Approach) -> None:
    library = approach.scope == "library" and approach.library_approved_at is not None
    body = "\n".join(
        [
            approach.summary,
            approach.problem,
            approach.steps,
            approach.results,
            approach.success_factors,
            approach.pitfalls,
            _names("approach", approach.id),
        ]
    )
    _put(
        "approach",
        approach.id,
        community_id=approach.community_id,
        theme_id=approach.theme_id,
        case_id=approach.case_id,
        title=approach.title,
        body=body,
        scope="library" if library else "community",
    )


def index_meeting(meeting: Meeting) -> None:
    body = "\n".join([meeting.location, meeting.agenda, meeting.report])
    _put(
        "meeting",
        meeting.id,
        community_id=meeting.community_id,
        theme_id=None,
        case_id=None,
        title=meeting.title,
        body=body,
        scope="community",
    )


# Querying ----------------------------------------------------------------------


def terms(query: str) -> list[str]:
    """The words of a query: no operators, quotes or syntax survive."""
    words = [w.lower() for w in WORD.findall(query[:MAX_QUERY])]
    return list(dict.fromkeys(w for w in words if w))[:MAX_TERMS]


def _member_of(user: Any) -> list[int]:
    return [cid for cid, m in user.memberships_by_community().items() if m.status == "active"]


def _allowed(user: Any) -> ColumnElement[bool]:
    member_of = _member_of(user)
    own = SearchDocument.community_id.in_(member_of) if member_of else false()
    library = and_(SearchDocument.kind == "approach", SearchDocument.scope == "library")
    return or_(own, library)


@dataclass
class ResultPage:
    """One page of hits, newest first; the total is counted up to MAX_COUNTED."""

    items: list[SearchDocument]
    page: int
    per_page: int
    total: int
    more: bool  # more hits than MAX_COUNTED: the total is a lower bound

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


# A search counts at most this many hits and pages through them (50 pages of 20):
# whatever the size of the archive, one search reads a bounded part of the index.
MAX_COUNTED = 1000


def _tag(tag: str) -> str:
    """A tag as a tsquery lexeme (see search_ddl); tags are [a-z0-9] only."""
    return f"'tag {tag}'"


def _expression(words: list[str], scopes: list[str], filters: list[str]) -> tuple[str, Any]:
    """The full-text condition: an FTS5 query (SQLite) or a tsquery (PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        # Every word, one of the scopes and every filter, all answered by the GIN index.
        # The words are \w+ only, so nothing of the query is syntax.
        wanted = func.to_tsquery("dutch", " & ".join(words))
        tags = "(" + " | ".join(_tag(t) for t in scopes) + ")"
        tags += "".join(f" & {_tag(t)}" for t in filters)
        matches = literal_column("search_documents.tsv").op("@@")(
            wanted.op("&&")(cast(literal(tags), TSQUERY))
        )
        # Only stop words ("de het"): nothing, rather than everything in scope.
        return "tsv", and_(func.numnode(wanted) > 0, matches)
    # Whole words, as on PostgreSQL (which matches stems): a prefix query makes FTS5 merge
    # the lists of every word with that prefix before it can stop at the first page.
    text_part = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
    expression = "{title body} : (" + text_part + ") AND tags : (" + " OR ".join(scopes) + ")"
    expression += "".join(f" AND tags : {t}" for t in filters)
    return "fts", expression


def _matching_ids(condition: tuple[str, Any], limit: int, offset: int = 0) -> Select[Any]:
    """Ids of matching documents, newest first (ids follow the order of creation)."""
    backend, value = condition
    if backend == "tsv":
        return (
            select(SearchDocument.id)
            .where(value)
            .order_by(SearchDocument.id.desc())
            .limit(limit)
            .offset(offset)
        )
    return (
        select(literal_column("rowid").label("id"))
        .select_from(text("search_fts"))
        .where(text("search_fts MATCH :expression").bindparams(expression=value))
        .order_by(text("rowid DESC"))
        .limit(limit)
        .offset(offset)
    )


def search(
    user: Any,
    query: str,
    *,
    community_id: int | None = None,
    kind: str | None = None,
    theme_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> ResultPage | None:
    """A page of what the user may read that has every word; None without words."""
    words = terms(query)
    if not words:
        return None
    member_of = _member_of(user)
    if community_id:  # only one of the user's own communities can be chosen
        scopes = [f"c{community_id}"] if community_id in member_of else []
    else:
        scopes = [f"c{cid}" for cid in member_of] + ["library"]
    if not scopes:
        return ResultPage([], 1, per_page, 0, False)
    filters = ([f"k{kind}"] if kind else []) + ([f"t{theme_id}"] if theme_id else [])
    condition = _expression(words, scopes, filters)
    # One read of the index gives the count and every page: the ids of the newest
    # MAX_COUNTED + 1 matches (at most a few kilobytes).
    matching = list(db.session.scalars(_matching_ids(condition, MAX_COUNTED + 1)))
    total = min(len(matching), MAX_COUNTED)
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    ids = matching[:MAX_COUNTED][(page - 1) * per_page : page * per_page]
    found: dict[int, SearchDocument] = {}
    if ids:
        rows = db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))
        found = {document.id: document for document in rows}
    items = [found[i] for i in ids if i in found]
    return ResultPage(items, page, per_page, total, len(matching) > MAX_COUNTED)


# Similar cases are chosen among this many of the newest matches (one bounded index read).
SIMILAR_CANDIDATES = 50


def _similar_condition(words: list[str], theme_id: int | None, scopes: list[str]) -> Any:
    """Title words or the theme, in the user's scopes, cases and approaches only."""
    kinds = ["kcase", "kapproach"]
    if db.engine.dialect.name == "postgresql":
        alternatives = [f"{w}:A" for w in words]
        wanted: Any = func.to_tsquery("dutch", " | ".join(alternatives) or "''")
        if theme_id:
            wanted = wanted.op("||")(cast(literal(_tag(f"t{theme_id}")), TSQUERY))
        allowed = "(" + " | ".join(_tag(s) for s in scopes) + ")"
        allowed += f" & ({_tag('kcase')} | {_tag('kapproach')})"
        matches = literal_column("search_documents.tsv").op("@@")(
            wanted.op("&&")(cast(literal(allowed), TSQUERY))
        )
        return "tsv", and_(func.numnode(wanted) > 0, matches)  # stop words alone: nothing
    options = ["{title} : (" + " OR ".join(f'"{w}"' for w in words) + ")"] if words else []
    if theme_id:
        options.append(f"tags : t{theme_id}")
    expression = "(" + " OR ".join(options) + ") AND tags : (" + " OR ".join(scopes) + ")"
    return "fts", expression + " AND tags : (" + " OR ".join(kinds) + ")"


def similar(
    user: Any, title: str, theme_id: int | None, exclude_case: int | None, limit: int = 5
) -> list[SearchDocument]:
    """Earlier cases and approaches on the same theme or words, that the user may read."""
    words = [w for w in terms(title) if len(w) > 3][:4]
    if not words and not theme_id:
        return []
    scopes = [f"c{cid}" for cid in _member_of(user)] + ["library"]
    candidates = _matching_ids(
        _similar_condition(words, theme_id, scopes), SIMILAR_CANDIDATES
    ).subquery()
    statement = select(SearchDocument).join(candidates, candidates.c.id == SearchDocument.id)
    if exclude_case:
        statement = statement.where(
            or_(SearchDocument.case_id.is_(None), SearchDocument.case_id != exclude_case)
        )
    return list(db.session.scalars(statement.order_by(SearchDocument.id.desc()).limit(limit)))


def snippet(body: str, words: list[str]) -> Markup:
    """A piece of the text around the first match; each piece escaped, matches marked."""
    lowered = body.lower()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(min(positions) - SNIPPET // 3, 0) if positions else 0
    piece = " ".join(body[start : start + SNIPPET].split())
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.I) if words else None
    parts = pattern.split(piece) if pattern else [piece]
    # split() with a group alternates text and matches: escape both, mark the matches
    marked = "".join(
        f"<mark>{html.escape(part)}</mark>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET < len(body) else ""
    return Markup(prefix + marked + suffix)  # noqa: S704 - every piece is escaped


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    snippet: Markup
    url: str
    community_name: str


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
