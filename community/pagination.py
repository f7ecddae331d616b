"""Paginating lists with page numbers that cannot break the query."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql import Select
from werkzeug.routing import IntegerConverter

from community.extensions import db

MAX_PAGE = 100_000
MAX_ID = 2**31 - 1


def paginate(query: Select[Any], per_page: int) -> Pagination:
    """`db.paginate` with the page from `?page=`, clamped to a sane range."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(query, page=min(max(page, 1), MAX_PAGE), per_page=per_page, error_out=False)


def id_arg(name: str) -> int | None:
    """A keyset id from the query string (`?after=`, `?before=`); nonsense means none."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def paginate_by_id(query: Select[Any], per_page: int, *options: ORMOption) -> Pagination:
    """`paginate` for a list of one entity with joined relations: filter, sort and count
    the ids alone, then load the page's rows (and their joins) by id, with `options`
    (what the list shows). Sorting the joined rows of every match before the LIMIT is
    what made long lists slow."""
    entity = query.column_descriptions[0]["entity"]
    page = paginate(query.with_only_columns(entity.id), per_page)
    ids = list(page.items)
    load = select(entity).where(entity.id.in_(ids)).options(*options)
    rows = {row.id: row for row in db.session.scalars(load)}
    page.items = [rows[i] for i in ids if i in rows]
    return page


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ids beyond what the database holds are simply not found."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
