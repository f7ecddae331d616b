"""Paginating lists with page numbers that cannot break the query."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.sql import Select
from werkzeug.routing import IntegerConverter

from community.extensions import db

MAX_PAGE = 100_000
MAX_ID = 2**31 - 1


def paginate(query: Select[Any], per_page: int) -> Pagination:
    """`db.paginate` with the page from `?page=`, clamped to a sane range."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(query, page=min(max(page, 1), MAX_PAGE), per_page=per_page, error_out=False)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ids beyond what the database holds are simply not found."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
