"""Searching what the user may read: the permission filter is part of the full-text query.

Every document carries its access and filter tokens (`tags_for`), so the index only walks
documents of the user's communities and the library, newest first, and stops after
MAX_COUNTED + 1: counts and pages are right and bounded whatever the archive's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, cast, func, literal, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import SearchDocument
from community.search.index_choice import choose

MAX_QUERY = 200
MAX_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query: no operators, quotes or syntax survive."""
    words = [w.lower() for w in WORD.findall(query[:MAX_QUERY])]
    return list(dict.fromkeys(w for w in words if w))[:MAX_TERMS]


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


# The largest id (an integer column): `id <=| NEWEST` is the distance below it, so RUM's
# ordering by it is newest first, read from the index (see search_ddl.RUM_INDEX).
NEWEST = 2**31 - 1


def _matching_ids(condition: tuple[str, Any], limit: int) -> Select[Any]:
    """Ids of matching documents, newest first (ids follow the order of creation)."""
    backend, value = condition
    if backend == "tsv":
        choice = choose()
        order: Any = SearchDocument.id.desc()  # GIN: the matches' ids, sorted
        if choice.rum_schema is not None:  # RUM: the newest matches straight from the index
            schema = db.engine.dialect.identifier_preparer.quote(choice.rum_schema)
            order = SearchDocument.id.op(f"OPERATOR({schema}.<=|)")(literal_column(str(NEWEST)))
        return select(SearchDocument.id).where(value).order_by(order).limit(limit)
    return (
        select(literal_column("rowid").label("id"))
        .select_from(text("search_fts"))
        .where(text("search_fts MATCH :expression").bindparams(expression=value))
        .order_by(text("rowid DESC"))
        .limit(limit)
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
    scopes = policy.search_scope(user, community_id)  # only the user's own communities
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
        theme_tag = cast(literal(_tag(f"t{theme_id}")), TSQUERY) if theme_id else None
        wanted: Any = func.to_tsquery("dutch", " | ".join(alternatives)) if words else None
        if theme_tag is not None:  # no words (a title of short ones): the theme alone
            wanted = theme_tag if wanted is None else wanted.op("||")(theme_tag)
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
    scopes = policy.search_scope(user)
    if not scopes:
        return []
    candidates = _matching_ids(
        _similar_condition(words, theme_id, scopes), SIMILAR_CANDIDATES
    ).subquery()
    statement = select(SearchDocument).join(candidates, candidates.c.id == SearchDocument.id)
    if exclude_case:
        statement = statement.where(
            or_(SearchDocument.case_id.is_(None), SearchDocument.case_id != exclude_case)
        )
    return list(db.session.scalars(statement.order_by(SearchDocument.id.desc()).limit(limit)))
