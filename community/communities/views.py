"""The directory, community home, creation, settings, joining and leaving."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from community import policy
from community.accounts.queries import theme_choices
from community.cases import queries as case_queries
from community.communities import access, memberships, queries, services
from community.communities.case_cards import case_cards
from community.communities.directory_cards import directory_cards
from community.communities.forms import CommunityForm, FollowForm, JoinForm
from community.exceptions import DomainError
from community.formtools import apply_domain_error, client_ip, flash_refusal, flash_success, posted
from community.meetings import queries as meeting_queries
from community.models import FOLLOW_LEVELS
from community.pagination import paginate

bp = Blueprint("communities", __name__)


@bp.route("/communities")
def list_communities() -> str:
    theme = request.args.get("theme") or None
    page = paginate(queries.directory(current_user, theme), 20)
    # Counts are content: only of communities whose count the user may see (the page
    # shows a count for exactly the communities in `counts`).
    shown = [c.id for c in page.items if policy.can_see_member_count(current_user, c)]
    found = services.member_counts(shown)
    counts = {community_id: found.get(community_id, 0) for community_id in shown}
    themes = queries.themes()
    cards = directory_cards(page.items, counts, current_user.memberships_by_community(), themes)
    return render_template(
        "communities/directory.html", page=page, cards=cards, theme=theme, themes=themes
    )


@bp.route("/communities/new", methods=["GET", "POST"])
def create_community() -> str | BaseResponse:
    policy.require(policy.can_create_community(current_user))
    form = CommunityForm(themes=theme_choices())
    if form.validate_on_submit():
        try:
            community = services.create_community(current_user, _community_data(form), client_ip())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De leergemeenschap %(name)s is aangemaakt.", name=community.name))
            return redirect(url_for("communities.show_community", slug=community.slug))
    return render_template("communities/form.html", form=form, community=None)


@bp.route("/c/<slug>")
def show_community(slug: str) -> str:
    community = access.visible_community(slug)
    if not policy.can_view_community(current_user, community):
        return render_template("communities/landing.html", community=community, form=JoinForm())
    phase = request.args.get("phase") or None
    theme = request.args.get("theme") or None
    cases = paginate(case_queries.case_list(community, current_user, phase, theme), 20)
    counts = case_queries.contribution_counts([case.id for case in cases.items])
    themes = queries.themes()
    return render_template(
        "communities/home.html",
        community=community,
        organisations=queries.member_organisations(community),
        member_count=services.member_counts([community.id]).get(community.id, 0),
        cases=cases,
        cards=case_cards(community, cases.items, counts, themes),
        meetings=meeting_queries.upcoming(community),
        follow_form=FollowForm(obj=current_user.membership_in(community)),
        phase=phase,
        theme=theme,
        themes=themes,
    )


@bp.route("/c/<slug>/settings", methods=["GET", "POST"])
def edit_community(slug: str) -> str | BaseResponse:
    community = access.moderated_community(slug)
    form = CommunityForm(obj=community, themes=theme_choices())
    if request.method == "POST":
        policy.require(policy.can_edit_community(current_user, community))
    if request.method == "GET":
        form.theme.data = community.theme_id or 0
    if form.validate_on_submit():
        try:
            services.update_community(current_user, community, _community_data(form), client_ip())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De instellingen zijn opgeslagen."))
            return redirect(url_for("communities.show_community", slug=community.slug))
    return render_template("communities/form.html", form=form, community=community)


@bp.route("/c/<slug>/archive", methods=["POST"])
def archive_community(slug: str) -> BaseResponse:
    community = access.moderated_community(slug)
    policy.require(policy.can_archive_community(current_user, community))
    archived = posted("archived", "1") == "1"
    services.set_archived(current_user, community, archived, client_ip())
    flash_success(
        _("De leergemeenschap is gearchiveerd.")
        if archived
        else _("De leergemeenschap is weer actief.")
    )
    return redirect(url_for("communities.show_community", slug=community.slug))


@bp.route("/c/<slug>/join", methods=["POST"])
def join_community(slug: str) -> str | BaseResponse:
    community = access.visible_community(slug)
    form = JoinForm()
    invited = (m := current_user.membership_in(community)) is not None and m.status == "invited"
    if invited or form.validate_on_submit():
        try:
            membership = memberships.request_to_join(
                current_user,
                community,
                form.motivation.data or "",
                client_ip(),
                follow=form.follow.data if form.follow.data in FOLLOW_LEVELS else "all",
            )
        except DomainError as error:
            flash_refusal(error)
            return redirect(url_for("communities.show_community", slug=community.slug))
        if membership.status == "active":
            flash_success(_("Welkom in %(name)s!", name=community.name))
        else:
            flash_success(
                _("Je aanvraag is verstuurd. Je hoort het zodra een moderator heeft beslist.")
            )
        return redirect(url_for("communities.show_community", slug=community.slug))
    return render_template("communities/landing.html", community=community, form=form)


@bp.route("/c/<slug>/follow", methods=["POST"])
def set_follow(slug: str) -> BaseResponse:
    community = access.member_community(slug)
    form = FollowForm()
    if form.validate_on_submit():
        memberships.set_follow(current_user, community, form.follow.data or "all")
        flash_success(_("Je meldingsinstellingen voor deze leergemeenschap zijn opgeslagen."))
    return redirect(url_for("communities.show_community", slug=slug) + "#lidmaatschap")


@bp.route("/c/<slug>/leave", methods=["GET", "POST"])
def leave_community(slug: str) -> str | BaseResponse:
    """GET asks for confirmation on a page of its own; POST leaves."""
    community = access.member_community(slug)
    if request.method == "GET":
        policy.require(policy.can_leave_community(current_user, community))
        return render_template(
            "communities/confirm_leave.html",
            community=community,
            role=current_user.membership_in(community).role,
            last_moderator=memberships.is_last_moderator(current_user, community),
        )
    try:
        memberships.leave(current_user, community, client_ip())
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("communities.show_community", slug=community.slug))
    flash_success(_("Je hebt %(name)s verlaten.", name=community.name))
    return redirect(url_for("communities.list_communities"))


def _community_data(form: CommunityForm) -> services.CommunityData:
    return services.CommunityData(
        name=form.name.data or "",
        description=form.description.data or "",
        theme_id=form.theme.data or None,
        visibility=form.visibility.data or "closed",
        method=form.method.data or "incident",
        review_new_members=bool(form.review_new_members.data),
    )
