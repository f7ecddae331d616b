"""Searching what the user may read: the permission filter is part of the full-text query.

Every document carries its access and filter tokens (`tags_for`), so the index only walks
documents of the user's communities and the library, newest first, and stops after
MAX_COUNTED + 1: counts and pages are right and bounded whatever the archive's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, cast, column, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import SearchDocument
from community.models.base import utcnow
from community.search import typos
from community.search.index_choice import choose
from community.search.stemming import stem

MAX_QUERY = 200
MAX_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query: no operators, quotes or syntax survive."""
    words = [w.lower() for w in WORD.findall(query[:MAX_QUERY])]
    return list(dict.fromkeys(w for w in words if w))[:MAX_TERMS]


@dataclass(frozen=True)
class Word:
    """A word of the query; with alternatives (index words, see typos) when it had no match."""

    text: str
    alternatives: tuple[str, ...] = ()


# The period filter: the last so many days, read as month tokens (see indexing.month_tag)
# inside the full-text query and then exactly on the documents' dates.
PERIODS = {"week": 7, "month": 31, "year": 365}
SORTS = ("date", "relevance")


@dataclass
class ResultPage:
    """One page of hits, newest (or best) first; the total is counted up to MAX_COUNTED."""

    items: list[SearchDocument]
    page: int
    per_page: int
    total: int
    more: bool  # more hits than MAX_COUNTED: the total is a lower bound
    corrected: bool = False  # found with words close to the typed ones (typos)
    highlight: tuple[str, ...] = ()  # the stems a snippet marks

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


def _tsquery(words: list[Word]) -> Any:
    """Every word (Dutch stems), or one of its alternatives (index lexemes, as they are)."""
    parts: list[Any] = []
    plain = [w.text for w in words if not w.alternatives]
    if plain:
        parts.append(func.to_tsquery("dutch", " & ".join(plain)))
    for word in words:
        if word.alternatives:  # [a-z0-9]+ only (typos.PLAIN): nothing of them is syntax
            parts.append(func.to_tsquery("simple", " | ".join(word.alternatives)))
    wanted = parts[0]
    for part in parts[1:]:
        wanted = wanted.op("&&")(part)
    return wanted


def _fts_words(words: list[Word]) -> str:
    """Every word as its stem (the index holds stems), or one of its alternatives."""
    pieces = []
    for word in words:
        options = word.alternatives or (stem(word.text),)
        quoted = ['"' + option.replace('"', "") + '"' for option in options]
        pieces.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(pieces)


def _expression(
    words: list[Word], scopes: list[str], filters: list[str], any_of: list[str]
) -> tuple[str, Any]:
    """The full-text condition: an FTS5 query (SQLite) or a tsquery (PostgreSQL).

    `filters` must all be present, one of `any_of` (the months of a period) when given.
    """
    if db.engine.dialect.name == "postgresql":
        # Every word, one of the scopes and every filter, all answered by the GIN index.
        # The words are \w+ only, so nothing of the query is syntax.
        wanted = _tsquery(words)
        tags = "(" + " | ".join(_tag(t) for t in scopes) + ")"
        tags += "".join(f" & {_tag(t)}" for t in filters)
        if any_of:
            tags += " & (" + " | ".join(_tag(t) for t in any_of) + ")"
        matches = literal_column("search_documents.tsv").op("@@")(
            wanted.op("&&")(cast(literal(tags), TSQUERY))
        )
        # Only stop words ("de het"): nothing, rather than everything in scope.
        return "tsv", and_(func.numnode(wanted) > 0, matches)
    # Whole words, as on PostgreSQL (which matches stems): a prefix query makes FTS5 merge
    # the lists of every word with that prefix before it can stop at the first page.
    expression = "{title body} : (" + _fts_words(words) + ") AND tags : (" + " OR ".join(scopes)
    expression += ")" + "".join(f" AND tags : {t}" for t in filters)
    if any_of:
        expression += " AND tags : (" + " OR ".join(any_of) + ")"
    return "fts", expression


# The largest id (an integer column): `id <=| NEWEST` is the distance below it, so RUM's
# ordering by it is newest first, read from the index (see search_ddl.RUM_INDEX).
NEWEST = 2**31 - 1


