"""The search page: only what the user may read, with escaped, highlighted snippets."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from community import policy, search
from community.extensions import db
from community.models import SEARCH_KINDS, Community, SearchDocument, Theme
from community.pagination import MAX_PAGE

bp = Blueprint("search", __name__)


def _url(document: SearchDocument, slugs: dict[int, str]) -> str:
    if document.kind == "approach":  # a library approach may be of another community
        return url_for("approaches.show_approach", approach_id=document.object_id)
    slug = slugs[document.community_id]  # the rest is of the user's own communities
    if document.kind == "meeting":
        return url_for("meetings.show_meeting", slug=slug, meeting_id=document.object_id)
    if document.kind == "contribution":
        return url_for(
            "contributions.show_contribution",
            slug=slug,
            case_id=document.case_id,
            contribution_id=document.object_id,
        )
    return url_for("cases.show_case", slug=slug, case_id=document.case_id)


@bp.route("/search")
def search_page() -> str:
    query = request.args.get("q", "")[: search.MAX_QUERY * 2]
    member_of = policy.member_community_ids(current_user)
    community_id = request.args.get("community", type=int)
    if community_id not in member_of:
        community_id = None  # only the user's own communities can be chosen
    kind = request.args.get("type") if request.args.get("type") in SEARCH_KINDS else None
    theme_slug = request.args.get("theme") or None
    theme = db.session.scalar(select(Theme).where(Theme.slug == theme_slug)) if theme_slug else None
    period = request.args.get("period") if request.args.get("period") in search.PERIODS else None
    sort = "relevance" if request.args.get("sort") == "relevance" else "date"
    page = search.search(
        current_user,
        query,
        community_id=community_id,
        kind=kind,
        theme_id=theme.id if theme else None,
        period=period,
        sort=sort,
        page=min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE),
    )
    # The user's own communities (id, name, slug): the filter's choices, and the names
    # and slugs the hits show. A hit of another community is a library approach, whose
    # link needs no slug and whose community is not named.
    my_communities = (
        db.session.execute(
            select(Community.id, Community.name, Community.slug)
            .where(Community.id.in_(member_of))
            .order_by(Community.name)
        ).all()
        if member_of
        else []
    )
    hits: list[search.Hit] = []
    slugs: dict[int, str] = {}
    if page is not None and page.items:
        names = {c.id: c.name for c in my_communities}
        slugs = {c.id: c.slug for c in my_communities}
        others = {d.community_id for d in page.items if d.kind != "approach"} - slugs.keys()
        if others:  # not expected (only approaches are in the library); never a wrong link
            found = select(Community.id, Community.slug).where(Community.id.in_(others))
            slugs.update({row.id: row.slug for row in db.session.execute(found)})
        hits = [
            search.Hit(
                d,
                search.snippet(d.body, page.highlight),
                _url(d, slugs),
                # A library approach of a community the user is not in: no community name.
                names.get(d.community_id, ""),
            )
            for d in page.items
        ]
    return render_template(
        "pages/search.html",
        query=query,
        page=page,
        groups=search.group_by_case(
            hits,
            lambda d: url_for("cases.show_case", slug=slugs[d.community_id], case_id=d.case_id),
        ),
        communities=my_communities,
        community_id=community_id,
        kind=kind,
        theme=theme_slug,
        period=period,
        sort=sort,
        themes=db.session.scalars(select(Theme).order_by(Theme.name_nl)).all(),
        too_short=page is None and bool(query.strip()),
    )