def _matching_ids(
    condition: tuple[str, Any], limit: int, since: datetime | None = None
) -> Select[Any]:
    """Ids of matching documents, newest first (ids follow the order of creation)."""
    backend, value = condition
    if backend == "tsv":
        choice = choose()
        order: Any = SearchDocument.id.desc()  # GIN: the matches' ids, sorted
        if choice.rum_schema is not None:  # RUM: the newest matches straight from the index
            schema = db.engine.dialect.identifier_preparer.quote(choice.rum_schema)
            order = SearchDocument.id.op(f"OPERATOR({schema}.<=|)")(literal_column(str(NEWEST)))
        statement = select(SearchDocument.id).where(value)
        if since is not None:
            statement = statement.where(SearchDocument.created_at >= since)
        return statement.order_by(order).limit(limit)
    fts = table("search_fts", column("rowid"))
    source: Any = fts
    if since is not None:  # the months matched in the index; the exact day here
        source = fts.join(SearchDocument, SearchDocument.id == fts.c.rowid)
    statement = (
        select(fts.c.rowid.label("id"))
        .select_from(source)
        .where(text("search_fts MATCH :expression").bindparams(expression=value))
    )
    if since is not None:
        statement = statement.where(SearchDocument.created_at >= since)
    return statement.order_by(fts.c.rowid.desc()).limit(limit)


def _by_relevance(condition: tuple[str, Any], ids: list[int], words: list[Word]) -> list[int]:
    """The same ids, best first: bm25 (titles count five times) or ts_rank (A over B)."""
    if len(ids) < 2:
        return ids
    backend, value = condition
    if backend == "tsv":
        rank = func.ts_rank(literal_column("search_documents.tsv"), _tsquery(words))
        rows = db.session.execute(
            select(SearchDocument.id, rank.label("rank")).where(SearchDocument.id.in_(ids))
        )
        score = {row.id: -float(row.rank) for row in rows}
    else:
        rows = db.session.execute(
            text(
                "SELECT rowid AS id, bm25(search_fts, 5.0, 1.0, 0.0) AS rank FROM search_fts "
                "WHERE search_fts MATCH :expression AND rowid >= :lowest"
            ),
            {"expression": value, "lowest": min(ids)},
        )
        score = {row.id: float(row.rank) for row in rows}  # bm25: lower is better
    wanted = set(ids)
    position = {i: n for n, i in enumerate(ids)}  # ties: newest first
    return sorted(wanted, key=lambda i: (score.get(i, 0.0), position[i]))


def _months(since: datetime, until: datetime) -> list[str]:
    months, year, month = [], since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append(f"m{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def search(
    user: Any,
    query: str,
    *,
    community_id: int | None = None,
    kind: str | None = None,
    theme_id: int | None = None,
    period: str | None = None,
    sort: str = "date",
    page: int = 1,
    per_page: int = 20,
) -> ResultPage | None:
    """A page of what the user may read that has every word; None without words.

    When nothing matches, words the index does not know are tried once more as the
    index words closest to them (typos); the page says so.
    """
    words = [Word(w) for w in terms(query)]
    if not words:
        return None
    scopes = policy.search_scope(user, community_id)  # only the user's own communities
    if not scopes:
        return ResultPage([], 1, per_page, 0, False)
    filters = ([f"k{kind}"] if kind else []) + ([f"t{theme_id}"] if theme_id else [])
    since = utcnow() - timedelta(days=PERIODS[period]) if period in PERIODS else None
    any_of = _months(since, utcnow()) if since else []
    found = _page(words, scopes, filters, any_of, since, sort, page, per_page)
    if found.total == 0:
        retried = [Word(w.text, typos.alternatives(w.text)) for w in words]
        if any(w.alternatives for w in retried):
            again = _page(retried, scopes, filters, any_of, since, sort, page, per_page)
            if again.total:
                again.corrected = True
                return again
    return found


def _page(
    words: list[Word],
    scopes: list[str],
    filters: list[str],
    any_of: list[str],
    since: datetime | None,
    sort: str,
    page: int,
    per_page: int,
) -> ResultPage:
    condition = _expression(words, scopes, filters, any_of)
    # One read of the index gives the count and every page: the ids of the newest
    # MAX_COUNTED + 1 matches (at most a few kilobytes).
    matching = list(db.session.scalars(_matching_ids(condition, MAX_COUNTED + 1, since)))
    total = min(len(matching), MAX_COUNTED)
    counted = matching[:MAX_COUNTED]
    if sort == "relevance":  # the best of the newest MAX_COUNTED matches
        counted = _by_relevance(condition, counted, words)
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    ids = counted[(page - 1) * per_page : page * per_page]
    documents: dict[int, SearchDocument] = {}
    if ids:
        rows = db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))
        documents = {document.id: document for document in rows}
    items = [documents[i] for i in ids if i in documents]
    highlight = tuple(
        dict.fromkeys(option for w in words for option in (w.alternatives or (stem(w.text),)))
    )
    return ResultPage(items, page, per_page, total, len(matching) > MAX_COUNTED, False, highlight)


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
    options = ["{title} : (" + " OR ".join(f'"{stem(w)}"' for w in words) + ")"] if words else []
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
